package dev.pgchatops.adapters.slack;

import dev.pgchatops.config.SlackConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The real Bolt Socket Mode client against a local Socket Mode server and a local Web API. */
class SlackSocketModeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private SlackHarness h;

    @AfterEach
    void close() throws Exception {
        if (h != null) h.close();
    }

    private SlackHarness harness(Duration workingAfter) throws Exception {
        h = new SlackHarness(SlackConfig.Mode.SOCKET, workingAfter);
        return h;
    }

    @Test
    void slashCommandIsAckedByEnvelopeIdAtOnceAndTheAnswerIsPostedAsBlockKit() throws Exception {
        harness(Duration.ofSeconds(30));
        String env = h.socket.send("slash_commands", h.slashCommand("/ping", "", "UALICE", "alice", "r1"));
        FakeSocketMode.Ack ack = h.socket.awaitAck(env, Duration.ofSeconds(3));
        System.out.println("socket mode ack after " + ack.after().toMillis() + " ms");
        assertThat(ack.after()).isLessThan(Duration.ofSeconds(3));
        assertThat(ack.json().get("envelope_id").getAsString()).isEqualTo(env);

        FakeSlack.Call post = h.slack.await("chat.postMessage", c -> true, WAIT);
        assertThat(post.param("channel")).isEqualTo(SlackHarness.CHANNEL);
        assertThat(post.param("text")).contains("pong").contains("node1").contains("leader"); // plain-text fallback
        String blocks = post.blockText();
        assertThat(blocks).contains("\"type\":\"header\"").contains(":white_check_mark: pong")
                .contains("```").contains("| node1  | leader  |")
                .contains("*Cluster*\\ndemo")
                .contains("\"type\":\"context\"").contains("`/ping` by @alice").contains("<!date^");
    }

    @Test
    void umbrellaCommandRunsTheSameCommand() throws Exception {
        harness(Duration.ofSeconds(30));
        String env = h.socket.send("slash_commands", h.slashCommand("/pg", "ping", "UALICE", "alice", "r1"));
        h.socket.awaitAck(env, Duration.ofSeconds(3));
        FakeSlack.Call post = h.slack.await("chat.postMessage", c -> true, WAIT);
        assertThat(post.param("text")).contains("pong");
    }

    @Test
    void privateRepliesAreEphemeralThroughTheResponseUrlAndEscaped() throws Exception {
        harness(Duration.ofSeconds(30));
        h.socket.awaitAck(h.socket.send("slash_commands", h.slashCommand("/secret", "", "UBOB", "bob", "r2")), Duration.ofSeconds(3));
        FakeSlack.Call r = h.slack.await("response_url:r2", c -> true, WAIT);
        assertThat(r.param("response_type")).isEqualTo("ephemeral");
        assertThat(r.param("replace_original")).isEqualTo("false");
        assertThat(r.param("text")).contains("only for you");
        assertThat(r.json().get("blocks").toString()).contains("only for you <!channel> & co"); // plain_text: no mention
        assertThat(h.slack.calls("chat.postMessage")).isEmpty();

        // a refusal (bob is a viewer) is private too, and nothing runs
        h.socket.awaitAck(h.socket.send("slash_commands", h.slashCommand("/danger", "", "UBOB", "bob", "r3")), Duration.ofSeconds(3));
        FakeSlack.Call refusal = h.slack.await("response_url:r3", c -> true, WAIT);
        assertThat(refusal.param("text")).contains("needs the operator role").contains("slack:UBOB");
        assertThat(h.slack.calls("chat.postMessage")).isEmpty();
    }

    @Test
    void requesterConfirmsOnceEvenWithTwoConcurrentClicksAndTheButtonsAreGone() throws Exception {
        harness(Duration.ofSeconds(30));
        h.socket.awaitAck(h.socket.send("slash_commands", h.slashCommand("/danger", "", "UALICE", "alice", "r1")), Duration.ofSeconds(3));
        FakeSlack.Call prompt = h.slack.await("chat.postMessage", c -> true, WAIT);
        h.awaitIdle();
        assertThat(prompt.param("text")).contains("Confirm /danger").contains("drops the test table");
        List<String> buttons = SlackHarness.buttons(prompt);
        assertThat(buttons).hasSize(2);
        assertThat(buttons.get(0)).startsWith("confirm:");
        assertThat(prompt.blockText()).contains("\"style\":\"danger\"");
        String ts = FIRST_TS; // the fake's ts for the first message posted

        String e1 = h.socket.send("interactive", h.click(buttons.get(0), ts, "UALICE", "alice", "c1"));
        String e2 = h.socket.send("interactive", h.click(buttons.get(0), ts, "UALICE", "alice", "c2"));
        h.socket.awaitAck(e1, Duration.ofSeconds(3));
        h.socket.awaitAck(e2, Duration.ofSeconds(3));

        FakeSlack.Call done = h.slack.await("chat.update", c -> String.valueOf(c.param("text")).contains("dropped the test table"), WAIT);
        assertThat(done.param("channel")).isEqualTo(SlackHarness.CHANNEL);
        assertThat(done.param("ts")).isEqualTo(ts);
        assertThat(done.param("text")).contains("confirmed by @alice");
        assertThat(done.blockText()).doesNotContain("\"type\":\"actions\"");
        // the second click is told privately that it already ran
        FakeSlack.Call already = awaitEither("c1", "c2");
        assertThat(already.param("text")).contains("already confirmed");
        assertThat(already.param("response_type")).isEqualTo("ephemeral");
        assertThat(h.dangerRuns.get()).isEqualTo(1);
    }

    private FakeSlack.Call awaitEither(String a, String b) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (FakeSlack.Call c : h.slack.calls()) {
                if (c.method().equals("response_url:" + a) || c.method().equals("response_url:" + b)) return c;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no private answer to the second click: " + h.slack.describe());
    }

    static final String FIRST_TS = "1700000000.000001";
}
