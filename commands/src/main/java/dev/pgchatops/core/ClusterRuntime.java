package dev.pgchatops.core;

import dev.pgchatops.config.ClusterConfig;
import dev.pgchatops.core.patroni.PatroniClient;
import dev.pgchatops.core.pgbackrest.PgBackRestService;

import java.util.Optional;

/** A configured cluster with its clients; {@code pgbackrest} is empty when the cluster has no pgbackrest section. */
public record ClusterRuntime(ClusterConfig config, PatroniClient patroni, Optional<PgBackRestService> pgbackrest) {
    public String name() {
        return config.name();
    }
}
