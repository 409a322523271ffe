package dev.pgchatops.adapters.slack;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.pgchatops.config.AccessConfig;
import dev.pgchatops.config.Role;
import dev.pgchatops.config.Secret;
import dev.pgchatops.config.SlackConfig;
import dev.pgchatops.core.AccessControl;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.CommandRegistry;
import dev.pgchatops.core.Invocation;
import dev.pgchatops.core.Outcome;
import dev.pgchatops.core.audit.AuditEvent;
import dev.pgchatops.core.confirm.Confirmations;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real {@link Bot} with small test commands, the real {@link SlackAdapter} (real Bolt) against {@link FakeSlack}
 * and, in Socket Mode, {@link FakeSocketMode}. Users: alice (operator), bob (viewer), carol (admin through the user
 * group S0ADMINS).
 */
final class SlackHarness implements AutoCloseable {
    static final String CHANNEL = "C0OPS";

    final FakeSlack slack;
    final FakeSocketMode socket;
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    final AtomicInteger dangerRuns = new AtomicInteger();
    final CountDownLatch releaseSlow = new CountDownLatch(1);
    final CountDownLatch progressGo = new CountDownLatch(1);
    final CountDownLatch progressEnd = new CountDownLatch(1);
    final Bot bot;
    final SlackAdapter adapter;
    private final AtomicInteger triggers = new AtomicInteger();

