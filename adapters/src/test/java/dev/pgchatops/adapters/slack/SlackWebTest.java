package dev.pgchatops.adapters.slack;

import com.slack.api.Slack;
import dev.pgchatops.core.reply.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retries and pacing of the Web API calls, against the fake; waits are recorded instead of slept. */
class SlackWebTest {
    private FakeSlack fake;
    private final List<Duration> slept = new CopyOnWriteArrayList<>();
    private SlackWeb web;
    private final BlockKit.Message msg = BlockKit.render(Reply.info("hello"), BlockKit.Context.NONE, Instant.EPOCH).get(0);

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeSlack();
        com.slack.api.SlackConfig c = new com.slack.api.SlackConfig();
        c.setMethodsEndpointUrlPrefix(fake.apiUrl());
        web = new SlackWeb(Slack.getInstance(c), FakeSlack.BOT_TOKEN,
                new SlackWeb.Policy(4, Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ofSeconds(1)), slept::add);
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    @Test
    void a429WaitsForRetryAfterThenSucceeds() {
        fake.failNext("chat.update", 2, 429, "7");
        web.update("C1", "1.1", msg);
        assertThat(fake.calls("chat.update")).hasSize(3);
        assertThat(slept).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(7));
    }

    @Test
    void a5xxIsRetriedWithBackoffAndGivesUpAfterTheLastTry() {
        fake.failNext("chat.update", 2, 503, null);
        web.update("C1", "1.1", msg);
        assertThat(slept).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000));
        slept.clear();
        fake.failNext("chat.update", 4, 500, null);
        assertThatThrownBy(() -> web.update("C1", "1.1", msg)).isInstanceOf(SlackWeb.SlackCallFailed.class)
                .hasMessageContaining("gave up after 4 tries");
    }

    @Test
    void aRetryAfterLongerThanTheLimitFailsAtOnce() {
        fake.failNext("chat.update", 1, 429, "600");
        assertThatThrownBy(() -> web.update("C1", "1.1", msg)).hasMessageContaining("rate limited for 600 s");
        assertThat(slept).isEmpty();
    }

    @Test
    void slackErrorsAreNotRetried() {
        assertThatThrownBy(() -> web.postMessage("CNOTIN", msg, null)).isInstanceOf(SlackWeb.SlackCallFailed.class)
                .satisfies(e -> assertThat(((SlackWeb.SlackCallFailed) e).error()).isEqualTo("not_in_channel"));
        assertThat(fake.calls("chat.postMessage")).hasSize(1);
    }

    @Test
    void postsToOneChannelArePacedOthersAreNot() {
        web.postMessage("C1", msg, null);
        web.postMessage("C2", msg, null);
        assertThat(slept).isEmpty();
        web.postMessage("C1", msg, null);
        assertThat(slept).hasSize(1);
        assertThat(slept.get(0)).isGreaterThan(Duration.ofMillis(500)).isLessThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void responseUrl429IsRetried() {
        fake.failNext("response_url", 1, 429, "2");
        web.respond(fake.responseUrl("x"), msg, true, false);
        assertThat(fake.calls("response_url:x")).hasSize(2);
        assertThat(slept).containsExactly(Duration.ofSeconds(2));
    }

    private SlackWeb patient(SlackWeb.Sleeper sleeper) {
        com.slack.api.SlackConfig c = new com.slack.api.SlackConfig();
        c.setMethodsEndpointUrlPrefix(fake.apiUrl());
        return new SlackWeb(Slack.getInstance(c), FakeSlack.BOT_TOKEN, new SlackWeb.Policy(4, Duration.ofSeconds(30),
                Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ofSeconds(10)), sleeper).patient();
    }

    @Test
    void theReplyViewOutlastsAMinuteOf5xxWithCappedBackoff() {
        // over a minute of 503s (11 in a row), the backoff capped at 10 s: 0.5+1+2+4+8+10×6 = 75.5 s of waiting
        fake.failNext("chat.update", 11, 503, null);
        patient(slept::add).update("C1", "1.1", msg);
        assertThat(fake.calls("chat.update")).hasSize(12);
        assertThat(slept).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(10)));
        assertThat(slept.stream().mapToLong(Duration::toMillis).sum()).isEqualTo(75_500);
    }

    @Test
    void theReplyViewWaitsOutALongRetryAfterWithinItsAllowanceButNotBeyond() {
        fake.failNext("chat.update", 1, 429, "60");
        patient(slept::add).update("C1", "1.1", msg);
        assertThat(slept).containsExactly(Duration.ofSeconds(60));
        slept.clear();
        fake.failNext("chat.update", 1, 429, "600");
        assertThatThrownBy(() -> patient(slept::add).update("C1", "1.1", msg)).hasMessageContaining("rate limited for 600 s");
        assertThat(slept).isEmpty();
    }

    @Test
    void theReplyViewGivesUpOnceItsAllowanceIsUsed() {
        fake.failNext("chat.update", 1000, 500, null);
        assertThatThrownBy(() -> patient(slept::add).update("C1", "1.1", msg))
                .isInstanceOf(SlackWeb.SlackCallFailed.class).hasMessageContaining("ms of waiting");
        assertThat(slept.stream().mapToLong(Duration::toMillis).sum()).isLessThanOrEqualTo(Duration.ofMinutes(2).toMillis());
    }

    @Test
    void anEditOvertakenByANewerEditOfTheSameMessageStopsRetrying() {
        // the progress edit is retrying through the outage when the result's edit of the same message is issued:
        // the progress edit must not land after the result
        BlockKit.Message progress = BlockKit.render(Reply.info("step 1 of 2"), BlockKit.Context.NONE, Instant.EPOCH).get(0);
        BlockKit.Message result = BlockKit.render(Reply.success("all done"), BlockKit.Context.NONE, Instant.EPOCH).get(0);
        Runnable[] duringWait = new Runnable[1];
        SlackWeb[] web = new SlackWeb[1];
        web[0] = patient(d -> {
            slept.add(d);
            Runnable r = duringWait[0];
            duringWait[0] = null;
            if (r != null) r.run();
        });
        fake.failNext("chat.update", 1, 503, null);
        duringWait[0] = () -> web[0].update("C1", "1.1", result);
        web[0].update("C1", "1.1", progress);
        assertThat(FakeSlack.texts(fake.calls("chat.update"))).containsExactly(progress.text(), result.text());
        assertThat(slept).hasSize(1);
    }
}
