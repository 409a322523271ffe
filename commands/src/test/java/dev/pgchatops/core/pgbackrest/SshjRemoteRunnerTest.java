package dev.pgchatops.core.pgbackrest;

import dev.pgchatops.config.SshConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SSH runner's failures that need no server (the rest is in PgBackRestIT against a real sshd). */
class SshjRemoteRunnerTest {
    @TempDir
    Path tmp;

    @Test
    void missingKnownHostsIsRefusedBeforeConnecting() throws Exception {
        SshConfig ssh = new SshConfig("postgres", tmp.resolve("id"), tmp.resolve("no_known_hosts"),
                Duration.ofSeconds(2), Duration.ofSeconds(5), 2);
        try (SshjRemoteRunner r = new SshjRemoteRunner(ssh)) {
            Endpoint ep = new Endpoint("node1", "postgres", "127.0.0.1", ItSupport.freePort());
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
            int port = ItSupport.freePort();
            Endpoint ep = new Endpoint("node1", "postgres", "127.0.0.1", port);
            long t0 = System.nanoTime();
            AtomicBoolean launched = new AtomicBoolean();
            assertThatThrownBy(() -> r.run(ep, List.of("true"), Duration.ofSeconds(5), () -> launched.set(true), l -> {
            })).isInstanceOf(RemoteException.ConnectFailed.class)
                    .satisfies(e -> assertThat(launched).as("never launched").isFalse())
                    .hasMessageContaining("cannot connect to 127.0.0.1:" + port + " (member node1) over SSH: connection refused")
                    .isNotInstanceOf(dev.pgchatops.core.OutcomeUnknown.class)
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

    @Test
    void stdoutOverTheLimitStopsTheCommandAndSaysSo() throws Exception {
        byte[] out = "0123456789\n0123456789\n0123456789\n".getBytes(StandardCharsets.UTF_8);
        AtomicBoolean stopped = new AtomicBoolean();
        List<String> seen = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> SshExec.readAll(new ByteArrayInputStream(out), seen::add, 25,
                () -> stopped.set(true))).isInstanceOf(SshExec.OutputLimitExceeded.class);
        assertThat(stopped).isTrue();
        assertThat(SshExec.readAll(new ByteArrayInputStream(out), l -> {
        }, 33, () -> {
            throw new AssertionError("within the limit");
        })).isEqualTo("0123456789\n0123456789\n0123456789\n");

        {
            Endpoint ep = new Endpoint("node1", "postgres", "10.0.0.11", 2222);
            CompletableFuture<String> f = CompletableFuture.failedFuture(
                    new SshExec.OutputLimitExceeded(SshExec.STDOUT_LIMIT));
            assertThatThrownBy(() -> SshExec.value(f, ep, List.of("pgbackrest", "--stanza=demo", "info"), System.nanoTime()))
                    .isInstanceOf(RemoteException.OutputTooLarge.class)
                    .hasMessageStartingWith("'pgbackrest info' on node1 (postgres@10.0.0.11:2222) printed more than "
                            + SshExec.STDOUT_LIMIT + " characters (32 MiB) of standard output; the output was cut off")
                    .hasMessageNotContaining("connection")
                    .isInstanceOf(dev.pgchatops.core.OutcomeUnknown.class)
                    .satisfies(e -> assertThat(((RemoteException) e).notStarted()).isFalse());
        }
    }
}
