package dev.pgchatops.core.pgbackrest;

import dev.pgchatops.core.run.DaemonThreads;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Connections kept for reuse, keyed by {@code user@host:port}: at most {@code max}, each dropped after {@code idle}
 * without use. The system scheduler makes idle entries expire on time even when the bot gets no commands at all.
 * Every entry that leaves the pool (idle, size, replaced, removed, pool closed) is {@linkplain Pooled#retire retired}
 * on the closer thread ({@code ssh-closer}), never on a caller's or Caffeine's thread: closing an SSH connection is
 * network I/O. Handshakes run on their own threads ({@code ssh-connect-N}), outside any cache lock: the cache holds a
 * future per key, so a hanging handshake delays only the callers waiting for that same endpoint (who share it).
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

    /**
     * A finished handshake: the connection, or why there is none. Failures are values, not failed futures, so that
     * Caffeine does not log each refused connection with a stack trace; the lease that sees one removes it.
     */
    private record Made<C>(C connection, RemoteException failure) {
    }

    private final AsyncCache<String, Made<C>> cache;
    private final Connector<C> connector;
    private final ExecutorService connecting;
    private final ExecutorService closer;
    private final boolean ownsCloser;
    private volatile boolean closed;

    /** A pool with its own closer thread. */
    ConnectionPool(int max, Duration idle, Connector<C> connector) {
        this(max, idle, connector, newCloser(), true);
    }

    /** A pool retiring connections on {@code closer} (shared with the connections, which close on it too). */
    ConnectionPool(int max, Duration idle, Connector<C> connector, ExecutorService closer) {
        this(max, idle, connector, closer, false);
    }

    private ConnectionPool(int max, Duration idle, Connector<C> connector, ExecutorService closer, boolean ownsCloser) {
        this.connector = connector;
        this.closer = closer;
        this.ownsCloser = ownsCloser;
        this.connecting = Executors.newCachedThreadPool(DaemonThreads.numbered("ssh-connect"));
        this.cache = Caffeine.newBuilder()
                .maximumSize(Math.max(1, max))
                .expireAfterAccess(idle)
                .scheduler(Scheduler.systemScheduler())
                .executor(Runnable::run)
                .removalListener((String key, Made<C> value, RemovalCause cause) -> {
                    if (value != null && value.connection() != null) retireLater(value.connection());
                })
                .buildAsync();
    }

    /** The single daemon thread that closes connections. */
    static ExecutorService newCloser() {
        return Executors.newSingleThreadExecutor(DaemonThreads.named("ssh-closer"));
    }

    private void retireLater(C c) {
        try {
            closer.execute(c::retire);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            c.retire();   // shutting down: nobody else will close it
        }
    }

    /**
     * A leased connection to {@code endpoint}: a cached one that is still usable, else a new one. A caller arriving
     * while a handshake with the same endpoint runs waits for that handshake (bounded by the connector).
     */
    C lease(Endpoint endpoint) throws RemoteException {
        for (int attempt = 0; attempt < 3; attempt++) {
            CompletableFuture<Made<C>> f = cache.get(endpoint.key(), (k, executor) -> CompletableFuture.supplyAsync(() -> {
                try {
                    C made = connector.connect(endpoint);
                    if (closed) {
                        retireLater(made);
                        return new Made<>(null, new RemoteException.ConnectFailed(endpoint,
                                "the SSH connection pool is closed", null));
                    }
                    return new Made<>(made, null);
                } catch (RemoteException e) {
                    return new Made<>(null, e);
                } catch (RuntimeException e) {
                    return new Made<>(null, new RemoteException.ConnectFailed(endpoint, "connecting to " + endpoint
                            + " failed: " + SshText.describe(e), e));
                }
            }, connecting));
            Made<C> made;
            try {
                made = f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RemoteException.ConnectFailed(endpoint, "interrupted while connecting to " + endpoint, e);
            } catch (ExecutionException e) {
                throw new RemoteException.ConnectFailed(endpoint, "connecting to " + endpoint + " failed: "
                        + SshText.describe(e.getCause()), e.getCause());
            }
            if (made.failure() != null) {
                // not kept: the next lease connects again
                cache.asMap().remove(endpoint.key(), f);
                throw forCaller(made.failure(), endpoint);
            }
            C c = made.connection();
            if (c.lease()) return c;
            // dead (peer closed it, keep-alive gave up): drop it and connect again
            drop(endpoint, c);
        }
        throw new RemoteException.ConnectFailed(endpoint, "SSH connections to " + endpoint
                + " keep dropping right after they are made", null);
    }

    /**
     * A shared handshake's failure as seen by {@code caller}: members sharing one SSH endpoint (one key) share its
     * handshake, so the failure names the member that started it; each caller gets it named after its own member.
     */
    static RemoteException forCaller(RemoteException failure, Endpoint caller) {
        Endpoint made = failure.endpoint();
        if (made == null || made.member().equals(caller.member())) return failure;
        String m = failure.getMessage()
                .replace("(member " + made.member() + ")", "(member " + caller.member() + ")")
                .replace("pgbackrest.members." + made.member() + " ", "pgbackrest.members." + caller.member() + " ")
                .replace(" on " + made + " ", " on " + caller + " ")
                .replace(" to " + made + " ", " to " + caller + " ")
                .replace(" to " + made + ":", " to " + caller + ":");
        Throwable cause = failure.getCause();
        RemoteException relabelled;
        if (failure instanceof RemoteException.HostKeyRejected) {
            relabelled = new RemoteException.HostKeyRejected(caller, m, cause);
        } else if (failure instanceof RemoteException.AuthFailed) {
            relabelled = new RemoteException.AuthFailed(caller, m, cause);
        } else if (failure instanceof RemoteException.ConnectFailed) {
            relabelled = new RemoteException.ConnectFailed(caller, m, cause);
        } else {
            return failure;   // not a handshake failure
        }
        relabelled.setStackTrace(failure.getStackTrace());
        return relabelled;
    }

    /** Removes {@code c} (if it is still the cached connection of {@code endpoint}); it is retired. */
    void drop(Endpoint endpoint, C c) {
        cache.synchronous().asMap().computeIfPresent(endpoint.key(), (k, m) -> m.connection() == c ? null : m);
    }

    /** Connections cached now (handshakes under way included). */
    long size() {
        cache.synchronous().cleanUp();
        return cache.synchronous().estimatedSize();
    }

    @Override
    public void close() {
        closed = true;
        cache.synchronous().invalidateAll();
        cache.synchronous().cleanUp();
        connecting.shutdownNow();
        if (ownsCloser) closer.shutdown();
    }
}
