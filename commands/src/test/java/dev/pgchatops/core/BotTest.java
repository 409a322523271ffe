package dev.pgchatops.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgchatops.config.Role;
import dev.pgchatops.core.audit.AuditEvent;
import dev.pgchatops.core.audit.JsonlAuditLog;
import dev.pgchatops.core.cmd.Follow;
import dev.pgchatops.core.cmd.PatroniCommands;
import dev.pgchatops.core.confirm.Pending;
import dev.pgchatops.core.confirm.PendingView;
import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.pgchatops.core.Fixtures.ADMIN;
import static dev.pgchatops.core.Fixtures.ALICE;
import static dev.pgchatops.core.Fixtures.STRANGER;
import static dev.pgchatops.core.Fixtures.VIEWER;
import static dev.pgchatops.core.Fixtures.req;
import static org.assertj.core.api.Assertions.assertThat;

class BotTest {
    private final TestClock clock = new TestClock();
    private final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    private final FakeCommand status = FakeCommand.read("status", Role.VIEWER);
    private final FakeCommand destroy = FakeCommand.destructive("destroy", Role.OPERATOR);
    private FakeHttpServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private Bot bot(CommandRegistry registry, ClusterRuntime... clusters) {
        return Fixtures.bot(List.of(clusters), registry, clock, Duration.ofSeconds(120), audit);
    }

    private Bot fakeBot(ClusterRuntime... clusters) {
        return bot(new CommandRegistry().register(status).register(destroy), clusters);
    }

    private static RecordingResponder handle(Bot bot, Identity who, String text) {
        RecordingResponder out = new RecordingResponder();
        bot.handle(req(who, text), out);
        return out;
    }

    // ---- RBAC -------------------------------------------------------------------------------------------------

