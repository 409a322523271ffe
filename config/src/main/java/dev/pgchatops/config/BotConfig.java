package dev.pgchatops.config;

import java.util.List;
import java.util.Optional;

public record BotConfig(List<ClusterConfig> clusters, AccessConfig access, AuditConfig audit, ConfirmConfig confirm) {
    public BotConfig {
        clusters = List.copyOf(clusters);
    }

    public Optional<ClusterConfig> cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
