package dev.pgchatops.core.pgbackrest;

import dev.pgchatops.core.run.DaemonThreads;
import dev.pgchatops.config.SshConfig;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Makes one authenticated SSH connection: the host key verified strictly against the configured known_hosts file
 * (re-read for every connection), authentication by the configured private key only. Every step is bounded: TCP
 * connect by {@code ssh.connect-timeout}; identification, key exchange and authentication by a further
 * max(2 × connect-timeout, 5 s) (a watchdog closes the socket, as SSHJ does not bound reading the server's
 * identification line); a peer that dies later is noticed by keep-alives (3 missed × 10 s).
 */
final class SshConnector implements ConnectionPool.Connector<SshConnection>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SshConnector.class);
    private static final int KEEPALIVE_SECONDS = 10;
    private static final int KEEPALIVE_MAX_MISSED = 3;

    private final SshConfig ssh;
    private final Duration handshakeTimeout;
    private final ScheduledExecutorService watchdog;
    private final Executor closer;

    /** {@code closer} is where the connections it makes are closed later. */
    SshConnector(SshConfig ssh, Executor closer) {
        this.ssh = ssh;
        this.closer = closer;
        Duration twice = ssh.connectTimeout().multipliedBy(2);
        this.handshakeTimeout = twice.compareTo(Duration.ofSeconds(5)) > 0 ? twice : Duration.ofSeconds(5);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("ssh-handshake-watchdog"));
    }

    @Override
    public SshConnection connect(Endpoint endpoint) throws RemoteException {
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
                    + ": cannot read the known_hosts file " + knownHosts + ": " + SshText.describe(e), e);
        }
        DefaultConfig config = new DefaultConfig();
        config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        SSHClient client = new SSHClient(config);
        client.addHostKeyVerifier(verifier);
        client.setConnectTimeout(SshText.millis(ssh.connectTimeout()));
        client.getTransport().setTimeoutMs(SshText.millis(handshakeTimeout));
        client.getConnection().setTimeoutMs(SshText.millis(handshakeTimeout));
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
        SshConnection c;
        try {
            c = handshake(client, verifier, endpoint, knownHosts, expired);
        } finally {
            guard.cancel(false);
        }
        if (expired.get()) {
            // the watchdog fired just as the handshake finished: its socket is closed
            SshText.closeQuietly(client);
            throw new RemoteException.ConnectFailed(endpoint, "SSH handshake with " + endpoint.key()
                    + " did not finish within " + SshText.human(ssh.connectTimeout().plus(handshakeTimeout)), null);
        }
        return c;
    }

    private SshConnection handshake(SSHClient client, PinnedHostKeys verifier, Endpoint endpoint, Path knownHosts,
                                       AtomicBoolean expired) throws RemoteException {
        try {
            client.connect(endpoint.host(), endpoint.port());
        } catch (IOException e) {
            SshText.closeQuietly(client);
            if (expired.get()) {
                throw new RemoteException.ConnectFailed(endpoint, "no SSH handshake with " + endpoint.address()
                        + " (member " + endpoint.member() + ") within " + SshText.human(ssh.connectTimeout().plus(handshakeTimeout))
                        + ": the port answers but does not speak SSH, or the server hangs", e);
            }
            if (verifier.rejection() != null) {
                throw new RemoteException.HostKeyRejected(endpoint, "refused to connect to " + endpoint.address()
                        + " (member " + endpoint.member() + "): " + verifier.rejection(), e);
            }
            throw new RemoteException.ConnectFailed(endpoint, "cannot connect to " + endpoint.address() + " (member "
                    + endpoint.member() + ") over SSH: " + SshText.describe(e) + " (connect timeout "
                    + SshText.human(ssh.connectTimeout()) + "). Check that sshd runs there and pgbackrest.members."
                    + endpoint.member() + " in the config", e);
        }
        try {
            KeyProvider keys = client.loadKeys(ssh.privateKey().toString());
            client.authPublickey(endpoint.user(), keys);
        } catch (UserAuthException e) {
            SshText.closeQuietly(client);
            if (expired.get()) {
                throw new RemoteException.ConnectFailed(endpoint, "SSH authentication on " + endpoint.key()
                        + " did not finish within " + SshText.human(ssh.connectTimeout().plus(handshakeTimeout)), e);
            }
            throw new RemoteException.AuthFailed(endpoint, endpoint.key() + " refused the private key "
                    + ssh.privateKey() + " (ssh.private-key): " + SshText.describe(e)
                    + ". Check the user's authorized_keys on the host", e);
        } catch (IOException | RuntimeException e) {
            SshText.closeQuietly(client);
            if (e instanceof TransportException || expired.get()) {
                throw new RemoteException.ConnectFailed(endpoint, "SSH connection to " + endpoint.key()
                        + " failed during authentication: " + SshText.describe(e), e);
            }
            throw new RemoteException.AuthFailed(endpoint, "cannot use the private key " + ssh.privateKey()
                    + " (ssh.private-key) for " + endpoint.key() + ": " + SshText.describe(e), e);
        }
        if (expired.get() || !client.isAuthenticated()) {
            SshText.closeQuietly(client);
            throw new RemoteException.ConnectFailed(endpoint, "SSH connection to " + endpoint.key()
                    + " was closed during the handshake", null);
        }
        LOG.info("SSH connected to {} (host key verified against {})", endpoint.key(), knownHosts);
        return new SshConnection(endpoint.key(), client, closer);
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
        watchdog.shutdownNow();
    }
}
