package dev.pgchatops.core.pgbackrest;

import dev.pgchatops.config.SshConfig;
import net.schmizz.sshj.connection.channel.direct.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * {@link RemoteRunner} over SSH with SSHJ: a connection from the {@link ConnectionPool} (made by the
 * {@link SshConnector}: strict host keys, key authentication, bounded handshake), a session on it, the command run by
 * {@link SshExec}. A cached connection that died quietly is replaced once, before anything was sent.
 */
public final class SshjRemoteRunner implements RemoteRunner, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SshjRemoteRunner.class);
    private static final Duration IDLE_CLOSE = Duration.ofMinutes(10);

    private final SshConnector connector;
    private final ConnectionPool<SshConnection> pool;
    private final SshExec exec;
    private final ExecutorService closer = ConnectionPool.newCloser();

    public SshjRemoteRunner(SshConfig ssh) {
        this.connector = new SshConnector(ssh, closer);
        this.pool = new ConnectionPool<>(ssh.maxConnections(), IDLE_CLOSE, connector, closer);
        this.exec = new SshExec();
    }

    /** Connections currently cached (for tests and diagnostics). */
    public long cachedConnections() {
        return pool.size();
    }

    @Override
    public Result run(Endpoint endpoint, List<String> argv, Duration timeout, Runnable onLaunched,
                      Consumer<String> lineSink) throws RemoteException {
        for (int attempt = 0; ; attempt++) {
            SshConnection conn = pool.lease(endpoint);
            Session session;
            try {
                session = conn.startSession();
            } catch (IOException e) {
                // nothing was sent yet: a cached connection that died quietly is replaced once
                dropBroken(endpoint, conn);
                conn.release();
                if (attempt == 0 && conn.reused()) {
                    LOG.info("cached SSH connection {} is dead ({}); reconnecting", endpoint.key(), SshText.describe(e));
                    continue;
                }
                throw new RemoteException.ConnectFailed(endpoint, "could not open an SSH session on " + endpoint
                        + ": " + SshText.describe(e), e);
            }
            try {
                return exec.exec(endpoint, conn, session, argv, timeout, onLaunched, lineSink, () -> dropBroken(endpoint, conn));
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

    private void dropBroken(Endpoint endpoint, SshConnection conn) {
        conn.markBroken();
        pool.drop(endpoint, conn);
    }

    @Override
    public void close() {
        pool.close();
        exec.close();
        connector.close();
        closer.shutdown();   // the queued closes still run
    }
}
