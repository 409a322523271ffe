package dev.pgchatops.adapters.slack;

import dev.pgchatops.adapters.ChatAdapter;
import dev.pgchatops.config.AccessConfig;
import dev.pgchatops.config.Role;
import dev.pgchatops.config.Secret;
import dev.pgchatops.config.SlackConfig;
import dev.pgchatops.core.AccessControl;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.CommandRegistry;
import dev.pgchatops.core.confirm.Confirmations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** start() says which token is wrong. */
class SlackStartTest {
    private FakeSlack slack;
    private Bot bot;

    @BeforeEach
    void setUp() throws Exception {
        slack = new FakeSlack();
        bot = new Bot(List.of(), new CommandRegistry(), new AccessControl(new AccessConfig(Role.VIEWER, Map.of())),
                new Confirmations(Clock.systemUTC(), Duration.ofSeconds(60)), e -> { }, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        bot.close();
        slack.close();
    }

    private ChatAdapter adapter(String botToken, String appToken) {
        SlackConfig c = new SlackConfig(SlackConfig.Mode.SOCKET, new Secret("env SLACK_BOT_TOKEN", botToken),
                Optional.of(new Secret("env SLACK_APP_TOKEN", appToken)), Optional.empty(), 3000, URI.create(slack.apiUrl()));
        return new SlackAdapter(c, new AccessConfig(Role.VIEWER, Map.of()), bot);
    }

    @Test
    void refusedBotTokenNamesItsKey() {
        try (ChatAdapter a = adapter("xoxb-wrong", FakeSlack.APP_TOKEN)) {
            assertThatThrownBy(a::start).isInstanceOf(ChatAdapter.AdapterStartException.class)
                    .hasMessageContaining("Slack refused the bot token from slack.bot-token-env (env SLACK_BOT_TOKEN): invalid_auth");
        }
    }

    @Test
    void refusedAppTokenNamesItsKey() {
        try (ChatAdapter a = adapter(FakeSlack.BOT_TOKEN, "xapp-wrong")) {
            assertThatThrownBy(a::start).hasMessageContaining("Slack refused the app-level token from slack.app-token-env (env SLACK_APP_TOKEN): invalid_auth");
        }
    }

    @Test
    void swappedTokensAreExplained() {
        try (ChatAdapter a = adapter(FakeSlack.APP_TOKEN, FakeSlack.BOT_TOKEN)) {
            assertThatThrownBy(a::start).hasMessageContaining("slack.bot-token-env (env SLACK_BOT_TOKEN) holds an app-level token");
        }
    }

    @Test
    void unreachableApiSaysSo() {
        SlackConfig c = new SlackConfig(SlackConfig.Mode.SOCKET, new Secret("env SLACK_BOT_TOKEN", FakeSlack.BOT_TOKEN),
                Optional.of(new Secret("env SLACK_APP_TOKEN", FakeSlack.APP_TOKEN)), Optional.empty(), 3000,
                URI.create("http://127.0.0.1:1/api/"));
        try (ChatAdapter a = new SlackAdapter(c, new AccessConfig(Role.VIEWER, Map.of()), bot)) {
            assertThatThrownBy(a::start).hasMessageContaining("cannot reach Slack's Web API at http://127.0.0.1:1/api/ (slack.api-url)");
        }
        assertThat(slack.calls()).isEmpty();
    }
}
