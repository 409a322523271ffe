package dev.pgchatops.core.pgbackrest;

import dev.pgchatops.config.ClusterConfig;
import dev.pgchatops.config.PgBackRestConfig;
import dev.pgchatops.core.patroni.PatroniClient;

/** Runs pgBackRest for one cluster over SSH on the right member. */
public final class PgBackRestService implements AutoCloseable {
    private final ClusterConfig cluster;
    private final PgBackRestConfig config;
    private final PatroniClient patroni;

    private PgBackRestService(ClusterConfig cluster, PgBackRestConfig config, PatroniClient patroni) {
        this.cluster = cluster;
        this.config = config;
        this.patroni = patroni;
    }

    public static PgBackRestService create(ClusterConfig cluster, PgBackRestConfig config, PatroniClient patroni) {
        return new PgBackRestService(cluster, config, patroni);
    }

    public PgBackRestConfig config() {
        return config;
    }

    public ClusterConfig cluster() {
        return cluster;
    }

    public PatroniClient patroni() {
        return patroni;
    }

    @Override
    public void close() {
    }
}
