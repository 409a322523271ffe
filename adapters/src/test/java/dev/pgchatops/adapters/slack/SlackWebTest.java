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
}
