package dev.pgchatops.core.pgbackrest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import dev.pgchatops.config.SshConfig;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * {@link RemoteRunner} over SSH with SSHJ. Host keys are verified strictly against the configured known_hosts file
 * (re-read for every new connection); authentication is by the configured private key only. Connections are kept in
 * a bounded Caffeine cache keyed by {@code user@host:port} and reused across commands; a cached connection is used
 * only while it is connected and authenticated, and evicted connections are closed once no command uses them any
 * more (idle ones after 10 minutes, even while the bot gets no commands). Every step is bounded: TCP connect by
 * {@code ssh.connect-timeout}; identification, key exchange and authentication by a further
 * max(2 × connect-timeout, 5 s) (a watchdog closes the socket); the command by the caller's timeout; and a peer
 * that dies meanwhile is noticed by keep-alives (3 missed × 10 s).
 */
public final class SshjRemoteRunner implements RemoteRunner, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SshjRemoteRunner.class);
    /** Characters of standard output kept (info JSON of a stanza with many backups fits easily). */
    static final int STDOUT_LIMIT = 32 * 1024 * 1024;
    /** Lines of standard error kept: the tail is what explains a failure. */
    static final int STDERR_TAIL = 200;
    private static final int KEEPALIVE_SECONDS = 10;
    private static final int KEEPALIVE_MAX_MISSED = 3;
    private static final Duration IDLE_CLOSE = Duration.ofMinutes(10);

    private final SshConfig ssh;
    private final Duration handshakeTimeout;
    private final Cache<String, PooledConnection> pool;
    private final ExecutorService readers;
    private final ScheduledExecutorService watchdog;
    private final AtomicInteger threadNo = new AtomicInteger();

    public SshjRemoteRunner(SshConfig ssh) {
        this.ssh = ssh;
        Duration twice = ssh.connectTimeout().multipliedBy(2);
        this.handshakeTimeout = twice.compareTo(Duration.ofSeconds(5)) > 0 ? twice : Duration.ofSeconds(5);
        this.pool = newPool(ssh.maxConnections(), IDLE_CLOSE, PooledConnection::retire);
        this.readers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ssh-output-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ssh-handshake-watchdog");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The connection cache: at most {@code max} entries, each dropped after {@code idle} without use. The system
     * scheduler makes idle entries expire on time even when the bot gets no commands at all (without it Caffeine
     * only notices expired entries on the next cache access). {@code onRemoval} runs for every entry that leaves
     * the cache, whatever the cause (idle, size, replaced, explicit removal, close); for connections it closes the
     * connection, or marks it to be closed when the last command using it ends.
     */
    static <V> Cache<String, V> newPool(int max, Duration idle, Consumer<V> onRemoval) {
        return Caffeine.newBuilder()
                .maximumSize(Math.max(1, max))
                .expireAfterAccess(idle)
                .scheduler(Scheduler.systemScheduler())
                .executor(Runnable::run)
                .removalListener((String key, V value, RemovalCause cause) -> {
                    if (value != null) onRemoval.accept(value);
                })
                .build();
    }

    /** Connections currently cached (for tests and diagnostics). */
    public long cachedConnections() {
        pool.cleanUp();
        return pool.estimatedSize();
    }

    @Override
    public Result run(Endpoint endpoint, List<String> argv, Duration timeout, Consumer<String> lineSink)
            throws RemoteException {
        String commandLine = ShellQuote.join(argv);
        for (int attempt = 0; ; attempt++) {
            PooledConnection conn = lease(endpoint);
            Session session;
            try {
                session = conn.client.startSession();
            } catch (IOException e) {
                // nothing was sent yet: a cached connection that died quietly is replaced once
                dropBroken(endpoint, conn);
                conn.release();
                if (attempt == 0 && conn.reused()) {
                    LOG.info("cached SSH connection {} is dead ({}); reconnecting", endpoint.key(), describe(e));
                    continue;
                }
                throw new RemoteException.ConnectionLost(endpoint, "could not open an SSH session on " + endpoint
                        + ": " + describe(e) + "; nothing was run", false, e);
            }
            try {
                return execute(endpoint, conn, session, argv, commandLine, timeout, lineSink);
            } finally {
                try {
                    session.close();
                } catch (IOException ignored) {
                    // the channel is gone anyway
                }
                conn.release();
            }
        }
    }

    private Result execute(Endpoint endpoint, PooledConnection conn, Session session, List<String> argv,
                           String commandLine, Duration timeout, Consumer<String> lineSink) throws RemoteException {
        long t0 = System.nanoTime();
        try {
            // from here on the command may be running on the host, whatever happens to the connection
            Session.Command cmd = session.exec(commandLine);
            LOG.debug("{}: started {}", endpoint, commandLine);
            AtomicBoolean overflow = new AtomicBoolean();
            Future<String> out = readers.submit(() -> readAll(cmd.getInputStream(), lineSink, STDOUT_LIMIT, () -> {
                // nobody reads the rest, so the command would block on a full channel: stop it now
                overflow.set(true);
                stop(cmd);
            }));
            Future<List<String>> err = readers.submit(() -> readTail(cmd.getErrorStream(), lineSink));
            try {
                cmd.join(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (IOException e) {
                if (overflow.get()) throw tooMuchOutput(endpoint, argv, t0);
                if (cmd.isOpen() && conn.alive() && System.nanoTime() - t0 >= timeout.toNanos()) {
                    stop(cmd);
                    throw new RemoteException.TimedOut(endpoint, "'" + argv.get(0) + " " + subcommand(argv) + "' on "
                            + endpoint + " did not finish within " + human(timeout) + "; it was asked to stop and the"
                            + " SSH channel was closed. It may still be finishing on the host", e);
                }
                dropBroken(endpoint, conn);
                throw lost(endpoint, argv, t0, e);
            }
            if (overflow.get()) throw tooMuchOutput(endpoint, argv, t0);
            String stdout = value(out, endpoint, argv, t0);
            List<String> stderr = value(err, endpoint, argv, t0);
            Integer status = cmd.getExitStatus();
            if (status == null) {
                Signal sig = cmd.getExitSignal();
                String how = sig != null ? "was killed by signal " + sig : "ended without an exit status";
                throw new RemoteException.ConnectionLost(endpoint, "'" + argv.get(0) + " " + subcommand(argv) + "' on "
                        + endpoint + " " + how + " after " + seconds(t0), true, null);
            }
            return new Result(status, stdout, stderr, Duration.ofNanos(System.nanoTime() - t0));
        } catch (IOException e) {
            dropBroken(endpoint, conn);
            throw lost(endpoint, argv, t0, e);
        }
    }

    private void dropBroken(Endpoint endpoint, PooledConnection conn) {
        conn.markBroken();
        pool.asMap().remove(endpoint.key(), conn);
    }

    private RemoteException lost(Endpoint endpoint, List<String> argv, long t0, Exception e) {
        return new RemoteException.ConnectionLost(endpoint, "the SSH connection to " + endpoint + " was lost after "
                + seconds(t0) + " while '" + argv.get(0) + " " + subcommand(argv) + "' ran (" + describe(e)
                + "); its outcome is unknown", true, e);
    }

    /** Standard output went over {@link #STDOUT_LIMIT}: the command was stopped, its result is not used. */
    private static RemoteException tooMuchOutput(Endpoint endpoint, List<String> argv, long t0) {
        return new RemoteException.OutputTooLarge(endpoint, "'" + argv.get(0) + " " + subcommand(argv) + "' on "
                + endpoint + " printed more than " + STDOUT_LIMIT + " characters (" + (STDOUT_LIMIT >> 20)
                + " MiB) of standard output; the output was cut off there and the command stopped after "
                + seconds(t0) + ", so its result is not used and its outcome is unknown", null);
    }

    <T> T value(Future<T> f, Endpoint endpoint, List<String> argv, long t0) throws RemoteException {
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw lost(endpoint, argv, t0, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof OutputLimitExceeded) throw tooMuchOutput(endpoint, argv, t0);
            throw lost(endpoint, argv, t0, c instanceof Exception ex ? ex : e);
        } catch (TimeoutException e) {
            throw lost(endpoint, argv, t0, e);
        }
    }

    private static void stop(Session.Command cmd) {
        try {
            cmd.signal(Signal.TERM);
        } catch (IOException | RuntimeException ignored) {
            // not every server accepts signals; closing the channel below is the fallback
        }
        try {
            cmd.close();
        } catch (IOException | RuntimeException ignored) {
            // already closed
        }
    }

    /**
     * All of standard output, each line also given to {@code sink}. Beyond {@code limit} characters it calls
     * {@code onOverflow} (which stops the command) and throws {@link OutputLimitExceeded}.
     */
    static String readAll(InputStream in, Consumer<String> sink, int limit, Runnable onOverflow) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                deliver(sink, line);
                if (sb.length() + line.length() + 1 > limit) {
                    onOverflow.run();
                    throw new OutputLimitExceeded(limit);
                }
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    private static List<String> readTail(InputStream in, Consumer<String> sink) throws IOException {
        Deque<String> tail = new ArrayDeque<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                deliver(sink, line);
                tail.addLast(line);
                if (tail.size() > STDERR_TAIL) tail.removeFirst();
            }
        }
        return List.copyOf(tail);
    }

    private static void deliver(Consumer<String> sink, String line) {
        try {
            sink.accept(line);
        } catch (RuntimeException e) {
            LOG.warn("output consumer failed on line '{}'", line, e);
        }
    }

    // ---- connections ------------------------------------------------------------------------------------------

    private PooledConnection lease(Endpoint endpoint) throws RemoteException {
        for (int attempt = 0; attempt < 3; attempt++) {
            PooledConnection c;
            try {
                c = pool.get(endpoint.key(), k -> {
                    try {
                        return connect(endpoint);
                    } catch (RemoteException e) {
                        throw new ConnectFailure(e);
                    }
                });
            } catch (ConnectFailure f) {
                throw f.failure;
            }
            if (c.lease()) return c;
            // dead (peer closed it, keep-alive gave up): drop it and connect again
            pool.asMap().remove(endpoint.key(), c);
        }
        throw new RemoteException.ConnectFailed(endpoint, "SSH connections to " + endpoint
                + " keep dropping right after they are made", null);
    }

    private PooledConnection connect(Endpoint endpoint) throws RemoteException {
        Path knownHosts = ssh.knownHosts();
        if (!Files.isReadable(knownHosts)) {
            throw new RemoteException.HostKeyRejected(endpoint, "refusing to connect to " + endpoint.address()
                    + ": the known_hosts file " + knownHosts + " (ssh.known-hosts) is missing or unreadable, so its"
                    + " host key cannot be verified", null);
        }
        PinnedHostKeys verifier;
        try {
            verifier = new PinnedHostKeys(knownHosts.toFile());
        } catch (IOException e) {
            throw new RemoteException.HostKeyRejected(endpoint, "refusing to connect to " + endpoint.address()
                    + ": cannot read the known_hosts file " + knownHosts + ": " + describe(e), e);
        }
        DefaultConfig config = new DefaultConfig();
        config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        SSHClient client = new SSHClient(config);
        client.addHostKeyVerifier(verifier);
        client.setConnectTimeout(millis(ssh.connectTimeout()));
        client.getTransport().setTimeoutMs(millis(handshakeTimeout));
        client.getConnection().setTimeoutMs(millis(handshakeTimeout));
        client.getConnection().getKeepAlive().setKeepAliveInterval(KEEPALIVE_SECONDS);
        if (client.getConnection().getKeepAlive() instanceof net.schmizz.keepalive.KeepAliveRunner k) {
            k.setMaxAliveCount(KEEPALIVE_MAX_MISSED);
        }
        // SSHJ does not bound reading the server's identification line: a watchdog closes the socket if the
        // whole handshake (TCP connect, identification, key exchange, authentication) takes too long.
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> guard = watchdog.schedule(() -> {
            expired.set(true);
            closeSocket(client);
        }, ssh.connectTimeout().plus(handshakeTimeout).toMillis(), TimeUnit.MILLISECONDS);
        PooledConnection c;
        try {
            c = handshake(client, verifier, endpoint, knownHosts, expired);
        } finally {
            guard.cancel(false);
        }
        if (expired.get()) {
            // the watchdog fired just as the handshake finished: its socket is closed
            closeQuietly(client);
            throw new RemoteException.ConnectFailed(endpoint, "SSH handshake with " + endpoint.key()
                    + " did not finish within " + human(ssh.connectTimeout().plus(handshakeTimeout)), null);
        }
        return c;
    }

    private PooledConnection handshake(SSHClient client, PinnedHostKeys verifier, Endpoint endpoint, Path knownHosts,
                                       AtomicBoolean expired) throws RemoteException {
        try {
            client.connect(endpoint.host(), endpoint.port());
        } catch (IOException e) {
            closeQuietly(client);
            if (expired.get()) {
                throw new RemoteException.ConnectFailed(endpoint, "no SSH handshake with " + endpoint.address()
                        + " (member " + endpoint.member() + ") within " + human(ssh.connectTimeout().plus(handshakeTimeout))
                        + ": the port answers but does not speak SSH, or the server hangs", e);
            }
            if (verifier.rejection() != null) {
                throw new RemoteException.HostKeyRejected(endpoint, "refused to connect to " + endpoint.address()
                        + " (member " + endpoint.member() + "): " + verifier.rejection() + ". Nothing was run", e);
            }
            throw new RemoteException.ConnectFailed(endpoint, "cannot connect to " + endpoint.address() + " (member "
                    + endpoint.member() + ") over SSH: " + describe(e) + " (connect timeout "
                    + human(ssh.connectTimeout()) + "). Check that sshd runs there and pgbackrest.members."
                    + endpoint.member() + " in the config", e);
        }
        try {
            KeyProvider keys = client.loadKeys(ssh.privateKey().toString());
            client.authPublickey(endpoint.user(), keys);
        } catch (UserAuthException e) {
            closeQuietly(client);
            if (expired.get()) {
                throw new RemoteException.ConnectFailed(endpoint, "SSH authentication on " + endpoint.key()
                        + " did not finish within " + human(ssh.connectTimeout().plus(handshakeTimeout)), e);
            }
            throw new RemoteException.AuthFailed(endpoint, endpoint.key() + " refused the private key "
                    + ssh.privateKey() + " (ssh.private-key): " + describe(e)
                    + ". Check the user's authorized_keys on the host", e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(client);
            if (e instanceof TransportException || expired.get()) {
                throw new RemoteException.ConnectFailed(endpoint, "SSH connection to " + endpoint.key()
                        + " failed during authentication: " + describe(e), e);
            }
            throw new RemoteException.AuthFailed(endpoint, "cannot use the private key " + ssh.privateKey()
                    + " (ssh.private-key) for " + endpoint.key() + ": " + describe(e), e);
        }
        if (expired.get() || !client.isAuthenticated()) {
            closeQuietly(client);
            throw new RemoteException.ConnectFailed(endpoint, "SSH connection to " + endpoint.key()
                    + " was closed during the handshake", null);
        }
        LOG.info("SSH connected to {} (host key verified against {})", endpoint.key(), knownHosts);
        return new PooledConnection(endpoint.key(), client);
    }

    private static void closeSocket(SSHClient client) {
        try {
            java.net.Socket s = client.getSocket();
            if (s != null) s.close();
        } catch (IOException | RuntimeException ignored) {
            // closing to unblock the handshake
        }
    }

    @Override
    public void close() {
        pool.invalidateAll();
        pool.cleanUp();
        readers.shutdownNow();
        watchdog.shutdownNow();
    }

    /** A cached connection with a count of commands using it; closed once retired and unused. */
    private static final class PooledConnection {
        private final String key;
        private final SSHClient client;
        private int leases;
        private int served;
        private boolean retired;
        private boolean disconnected;

        PooledConnection(String key, SSHClient client) {
            this.key = key;
            this.client = client;
        }

        boolean alive() {
            return client.isConnected() && client.isAuthenticated();
        }

        synchronized boolean lease() {
            if (retired || !alive()) return false;
            leases++;
            served++;
            return true;
        }

        /** True when this connection served an earlier command (so it may have died meanwhile). */
        synchronized boolean reused() {
            return served > 1;
        }

        synchronized void release() {
            leases--;
            if (retired && leases <= 0) disconnect();
        }

        synchronized void markBroken() {
            retired = true;
        }

        synchronized void retire() {
            retired = true;
            if (leases <= 0) disconnect();
        }

        private void disconnect() {
            if (disconnected) return;
            disconnected = true;
            LOG.debug("closing SSH connection {}", key);
            closeQuietly(client);
        }
    }

    /** Standard output went over its limit (see {@link #readAll}). */
    static final class OutputLimitExceeded extends IOException {
        OutputLimitExceeded(int limit) {
            super("standard output exceeds " + limit + " characters");
        }
    }

    private static final class ConnectFailure extends RuntimeException {
        private final RemoteException failure;

        ConnectFailure(RemoteException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static void closeQuietly(SSHClient c) {
        try {
            c.disconnect();
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        }
    }

    private static String subcommand(List<String> argv) {
        for (int i = 1; i < argv.size(); i++) {
            if (!argv.get(i).startsWith("-")) return argv.get(i);
        }
        return "";
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    private static String seconds(long t0) {
        return String.format("%.1f s", (System.nanoTime() - t0) / 1e9);
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 1) return d.toMillis() + " ms";
        if (s < 120) return s + " s";
        if (s < 7200) return (s / 60) + " min";
        return (s / 3600) + " h";
    }

    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof TransportException)) {
            t = t.getCause();
        }
        if (t instanceof ConnectException) return "connection refused";
        if (t instanceof SocketTimeoutException) return "connect timed out";
        if (t instanceof NoRouteToHostException) return "no route to host";
        if (t instanceof UnknownHostException) return "unknown host " + t.getMessage();
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
