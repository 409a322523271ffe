package dev.pgchatops.adapters.slack;

import com.slack.api.app_backend.SlackSignature;
import dev.pgchatops.config.SlackConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slack answering 429/5xx for a while (issue 19, "chat platform answering 429/5xx for a minute"): the minute is
 * shortened to {@link #OUTAGE} of real time by the adapter's own {@link SlackWeb.Policy} (backoff 50 ms, capped at
 * 200 ms, outage allowance {@link #ALLOWANCE}), against {@link FakeSlack} answering every Web API call and
 * response_url post with the error meanwhile. Real Bolt in HTTP mode, real bot.
 */
class SlackOutageTest {
    static final Duration OUTAGE = Duration.ofMillis(1500);
    static final Duration ALLOWANCE = Duration.ofSeconds(6);
    private static final Duration WAIT = Duration.ofSeconds(15);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private SlackHarness h;

    private void start(Duration allowance) throws Exception {
        h = new SlackHarness(SlackConfig.Mode.HTTP, Duration.ofSeconds(30), new SlackWeb.Policy(4, Duration.ofSeconds(5),
                Duration.ofMillis(50), Duration.ZERO, allowance, Duration.ofMillis(200)));
    }

    @AfterEach
    void close() throws Exception {
        if (h != null) h.close();
    }

    private int slash(String command, String user, String name, String responseId) throws Exception {
        String body = SlackHttpModeTest.form(h.slashCommand(command, "", user, name, responseId));
        String ts = String.valueOf(System.currentTimeMillis() / 1000);
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.adapter.httpPort() + "/slack/events"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", ts)
                .header("X-Slack-Signature", new SlackSignature.Generator(SlackHarness.SIGNING_SECRET).generate(ts, body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long t0 = System.nanoTime();
        int code = http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
        System.out.println("outage: " + command + " acked " + code + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms"
                + (h.slack.inOutage() ? " during the outage" : ""));
        return code;
    }

    /** The calls of {@code method} Slack accepted (made after the outage) whose text contains {@code text}. */
    private List<FakeSlack.Call> delivered(String method, String text, long outageEnd) {
        return h.slack.calls(method).stream().filter(c -> c.nanos() - outageEnd > 0)
                .filter(c -> String.valueOf(c.param("text")).contains(text)).toList();
    }

    private void outageDuringCommands(int status, String retryAfter) throws Exception {
        start(ALLOWANCE);
        long end = System.nanoTime() + OUTAGE.toNanos();
        h.slack.outage(OUTAGE, status, retryAfter);
        long t0 = System.nanoTime();
        assertThat(slash("/ping", "UALICE", "alice", "r1")).isEqualTo(200);
        // other requests keep being acked during the outage, a private reply (response_url) among them
        assertThat(slash("/secret", "UBOB", "bob", "r2")).isEqualTo(200);
        assertThat(slash("/ping", "UBOB", "bob", "r3")).isEqualTo(200);
        assertThat(h.slack.inOutage()).as("all three were acked while Slack still failed").isTrue();
        h.slack.await("chat.postMessage", c -> c.nanos() - end > 0 && String.valueOf(c.param("text")).contains("pong"), WAIT);
        h.awaitIdle();
        System.out.println("outage: " + status + " for " + OUTAGE.toMillis() + " ms; everything answered "
                + (System.nanoTime() - t0) / 1_000_000 + " ms after the first command, "
                + h.slack.calls("chat.postMessage").size() + " chat.postMessage tries in all");
        assertThat(h.slack.calls().stream().filter(c -> c.nanos() - end < 0 && !c.method().equals("auth.test")))
                .as("Slack was called (and failed) meanwhile").isNotEmpty();
        assertThat(delivered("chat.postMessage", "pong", end)).as("each /ping reply arrives once after recovery").hasSize(2);
        assertThat(h.slack.calls().stream().filter(c -> c.method().equals("response_url:r2") && c.nanos() - end > 0))
                .as("the private reply arrives once after recovery").hasSize(1);
        // and a command after the outage answers at once
        assertThat(slash("/ping", "UALICE", "alice", "r4")).isEqualTo(200);
        h.awaitIdle();
        assertThat(delivered("chat.postMessage", "pong", end)).hasSize(3);
    }

    @Test
    void repliesOfCommandsSurviveAnOutageOf5xx() throws Exception {
        outageDuringCommands(503, null);
    }

    @Test
    void repliesOfCommandsSurviveAnOutageOf429() throws Exception {
        outageDuringCommands(429, "1");
    }

    @Test
    void withoutTheAllowanceTheReplyWasLost() throws Exception {
        // what the adapter did before: 4 tries (50 + 100 + 200 ms of backoff), then the reply was dropped
        start(Duration.ZERO);
        long end = System.nanoTime() + OUTAGE.toNanos();
        h.slack.outage(OUTAGE, 503, null);
        assertThat(slash("/ping", "UALICE", "alice", "r1")).isEqualTo(200);
        h.awaitIdle();
        assertThat(h.slack.inOutage()).isTrue();
        assertThat(h.slack.calls("chat.postMessage")).hasSize(4);
        while (h.slack.inOutage()) Thread.onSpinWait();
        assertThat(delivered("chat.postMessage", "pong", end)).isEmpty();
    }

    @Test
    void anOutageLongerThanTheAllowanceEndsTheRetriesAndTheBotStillAnswersAfterwards() throws Exception {
        start(Duration.ofMillis(800));
        long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        h.slack.outage(Duration.ofSeconds(3), 500, null);
        long t0 = System.nanoTime();
        assertThat(slash("/ping", "UALICE", "alice", "r1")).isEqualTo(200);
        h.awaitIdle();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("outage beyond the allowance: the reply was given up after " + ms + " ms");
        assertThat(h.slack.inOutage()).as("given up within its allowance, not hanging until Slack recovers").isTrue();
        while (h.slack.inOutage()) Thread.onSpinWait();
        assertThat(slash("/ping", "UBOB", "bob", "r2")).isEqualTo(200);
        h.slack.await("chat.postMessage", c -> c.nanos() - end > 0 && String.valueOf(c.param("text")).contains("pong"), WAIT);
        h.awaitIdle();
        assertThat(delivered("chat.postMessage", "pong", end)).hasSize(1);
    }
}
