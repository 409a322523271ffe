package dev.pgchatops.core.pgbackrest;

import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * One authenticated SSH connection in the {@link ConnectionPool}, with a count of the commands using it: once
 * retired (evicted, broken, pool closed) it is closed when the last of them ends.
 */
final class SshConnection implements ConnectionPool.Pooled {
    private static final Logger LOG = LoggerFactory.getLogger(SshConnection.class);

    private final String key;
    private final SSHClient client;
    private int leases;
    private int served;
    private boolean retired;
    private boolean disconnected;

    SshConnection(String key, SSHClient client) {
        this.key = key;
        this.client = client;
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
        LOG.debug("closing SSH connection {}", key);
        SshText.closeQuietly(client);
    }
}
