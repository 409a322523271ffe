package dev.pgchatops.adapters.slack;

import com.google.gson.JsonObject;
import com.slack.api.app_backend.SlackSignature;
import dev.pgchatops.config.SlackConfig;
import dev.pgchatops.core.audit.AuditEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP mode: real Bolt behind the adapter's HTTP endpoint; every request's signature is checked. */
class SlackHttpModeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private SlackHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new SlackHarness(SlackConfig.Mode.HTTP, Duration.ofSeconds(30));
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    static String form(JsonObject p) {
        StringJoiner j = new StringJoiner("&");
        for (Map.Entry<String, com.google.gson.JsonElement> e : p.entrySet()) {
            j.add(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(e.getValue().getAsString(), StandardCharsets.UTF_8));
        }
        return j.toString();
    }

    private HttpResponse<String> post(String body, String ts, String sig) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.adapter.httpPort() + "/slack/events"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (ts != null) b.header("X-Slack-Request-Timestamp", ts);
        if (sig != null) b.header("X-Slack-Signature", sig);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String now() {
        return String.valueOf(System.currentTimeMillis() / 1000);
    }

    private static String sign(String ts, String body) {
        return new SlackSignature.Generator(SlackHarness.SIGNING_SECRET).generate(ts, body);
    }

    @Test
    void signedSlashCommandIsAnsweredAtOnceAndRuns() throws Exception {
        String body = form(h.slashCommand("/ping", "", "UALICE", "alice", "r1"));
        String ts = now();
        long t0 = System.nanoTime();
        HttpResponse<String> r = post(body, ts, sign(ts, body));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("HTTP mode: slash command answered " + r.statusCode() + " in " + ms + " ms");
        assertThat(r.statusCode()).isEqualTo(200);
        FakeSlack.Call post = h.slack.await("chat.postMessage", c -> true, WAIT);
        assertThat(post.param("text")).contains("pong");
    }

    @Test
    void acksNeverWaitForAnAuthTestCall() throws Exception {
        int atStart = h.slack.calls("auth.test").size();
        for (int i = 1; i <= 3; i++) {
            String body = form(h.slashCommand("/ping", "", "UALICE", "alice", "r" + i));
            String ts = now();
            assertThat(post(body, ts, sign(ts, body)).statusCode()).isEqualTo(200);
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (h.slack.calls("chat.postMessage").size() < 3 && System.nanoTime() < deadline) Thread.onSpinWait();
        assertThat(h.slack.calls("chat.postMessage")).as("all three answered").hasSize(3);
        // Bolt's own auth.test cache starts empty and expires: a request would then call Slack before its ack
        assertThat(h.slack.calls("auth.test")).as("auth.test calls after start").hasSize(atStart);
    }

    @Test
    void signedButtonClickConfirms() throws Exception {
        String body = form(h.slashCommand("/danger", "", "UALICE", "alice", "r1"));
        String ts = now();
        assertThat(post(body, ts, sign(ts, body)).statusCode()).isEqualTo(200);
        FakeSlack.Call prompt = h.slack.await("chat.postMessage", c -> true, WAIT);
        h.awaitIdle();
        String confirm = SlackHarness.buttons(prompt).get(0);
        String click = "payload=" + URLEncoder.encode(h.click(confirm, SlackSocketModeTest.FIRST_TS, "UALICE", "alice", "c1").toString(),
                StandardCharsets.UTF_8);
        assertThat(post(click, ts, sign(ts, click)).statusCode()).isEqualTo(200);
        h.slack.await("chat.update", c -> String.valueOf(c.param("text")).contains("dropped the test table"), WAIT);
        assertThat(h.dangerRuns.get()).isEqualTo(1);
    }

    @Test
    void forgedMissingAndStaleSignaturesGet401AndNothingRuns() throws Exception {
        String body = form(h.slashCommand("/danger", "", "UALICE", "alice", "r1"));
        String ts = now();
        String stale = String.valueOf(System.currentTimeMillis() / 1000 - 301);
        String future = String.valueOf(System.currentTimeMillis() / 1000 + 360); // well past the 5-minute skew, whatever the elapsed time
        assertThat(post(body, ts, "v0=" + "0".repeat(64)).statusCode()).as("forged").isEqualTo(401);
        assertThat(post(body, ts, new SlackSignature.Generator("another-secret").generate(ts, body)).statusCode())
                .as("signed with another secret").isEqualTo(401);
        assertThat(post(body, null, null).statusCode()).as("no headers").isEqualTo(401);
        assertThat(post(body, ts, null).statusCode()).as("no signature").isEqualTo(401);
        assertThat(post(body, null, sign(ts, body)).statusCode()).as("no timestamp").isEqualTo(401);
        assertThat(post(body, stale, sign(stale, body)).statusCode()).as("older than 5 minutes").isEqualTo(401);
        assertThat(post(body, future, sign(future, body)).statusCode()).as("more than 5 minutes ahead").isEqualTo(401);
        assertThat(post(body + "&x=1", ts, sign(ts, body)).statusCode()).as("body changed after signing").isEqualTo(401);

        assertThat(h.slack.calls().stream().filter(c -> c.method().startsWith("chat.") || c.method().startsWith("response_url"))).isEmpty();
        assertThat(h.audit).hasSize(8).allSatisfy(e -> {
            assertThat(e.outcome()).isEqualTo("refused");
            assertThat(e.user()).isEqualTo("slack:unverified");
            assertThat(e.command()).isEqualTo("danger");
            assertThat(e.detail()).contains("bad Slack signature").contains("claimed user UALICE").contains("nothing was run");
        });
        assertThat(h.audit.stream().map(AuditEvent::detail)).anySatisfy(d -> assertThat(d).contains("stale"))
                .anySatisfy(d -> assertThat(d).contains("missing X-Slack-Signature"))
                .anySatisfy(d -> assertThat(d).contains("wrong X-Slack-Signature"));
        assertThat(h.dangerRuns.get()).isZero();
    }

    @Test
    void otherPathsAndMethodsAreRefused() throws Exception {
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.adapter.httpPort() + "/slack/events"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.adapter.httpPort() + "/other"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(404);
    }
}
