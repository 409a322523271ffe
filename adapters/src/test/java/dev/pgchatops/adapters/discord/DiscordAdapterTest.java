package dev.pgchatops.adapters.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pgchatops.adapters.ChatAdapter;
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
import dev.pgchatops.core.chat.MessageRef;
import dev.pgchatops.core.cmd.Follow;
import dev.pgchatops.core.confirm.Confirmations;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.patroni.PatroniClient;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.run.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static dev.pgchatops.adapters.discord.FakeDiscord.ALICE;
import static dev.pgchatops.adapters.discord.FakeDiscord.APP;
import static dev.pgchatops.adapters.discord.FakeDiscord.BOB;
import static dev.pgchatops.adapters.discord.FakeDiscord.CAROL;
import static dev.pgchatops.adapters.discord.FakeDiscord.CHANNEL;
import static dev.pgchatops.adapters.discord.FakeDiscord.GUILD;
import static dev.pgchatops.adapters.discord.FakeDiscord.OPERATOR_ROLE;
import static dev.pgchatops.adapters.discord.FakeDiscord.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real JDA against {@link FakeDiscord}, with the real core and its commands against {@link FakePatroni}. */
class DiscordAdapterTest {
    static final ObjectNode alice = FakeDiscord.member(ALICE, "alice");
    static final ObjectNode bob = FakeDiscord.member(BOB, "bob");
    static final ObjectNode carol = FakeDiscord.member(CAROL, "carol", OPERATOR_ROLE);

    FakeDiscord discord;
    FakePatroni patroni;
    Bot bot;
    DiscordAdapter adapter;
    final AtomicInteger runs = new AtomicInteger();
    final AtomicReference<CountDownLatch> gate = new AtomicReference<>();
    final AtomicLong skew = new AtomicLong();
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void start() throws Exception {
        discord = new FakeDiscord();
        patroni = new FakePatroni();
        PatroniConfig pc = new PatroniConfig(List.of(URI.create(patroni.url())), "u", new Secret("test", "p"),
                Duration.ofSeconds(2), Duration.ofSeconds(30));
        ClusterRuntime demo = new ClusterRuntime(new ClusterConfig("demo", pc, Optional.empty()), new PatroniClient("demo", pc), Optional.empty());
        CommandRegistry registry = Bots.registry(Follow.Limits.DEFAULT).register(destroy());
        InstantSource clock = () -> now.get();
        bot = new Bot(List.of(demo), registry,
                new AccessControl(new AccessConfig(Role.VIEWER, Map.of("discord:" + ALICE, Role.OPERATOR), Map.of(),
                        Map.of(OPERATOR_ROLE, Role.OPERATOR))),
                new Confirmations(clock, Duration.ofSeconds(120)), e -> { }, clock,
                new Bot.Settings(4, Ticker.SYSTEM, Optional.of((task, nanos) -> timer.schedule(task, nanos, TimeUnit.NANOSECONDS))));
        adapter = new DiscordAdapter(config(), bot,
                new DiscordAdapter.Settings(() -> System.nanoTime() + skew.get(), Clock.systemUTC(), Duration.ofSeconds(20)));
        adapter.start();
    }

    DiscordConfig config() {
        return new DiscordConfig(new Secret("env DISCORD_TOKEN", FakeDiscord.TOKEN), Optional.of(GUILD),
                URI.create(discord.apiUrl()), URI.create(discord.gatewayUrl()));
    }

