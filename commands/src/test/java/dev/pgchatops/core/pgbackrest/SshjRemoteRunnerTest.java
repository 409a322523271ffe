package dev.pgchatops.core.pgbackrest;

import dev.pgchatops.config.SshConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SSH runner's failures that need no server (the rest is in PgBackRestIT against a real sshd). */
class SshjRemoteRunnerTest {
    @TempDir
    Path tmp;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void missingKnownHostsIsRefusedBeforeConnecting() throws Exception {
        SshConfig ssh = new SshConfig("postgres", tmp.resolve("id"), tmp.resolve("no_known_hosts"),
                Duration.ofSeconds(2), Duration.ofSeconds(5), 2);
        try (SshjRemoteRunner r = new SshjRemoteRunner(ssh)) {
            Endpoint ep = new Endpoint("node1", "postgres", "127.0.0.1", freePort());
            assertThatThrownBy(() -> r.run(ep, List.of("true"), Duration.ofSeconds(5), l -> {
            })).isInstanceOf(RemoteException.HostKeyRejected.class)
                    .hasMessageContaining("known_hosts file " + tmp.resolve("no_known_hosts"))
                    .hasMessageContaining("127.0.0.1:" + ep.port());
        }
    }

    @Test
    void closedPortFailsFastAndClearly() throws Exception {
        Path kh = Files.writeString(tmp.resolve("known_hosts"), "");
        SshConfig ssh = new SshConfig("postgres", tmp.resolve("id"), kh, Duration.ofSeconds(2), Duration.ofSeconds(5), 2);
        try (SshjRemoteRunner r = new SshjRemoteRunner(ssh)) {
            int port = freePort();
            Endpoint ep = new Endpoint("node1", "postgres", "127.0.0.1", port);
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> r.run(ep, List.of("true"), Duration.ofSeconds(5), l -> {
            })).isInstanceOf(RemoteException.ConnectFailed.class)
                    .hasMessageContaining("cannot connect to 127.0.0.1:" + port + " (member node1) over SSH: connection refused")
                    .satisfies(e -> assertThat(((RemoteException) e).notStarted()).isTrue());
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
            assertThat(r.cachedConnections()).isZero();
        }
    }

    @Test
    void aServerThatNeverSpeaksSshIsBoundedByTheHandshakeTimeout() throws Exception {
        Path kh = Files.writeString(tmp.resolve("known_hosts"), "");
        SshConfig ssh = new SshConfig("postgres", tmp.resolve("id"), kh, Duration.ofSeconds(1), Duration.ofSeconds(5), 2);
        try (ServerSocket silent = new ServerSocket(0); SshjRemoteRunner r = new SshjRemoteRunner(ssh)) {
            Endpoint ep = new Endpoint("node1", "postgres", "127.0.0.1", silent.getLocalPort());
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> r.run(ep, List.of("true"), Duration.ofSeconds(5), l -> {
            })).isInstanceOf(RemoteException.ConnectFailed.class).hasMessageContaining("127.0.0.1:" + ep.port())
                    .hasMessageContaining("does not speak SSH");
            // bound: connect timeout + max(2 × connect timeout, 5 s) = 6 s
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(9));
        }
    }
}
