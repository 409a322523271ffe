package dev.pgchatops.adapters.slack;

import com.slack.api.app_backend.SlackSignature;
import dev.pgchatops.config.AccessConfig;
import dev.pgchatops.config.BotConfig;
import dev.pgchatops.config.ConfigLoader;
import dev.pgchatops.config.Role;
import dev.pgchatops.config.SlackConfig;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.Bots;
import dev.pgchatops.core.audit.AuditEvent;
import dev.pgchatops.core.cmd.Follow;
import dev.pgchatops.core.patroni.PatroniClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Slack adapter (real Bolt, fake Slack) driving the real local cluster from scripts/local-cluster:
 * PGCHATOPS_IT_CONFIG names its bot config. Skipped locally without it; fails under CI.
 */
class SlackClusterIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final List<AuditEvent> audit = Collections.synchronizedList(new ArrayList<>());
    private SlackHarness h;

    private SlackHarness harness(SlackConfig.Mode mode) throws Exception {
        String cfg = System.getenv("PGCHATOPS_IT_CONFIG");
        if (cfg == null || cfg.isBlank()) {
            if ("true".equals(System.getenv("CI"))) fail("PGCHATOPS_IT_CONFIG is not set: run the suite through scripts/test");
            assumeTrue(false, "no live cluster (PGCHATOPS_IT_CONFIG unset)");
        }
        BotConfig loaded = ConfigLoader.load(Path.of(cfg));
        AccessConfig access = new AccessConfig(Role.VIEWER, Map.of("slack:UALICE", Role.OPERATOR),
                Map.of("S0ADMINS", Role.ADMIN), Map.of());
        BotConfig config = new BotConfig(loaded.clusters(), access, loaded.audit(), loaded.confirm(), loaded.executor(),
                loaded.slack(), loaded.discord());
        Bot bot = Bots.create(config, audit::add, Clock.systemUTC(), Follow.Limits.DEFAULT);
        h = new SlackHarness(mode, Duration.ofSeconds(30), bot, access);
        return h;
    }

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            resumeIfPaused();
            h.close();
        }
    }

    private PatroniClient patroni() {
        return h.bot.clusters().values().iterator().next().patroni();
    }

    private void resumeIfPaused() {
        try {
            if (patroni().cluster().paused()) {
                h.socket.send("slash_commands", h.slashCommand("/resume", "", "UCAROL", "carol", "cleanup"));
                h.slack.await("chat.postMessage", c -> String.valueOf(c.param("text")).toLowerCase().contains("resum"), WAIT);
            }
        } catch (Exception | AssertionError e) {
            System.err.println("could not resume the cluster: " + e);
        }
    }

    private HttpResponse<String> post(String body, String ts, String sig) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.adapter.httpPort() + "/slack/events"))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (ts != null) b.header("X-Slack-Request-Timestamp", ts);
        if (sig != null) b.header("X-Slack-Signature", sig);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void httpModeSignedClusterListShowsTheMembersAndBadSignaturesRunNothing() throws Exception {
        harness(SlackConfig.Mode.HTTP);
        String body = SlackHttpModeTest.form(h.slashCommand("/cluster-list", "", "UBOB", "bob", "r1"));
        String now = String.valueOf(System.currentTimeMillis() / 1000);
        String stale = String.valueOf(System.currentTimeMillis() / 1000 - 600);
        SlackSignature.Generator g = new SlackSignature.Generator(SlackHarness.SIGNING_SECRET);
        assertThat(post(body, now, "v0=" + "f".repeat(64)).statusCode()).isEqualTo(401);
        assertThat(post(body, null, null).statusCode()).isEqualTo(401);
        assertThat(post(body, stale, g.generate(stale, body)).statusCode()).isEqualTo(401);
        assertThat(h.slack.calls("chat.postMessage")).isEmpty();
        assertThat(audit).hasSize(3).allSatisfy(e -> {
            assertThat(e.outcome()).isEqualTo("refused");
            assertThat(e.command()).isEqualTo("cluster-list");
        });

        long t0 = System.nanoTime();
        HttpResponse<String> ok = post(body, now, g.generate(now, body));
        System.out.println("HTTP mode on the live cluster: answered " + ok.statusCode() + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertThat(ok.statusCode()).isEqualTo(200);
        FakeSlack.Call table = h.slack.await("chat.postMessage", c -> String.valueOf(c.param("text")).contains("node3"), WAIT);
        assertThat(table.param("text")).contains("node1").contains("node2").contains("Leader");
        assertThat(table.blockText()).contains("```");
        assertThat(audit).hasSize(4);
        assertThat(audit.get(3).outcome()).isEqualTo("ok");
    }

    @Test
    void socketModeClusterListThenPauseConfirmedOnce() throws Exception {
        harness(SlackConfig.Mode.SOCKET);
        String env = h.socket.send("slash_commands", h.slashCommand("/cluster-list", "", "UBOB", "bob", "r1"));
        FakeSocketMode.Ack ack = h.socket.awaitAck(env, Duration.ofSeconds(3));
        System.out.println("Socket Mode on the live cluster: ack after " + ack.after().toMillis() + " ms");
        FakeSlack.Call table = h.slack.await("chat.postMessage", c -> String.valueOf(c.param("text")).contains("node3"), WAIT);
        assertThat(table.param("text")).contains("node1").contains("node2");

        // carol is an admin through the user group S0ADMINS
        h.socket.awaitAck(h.socket.send("slash_commands", h.slashCommand("/pause", "", "UCAROL", "carol", "r2")), Duration.ofSeconds(3));
        FakeSlack.Call prompt = h.slack.await("chat.postMessage", c -> String.valueOf(c.param("text")).contains("Confirm /pause"), WAIT);
        h.awaitIdle();
        String confirm = SlackHarness.buttons(prompt).get(0);
        String promptTs = tsOf(prompt);
        String c1 = h.socket.send("interactive", h.click(confirm, promptTs, "UCAROL", "carol", "c1"));
        String c2 = h.socket.send("interactive", h.click(confirm, promptTs, "UCAROL", "carol", "c2"));
        h.socket.awaitAck(c1, Duration.ofSeconds(3));
        h.socket.awaitAck(c2, Duration.ofSeconds(3));
        FakeSlack.Call done = h.slack.await("chat.update", c -> promptTs.equals(c.param("ts"))
                && String.valueOf(c.param("text")).contains("confirmed by @carol —"), WAIT);
        assertThat(done.blockText()).doesNotContain("\"type\":\"actions\"");
        h.awaitIdle();
        assertThat(patroni().cluster().paused()).isTrue();
        assertThat(audit.stream().filter(e -> e.outcome().equals("confirmed"))).hasSize(1);
        assertThat(audit.stream().filter(e -> e.outcome().equals("duplicate"))).hasSize(1);
    }

    @Test
    void a429DuringABackupsProgressIsRetriedAndTheResultIsPosted() throws Exception {
        harness(SlackConfig.Mode.SOCKET);
        h.socket.awaitAck(h.socket.send("slash_commands", h.slashCommand("/backup", "full", "UALICE", "alice", "r1")), Duration.ofSeconds(3));
        FakeSlack.Call first = h.slack.await("chat.postMessage", c -> true, WAIT);
        String ts = tsOf(first);
        h.slack.failNext("chat.update", 1, 429, "1");
        FakeSlack.Call result = h.slack.await("chat.update", c -> ts.equals(c.param("ts"))
                && String.valueOf(c.param("text")).toLowerCase().contains("label"), Duration.ofMinutes(3));
        System.out.println("backup result: " + result.param("text"));
        List<FakeSlack.Call> updates = h.slack.calls("chat.update");
        assertThat(updates.size()).as("the 429'd edit and its retry").isGreaterThanOrEqualTo(2);
        long gapMs = (updates.get(1).nanos() - updates.get(0).nanos()) / 1_000_000;
        System.out.println("backup: chat.update retried " + gapMs + " ms after the 429");
        assertThat(gapMs).isGreaterThanOrEqualTo(990);
        assertThat(h.slack.calls("chat.postMessage")).hasSize(1);
    }

    /** The fake numbers messages in order: the n-th chat.postMessage got ts 1700000000.00000n. */
    private String tsOf(FakeSlack.Call post) {
        int n = h.slack.calls().stream().filter(c -> c.method().equals("chat.postMessage") || c.method().equals("chat.postEphemeral"))
                .toList().indexOf(post) + 1;
        return "1700000000." + String.format("%06d", n);
    }
}