    @AfterEach
    void stop() throws Exception {
        if (adapter != null) adapter.close();
        bot.close();
        patroni.close();
        discord.close();
        timer.shutdownNow();
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
                    progress.line("step one");
                    CountDownLatch g = gate.get();
                    if (g != null) {
                        try {
                            g.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    progress.line("step two");
                    return Reply.success("destroyed " + inv.cluster().name());
                });
            }
        };
    }

    static String token(String interaction) {
        return "itoken-" + interaction;
    }

    static Predicate<FakeDiscord.Call> callback(String interaction) {
        return route("POST", "interactions/" + interaction + "/" + token(interaction) + "/callback");
    }

    static Predicate<FakeDiscord.Call> original(String interaction, String method) {
        return route(method, "webhooks/" + APP + "/" + token(interaction) + "/messages/@original");
    }

    static Predicate<FakeDiscord.Call> followUp(String interaction) {
        return route("POST", "webhooks/" + APP + "/" + token(interaction));
    }

    static String text(JsonNode message) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode e : message.path("embeds")) {
            sb.append(e.path("title").asText()).append('\n').append(e.path("description").asText()).append('\n');
            for (JsonNode f : e.path("fields")) sb.append(f.path("name").asText()).append(": ").append(f.path("value").asText()).append('\n');
        }
        return sb.toString();
    }

    static List<String> customIds(JsonNode message) {
        List<String> out = new ArrayList<>();
        for (JsonNode row : message.path("components")) for (JsonNode c : row.path("components")) out.add(c.path("custom_id").asText());
        return out;
    }

    // ---- registration --------------------------------------------------------------------------------------------

    @Test
    void oneBulkOverwriteInTheGuildMatchesTheRegistry() throws Exception {
        List<FakeDiscord.Call> puts = discord.calls().stream().filter(c -> c.method().equals("PUT")).toList();
        assertThat(puts).hasSize(1);
        assertThat(puts.get(0).path()).isEqualTo("applications/" + APP + "/guilds/" + GUILD + "/commands");
        JsonNode body = puts.get(0).body();
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        body.forEach(c -> byName.put(c.path("name").asText(), c));
        assertThat(byName.keySet()).containsExactlyInAnyOrderElementsOf(bot.registry().all().stream().map(c -> c.spec().name()).toList());
        for (Command c : bot.registry().all()) {
            JsonNode def = byName.get(c.spec().name());
            assertThat(def.path("type").asInt()).isEqualTo(1);
            assertThat(def.path("description").asText()).isNotBlank().hasSizeLessThanOrEqualTo(100);
            Map<String, JsonNode> opts = new LinkedHashMap<>();
            def.path("options").forEach(o -> opts.put(o.path("name").asText(), o));
            assertThat(opts.keySet()).containsExactlyInAnyOrderElementsOf(c.spec().params().stream().map(CommandSpec.Param::name).toList());
            boolean optionalSeen = false;
            for (JsonNode o : def.path("options")) {
                boolean required = o.path("required").asBoolean(false);
                assertThat(required && optionalSeen).as("required options come first in /" + c.spec().name()).isFalse();
                optionalSeen |= !required;
            }
            for (CommandSpec.Param p : c.spec().params()) {
                JsonNode o = opts.get(p.name());
                assertThat(o.path("required").asBoolean(false)).as(c.spec().name() + " " + p.name()).isEqualTo(p.required());
                assertThat(o.path("type").asInt()).isEqualTo(p.type() == CommandSpec.ValueType.SWITCH ? 5 : 3);
                boolean auto = p.type() == CommandSpec.ValueType.MEMBER || p.type() == CommandSpec.ValueType.CLUSTER;
                assertThat(o.path("autocomplete").asBoolean(false)).as(c.spec().name() + " " + p.name() + " autocomplete").isEqualTo(auto);
                List<String> choices = new ArrayList<>();
                o.path("choices").forEach(x -> choices.add(x.path("value").asText()));
                assertThat(choices).isEqualTo(p.type() == CommandSpec.ValueType.CHOICE ? p.choices() : List.of());
            }
        }
        JsonNode backup = byName.get("backup").path("options").get(0);
        assertThat(backup.path("name").asText()).isEqualTo("type");
        assertThat(backup.path("choices").findValuesAsText("value")).containsExactly("full", "diff", "incr");
        assertThat(byName.get("failover").path("options").get(0).path("name").asText()).isEqualTo("candidate");
        assertThat(byName.get("failover").path("options").get(0).path("required").asBoolean()).isTrue();
    }

    @Test
    void aRefusedTokenIsAnOperatorFacingStartError() throws Exception {
        discord.refuseToken = true;
        DiscordAdapter other = new DiscordAdapter(config(), bot);
        assertThatThrownBy(other::start).isInstanceOf(ChatAdapter.AdapterStartException.class)
                .hasMessageContaining("refused the bot token from env DISCORD_TOKEN");
        other.close();
    }

    // ---- commands --------------------------------------------------------------------------------------------

    @Test
    void clusterListIsDeferredThenTheOriginalShowsTheMembersInAnEmbed() throws Exception {
        String id = discord.slash(alice, "cluster-list", Map.of());
        FakeDiscord.Call cb = discord.await("deferred callback", callback(id));
        assertThat(cb.body().path("type").asInt()).isEqualTo(5);
        assertThat(cb.body().path("data").path("flags").asInt(0) & 64).isZero();
        FakeDiscord.Call edit = discord.await("edit of @original", original(id, "PATCH"));
        assertThat(discord.calls().indexOf(cb)).isLessThan(discord.calls().indexOf(edit));
        JsonNode embed = edit.body().path("embeds").get(0);
        assertThat(embed.path("title").asText()).isEqualTo("Cluster: demo");
        assertThat(embed.path("description").asText()).startsWith("```").contains("node1", "node2", "node3", "Leader", "streaming");
        assertThat(embed.path("color").asInt()).isEqualTo(0x3498DB);
        assertThat(embed.path("footer").path("text").asText()).isEqualTo("pgchatops · cluster demo");
        assertThat(embed.path("timestamp").asText()).isNotBlank();
    }

    @Test
    void privateAnswersAreEphemeral() throws Exception {
        String who = discord.slash(carol, "whoami", Map.of());
        FakeDiscord.Call cb = discord.await("deferred callback", callback(who));
        assertThat(cb.body().path("data").path("flags").asInt() & 64).isEqualTo(64);
        FakeDiscord.Call edit = discord.await("edit of @original", original(who, "PATCH"));
        assertThat(text(edit.body())).contains("discord:" + CAROL).contains("operator"); // role by Discord role id

        String refused = discord.slash(bob, "destroy", Map.of());
        assertThat(discord.await("deferred callback", callback(refused)).body().path("data").path("flags").asInt() & 64).isEqualTo(64);
        assertThat(text(discord.await("refusal", original(refused, "PATCH")).body())).contains("needs the operator role");

        String usage = discord.slash(alice, "cluster-list", Map.of("cluster", "nosuch"));
        assertThat(discord.await("deferred callback", callback(usage)).body().path("data").path("flags").asInt(0) & 64).isZero();
        discord.await("public original deleted", original(usage, "DELETE"));
        FakeDiscord.Call f = discord.await("ephemeral follow-up", followUp(usage));
        assertThat(f.body().path("flags").asInt() & 64).isEqualTo(64);
        assertThat(text(f.body())).contains("no cluster named 'nosuch'");
        assertThat(discord.calls().stream().filter(original(usage, "PATCH"))).isEmpty();
    }

    @Test
    void autocompleteOfReinitMemberGivesTheLiveMemberNames() throws Exception {
        String id = discord.autocomplete(alice, "reinit", "member", "");
        FakeDiscord.Call cb = discord.await("autocomplete answer", callback(id));
        assertThat(cb.body().path("type").asInt()).isEqualTo(8);
        assertThat(cb.body().path("data").path("choices").findValuesAsText("value")).containsExactly("node1", "node2", "node3");
        String two = discord.autocomplete(alice, "reinit", "member", "DE2");
        assertThat(discord.await("autocomplete answer", callback(two)).body().path("data").path("choices").findValuesAsText("value"))
                .containsExactly("node2");
        String all = discord.autocomplete(alice, "restart", "member", "");
        assertThat(discord.await("autocomplete answer", callback(all)).body().path("data").path("choices").findValuesAsText("value"))
                .containsExactly("node1", "node2", "node3", "all");
        String cl = discord.autocomplete(alice, "backup-info", "cluster", "");
        assertThat(discord.await("autocomplete answer", callback(cl)).body().path("data").path("choices").findValuesAsText("value"))
                .containsExactly("demo");
    }

    @Test
    void autocompleteAnswersEvenWhilePatroniHangs() throws Exception {
        patroni.hang();
        String id = discord.autocomplete(alice, "reinit", "member", "");
        FakeDiscord.Call cb = discord.await("autocomplete answer", callback(id));
        assertThat(cb.body().path("data").path("choices").isArray()).isTrue();
        assertThat(cb.body().path("data").path("choices")).isEmpty();
    }

    // ---- confirmations ---------------------------------------------------------------------------------------

    /** /destroy by alice: the prompt on @original; returns the interaction id and the prompt's message id. */
    String[] prompt() throws Exception {
        String id = discord.slash(alice, "destroy", Map.of());
        FakeDiscord.Call edit = discord.await("prompt", original(id, "PATCH"));
        List<String> ids = customIds(edit.body());
        assertThat(ids).hasSize(2);
        assertThat(ids.get(0)).startsWith("confirm:").hasSizeLessThanOrEqualTo(100);
        assertThat(ids.get(1)).startsWith("cancel:");
        assertThat(text(edit.body())).contains("destroy everything on demo");
        String messageId = discord.message("wh:" + token(id) + ":@original").path("id").asText();
        // the core keeps the prompt's ref right after the adapter returns it: wait for that hand-over
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!adapter.knows(messageId)) {
            if (System.nanoTime() > deadline) throw new AssertionError("the prompt was never handed to the core");
            Thread.onSpinWait();
        }
        return new String[]{id, messageId, ids.get(0)};
    }

    @Test
    void confirmByTheRequesterRunsOnceAlthoughClickedTwice() throws Exception {
        String[] p = prompt();
        String c1 = discord.click(alice, p[1], p[2]);
        String c2 = discord.click(alice, p[1], p[2]);
        assertThat(discord.await("deferred update", callback(c1)).body().path("type").asInt()).isEqualTo(6);
        assertThat(discord.await("deferred update", callback(c2)).body().path("type").asInt()).isEqualTo(6);
        FakeDiscord.Call dup = discord.await("ephemeral 'already confirmed'", followUp(c2).or(followUp(c1)));
        assertThat(dup.body().path("flags").asInt() & 64).isEqualTo(64);
        assertThat(text(dup.body())).contains("already confirmed");
        FakeDiscord.Call done = discord.await("result", c -> c.method().equals("PATCH") && c.status() == 200
                && text(c.body()).contains("destroyed demo"));
        assertThat(done.body().path("components")).isEmpty();
        assertThat(runs).hasValue(1);
    }

    @Test
    void aClickByAnotherUserIsRefusedEphemerallyAndRunsNothing() throws Exception {
        String[] p = prompt();
        String c = discord.click(bob, p[1], p[2]);
        FakeDiscord.Call f = discord.await("ephemeral refusal", followUp(c));
        assertThat(f.body().path("flags").asInt() & 64).isEqualTo(64);
        assertThat(text(f.body())).contains("Only alice");
        assertThat(runs).hasValue(0);
        assertThat(customIds(discord.message(p[1]))).hasSize(2); // still open
    }

    @Test
    void anExpiredConfirmationIsEditedAndNothingRuns() throws Exception {
        String[] p = prompt();
        now.set(now.get().plusSeconds(121));
        assertThat(bot.expireDue()).isEqualTo(1);
        FakeDiscord.Call edit = discord.await("expiry edit", original(p[0], "PATCH").and(c -> text(c.body()).contains("Expired")));
        assertThat(edit.body().path("components")).isEmpty();
        String c = discord.click(alice, p[1], p[2]);
        assertThat(text(discord.await("refusal", followUp(c)).body())).contains("expired");
        assertThat(runs).hasValue(0);
    }

    @Test
    void nearTheEndOfTheTokenTheRestGoesToAChannelMessageThatKeepsBeingEdited() throws Exception {
        gate.set(new CountDownLatch(1));
        String[] p = prompt();
        String c = discord.click(alice, p[1], p[2]);
        discord.await("running", route("PATCH", "webhooks/" + APP + "/" + token(c) + "/messages/@original")
                .and(x -> text(x.body()).contains("step one")));
        skew.set(Duration.ofMinutes(14).plusSeconds(30).toNanos()); // both tokens are now too old to use
        gate.get().countDown();
        FakeDiscord.Call posted = discord.await("channel message", route("POST", "channels/" + CHANNEL + "/messages"));
        FakeDiscord.Call result = discord.await("result in the channel message",
                x -> x.method().matches("PATCH|POST") && x.path().startsWith("channels/" + CHANNEL + "/messages") && x.status() == 200
                        && text(x.body()).contains("destroyed demo"));
        assertThat(text(posted.body()) + text(result.body())).contains("destroyed demo");
        assertThat(runs).hasValue(1);
        long afterSkew = discord.calls().stream().filter(x -> x.path().startsWith("webhooks/") && x.method().equals("PATCH")
                && text(x.body()).contains("destroyed")).count();
        assertThat(afterSkew).isZero();
    }

    // ---- rate limits and the sender ----------------------------------------------------------------------------

    @Test
    void a429OnAnEditIsRetriedByJdaAndTheFinalStateArrives() throws Exception {
        discord.rateLimitNext("PATCH", "webhooks/.*/messages/@original", 1);
        String id = discord.slash(alice, "cluster-list", Map.of());
        FakeDiscord.Call edit = discord.await("edit after the 429", original(id, "PATCH"));
        assertThat(discord.calls().stream().filter(c -> c.status() == 429 && c.path().endsWith("@original"))).hasSize(1);
        assertThat(text(edit.body())).contains("node1", "node2", "node3");
    }

    @Test
    void theSenderPostsEditsAndAnswersInAThread() throws Exception {
        var sender = adapter.sender();
        MessageRef ref = sender.post(CHANNEL, Reply.error("node1 is down"));
        FakeDiscord.Call post = discord.await("alert", route("POST", "channels/" + CHANNEL + "/messages"));
        assertThat(text(post.body())).contains("node1 is down");
        assertThat(post.body().path("embeds").get(0).path("color").asInt()).isEqualTo(0xE74C3C);
        String mid = adapter.messageId(ref);
        assertThat(discord.message(mid)).isNotNull();
        sender.update(ref, Reply.success("node1 is back"));
        assertThat(text(discord.await("edit", route("PATCH", "channels/" + CHANNEL + "/messages/" + mid)).body())).contains("node1 is back");
        sender.replyInThread(ref, Reply.info("failover took 9 s"));
        discord.await("thread", route("POST", "channels/" + CHANNEL + "/messages/" + mid + "/threads"));
        assertThat(text(discord.await("reply in thread", route("POST", "channels/" + mid + "/messages")).body())).contains("failover took 9 s");
        sender.replyInThread(ref, Reply.info("second"));
        discord.awaitCount("second reply in thread", route("POST", "channels/" + mid + "/messages"), 2);
        assertThat(discord.calls().stream().filter(route("POST", "channels/" + CHANNEL + "/messages/" + mid + "/threads"))).hasSize(1);
    }
}