    static final class MutableClock implements InstantSource {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }
    }

    SlackHarness(SlackConfig.Mode mode, Duration workingAfter) throws Exception {
        this(mode, workingAfter, null, null);
    }

    /** With {@code liveBot} (an IT's bot on the real cluster, whose config maps {@code access}) instead of the test bot. */
    SlackHarness(SlackConfig.Mode mode, Duration workingAfter, Bot liveBot, AccessConfig liveAccess) throws Exception {
        this(mode, workingAfter, liveBot, liveAccess,
                new SlackWeb.Policy(4, Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ZERO));
    }

    /** With the Web API retry {@code policy} (an outage allowance, say). */
    SlackHarness(SlackConfig.Mode mode, Duration workingAfter, SlackWeb.Policy policy) throws Exception {
        this(mode, workingAfter, null, null, policy);
    }

    private SlackHarness(SlackConfig.Mode mode, Duration workingAfter, Bot liveBot, AccessConfig liveAccess,
                         SlackWeb.Policy policy) throws Exception {
        slack = new FakeSlack();
        slack.group("S0ADMINS", "UCAROL");
        AccessConfig access = liveAccess != null ? liveAccess : new AccessConfig(Role.VIEWER, Map.of("slack:UALICE", Role.OPERATOR),
                Map.of("S0ADMINS", Role.ADMIN), Map.of());
        if (liveBot != null) {
            bot = liveBot;
        } else {
            CommandRegistry registry = new CommandRegistry();
            testCommands().forEach(registry::register);
            dev.pgchatops.core.cmd.MetaCommands.all().forEach(registry::register);
            bot = new Bot(List.of(), registry, new AccessControl(access), new Confirmations(clock, Duration.ofSeconds(120), 5),
                    audit::add, clock);
        }
        Optional<Secret> appToken = mode == SlackConfig.Mode.SOCKET ? Optional.of(new Secret("env SLACK_APP_TOKEN", FakeSlack.APP_TOKEN)) : Optional.empty();
        Optional<Secret> signing = mode == SlackConfig.Mode.HTTP ? Optional.of(new Secret("env SLACK_SIGNING_SECRET", SIGNING_SECRET)) : Optional.empty();
        SlackConfig config = new SlackConfig(mode, new Secret("env SLACK_BOT_TOKEN", FakeSlack.BOT_TOKEN), appToken, signing,
                3000, URI.create(slack.apiUrl()));
        SlackAdapter.Options options = new SlackAdapter.Options(workingAfter, policy, SlackWeb.Sleeper.REAL,
                Optional.of(new InetSocketAddress("127.0.0.1", 0)), Duration.ofMinutes(5), Duration.ofSeconds(5),
                Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));
        if (mode == SlackConfig.Mode.SOCKET) {
            socket = new FakeSocketMode();
            socket.startAndWait();
            slack.socketUrl = socket.url();
        } else {
            socket = null;
        }
        adapter = new SlackAdapter(config, access, bot, options);
        adapter.start();
        if (socket != null) socket.awaitConnected(Duration.ofSeconds(10));
    }

    static final String SIGNING_SECRET = "test-signing-secret";

    private List<Command> testCommands() {
        return List.of(
                command("ping", Role.VIEWER, false, inv -> Outcome.done(Reply.builder(Severity.SUCCESS, "pong")
                        .table(List.of("Member", "Role"), List.of(List.of("node1", "leader"), List.of("node2", "replica")))
                        .fields(List.of(new Block.Field("Cluster", "demo"))).build())),
                command("secret", Role.VIEWER, false, inv -> Outcome.done(Reply.info("only for you <!channel> & co").asPrivate())),
                command("slow", Role.VIEWER, false, inv -> {
                    await(releaseSlow);
                    return Outcome.done(Reply.success("slow done"));
                }),
                command("progress", Role.VIEWER, false, inv -> {
                    inv.progress().line("step 1 of 2");
                    await(progressGo);
                    inv.progress().line("step 2 of 2");
                    await(progressEnd);
                    return Outcome.done(Reply.success("progress result: all steps done"));
                }),
                command("danger", Role.OPERATOR, true, inv -> Outcome.confirm("drops the test table on demo", p -> {
                    dangerRuns.incrementAndGet();
                    p.line("dropping");
                    return Reply.success("dropped the test table");
                })));
    }

    private static void await(CountDownLatch l) {
        try {
            if (!l.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("test latch not released");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    interface Body {
        Outcome run(Invocation inv) throws dev.pgchatops.core.UserFacingException;
    }

    private static Command command(String name, Role role, boolean destructive, Body body) {
        CommandSpec spec = new CommandSpec(name, "test command " + name, role, destructive, List.of(), 0, List.of());
        return new Command() {
            @Override
            public CommandSpec spec() {
                return spec;
            }

            @Override
            public Outcome run(Invocation inv) throws dev.pgchatops.core.UserFacingException {
                return body.run(inv);
            }

            @Override
            public boolean needsCluster() {
                return false;
            }
        };
    }

    // ---- payloads ----------------------------------------------------------------------------------------

    JsonObject slashCommand(String command, String text, String userId, String userName, String responseId) {
        JsonObject p = new JsonObject();
        p.addProperty("token", "legacy-verification-token");
        p.addProperty("team_id", "T0001");
        p.addProperty("team_domain", "test");
        p.addProperty("channel_id", CHANNEL);
        p.addProperty("channel_name", "ops");
        p.addProperty("user_id", userId);
        p.addProperty("user_name", userName);
        p.addProperty("command", command);
        p.addProperty("text", text);
        p.addProperty("api_app_id", "A0001");
        p.addProperty("is_enterprise_install", "false");
        p.addProperty("response_url", slack.responseUrl(responseId));
        p.addProperty("trigger_id", "trigger-" + triggers.incrementAndGet());
        return p;
    }

    JsonObject click(String actionId, String messageTs, String userId, String userName, String responseId) {
        JsonObject p = new JsonObject();
        p.addProperty("type", "block_actions");
        JsonObject user = new JsonObject();
        user.addProperty("id", userId);
        user.addProperty("username", userName);
        user.addProperty("name", userName);
        user.addProperty("team_id", "T0001");
        p.add("user", user);
        p.addProperty("api_app_id", "A0001");
        p.addProperty("token", "legacy-verification-token");
        JsonObject container = new JsonObject();
        container.addProperty("type", "message");
        container.addProperty("message_ts", messageTs);
        container.addProperty("channel_id", CHANNEL);
        container.addProperty("is_ephemeral", false);
        p.add("container", container);
        p.addProperty("trigger_id", "trigger-" + triggers.incrementAndGet());
        JsonObject team = new JsonObject();
        team.addProperty("id", "T0001");
        team.addProperty("domain", "test");
        p.add("team", team);
        JsonObject channel = new JsonObject();
        channel.addProperty("id", CHANNEL);
        channel.addProperty("name", "ops");
        p.add("channel", channel);
        JsonObject message = new JsonObject();
        message.addProperty("type", "message");
        message.addProperty("ts", messageTs);
        message.addProperty("text", "prompt");
        p.add("message", message);
        p.addProperty("response_url", slack.responseUrl(responseId));
        JsonArray actions = new JsonArray();
        JsonObject a = new JsonObject();
        a.addProperty("action_id", actionId);
        a.addProperty("block_id", "b1");
        a.addProperty("value", actionId);
        a.addProperty("type", "button");
        a.addProperty("action_ts", "1700000001.000001");
        JsonObject t = new JsonObject();
        t.addProperty("type", "plain_text");
        t.addProperty("text", "Confirm");
        a.add("text", t);
        actions.add(a);
        p.add("actions", actions);
        return p;
    }

    /** The confirm:/cancel: action ids of the buttons in a posted prompt. */
    static List<String> buttons(FakeSlack.Call prompt) {
        List<String> out = new java.util.ArrayList<>();
        for (var b : prompt.blocks()) {
            JsonObject o = b.getAsJsonObject();
            if (o.get("type").getAsString().equals("actions")) {
                for (var e : o.getAsJsonArray("elements")) out.add(e.getAsJsonObject().get("action_id").getAsString());
            }
        }
        return out;
    }

    /** Waits until every command and click handed to the bot has been answered (prompts registered too). */
    void awaitIdle() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (adapter.inFlight() > 0) {
            if (System.nanoTime() > deadline) throw new AssertionError("the bot is still busy: " + adapter.inFlight());
            Thread.onSpinWait();
        }
    }

    @Override
    public void close() throws Exception {
        adapter.close();
        bot.close();
        if (socket != null) socket.stop(1000);
        slack.close();
    }
}
