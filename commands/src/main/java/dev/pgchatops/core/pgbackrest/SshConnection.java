package dev.pgchatops.core.pgbackrest;

import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One authenticated SSH connection in the {@link ConnectionPool}, with a count of the commands using it: once
 * retired (evicted, broken, pool closed) it is closed when the last of them ends, on the closer thread.
 */
final class SshConnection implements ConnectionPool.Pooled {
    private static final Logger LOG = LoggerFactory.getLogger(SshConnection.class);

    private final String key;
    private final SSHClient client;
    private int leases;
    private int served;
    private boolean retired;
    private boolean disconnected;
    private final Executor closer;

    SshConnection(String key, SSHClient client, Executor closer) {
        this.key = key;
        this.client = client;
        this.closer = closer;
    }

    boolean alive() {
        return client.isConnected() && client.isAuthenticated();
    }

    Session startSession() throws IOException {
        return client.startSession();
    }

    @Override
    public synchronized boolean lease() {
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

    @Override
    public synchronized void retire() {
        retired = true;
        if (leases <= 0) disconnect();
    }

    private void disconnect() {
        if (disconnected) return;
        disconnected = true;
        // network I/O: on the closer thread, never on a command's or the cache's thread
        try {
            closer.execute(() -> {
                LOG.debug("closing SSH connection {}", key);
                SshText.closeQuietly(client);
            });
        } catch (RejectedExecutionException e) {
            SshText.closeQuietly(client);   // shutting down
        }
    }
}
