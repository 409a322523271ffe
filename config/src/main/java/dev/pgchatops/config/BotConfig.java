package dev.pgchatops.config;

import java.util.List;
import java.util.Optional;

public record BotConfig(List<ClusterConfig> clusters, AccessConfig access, AuditConfig audit, ConfirmConfig confirm,
                        ExecutorConfig executor, Optional<SlackConfig> slack, Optional<DiscordConfig> discord,
                        Optional<AlertsConfig> alerts) {
    public BotConfig {
        clusters = List.copyOf(clusters);
        java.util.Objects.requireNonNull(alerts, "alerts");
    }

    /** Without an alerts section. */
    public BotConfig(List<ClusterConfig> clusters, AccessConfig access, AuditConfig audit, ConfirmConfig confirm,
                     ExecutorConfig executor, Optional<SlackConfig> slack, Optional<DiscordConfig> discord) {
        this(clusters, access, audit, confirm, executor, slack, discord, Optional.empty());
    }

    public BotConfig(List<ClusterConfig> clusters, AccessConfig access, AuditConfig audit, ConfirmConfig confirm,
                     ExecutorConfig executor) {
        this(clusters, access, audit, confirm, executor, Optional.empty(), Optional.empty());
    }

    /** With the default executor ({@link ExecutorConfig#DEFAULT_THREADS}) and no chat adapter. */
    public BotConfig(List<ClusterConfig> clusters, AccessConfig access, AuditConfig audit, ConfirmConfig confirm) {
        this(clusters, access, audit, confirm, new ExecutorConfig(ExecutorConfig.DEFAULT_THREADS));
    }

    public Optional<ClusterConfig> cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
