package dev.pgchatops.core.it;

import dev.pgchatops.core.Handled;
import dev.pgchatops.core.Request;
import dev.pgchatops.core.reply.Severity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults of the real cluster with the bot serving meanwhile: the cluster's sshd down (every pgBackRest command says
 * it cannot connect, within the SSH connect timeout, while /cluster-list answers), and etcd stopped (Patroni answers
 * without its DCS; /cluster-list says so, while the SSH path keeps answering). The cluster is restored after each.
 */
class ClusterFaultsIT {
    private static LiveCluster lc;

    @BeforeAll
    static void cluster() {
        lc = LiveCluster.get();
    }

    @AfterAll
    static void close() {
        if (lc != null) lc.bot.close();
    }

    @AfterEach
    void restore() {
        LiveCluster.exec(List.of(lc.script.toString(), "up"), Map.of("PGCHATOPS_CLUSTER_DIR", lc.dir.toString()),
                Duration.ofMinutes(3));
        lc.awaitHealthy();
    }

    private static CompletableFuture<Handled> submit(String user, String line, LiveCluster.Capture out) {
        return lc.bot.submit(new Request(LiveCluster.user(user), "it", line), out);
    }

    @Test
    void sshdDownEveryBackupCommandSaysSoWithinTheConnectTimeoutWhileReadsAnswer() throws Exception {
        lc.awaitHealthy();
        long pid = Long.parseLong(Files.readString(lc.dir.resolve("run/sshd.pid")).trim());
        ProcessHandle sshd = ProcessHandle.of(pid).orElseThrow();
        lc.bot.close(); // drop cached SSH connections, so the next commands must connect to the (dead) sshd
        lc = LiveCluster.get();
        sshd.destroy();
        sshd.onExit().get(10, TimeUnit.SECONDS);
        Duration connect = lc.config.clusters().get(0).pgbackrest().orElseThrow().ssh().connectTimeout();
        for (String line : List.of("/backup-info", "/backup-check", "/backup incr")) {
            LiveCluster.Capture out = new LiveCluster.Capture();
            long t0 = System.nanoTime();
            CompletableFuture<Handled> f = submit("operator", line, out);
            LiveCluster.Capture read = new LiveCluster.Capture();
            submit("viewer", "/cluster-list", read).get(10, TimeUnit.SECONDS);
            assertThat(read.text()).as("a read while %s waits on the dead sshd", line).contains("Leader", "running");
            f.get(connect.toMillis() * 3 + 10_000, TimeUnit.MILLISECONDS);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("[fault] sshd down: %s answered in %d ms: %s%n", line, ms, out.text().replace('\n', ' '));
            assertThat(out.last().severity()).as(out.text()).isNotEqualTo(Severity.SUCCESS);
            assertThat(out.text()).as(line).containsIgnoringCase("connect").doesNotContain("Internal error");
            assertThat(ms).isLessThan(connect.toMillis() * 3 + 5_000);
        }
    }

    @Test
    void etcdStoppedClusterListSaysSoWhileTheSshPathAnswers() throws Exception {
        lc.awaitHealthy();
        LiveCluster.exec(List.of(lc.script.toString(), "stop-etcd"), Map.of("PGCHATOPS_CLUSTER_DIR", lc.dir.toString()),
                Duration.ofMinutes(1));
        LiveCluster.Capture list = new LiveCluster.Capture();
        long t0 = System.nanoTime();
        CompletableFuture<Handled> f = submit("viewer", "/cluster-list", list);
        LiveCluster.Capture info = new LiveCluster.Capture();
        submit("viewer", "/backup-info", info).get(60, TimeUnit.SECONDS);
        assertThat(info.text()).as("the SSH path while etcd is down").contains("Status:");
        f.get(30, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("[fault] etcd stopped: /cluster-list answered in %d ms: %s%n", ms, list.text().replace('\n', ' '));
        assertThat(list.text()).containsIgnoringCase("DCS").doesNotContain("Internal error");
    }
}
