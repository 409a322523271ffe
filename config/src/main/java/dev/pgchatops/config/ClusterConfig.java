package dev.pgchatops.config;

import java.util.Optional;

/** One Patroni cluster (its scope) and, optionally, where pgBackRest runs for it. */
public record ClusterConfig(String name, PatroniConfig patroni, Optional<PgBackRestConfig> pgbackrest) {
}
