package dev.pgchatops.adapters.slack;

import dev.pgchatops.config.SlackConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Button flows, "working…", progress under a 429, user groups — the real Bolt over Socket Mode against the fakes. */
class SlackFlowsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration ACK = Duration.ofSeconds(3);
    private SlackHarness h;

    @AfterEach
    void close() throws Exception {
        if (h != null) h.close();
    }

    private FakeSlack.Call openPrompt() throws Exception {
        h.socket.awaitAck(h.socket.send("slash_commands", h.slashCommand("/danger", "", "UALICE", "alice", "r1")), ACK);
        FakeSlack.Call prompt = h.slack.await("chat.postMessage", c -> String.valueOf(c.param("text")).contains("Confirm /danger"), WAIT);
        h.awaitIdle(); // the bot has registered the prompt's message (a human cannot click faster than that)
        return prompt;
    }

    @Test
    void anotherUserGetsAPrivateRefusalAndTheConfirmationStaysOpen() throws Exception {
        h = new SlackHarness(SlackConfig.Mode.SOCKET, Duration.ofSeconds(30));
        FakeSlack.Call prompt = openPrompt();
        String confirm = SlackHarness.buttons(prompt).get(0);
        h.socket.awaitAck(h.socket.send("interactive", h.click(confirm, SlackSocketModeTest.FIRST_TS, "UBOB", "bob", "bob1")), ACK);
        FakeSlack.Call refusal = h.slack.await("response_url:bob1", c -> true, WAIT);
        assertThat(refusal.param("response_type")).isEqualTo("ephemeral");
        assertThat(refusal.param("text")).contains("Only @alice").contains("or an admin can confirm");
        assertThat(h.dangerRuns.get()).isZero();
        assertThat(h.slack.calls("chat.update")).isEmpty();

        // carol is an admin through the Slack user group S0ADMINS (usergroups.users.list): she may confirm
        h.socket.awaitAck(h.socket.send("interactive", h.click(confirm, SlackSocketModeTest.FIRST_TS, "UCAROL", "carol", "carol1")), ACK);
        FakeSlack.Call done = h.slack.await("chat.update", c -> String.valueOf(c.param("text")).contains("dropped the test table"), WAIT);
        assertThat(done.param("text")).contains("confirmed by @carol");
        assertThat(h.dangerRuns.get()).isEqualTo(1);
        assertThat(h.slack.calls("usergroups.users.list")).isNotEmpty()
                .allSatisfy(c -> assertThat(c.param("usergroup")).isEqualTo("S0ADMINS"));
    }

    @Test
    void expiredConfirmationIsEditedWithoutButtonsAndALateClickRunsNothing() throws Exception {
        h = new SlackHarness(SlackConfig.Mode.SOCKET, Duration.ofSeconds(30));
        FakeSlack.Call prompt = openPrompt();
        String confirm = SlackHarness.buttons(prompt).get(0);
        h.clock.advance(Duration.ofSeconds(121));
        h.bot.expireDue();
        FakeSlack.Call expired = h.slack.await("chat.update", c -> String.valueOf(c.param("text")).contains("Expired"), WAIT);
        assertThat(expired.param("ts")).isEqualTo(SlackSocketModeTest.FIRST_TS);
        assertThat(expired.blockText()).doesNotContain("\"type\":\"actions\"").contains("nothing was run");

        h.socket.awaitAck(h.socket.send("interactive", h.click(confirm, SlackSocketModeTest.FIRST_TS, "UALICE", "alice", "late")), ACK);
        FakeSlack.Call late = h.slack.await("response_url:late", c -> true, WAIT);
        assertThat(late.param("response_type")).isEqualTo("ephemeral");
        assertThat(h.dangerRuns.get()).isZero();
    }

    @Test
    void cancelEditsThePromptAndRunsNothing() throws Exception {
        h = new SlackHarness(SlackConfig.Mode.SOCKET, Duration.ofSeconds(30));
        FakeSlack.Call prompt = openPrompt();
        String cancel = SlackHarness.buttons(prompt).get(1);
        assertThat(cancel).startsWith("cancel:");
        h.socket.awaitAck(h.socket.send("interactive", h.click(cancel, SlackSocketModeTest.FIRST_TS, "UALICE", "alice", "x")), ACK);
        FakeSlack.Call c = h.slack.await("chat.update", x -> String.valueOf(x.param("text")).contains("Cancelled"), WAIT);
        assertThat(c.blockText()).doesNotContain("\"type\":\"actions\"");
        assertThat(h.dangerRuns.get()).isZero();
    }

    @Test
    void slowCommandShowsWorkingAndThatMessageBecomesTheResult() throws Exception {
        h = new SlackHarness(SlackConfig.Mode.SOCKET, Duration.ofMillis(100));
        h.socket.awaitAck(h.socket.send("slash_commands", h.slashCommand("/slow", "", "UALICE", "alice", "r1")), ACK);
        FakeSlack.Call working = h.slack.await("chat.postMessage", c -> String.valueOf(c.param("text")).contains("working on /slow"), WAIT);
        h.releaseSlow.countDown();
        FakeSlack.Call result = h.slack.await("chat.update", c -> String.valueOf(c.param("text")).contains("slow done"), WAIT);
        assertThat(result.param("ts")).isEqualTo(SlackSocketModeTest.FIRST_TS);
        assertThat(h.slack.calls("chat.postMessage")).containsExactly(working);
    }

    @Test
    void workingMessageIsDeletedWhenTheAnswerIsPrivate() throws Exception {
        h = new SlackHarness(SlackConfig.Mode.SOCKET, Duration.ZERO);
        h.socket.awaitAck(h.socket.send("slash_commands", h.slashCommand("/secret", "", "UALICE", "alice", "r1")), ACK);
        h.slack.await("response_url:r1", c -> true, WAIT);
        // either no placeholder was posted in time, or it is deleted once the private answer went out
        if (!h.slack.calls("chat.postMessage").isEmpty()) h.slack.await("chat.delete", c -> true, WAIT);
    }

    @Test
    void a429OnAProgressEditIsRetriedAfterRetryAfterAndTheResultIsStillPosted() throws Exception {
        h = new SlackHarness(SlackConfig.Mode.SOCKET, Duration.ofSeconds(30));
        h.socket.awaitAck(h.socket.send("slash_commands", h.slashCommand("/progress", "", "UALICE", "alice", "r1")), ACK);
        h.slack.await("chat.postMessage", c -> String.valueOf(c.param("text")).contains("step 1 of 2"), WAIT);
        h.slack.failNext("chat.update", 1, 429, "1");
        h.progressGo.countDown();
        // the progress edit for step 2 gets the 429 and is sent again after Retry-After
        List<FakeSlack.Call> updates = awaitCalls("chat.update", "step 2 of 2", 2);
        long gapMs = (updates.get(1).nanos() - updates.get(0).nanos()) / 1_000_000;
        System.out.println("chat.update retried " + gapMs + " ms after the 429 (Retry-After: 1)");
        assertThat(gapMs).isGreaterThanOrEqualTo(990);
        h.progressEnd.countDown();
        FakeSlack.Call result = h.slack.await("chat.update", c -> String.valueOf(c.param("text")).contains("all steps done"), WAIT);
        assertThat(result.param("ts")).isEqualTo(SlackSocketModeTest.FIRST_TS);
        assertThat(h.slack.calls("chat.postMessage")).hasSize(1);
    }

    private List<FakeSlack.Call> awaitCalls(String method, String text, int n) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<FakeSlack.Call> l = h.slack.calls(method).stream().filter(c -> String.valueOf(c.param("text")).contains(text)).toList();
            if (l.size() >= n) return l;
            Thread.onSpinWait();
        }
        throw new AssertionError("fewer than " + n + " " + method + " with '" + text + "': " + h.slack.describe());
    }

    @Test
    void notInChannelTellsTheUserPrivatelyToInviteTheBot() throws Exception {
        h = new SlackHarness(SlackConfig.Mode.SOCKET, Duration.ofSeconds(30));
        var p = h.slashCommand("/ping", "", "UALICE", "alice", "r1");
        p.addProperty("channel_id", "CNOTIN");
        h.socket.awaitAck(h.socket.send("slash_commands", p), ACK);
        FakeSlack.Call hint = h.slack.await("response_url:r1", c -> true, WAIT);
        assertThat(hint.param("text")).contains("invite me");
        assertThat(hint.param("response_type")).isEqualTo("ephemeral");
    }
}
