package dev.pgchatops.core.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgchatops.config.BotConfig;
import dev.pgchatops.config.ConfigLoader;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.Bots;
import dev.pgchatops.core.Identity;
import dev.pgchatops.core.Request;
import dev.pgchatops.core.cmd.Follow;
import dev.pgchatops.core.confirm.Pending;
import dev.pgchatops.core.confirm.PendingView;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The Patroni commands against the real local cluster (started by scripts/test). */
class PatroniCommandsIT {
    static LiveCluster live;

    @BeforeAll
    static void cluster() {
        live = LiveCluster.get();
    }

    @BeforeEach
    void healthy() {
        live.awaitHealthy();
    }

    @Test
    void clusterListMatchesGetCluster() throws Exception {
        // Lag moves while WAL is written: compare against a GET /cluster taken just before and just after the bot's
        // own read, and only when both agree (so the bot must have seen that same state).
        URI url = live.config.clusters().get(0).patroni().urls().get(0);
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        JsonNode[] members = new JsonNode[1];
        Reply[] reply = new Reply[1];
        LiveCluster.await(Duration.ofSeconds(60), "a steady cluster state around /cluster-list", () -> {
            try {
                JsonNode before = json.readTree(http.send(HttpRequest.newBuilder(url.resolve("/cluster"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body()).get("members");
                Reply r = live.run("viewer", "/cluster-list").last();
                JsonNode after = json.readTree(http.send(HttpRequest.newBuilder(url.resolve("/cluster"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body()).get("members");
                members[0] = before;
                reply[0] = r;
                return before.equals(after);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        JsonNode ms = members[0];
        Block.Table table = (Block.Table) reply[0].blocks().stream().filter(b -> b instanceof Block.Table).findFirst().orElseThrow();
        assertThat(reply[0].title()).isEqualTo("Cluster: " + live.clusterName());
        assertThat(table.headers()).startsWith("Member", "Host", "Role", "State", "TL", "Lag in MB");
        assertThat(table.rows()).hasSize(ms.size());
        for (int i = 0; i < ms.size(); i++) {
            JsonNode m = ms.get(i);
            List<String> row = table.rows().get(i);
            assertThat(row.get(0)).isEqualTo(m.get("name").asText());
            assertThat(row.get(1)).isEqualTo(m.get("host").asText() + ":" + m.get("port").asInt());
            assertThat(row.get(2)).isEqualTo(m.get("role").asText().equals("leader") ? "Leader" : "Replica");
            assertThat(row.get(3)).isEqualTo(m.get("state").asText());
            assertThat(row.get(4)).isEqualTo(m.get("timeline").asText());
            if (m.has("lag")) assertThat(row.get(5)).isEqualTo(String.valueOf(Math.round(m.get("lag").asLong() / 1048576.0)));
            else assertThat(row.get(5)).isEmpty();
        }
    }

    @Test
    void switchoverMovesTheLeaderAndBackAndRechecksTheLeaderWhenConfirmed() {
        String original = live.leader().name();
        String target = live.replicas().get(0).name();
        String other = live.replicas().get(1).name();

        // A confirmation opened now must refuse to run once the leader has changed under it.
        LiveCluster.Capture asked = new LiveCluster.Capture();
        Optional<PendingView> stale = live.bot.handle(new Request(LiveCluster.user("operator"), "it",
                "/switchover --candidate " + other), asked);
        assertThat(stale).isPresent();
        assertThat(asked.text()).contains("leader " + original + " → " + other + " on " + live.clusterName() + ", timeline");

        LiveCluster.Capture moved = live.runConfirmed("operator", "/switchover --candidate " + target);
        assertThat(moved.last().severity()).as(moved.text()).isEqualTo(Severity.SUCCESS);
        assertThat(moved.text()).contains(original + " → " + target);
        assertThat(live.leader().name()).isEqualTo(target);
        assertThat(moved.progress).isNotEmpty();

        LiveCluster.Capture refused = new LiveCluster.Capture();
        live.bot.confirm(stale.get().token(), LiveCluster.user("operator"), "it", refused);
        assertThat(refused.text()).contains("changed meanwhile").contains("nothing was done");
        assertThat(live.leader().name()).isEqualTo(target);

        live.awaitHealthy();
        LiveCluster.Capture back = live.runConfirmed("operator", "/switchover --candidate " + original);
        assertThat(back.last().severity()).as(back.text()).isEqualTo(Severity.SUCCESS);
        assertThat(live.leader().name()).isEqualTo(original);
    }

    @Test
    void aScheduledSwitchoverIsShownAndFlushed() {
        String leader = live.leader().name();
        String at = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusHours(2).withNano(0).toString();
        LiveCluster.Capture scheduled = live.runConfirmed("operator", "/switchover --at " + at);
        assertThat(scheduled.text()).contains("scheduled at");
        assertThat(live.state().scheduledSwitchover()).isPresent();
        assertThat(live.run("viewer", "/cluster-list").text()).contains("Switchover scheduled at:");

        LiveCluster.Capture flushed = live.run("operator", "/flush-scheduled");
        assertThat(flushed.text()).contains("switchover at");
        assertThat(live.state().scheduledSwitchover()).isEmpty();
        assertThat(live.leader().name()).isEqualTo(leader);
        assertThat(live.run("operator", "/flush-scheduled").text()).contains("Nothing is scheduled");
    }

    @Test
    void reinitOfAReplicaReturnsItToStreaming() {
        Member replica = live.replicas().get(0);
        LiveCluster.Capture done = live.runConfirmed("operator", "/reinit " + replica.name() + " --force");
        // SUCCESS when pgbackrest built it; WARNING when Patroni fell back to basebackup (no backup in the stanza yet)
        assertThat(done.last().severity()).as(done.text()).isIn(Severity.SUCCESS, Severity.WARNING);
        assertThat(done.text()).containsPattern("Built with pgbackrest|built with basebackup, not pgbackrest");
        assertThat(done.text()).contains(replica.name())
                .containsPattern("(running|streaming) again on timeline " + live.leader().timeline().getAsLong());
        assertThat(done.progress).anyMatch(l -> l.contains("reinitialize started") || l.contains("creating replica"));
        Member after = live.state().member(replica.name()).orElseThrow();
        assertThat(after.isRunning()).isTrue();
        assertThat(after.timeline()).isEqualTo(live.leader().timeline());
    }

    @Test
    void reinitRefusesTheLeaderAndUnknownMembers() {
        String leader = live.leader().name();
        assertThat(live.run("operator", "/reinit " + leader).text()).contains(leader + " is the leader").contains("/switchover");
        assertThat(live.run("operator", "/reinit node9").text())
                .contains("no member 'node9' in " + live.clusterName() + "; members: node1, node2, node3");
    }

    @Test
    void pauseAndResume() {
        LiveCluster.Capture paused = live.runConfirmed("admin", "/pause");
        assertThat(paused.text()).contains("paused");
        assertThat(live.state().paused()).isTrue();
        assertThat(live.run("viewer", "/cluster-list").text()).contains("Maintenance mode: on");

        LiveCluster.Capture resumed = live.run("admin", "/resume");
        assertThat(resumed.text()).contains("resumed");
        assertThat(live.state().paused()).isFalse();
    }

    @Test
    void restartOfAReplica() throws Exception {
        Member replica = live.replicas().get(0);
        Path pid = live.dir.resolve(replica.name()).resolve("data").resolve("postmaster.pid");
        String before = Files.readAllLines(pid).get(0);
        LiveCluster.Capture done = live.runConfirmed("operator", "/restart " + replica.name());
        assertThat(done.last().severity()).as(done.text()).isEqualTo(Severity.SUCCESS);
        assertThat(done.text()).contains(replica.name());
        String after = Files.readAllLines(pid).get(0);
        assertThat(after).as("postmaster pid changes on a real restart").isNotEqualTo(before);
    }

    @Test
    void aViewerIsRefusedAndNothingChanges() {
        String leader = live.leader().name();
        LiveCluster.Capture c = new LiveCluster.Capture();
        Optional<PendingView> p = live.bot.handle(new Request(LiveCluster.user("viewer"), "it", "/switchover"), c);
        assertThat(p).isEmpty();
        assertThat(c.text()).contains("/switchover needs the operator role").contains("console:viewer has viewer");
        assertThat(live.run("somebody-unknown", "/restart all").text()).contains("needs the operator role");
        assertThat(live.leader().name()).isEqualTo(leader);
    }

    @Test
    void aStoppedDcsIsReportedAsSuchAndFast() {
        // Patroni 3.0.2 with etcd stopped: GET /patroni answers at once, GET /cluster only fails after retry_timeout
        // (4 s here), on every member. Before: "cannot reach Patroni" after trying all three URLs one by one.
        live.script("stop-etcd");
        try {
            long t0 = System.nanoTime();
            LiveCluster.Capture list = live.run("viewer", "/cluster-list");
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(list.last().severity()).isEqualTo(Severity.ERROR);
            assertThat(list.text()).contains("Patroni of cluster " + live.clusterName() + " answers but cannot read its DCS")
                    .contains("cluster state unknown; automatic failover is off until the DCS is back (failsafe mode: off")
                    .contains("Members' own view (GET /patroni): node")
                    .doesNotContain("cannot reach Patroni");
            assertThat(took).as("one retry_timeout, not one per URL").isLessThan(Duration.ofSeconds(8));

            long t1 = System.nanoTime();
            LiveCluster.Capture sw = live.run("operator", "/switchover");
            assertThat(sw.text()).contains("answers but cannot read its DCS");
            assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofSeconds(8));
        } finally {
            live.script("start-etcd");
        }
        live.awaitHealthy();
    }

    @Test
    void aWrongPasswordGivesAClearMessage() throws Exception {
        String yaml = Files.readString(Path.of(System.getenv("PGCHATOPS_IT_CONFIG")))
                .replaceAll("password-file: .*", "password-env: WRONG_PASSWORD");
        BotConfig cfg = ConfigLoader.parse(yaml, k -> k.equals("WRONG_PASSWORD") ? "not-the-password" : null);
        List<Object> audit = new ArrayList<>();
        Bot bot = Bots.create(cfg, audit::add, Clock.systemUTC(), Follow.Limits.DEFAULT);
        Member replica = live.replicas().get(0);
        LiveCluster.Capture ask = new LiveCluster.Capture();
        PendingView p = bot.handle(new Request(Identity.of("console", "operator"), "it", "/restart " + replica.name()), ask).orElseThrow();
        LiveCluster.Capture done = new LiveCluster.Capture();
        bot.confirm(p.token(), Identity.of("console", "operator"), "it", done);
        assertThat(done.last().severity()).isEqualTo(Severity.ERROR);
        assertThat(done.text()).contains("refused the credentials").contains("HTTP 401").doesNotContain("not-the-password");
    }

    @Test
    void unreachableUrlsGiveAClearMessageWithinTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int closedPort = closed.getLocalPort();
            closed.close();
            String yaml = Files.readString(Path.of(System.getenv("PGCHATOPS_IT_CONFIG")))
                    .replaceAll("urls: \\[.*]", "urls: [http://127.0.0.1:" + closedPort + ", http://127.0.0.1:"
                            + silent.getLocalPort() + "]")
                    .replaceAll("request-timeout: .*", "request-timeout: 1500ms")
                    .replaceAll("connect-timeout: .*", "connect-timeout: 1s");
            BotConfig cfg = ConfigLoader.parse(yaml, System::getenv);
            Bot bot = Bots.create(cfg, e -> { }, Clock.systemUTC(), Follow.Limits.DEFAULT);
            LiveCluster.Capture c = new LiveCluster.Capture();
            long t0 = System.nanoTime();
            bot.handle(new Request(Identity.of("console", "viewer"), "it", "/cluster-list"), c);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(c.last().severity()).isEqualTo(Severity.ERROR);
            assertThat(c.text()).contains("cannot reach Patroni of cluster " + live.clusterName())
                    .contains("127.0.0.1:" + closedPort + " (connection refused)")
                    .contains("127.0.0.1:" + silent.getLocalPort() + " (no answer within the request timeout)");
            // two URLs: at most connect + request timeout each, plus slack
            assertThat(took).isLessThan(Duration.ofSeconds(2 * (1 + 2) + 3));
        }
    }
}
