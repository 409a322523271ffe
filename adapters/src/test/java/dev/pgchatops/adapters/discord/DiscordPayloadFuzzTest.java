package dev.pgchatops.adapters.discord;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.pgchatops.core.Command;
import dev.pgchatops.core.CommandRegistry;
import dev.pgchatops.core.Invocation;
import dev.pgchatops.core.Outcome;
import dev.pgchatops.core.audit.AuditEvent;
import dev.pgchatops.core.cmd.Follow;
import dev.pgchatops.core.confirm.Confirmations;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.patroni.PatroniClient;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.run.Ticker;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.events.GenericEvent;
import net.dv8tion.jda.api.events.interaction.GenericInteractionCreateEvent;
import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.hooks.EventListener;
import net.dv8tion.jda.internal.JDAImpl;
import net.dv8tion.jda.internal.requests.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static dev.pgchatops.adapters.discord.DiscordAdapterTest.callback;
import static dev.pgchatops.adapters.discord.DiscordAdapterTest.customIds;
import static dev.pgchatops.adapters.discord.DiscordAdapterTest.original;
import static dev.pgchatops.adapters.discord.DiscordAdapterTest.text;
import static dev.pgchatops.adapters.discord.DiscordAdapterTest.token;
import static dev.pgchatops.adapters.discord.FakeDiscord.ALICE;
import static dev.pgchatops.adapters.discord.FakeDiscord.APP;
import static dev.pgchatops.adapters.discord.FakeDiscord.GUILD;
import static dev.pgchatops.adapters.discord.FakeDiscord.OPERATOR_ROLE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Discord payload fuzz (issue 19), with the real JDA 5.6.1, the real {@link DiscordAdapter} and the real core against
 * {@link FakeDiscord} and {@link FakePatroni}; frames from {@link DiscordFuzzFrames} (seeded).
 *
 * <p>Where the frames go in: 100 000 of them in-process through JDA's own gateway entry point,
 * {@code WebSocketClient#onTextMessage} — the method nv-websocket's reading thread calls for every text frame (a
 * frame it cannot parse goes to {@code handleCallbackError}, as nv-websocket's listener manager does), called on one
 * thread as the reading thread would. Everything after the socket is real: JDA's JSON parsing, its INTERACTION_CREATE
 * handler and entity building, its event manager, the adapter's listener, the bot, and JDA's REST calls to the fake.
 * A further 3 000 go over the real websocket from the fake gateway (a second test). Measured here, both paths cost
 * about the same per frame (the REST answers to the fake dominate: 100 000 in-process in 61–74 s, 3 000 over the
 * socket in 1.9 s); the in-process path is kept for the big storm because JDA has handled each frame when the call
 * returns, so the feed can be paced by the answers and a failure belongs to a known frame.
 *
 * <p>What must hold: no exception escapes the adapter (every WARN/ERROR log event is watched: anything logged by our
 * code, or carrying our code in its stack — JDA logs a listener's uncaught exception as "One of the EventListeners
 * had an uncaught exception" — fails the test; JDA's own refusals of frames it cannot parse are counted and shown);
 * every slash command, button click and autocomplete that JDA delivers gets exactly one interaction callback, and
 * every slash command and click then an answer (an edit of the original or a follow-up) with clear text, never a
 * stack trace or "Internal error"; no forged or foreign button press confirms anything; and a /cluster-list after the
 * storm still answers with the members.
 */
class DiscordPayloadFuzzTest {
    /** {@code -Dpgchatops.fuzz.discord.frames=N} runs a shorter storm while working on the generator. */
    static final int IN_PROCESS = Integer.getInteger("pgchatops.fuzz.discord.frames", 100_000);
    static final int OVER_THE_SOCKET = 3_000;
    /** The bot's command threads: each answer blocks one on its REST calls to the fake, so they set the pace. */
    static final int THREADS = 16;
    /** Interactions delivered and not yet answered before the feed waits (the bot's queue holds 16 per thread). */
    static final int IN_HAND = 8 * THREADS;
    /** An interaction without its answer this long after delivery counts as unanswered (Discord allows 3 s). */
    static final Duration STUCK = Duration.ofSeconds(20);
    private static final List<String> UNCLEAR = List.of("Internal error", "Exception", "\tat ", "\\tat ", "at dev.pgchatops",
            "at net.dv8tion");

    FakeDiscord discord;
    FakePatroni patroni;
    Bot bot;
    DiscordAdapter adapter;
    JDA jda;
    WatchedLogs logs;
    final AtomicInteger runs = new AtomicInteger();
    final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final Deliveries delivered = new Deliveries();

    @BeforeEach
    void start() throws Exception {
        logs = new WatchedLogs();
        discord = new FakeDiscord();
        patroni = new FakePatroni();
        PatroniConfig pc = new PatroniConfig(List.of(URI.create(patroni.url())), "u", new Secret("test", "p"),
                Duration.ofSeconds(2), Duration.ofSeconds(30));
        ClusterRuntime demo = new ClusterRuntime(new ClusterConfig("demo", pc, Optional.empty()), new PatroniClient("demo", pc), Optional.empty());
        CommandRegistry registry = Bots.registry(Follow.Limits.DEFAULT).register(destroy());
        InstantSource clock = () -> now.get(); // confirmations never expire during the storm
        bot = new Bot(List.of(demo), registry,
                new AccessControl(new AccessConfig(Role.VIEWER, Map.of("discord:" + ALICE, Role.OPERATOR), Map.of(),
                        Map.of(OPERATOR_ROLE, Role.OPERATOR))),
                new Confirmations(clock, Duration.ofSeconds(120)), audit::add, clock,
                new Bot.Settings(THREADS, Ticker.SYSTEM, Optional.of((task, nanos) -> timer.schedule(task, nanos, TimeUnit.NANOSECONDS))));
        adapter = new DiscordAdapter(new DiscordConfig(new Secret("env DISCORD_TOKEN", FakeDiscord.TOKEN), Optional.of(GUILD),
                URI.create(discord.apiUrl()), URI.create(discord.gatewayUrl())), bot,
                new DiscordAdapter.Settings(System::nanoTime, Clock.systemUTC(), Duration.ofSeconds(20)));
        adapter.start();
        jda = jdaOf(adapter);
        jda.addEventListener(delivered);
    }

    @AfterEach
    void stop() throws Exception {
        if (!logs.escaped().isEmpty()) System.out.println("[fuzz] escaped: " + logs.escaped().stream().limit(5).toList());
        if (!logs.samples.isEmpty()) System.out.println("[fuzz] JDA refused, e.g.: " + logs.samples.values().stream().limit(5).toList());
        if (adapter != null) adapter.close();
        bot.close();
        patroni.close();
        discord.close();
        timer.shutdownNow();
        logs.close();
    }

    Command destroy() {
        return new Command() {
            @Override
            public CommandSpec spec() {
                return new CommandSpec("destroy", "test: a destructive command", Role.OPERATOR, true, List.of(), 0, List.of());
            }

            @Override
            public Outcome run(Invocation inv) {
                return Outcome.confirm("destroy everything on " + inv.cluster().name(), progress -> {
                    runs.incrementAndGet();
                    return Reply.success("destroyed " + inv.cluster().name());
                });
            }
        };
    }

    /** The adapter keeps its JDA private; the fuzz needs it to reach JDA's gateway entry point (found by type). */
    static JDA jdaOf(DiscordAdapter adapter) throws IllegalAccessException {
        for (Field f : DiscordAdapter.class.getDeclaredFields()) {
            if (f.getType() == JDA.class) {
                f.setAccessible(true);
                return (JDA) f.get(adapter);
            }
        }
        throw new AssertionError("DiscordAdapter has no JDA field any more: update DiscordPayloadFuzzTest.jdaOf");
    }

    // ---- the tests ---------------------------------------------------------------------------------------------

    @Test
    void aHundredThousandFramesThroughJdasGatewayEntryPoint() throws Exception {
        List<DiscordFuzzFrames.Prompt> prompts = prompts(3);
        DiscordFuzzFrames gen = new DiscordFuzzFrames(20261219, bot.registry(), prompts);
        WebSocketClient client = ((JDAImpl) jda).getClient();
        Answers answers = new Answers();
        Map<String, AtomicInteger> kinds = new TreeMap<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        long t0 = System.nanoTime();
        // one thread, as nv-websocket's reading thread: JDA's handlers expect their events one at a time
        Thread reader = new Thread(() -> {
            try {
                for (int i = 0; i < IN_PROCESS; i++) {
                    DiscordFuzzFrames.Frame f = gen.next();
                    kinds.computeIfAbsent(f.kind(), k -> new AtomicInteger()).incrementAndGet();
                    try {
                        client.onTextMessage(null, f.bytes());
                    } catch (Throwable e) {
                        client.handleCallbackError(null, e); // what nv-websocket does with a listener's exception
                    }
                    if (i % 32 == 0) answers.pace(IN_HAND);
                }
            } catch (Throwable e) {
                failed.set(e);
            }
        }, "fuzz-gateway-reader");
        reader.start();
        reader.join(Duration.ofMinutes(10).toMillis());
        assertThat(reader.isAlive()).as("the feed finished").isFalse();
        assertThat(failed.get()).as("the feed itself").isNull();
        long fedMs = (System.nanoTime() - t0) / 1_000_000;
        answers.awaitAll(Duration.ofSeconds(60));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("[fuzz] Discord in-process: %d frames in %d ms (fed in %d ms); %s%n", IN_PROCESS, ms, fedMs, answers.summary());
        System.out.printf("[fuzz] generated %s%n[fuzz] JDA refused %s%n", kinds, logs.refusals());
        logs.escaped().stream().limit(10).forEach(e -> System.out.println("[fuzz] escaped: " + e));
        answers.assertHeld();
        assertSafe();
        assertStillServes();
    }

    @Test
    void aSampleOverTheRealWebsocketGetsTheSameAnswers() throws Exception {
        List<DiscordFuzzFrames.Prompt> prompts = prompts(2);
        DiscordFuzzFrames gen = new DiscordFuzzFrames(7, bot.registry(), prompts);
        Answers answers = new Answers();
        long t0 = System.nanoTime();
        for (int i = 0; i < OVER_THE_SOCKET; i++) {
            DiscordFuzzFrames.Frame f = gen.next();
            discord.sendRaw(f.text());
            if (i % 100 == 99) {
                // frames are handled in order on JDA's reading thread: once the marker arrives, all before it were
                String mark = "marker-" + i;
                CountDownLatch seen = delivered.expect(mark);
                discord.sendRaw(new String(DiscordFuzzFrames.marker(DiscordFuzzFrames.snowflake(9_000_000 + i), mark),
                        java.nio.charset.StandardCharsets.UTF_8));
                assertThat(seen.await(60, TimeUnit.SECONDS)).as("JDA still reads the socket after frame %d", i).isTrue();
                answers.pace(IN_HAND);
            }
        }
        answers.awaitAll(Duration.ofSeconds(60));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("[fuzz] Discord over the websocket: %d frames in %d ms; %s%n[fuzz] JDA refused %s%n", OVER_THE_SOCKET, ms,
                answers.summary(), logs.refusals());
        answers.assertHeld();
        assertSafe();
        assertStillServes();
    }

    // ---- what the fuzz found (each failed before the fix: the listener threw, the interaction stayed "thinking…") --

    /** {@code d} of a slash command by alice with these raw options; the token is the fake's usual one. */
    ObjectNode slashWith(String command, ObjectNode... options) {
        String id = discord.nextId();
        ObjectNode d = DiscordFuzzFrames.base(id, token(id), 2, FakeDiscord.member(ALICE, "alice"));
        d.putObject("data").put("id", "600000000000000001").put("name", command).put("type", 1).putArray("options").addAll(List.of(options));
        return d;
    }

    @Test
    void aClusterOptionOfAnotherTypeWithoutAValueCountsAsNotGiven() throws Exception {
        // found by the fuzz: the listener read the cluster option (an INTEGER here, JDA itself drops a STRING option
        // without value) with getAsString, which threw ParsingException
        ObjectNode d = slashWith("cluster-list", FakeDiscord.JSON.createObjectNode().put("name", "cluster").put("type", 4).putNull("value"));
        String id = d.path("id").asText();
        discord.dispatch("INTERACTION_CREATE", d);
        assertThat(discord.await("deferred callback", callback(id)).body().path("type").asInt()).isEqualTo(5);
        assertThat(text(discord.await("the members", original(id, "PATCH")).body())).contains("node1", "node2", "node3");
        assertThat(logs.escaped()).isEmpty();
    }

    @Test
    void aSwitchWhoseValueIsNoBooleanIsNotSet() throws Exception {
        // found by the fuzz: OptionMapping.getAsBoolean on {"x":"y"} threw in SlashCommands.words
        ObjectNode force = FakeDiscord.JSON.createObjectNode().put("name", "force").put("type", 5);
        force.putObject("value").put("x", "y");
        ObjectNode d = slashWith("reinit", FakeDiscord.JSON.createObjectNode().put("name", "member").put("type", 3).put("value", "node2"), force);
        String id = d.path("id").asText();
        discord.dispatch("INTERACTION_CREATE", d);
        FakeDiscord.Call prompt = discord.await("the confirmation prompt", original(id, "PATCH"));
        assertThat(customIds(prompt.body())).hasSize(2);
        assertThat(text(prompt.body())).contains("node2").doesNotContain("--force");
        assertThat(logs.escaped()).isEmpty();
    }

    @Test
    void aMemberOptionWithoutAValueIsReportedMissing() throws Exception {
        // found by the fuzz: OptionMapping.getAsString on a (USER) option without "value" threw in SlashCommands.words
        ObjectNode d = slashWith("reinit", FakeDiscord.JSON.createObjectNode().put("name", "member").put("type", 6));
        String id = d.path("id").asText();
        discord.dispatch("INTERACTION_CREATE", d);
        assertThat(discord.await("deferred callback", callback(id)).body().path("type").asInt()).isEqualTo(5);
        assertThat(text(discord.await("the usage error", DiscordAdapterTest.followUp(id)).body())).containsIgnoringCase("member");
        assertThat(logs.escaped()).isEmpty();
    }

    @Test
    void autocompleteWithAClusterOptionWithoutAValueStillAnswers() throws Exception {
        // found by the fuzz: choices() read the cluster option with getAsString, threw, and no choices were sent
        String id = discord.nextId();
        ObjectNode d = DiscordFuzzFrames.base(id, token(id), 4, FakeDiscord.member(ALICE, "alice"));
        var opts = d.putObject("data").put("id", "600000000000000001").put("name", "reinit").put("type", 1).putArray("options");
        opts.addObject().put("name", "member").put("type", 3).put("value", "").put("focused", true);
        opts.addObject().put("name", "cluster").put("type", 4);
        discord.dispatch("INTERACTION_CREATE", d);
        FakeDiscord.Call cb = discord.await("autocomplete answer", callback(id));
        assertThat(cb.body().path("type").asInt()).isEqualTo(8);
        assertThat(cb.body().path("data").path("choices").findValuesAsText("value")).containsExactly("node1", "node2", "node3");
        assertThat(logs.escaped()).isEmpty();
    }

    @Test
    void autocompleteFocusedOnAnOptionThatIsNoTextAnswersWithNoChoices() throws Exception {
        // found by the fuzz: replyChoiceStrings threw "Cannot transform choice into data for type BOOLEAN" for a
        // focused BOOLEAN option, the autocomplete task logged it, and Discord got no answer
        String id = discord.nextId();
        ObjectNode d = DiscordFuzzFrames.base(id, token(id), 4, FakeDiscord.member(ALICE, "alice"));
        var opts = d.putObject("data").put("id", "600000000000000001").put("name", "reinit").put("type", 1).putArray("options");
        opts.addObject().put("name", "member").put("type", 5).put("value", "").put("focused", true); // member names match ""
        discord.dispatch("INTERACTION_CREATE", d);
        FakeDiscord.Call cb = discord.await("autocomplete answer", callback(id));
        assertThat(cb.body().path("type").asInt()).isEqualTo(8);
        assertThat(cb.body().path("data").path("choices")).isEmpty();
        assertThat(logs.escaped()).isEmpty();
    }

    // ---- what must hold --------------------------------------------------------------------------------------

    void assertSafe() {
        assertThat(logs.escaped()).as("exceptions that escaped the adapter, or our code's warnings").isEmpty();
        assertThat(runs).as("no forged or foreign press confirmed /destroy").hasValue(0);
        assertThat(audit.stream().filter(e -> e.confirmation().startsWith("confirmed")).map(AuditEvent::toString).toList())
                .as("nothing confirmed").isEmpty();
        assertThat(delivered.duplicates).as("tokens are unique per frame").isEmpty();
    }

    void assertStillServes() throws Exception {
        String id = discord.slash(FakeDiscord.member(ALICE, "alice"), "cluster-list", Map.of());
        assertThat(discord.await("deferred callback", callback(id)).body().path("type").asInt()).isEqualTo(5);
        assertThat(text(discord.await("the members", original(id, "PATCH")).body())).contains("node1", "node2", "node3");
    }

    /** Opens {@code n} /destroy prompts by alice (the storm presses their buttons as others); returns their tokens. */
    List<DiscordFuzzFrames.Prompt> prompts(int n) throws Exception {
        List<DiscordFuzzFrames.Prompt> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = discord.slash(FakeDiscord.member(ALICE, "alice"), "destroy", Map.of());
            FakeDiscord.Call edit = discord.await("prompt", original(id, "PATCH").and(c -> !customIds(c.body()).isEmpty()));
            String confirm = customIds(edit.body()).get(0);
            assertThat(confirm).startsWith("confirm:");
            ObjectNode message = discord.message("wh:" + token(id) + ":@original");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!adapter.knows(message.path("id").asText())) {
                if (System.nanoTime() > deadline) throw new AssertionError("the prompt was never handed to the core");
                Thread.onSpinWait();
            }
            out.add(new DiscordFuzzFrames.Prompt(confirm.substring("confirm:".length()), message.deepCopy()));
        }
        return out;
    }

    // ---- what JDA delivered ------------------------------------------------------------------------------------

    enum Kind { SLASH, BUTTON, AUTOCOMPLETE, OTHER }

    /** A listener after the adapter's: which interactions JDA delivered (by token, unique per generated frame). */
    static final class Deliveries implements EventListener {
        final Map<String, Kind> byToken = new ConcurrentHashMap<>();
        final List<String> duplicates = new CopyOnWriteArrayList<>();
        /** Delivered slash commands, clicks and autocompletes not yet seen answered ({@link Answers} removes them). */
        final Map<String, Long> open = new ConcurrentHashMap<>();
        final Map<String, CountDownLatch> markers = new ConcurrentHashMap<>();

        CountDownLatch expect(String token) {
            return markers.computeIfAbsent(token, k -> new CountDownLatch(1));
        }

        @Override
        public void onEvent(GenericEvent event) {
            if (!(event instanceof GenericInteractionCreateEvent e)) return;
            String token = e.getToken();
            CountDownLatch m = markers.get(token);
            if (m != null) {
                m.countDown();
                return;
            }
            Kind k = e instanceof SlashCommandInteractionEvent ? Kind.SLASH : e instanceof ButtonInteractionEvent ? Kind.BUTTON
                    : e instanceof CommandAutoCompleteInteractionEvent ? Kind.AUTOCOMPLETE : Kind.OTHER;
            if (byToken.put(token, k) != null) duplicates.add(token);
            if (k != Kind.OTHER) open.put(token, System.nanoTime());
        }
    }

    /** What the fake recorded, read incrementally and matched to the delivered interactions by token. */
    final class Answers {
        private int cursor;
        private final Map<String, Integer> callbacks = new ConcurrentHashMap<>();
        private final Map<String, Integer> answered = new ConcurrentHashMap<>();
        private final List<String> unclear = Collections.synchronizedList(new ArrayList<>());
        private final List<String> failedCalls = Collections.synchronizedList(new ArrayList<>());
        private final AtomicLong calls = new AtomicLong();
        private final Set<String> baseline;

        Answers() {
            cursor = discord.calls().size();
            baseline = Set.copyOf(delivered.byToken.keySet());
            delivered.open.keySet().removeAll(baseline); // the prompts opened before, answered already
        }

        synchronized void poll() {
            List<FakeDiscord.Call> fresh = discord.callsSince(cursor);
            cursor += fresh.size();
            for (FakeDiscord.Call c : fresh) {
                calls.incrementAndGet();
                String[] p = c.path().split("/");
                if (c.status() >= 300) failedCalls.add(c.toString().substring(0, Math.min(300, c.toString().length())));
                if (p.length == 4 && p[0].equals("interactions") && p[3].equals("callback")) {
                    callbacks.merge(p[2], 1, Integer::sum);
                } else if (p.length >= 3 && p[0].equals("webhooks") && p[1].equals(APP) && !c.method().equals("DELETE")
                        && !c.method().equals("GET")) {
                    answered.merge(p[2], 1, Integer::sum);
                }
                String body = c.body() == null ? "" : c.body().toString();
                for (String u : UNCLEAR) {
                    if (body.contains(u)) unclear.add(c.method() + " " + c.path() + ": " + body.substring(0, Math.min(400, body.length())));
                }
                if (p[0].equals("webhooks") && c.method().matches("PATCH|POST") && !hasText(c.body())) {
                    unclear.add("an answer without text: " + c);
                }
            }
        }

        private boolean hasText(JsonNode body) {
            return body != null && (!body.path("content").asText().isBlank() || !text(body).isBlank());
        }

        /** Delivered interactions still waiting for their callback or (slash commands, clicks) their answer. */
        int pending() {
            long now = System.nanoTime();
            delivered.open.entrySet().removeIf(e -> {
                String t = e.getKey();
                Kind k = delivered.byToken.get(t);
                if (callbacks.containsKey(t) && (k == Kind.AUTOCOMPLETE || answered.containsKey(t))) return true;
                // unanswered after STUCK: given up on here (assertHeld reports it), so the feed goes on
                return now - e.getValue() > STUCK.toNanos();
            });
            return delivered.open.size();
        }

        /** Waits while more than {@code max} are in hand (Discord's users would not outpace the bot forever either). */
        void pace(int max) {
            if (delivered.open.size() <= max) return;
            poll();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (pending() > max / 3) {
                if (System.nanoTime() > deadline) throw new AssertionError("the bot is stuck with " + delivered.open.size()
                        + " unanswered interactions, e.g. " + delivered.open.keySet().stream().limit(5).toList());
                LockSupport.parkNanos(1_000_000);
                poll();
            }
        }

        void awaitAll(Duration d) {
            long deadline = System.nanoTime() + d.toNanos();
            poll();
            while (pending() > 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(5_000_000);
                poll();
            }
            // the last callbacks of a JDA retry could still be on their way: one more look
            poll();
        }

        Map<Kind, Integer> counts() {
            Map<Kind, Integer> m = new TreeMap<>();
            delivered.byToken.forEach((t, k) -> {
                if (!baseline.contains(t)) m.merge(k, 1, Integer::sum);
            });
            return m;
        }

        String summary() {
            return "JDA delivered " + counts() + "; " + calls.get() + " REST calls to the fake";
        }

        void assertHeld() {
            List<String> wrong = new ArrayList<>();
            delivered.byToken.forEach((t, k) -> {
                if (baseline.contains(t) || k == Kind.OTHER) return;
                int cb = callbacks.getOrDefault(t, 0);
                if (cb != 1) wrong.add(k + " " + t + ": " + cb + " callbacks");
                if ((k == Kind.SLASH || k == Kind.BUTTON) && !answered.containsKey(t)) wrong.add(k + " " + t + ": no answer");
            });
            assertThat(wrong).as("every delivered interaction gets exactly one callback, and commands an answer").isEmpty();
            assertThat(unclear).as("answers are clear messages").isEmpty();
            assertThat(failedCalls).as("REST calls the fake refused").isEmpty();
            Map<Kind, Integer> c = counts();
            assertThat(c.getOrDefault(Kind.SLASH, 0)).as("the generator reaches the adapter with slash commands").isGreaterThan(50);
            assertThat(c.getOrDefault(Kind.BUTTON, 0)).as("and clicks").isGreaterThan(20);
            assertThat(c.getOrDefault(Kind.AUTOCOMPLETE, 0)).as("and autocomplete").isGreaterThan(20);
        }
    }

    // ---- logs ----------------------------------------------------------------------------------------------

    /**
     * Every WARN/ERROR event: ours (logged by dev.pgchatops or with our code in the stack) fail the test; JDA's refusals
     * of frames are counted by message. JDA's logger is detached from the console meanwhile (it prints whole payloads).
     */
    static final class WatchedLogs extends AppenderBase<ILoggingEvent> implements AutoCloseable {
        private final List<String> escaped = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
        final Map<String, String> samples = new ConcurrentHashMap<>();
        private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        private final Logger jda = (Logger) LoggerFactory.getLogger("net.dv8tion");
        private final Level jdaLevel = jda.getLevel();
        private final boolean jdaAdditive = jda.isAdditive();

        WatchedLogs() {
            setContext(root.getLoggerContext());
            start();
            root.addAppender(this);
            jda.addAppender(this);
            jda.setAdditive(false);
            jda.setLevel(Level.WARN);
        }

        @Override
        protected void append(ILoggingEvent e) {
            if (!e.getLevel().isGreaterOrEqual(Level.WARN)) return;
            IThrowableProxy t = e.getThrowableProxy();
            String ours = e.getLoggerName().startsWith("dev.pgchatops") ? e.getLoggerName() : null;
            for (IThrowableProxy x = t; x != null && ours == null; x = x.getCause()) {
                for (StackTraceElementProxy s : x.getStackTraceElementProxyArray()) {
                    String cls = s.getStackTraceElement().getClassName();
                    // the in-process feed calls JDA from this test: its own frames are below every JDA stack
                    if (cls.startsWith("dev.pgchatops") && !cls.startsWith(DiscordPayloadFuzzTest.class.getName())) {
                        ours = s.getSTEAsString();
                        break;
                    }
                }
            }
            if (ours != null) {
                String msg = e.getFormattedMessage();
                escaped.add(e.getLevel() + " " + e.getLoggerName() + ": " + msg.substring(0, Math.min(600, msg.length()))
                        + (t == null ? "" : " — " + t.getClassName() + ": " + t.getMessage()) + " [" + ours + "]");
            } else {
                String key = e.getMessage().lines().findFirst().orElse("") + (t == null ? "" : " (" + t.getClassName() + ")");
                if (refusals.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() == 1 && samples.size() < 50) {
                    String msg = e.getFormattedMessage();
                    samples.put(key, msg.substring(0, Math.min(1000, msg.length())) + (t == null ? "" : " — " + t.getMessage()));
                }
            }
        }

        List<String> escaped() {
            synchronized (escaped) {
                return List.copyOf(escaped);
            }
        }

        Map<String, AtomicInteger> refusals() {
            return new TreeMap<>(refusals);
        }

        @Override
        public void close() {
            root.detachAppender(this);
            jda.detachAppender(this);
            jda.setAdditive(jdaAdditive);
            jda.setLevel(jdaLevel);
            stop();
        }
    }
}
