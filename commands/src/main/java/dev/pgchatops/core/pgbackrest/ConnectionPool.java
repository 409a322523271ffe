package dev.pgchatops.core.pgbackrest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;

import java.time.Duration;

/**
 * Connections kept for reuse, keyed by {@code user@host:port}: at most {@code max}, each dropped after {@code idle}
 * without use. The system scheduler makes idle entries expire on time even when the bot gets no commands at all.
 * Every entry that leaves the pool (idle, size, replaced, removed, pool closed) is {@linkplain Pooled#retire retired}.
 */
final class ConnectionPool<C extends ConnectionPool.Pooled> implements AutoCloseable {
    /** What the pool keeps: a connection that can be leased while usable and retired when it leaves the pool. */
    interface Pooled {
        /** Takes one use of the connection; false when it is retired or dead (then it is not used). */
        boolean lease();

        /** Left the pool: close now, or when the last use ends. */
        void retire();
    }

    /** Makes a new connection (the SSH handshake). */
    @FunctionalInterface
    interface Connector<C> {
        C connect(Endpoint endpoint) throws RemoteException;
    }

    private final Cache<String, C> cache;
    private final Connector<C> connector;

    ConnectionPool(int max, Duration idle, Connector<C> connector) {
        this.connector = connector;
        this.cache = Caffeine.newBuilder()
                .maximumSize(Math.max(1, max))
                .expireAfterAccess(idle)
                .scheduler(Scheduler.systemScheduler())
                .executor(Runnable::run)
                .removalListener((String key, C value, RemovalCause cause) -> {
                    if (value != null) value.retire();
                })
                .build();
    }

    /** A leased connection to {@code endpoint}: a cached one that is still usable, else a new one. */
    C lease(Endpoint endpoint) throws RemoteException {
        for (int attempt = 0; attempt < 3; attempt++) {
            C c;
            try {
                c = cache.get(endpoint.key(), k -> {
                    try {
                        return connector.connect(endpoint);
                    } catch (RemoteException e) {
                        throw new ConnectFailure(e);
                    }
                });
            } catch (ConnectFailure f) {
                throw f.failure;
            }
            if (c.lease()) return c;
            // dead (peer closed it, keep-alive gave up): drop it and connect again
            cache.asMap().remove(endpoint.key(), c);
        }
        throw new RemoteException.ConnectFailed(endpoint, "SSH connections to " + endpoint
                + " keep dropping right after they are made", null);
    }

    /** Removes {@code c} (if it is still the cached connection of {@code endpoint}); it is retired. */
    void drop(Endpoint endpoint, C c) {
        cache.asMap().remove(endpoint.key(), c);
    }

    /** Connections cached now. */
    long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    @Override
    public void close() {
        cache.invalidateAll();
        cache.cleanUp();
    }

    private static final class ConnectFailure extends RuntimeException {
        private final RemoteException failure;

        ConnectFailure(RemoteException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }
}
