package dev.pgchatops.adapters.discord;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.pgchatops.config.AccessConfig;
import dev.pgchatops.config.ClusterConfig;
import dev.pgchatops.config.DiscordConfig;
import dev.pgchatops.config.PatroniConfig;
import dev.pgchatops.config.Role;
import dev.pgchatops.config.Secret;
import dev.pgchatops.core.AccessControl;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.Bots;
import dev.pgchatops.core.ClusterRuntime;
import dev.pgchatops.core.chat.MessageRef;
import dev.pgchatops.core.chat.Patience;
import dev.pgchatops.core.chat.PatientCall;
import dev.pgchatops.core.chat.SendFailed;
import dev.pgchatops.core.cmd.Follow;
import dev.pgchatops.core.confirm.Confirmations;
import dev.pgchatops.core.patroni.PatroniClient;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.run.Ticker;
import dev.pgchatops.core.run.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.pgchatops.adapters.discord.DiscordAdapterTest.alice;
import static dev.pgchatops.adapters.discord.DiscordAdapterTest.bob;
import static dev.pgchatops.adapters.discord.DiscordAdapterTest.callback;
import static dev.pgchatops.adapters.discord.DiscordAdapterTest.carol;
import static dev.pgchatops.adapters.discord.DiscordAdapterTest.followUp;
import static dev.pgchatops.adapters.discord.DiscordAdapterTest.original;
import static dev.pgchatops.adapters.discord.DiscordAdapterTest.text;
import static dev.pgchatops.adapters.discord.FakeDiscord.ALICE;
import static dev.pgchatops.adapters.discord.FakeDiscord.CHANNEL;
import static dev.pgchatops.adapters.discord.FakeDiscord.GUILD;
import static dev.pgchatops.adapters.discord.FakeDiscord.OPERATOR_ROLE;
import static dev.pgchatops.adapters.discord.FakeDiscord.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Discord answering 5xx/429 for a while (issue 19, "chat platform answering 429/5xx for a minute … nothing lost"):
 * the real JDA against {@link FakeDiscord#outage}, the real bot. The replies' two minutes of patience are kept, but
 * the retry timer runs {@link #SCALE} times faster than it is asked to (it records what it was asked), so a test takes
 * seconds; JDA's own 429 waits are real (Retry-After 1 s).
 */
class DiscordOutageTest {
    static final long SCALE = 200;
    /** Every message route except the interaction callbacks (the deferrals, another concern). */
    static final String MESSAGES = "(POST|PATCH|DELETE) (webhooks|channels)/.*";

    FakeDiscord discord;
    FakePatroni patroni;
    Bot bot;
    DiscordAdapter adapter;
    final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    final List<Duration> asked = new CopyOnWriteArrayList<>();
    final ListAppender<ILoggingEvent> log = new ListAppender<>();

    void start(Patience patience) throws Exception {
        discord = new FakeDiscord();
        patroni = new FakePatroni();
        PatroniConfig pc = new PatroniConfig(List.of(URI.create(patroni.url())), "u", new Secret("test", "p"),
                Duration.ofSeconds(2), Duration.ofSeconds(30));
        ClusterRuntime demo = new ClusterRuntime(new ClusterConfig("demo", pc, Optional.empty()), new PatroniClient("demo", pc), Optional.empty());
        InstantSource clock = () -> Instant.parse("2026-12-01T10:00:00Z");
        bot = new Bot(List.of(demo), Bots.registry(Follow.Limits.DEFAULT),
                new AccessControl(new AccessConfig(Role.VIEWER, Map.of("discord:" + ALICE, Role.OPERATOR), Map.of(),
                        Map.of(OPERATOR_ROLE, Role.OPERATOR))),
                new Confirmations(clock, Duration.ofSeconds(120)), e -> { }, clock,
                new Bot.Settings(4, Ticker.SYSTEM, Optional.of((task, nanos) -> timer.schedule(task, nanos, TimeUnit.NANOSECONDS))));
        Timer fast = (task, nanos) -> {
            asked.add(Duration.ofNanos(nanos));
            timer.schedule(task, nanos / SCALE, TimeUnit.NANOSECONDS);
        };
        adapter = new DiscordAdapter(new DiscordConfig(new Secret("env DISCORD_TOKEN", FakeDiscord.TOKEN), Optional.of(GUILD),
                URI.create(discord.apiUrl()), URI.create(discord.gatewayUrl())), bot,
                new DiscordAdapter.Settings(System::nanoTime, Clock.systemUTC(), Duration.ofSeconds(20), patience, fast,
                        Duration.ofMillis(1500)));
        adapter.start();
        log.start();
        ((Logger) LoggerFactory.getLogger(PatientCall.class)).addAppender(log);
    }

    @AfterEach
    void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger(PatientCall.class)).detachAppender(log);
        if (adapter != null) adapter.close();
        if (bot != null) bot.close();
        if (patroni != null) patroni.close();
        if (discord != null) discord.close();
        timer.shutdownNow();
    }

    Predicate<FakeDiscord.Call> failed(Predicate<FakeDiscord.Call> ok, int status) {
        return c -> c.status() == status && ok.test(new FakeDiscord.Call(c.method(), c.path(), c.query(), c.body(), 200));
    }

    List<String> gaveUp() {
        List<ILoggingEvent> events;
        synchronized (log) { // the appender adds under its own lock (AppenderBase.doAppend), from other threads
            events = List.copyOf(log.list);
        }
        return events.stream().filter(e -> e.getFormattedMessage().contains("not delivered")).map(ILoggingEvent::getFormattedMessage).toList();
    }

    void outageDuringCommands(int status, String retryAfter, int failuresBeforeRecovery) throws Exception {
        start(Patience.DEFAULT);
        discord.outage(MESSAGES, status, retryAfter, false);
        String list = discord.slash(alice, "cluster-list", Map.of());
        discord.awaitCount("failed edits of the reply", failed(original(list, "PATCH"), status), failuresBeforeRecovery);
        // the bot keeps serving meanwhile: another command is acknowledged while Discord still fails
        String who = discord.slash(carol, "whoami", Map.of());
        discord.await("deferral during the outage", callback(who));
        discord.await("the second reply fails too", failed(original(who, "PATCH"), status));
        assertThat(discord.inOutage()).isTrue();
        discord.endOutage();
        FakeDiscord.Call reply = discord.await("the reply after recovery", original(list, "PATCH"));
        assertThat(text(reply.body())).contains("node1", "node2", "node3");
        assertThat(text(discord.await("the second reply after recovery", original(who, "PATCH")).body())).contains("discord:" + FakeDiscord.CAROL);
        assertThat(discord.accepted(original(list, "PATCH"))).as("each reply arrives once").hasSize(1);
        assertThat(discord.accepted(original(who, "PATCH"))).hasSize(1);
        assertThat(gaveUp()).isEmpty();
        long failures = discord.calls().stream().filter(c -> c.status() == status).count();
        System.out.println("discord outage " + status + ": " + failures + " failed calls, retry waits asked " + asked);
        // and a command after the outage answers at once
        String after = discord.slash(bob, "cluster-list", Map.of());
        assertThat(text(discord.await("a reply after the outage", original(after, "PATCH")).body())).contains("node1");
    }

    @Test
    void repliesSurviveAnOutageOf503() throws Exception {
        // JDA tries a 503 four times within a second and then fails the call: without the patience that was the end
        outageDuringCommands(503, null, 8);
        assertThat(asked).as("backoff doubles from 500 ms, capped at 10 s").contains(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void repliesSurviveAnOutageOf429AndRetryAfterIsHonoured() throws Exception {
        outageDuringCommands(429, "1", 3);
        List<FakeDiscord.Call> limited = discord.calls().stream().filter(c -> c.status() == 429 && c.path().endsWith("@original")).toList();
        assertThat(limited.size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aFollowUpAnswered500AfterItWasPostedIsNotSentAgain() throws Exception {
        start(Patience.DEFAULT);
        discord.outage("POST webhooks/.*", 500, null, true);
        // a usage error after a public deferral: an ephemeral follow-up, which has no nonce
        String usage = discord.slash(alice, "cluster-list", Map.of("cluster", "nosuch"));
        discord.await("the follow-up, done but answered 500", failed(followUp(usage), 500));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (gaveUp().isEmpty() && System.nanoTime() < deadline) Thread.onSpinWait();
        assertThat(gaveUp()).singleElement().asString().contains("follow-up of interaction " + usage)
                .contains("in channel " + CHANNEL).contains("HTTP 500").contains("may have been applied");
        discord.endOutage();
        String after = discord.slash(alice, "cluster-list", Map.of());
        discord.await("the next command's reply", original(after, "PATCH"));
        assertThat(discord.calls().stream().filter(c -> c.method().equals("POST") && c.path().endsWith(DiscordAdapterTest.token(usage))))
                .as("one try: Discord may have posted it (it did)").hasSize(1);
    }

    @Test
    void anOutageLongerThanThePatienceIsGivenUpLoggedOnceAndTheBotAnswersAfterwards() throws Exception {
        start(new Patience(Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofSeconds(10)));
        discord.outage(MESSAGES, 503, null, false);
        String list = discord.slash(alice, "cluster-list", Map.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (gaveUp().isEmpty() && System.nanoTime() < deadline) Thread.onSpinWait();
        assertThat(gaveUp()).as("logged once, naming the message and the channel").singleElement().asString()
                .contains("@original of interaction " + list).contains("in channel " + CHANNEL)
                .contains("allowance of 5000 ms used up");
        assertThat(discord.inOutage()).isTrue();
        discord.endOutage();
        String after = discord.slash(bob, "cluster-list", Map.of());
        assertThat(text(discord.await("a reply after the outage", original(after, "PATCH")).body())).contains("node1");
        assertThat(discord.accepted(original(list, "PATCH"))).as("given up: not sent after all").isEmpty();
    }

    @Test
    void withoutThePatienceTheReplyWasLost() throws Exception {
        // what the adapter did before: JDA's own tries of the 503, then the reply was dropped
        start(Patience.NONE);
        discord.outage(MESSAGES, 503, null, false);
        String list = discord.slash(alice, "cluster-list", Map.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (gaveUp().isEmpty() && System.nanoTime() < deadline) Thread.onSpinWait();
        assertThat(gaveUp()).hasSize(1);
        discord.endOutage();
        String after = discord.slash(bob, "cluster-list", Map.of());
        discord.await("a reply after the outage", original(after, "PATCH"));
        assertThat(discord.accepted(original(list, "PATCH"))).isEmpty();
        assertThat(asked).isEmpty();
    }

    // ---- alerts: fail fast to the outbox, which repeats them ----------------------------------------------------

    @Test
    void anAlertFailsFastAsSendFailedAndTheOutboxRepeatingAPostDoneDespiteA500PostsItOnce() throws Exception {
        start(Patience.DEFAULT);
        var sender = adapter.sender();
        discord.outage("POST channels/.*", 500, null, true);
        assertThatThrownBy(() -> sender.post(CHANNEL, Reply.error("node1 is down")))
                .isInstanceOfSatisfying(SendFailed.class, e -> assertThat(e.permanent()).isFalse())
                .hasMessageContaining("message in channel " + CHANNEL).hasMessageContaining("HTTP 500");
        discord.endOutage();
        MessageRef ref = sender.post(CHANNEL, Reply.error("node1 is down"));   // what the outbox does next
        List<FakeDiscord.Call> posts = discord.calls().stream().filter(c -> c.method().equals("POST") && c.path().equals("channels/" + CHANNEL + "/messages")).toList();
        assertThat(posts).hasSize(2);
        assertThat(posts.get(1).body().path("nonce").asText()).isEqualTo(posts.get(0).body().path("nonce").asText());
        assertThat(posts.get(1).body().path("enforce_nonce").asBoolean()).isTrue();
        assertThat(discord.storedWith("node1 is down")).as("one message in the channel").isEqualTo(1);
        assertThat(adapter.messageId(ref)).isNotNull();
        // a new alert with the same text later is a new message
        sender.post(CHANNEL, Reply.error("node1 is down"));
        assertThat(discord.storedWith("node1 is down")).isEqualTo(2);
    }

    @Test
    void anAlertEditRefusedFor404IsPermanentAnd503IsTransient() throws Exception {
        start(Patience.DEFAULT);
        var sender = adapter.sender();
        MessageRef ref = sender.post(CHANNEL, Reply.error("node1 is down"));
        discord.outage("PATCH channels/.*", 503, null, false);
        assertThatThrownBy(() -> sender.update(ref, Reply.success("node1 is back")))
                .isInstanceOfSatisfying(SendFailed.class, e -> assertThat(e.permanent()).isFalse());
        discord.outage("PATCH channels/.*", 404, null, false);
        assertThatThrownBy(() -> sender.update(ref, Reply.success("node1 is back")))
                .isInstanceOfSatisfying(SendFailed.class, e -> assertThat(e.permanent()).isTrue());
        assertThat(asked).as("alerts do not wait through the outage").isEmpty();
    }
}
