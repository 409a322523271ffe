package dev.pgchatops.core;

import dev.pgchatops.config.ClusterConfig;
import dev.pgchatops.core.patroni.PatroniClient;

/** A configured cluster with its clients. */
public record ClusterRuntime(ClusterConfig config, PatroniClient patroni) {
    public String name() {
        return config.name();
    }
}