    @Test
    void viewerIsRefusedADestructiveCommandAndNothingRuns() {
        Bot bot = fakeBot(Fixtures.offlineCluster("main"));
        RecordingResponder out = new RecordingResponder();
        Optional<PendingView> p = bot.handle(req(VIEWER, "/destroy --force"), out);

        assertThat(p).isEmpty();
        assertThat(out.only().severity()).isEqualTo(Severity.ERROR);
        assertThat(out.text()).isEqualTo("/destroy needs the operator role; slack:UVIEW has viewer. "
                + "Ask an admin to map you under access.users (or your user group under access.slack-groups) in the bot config.");
        assertThat(destroy.runs).hasValue(0);
        assertThat(destroy.actions).hasValue(0);
        assertThat(audit).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo("refused");
            assertThat(e.command()).isEqualTo("destroy");
            assertThat(e.args()).containsExactly("--force");
            assertThat(e.user()).isEqualTo("slack:UVIEW");
        });
    }

    @Test
    void viewerRunningRealSwitchoverNeverReachesPatroni() throws Exception {
        server = FakeHttpServer.start().json("GET", "/cluster", PatroniJson.cluster("node1", 3));
        CommandRegistry registry = new CommandRegistry();
        PatroniCommands.all(Follow.Limits.DEFAULT).forEach(registry::register);
        Bot bot = bot(registry, Fixtures.cluster("main", server.uri()));

        RecordingResponder out = handle(bot, VIEWER, "/switchover --candidate node2");
        assertThat(out.text()).startsWith("/switchover needs the operator role; slack:UVIEW has viewer.");
        RecordingResponder out2 = handle(bot, ALICE, "/failover --candidate node2");
        assertThat(out2.text()).startsWith("/failover needs the admin role; console:alice has operator.");
        assertThat(server.requests()).as("no request reached Patroni").isEmpty();

        // The same viewer may read.
        RecordingResponder list = handle(bot, VIEWER, "/cluster-list");
        assertThat(list.only().severity()).isEqualTo(Severity.INFO);
        // /cluster-list reads GET /cluster and, beside it for the failsafe line, GET /config: reads only
        assertThat(server.requests()).extracting(FakeHttpServer.Recorded::path).containsExactlyInAnyOrder("/cluster", "/config");
        assertThat(server.requests()).extracting(FakeHttpServer.Recorded::method).containsOnly("GET");
    }

    @Test
    void defaultRoleNoneMayNotEvenRead() {
        Bot bot = fakeBot(Fixtures.offlineCluster("main"));
        assertThat(handle(bot, STRANGER, "/status").text()).startsWith("/status needs the viewer role; discord:42 has none.");
        assertThat(status.runs).hasValue(0);
        assertThat(handle(bot, VIEWER, "status").text()).as("the leading slash is optional").isEqualTo("ok status");
        assertThat(status.runs).hasValue(1);
    }

    // ---- routing and errors -----------------------------------------------------------------------------------

    @Test
    void unknownCommandSuggestsTheClosestWithItsUsage() {
        CommandRegistry registry = new CommandRegistry();
        PatroniCommands.all(Follow.Limits.DEFAULT).forEach(registry::register);
        Bot bot = bot(registry, Fixtures.offlineCluster("main"));
        assertThat(handle(bot, ALICE, "/swtichover now").text()).isEqualTo("unknown command /swtichover. Did you mean /switchover? "
                + "Usage: /switchover [--candidate MEMBER] [--at TIME] [--cluster NAME]\nType /help for all commands.");
        assertThat(handle(bot, ALICE, "/xyzzyxyzzy").text()).isEqualTo("unknown command /xyzzyxyzzy.\nType /help for all commands.");
        assertThat(audit).extracting(AuditEvent::outcome).containsExactly("error", "error");
        assertThat(audit).extracting(AuditEvent::command).containsExactly("swtichover", "xyzzyxyzzy");
    }

    @Test
    void parseErrorsAreRepliedAndAudited() {
        Bot bot = fakeBot(Fixtures.offlineCluster("main"));
        assertThat(handle(bot, ALICE, "/status --candiate x").text()).isEqualTo(
                "unknown option --candiate for /status. Did you mean --candidate?\n"
                        + "Usage: /status [ARG] [--candidate MEMBER] [--force] [--cluster NAME]");
        assertThat(handle(bot, ALICE, "/status \"unclosed").text()).isEqualTo("unclosed double quote.\n"
                + "Usage: /status [ARG] [--candidate MEMBER] [--force] [--cluster NAME]");
        assertThat(handle(bot, ALICE, "/status\n/destroy").text()).contains("line break").contains("Usage: /status");
        assertThat(handle(bot, ALICE, "/nosuch \"unclosed").text()).isEqualTo("unclosed double quote");
        assertThat(status.runs).hasValue(0);
        assertThat(audit).extracting(AuditEvent::outcome).containsExactly("error", "error", "error", "error");
        assertThat(audit.get(0).detail()).as("detail is the first line").isEqualTo("unknown option --candiate for /status. Did you mean --candidate?");
    }

    @Test
    void clusterSelection() {
        FakeCommand where = new FakeCommand(FakeCommand.spec("where", Role.VIEWER, false),
                inv -> Outcome.done(Reply.info("on " + inv.cluster().name())));
        Bot bot = bot(new CommandRegistry().register(where), Fixtures.offlineCluster("main"), Fixtures.offlineCluster("reporting"));
        assertThat(handle(bot, VIEWER, "/where").text()).isEqualTo("several clusters are configured (main, reporting): "
                + "add --cluster NAME.\nUsage: /where [ARG] [--candidate MEMBER] [--force] [--cluster NAME]");
        assertThat(handle(bot, VIEWER, "/where --cluster reporting").text()).isEqualTo("on reporting");
        assertThat(handle(bot, VIEWER, "/where --cluster=main").text()).isEqualTo("on main");
        assertThat(handle(bot, VIEWER, "/where --cluster nope").text()).isEqualTo("no cluster named 'nope'; configured: main, reporting");
        assertThat(audit).extracting(AuditEvent::cluster).containsExactly("", "reporting", "main", "");

        Bot single = bot(new CommandRegistry().register(where), Fixtures.offlineCluster("only"));
        assertThat(handle(single, VIEWER, "/where").text()).as("one cluster needs no --cluster").isEqualTo("on only");
    }

    @Test
    void userFacingAndInternalErrors() {
        FakeCommand fails = new FakeCommand(FakeCommand.spec("fails", Role.VIEWER, false), inv -> {
            throw new UserFacingException("member node9 does not exist; members: node1, node2\nsecond line");
        });
        FakeCommand crashes = new FakeCommand(FakeCommand.spec("crashes", Role.VIEWER, false), inv -> {
            throw new IllegalStateException("boom with internal details");
        });
        FakeCommand errorReply = new FakeCommand(FakeCommand.spec("bad", Role.VIEWER, false),
                inv -> Outcome.done(Reply.error("it went wrong")));
        Bot bot = bot(new CommandRegistry().register(fails).register(crashes).register(errorReply), Fixtures.offlineCluster("main"));

        assertThat(handle(bot, VIEWER, "/fails").text()).isEqualTo("member node9 does not exist; members: node1, node2\nsecond line");
        String internal = handle(bot, VIEWER, "/crashes").text();
        assertThat(internal).matches("Internal error \\(reference [0-9a-f]{8}\\); the bot's log has the details\\.")
                .doesNotContain("boom");
        assertThat(handle(bot, VIEWER, "/bad").text()).isEqualTo("it went wrong");

        assertThat(audit).extracting(AuditEvent::outcome).containsExactly("error", "error", "error");
        assertThat(audit.get(0).detail()).isEqualTo("member node9 does not exist; members: node1, node2");
        Matcher m = Pattern.compile("reference ([0-9a-f]{8})").matcher(internal);
        assertThat(m.find()).isTrue();
        assertThat(audit.get(1).detail()).isEqualTo("internal error " + m.group(1));
        assertThat(audit.get(1).cluster()).isEqualTo("main");
    }

    @Test
    void emptyInputOnlyGetsAHint() {
        Bot bot = fakeBot(Fixtures.offlineCluster("main"));
        assertThat(handle(bot, VIEWER, "   ").text()).isEqualTo("Type /help to see the commands.");
        assertThat(handle(bot, VIEWER, null).text()).isEqualTo("Type /help to see the commands.");
    }

    // ---- confirmation request ---------------------------------------------------------------------------------

    @Test
    void destructiveCommandOpensAConfirmationWithButtons() {
        Bot bot = fakeBot(Fixtures.offlineCluster("main"));
        RecordingResponder out = new RecordingResponder();
        PendingView p = bot.handle(req(ALICE, "/destroy x --force"), out).orElseThrow();

        assertThat(destroy.runs).hasValue(1);
        assertThat(destroy.actions).as("not before confirmation").hasValue(0);
        assertThat(p.requester()).isEqualTo(ALICE);
        assertThat(p.cluster()).isEqualTo("main");
        assertThat(p.command()).isEqualTo("destroy");
        assertThat(p.args()).containsExactly("x", "--force");
        assertThat(p.expires()).isEqualTo(clock.instant().plusSeconds(120));
        Reply r = out.only();
        assertThat(r.severity()).isEqualTo(Severity.WARNING);
        assertThat(r.title()).isEqualTo("Confirm /destroy on main");
        assertThat(r.buttons()).hasValueSatisfying(b -> assertThat(b.buttons()).containsExactly(
                new Block.Button("confirm:" + p.token(), "Confirm", Block.Style.DANGER),
                new Block.Button("cancel:" + p.token(), "Cancel", Block.Style.DEFAULT)));
        assertThat(r.plainText()).isEqualTo("""
                Confirm /destroy on main
                do destroy on main
                Requested by alice. Only they or an admin can confirm; expires in 120 s.
                [Confirm] [Cancel]""");
        assertThat(audit).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo("pending");
            assertThat(e.confirmation()).isEqualTo("requested " + p.token());
            assertThat(e.detail()).isEqualTo("do destroy on main");
        });
    }

    // ---- audit ------------------------------------------------------------------------------------------------

    @Test
    void everyRequestIsAuditedOnceWithItsContext() {
        Bot bot = fakeBot(Fixtures.offlineCluster("main"));
        handle(bot, VIEWER, "/status one");               // ok
        handle(bot, STRANGER, "/status");                 // refused
        handle(bot, VIEWER, "/status a b");               // parse error
        handle(bot, VIEWER, "/nope");                     // unknown
        handle(bot, ALICE, "/destroy --candidate node2"); // pending

        assertThat(audit).extracting(AuditEvent::outcome).containsExactly("ok", "refused", "error", "error", "pending");
        AuditEvent ok = audit.get(0);
        assertThat(ok.user()).isEqualTo("slack:UVIEW");
        assertThat(ok.platform()).isEqualTo("slack");
        assertThat(ok.channel()).isEqualTo("#ops");
        assertThat(ok.cluster()).isEqualTo("main");
        assertThat(ok.command()).isEqualTo("status");
        assertThat(ok.args()).containsExactly("one");
        assertThat(ok.confirmation()).isEmpty();
        assertThat(ok.durationMs()).isBetween(0L, 10_000L);
        assertThat(ok.time()).as("audit time comes from the bot's clock").isEqualTo(clock.instant());
        assertThat(audit.get(4).args()).containsExactly("--candidate=node2");
    }

    @Test
    void auditFailureDoesNotBreakTheReply() {
        Bot bot = new Bot(List.of(Fixtures.offlineCluster("main")), new CommandRegistry().register(status),
                new AccessControl(Fixtures.ACCESS), new dev.pgchatops.core.confirm.Confirmations(clock, Duration.ofSeconds(5)),
                e -> {
                    throw new IllegalStateException("disk full");
                }, clock);
        assertThat(handle(bot, VIEWER, "/status").text()).isEqualTo("ok status");
    }

    @Test
    void noSecretsInRepliesOrAuditWhenPatroniRejectsTheCredentials() throws Exception {
        server = FakeHttpServer.start().on("GET", "/cluster", r -> FakeHttpServer.Response.text(401, "authentication required"))
                .on("POST", "/switchover", r -> FakeHttpServer.Response.text(401, "authentication required"));
        CommandRegistry registry = new CommandRegistry();
        PatroniCommands.all(Follow.Limits.DEFAULT).forEach(registry::register);
        Bot bot = bot(registry, Fixtures.cluster("main", server.uri()));

        String basic = Base64.getEncoder().encodeToString((Fixtures.USER + ":" + Fixtures.PASSWORD).getBytes(StandardCharsets.UTF_8));
        RecordingResponder out = handle(bot, ADMIN, "/cluster-list");
        assertThat(out.text()).contains("refused the credentials (HTTP 401").doesNotContain(Fixtures.PASSWORD).doesNotContain(basic);
        handle(bot, ADMIN, "/switchover --candidate node2");
        handle(bot, ADMIN, "/history");

        assertThat(audit).hasSize(3);
        ObjectMapper json = new ObjectMapper();
        for (AuditEvent e : audit) {
            String line = JsonlAuditLog.toJson(e);
            assertThat(line).doesNotContain(Fixtures.PASSWORD).doesNotContain(basic);
            JsonNode n = json.readTree(line);
            assertThat(n.get("outcome").asText()).isEqualTo("error");
        }
        assertThat(audit.get(0).detail()).startsWith("Patroni at " + server.uri() + " refused the credentials (HTTP 401");
    }
}
