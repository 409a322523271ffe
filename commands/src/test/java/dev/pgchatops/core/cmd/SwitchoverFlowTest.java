package dev.pgchatops.core.cmd;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.CommandRegistry;
import dev.pgchatops.core.FakeHttpServer;
import dev.pgchatops.core.FakeHttpServer.Response;
import dev.pgchatops.core.Fixtures;
import dev.pgchatops.core.PatroniJson;
import dev.pgchatops.core.RecordingResponder;
import dev.pgchatops.core.TestClock;
import dev.pgchatops.core.audit.AuditEvent;
import dev.pgchatops.core.confirm.PendingView;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static dev.pgchatops.core.Fixtures.ALICE;
import static dev.pgchatops.core.Fixtures.req;
import static org.assertj.core.api.Assertions.assertThat;

/** The real /switchover command through the Bot, against a fake Patroni. */
class SwitchoverFlowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AtomicReference<String> state = new AtomicReference<>(PatroniJson.cluster("node1", 3));
    private final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    private final TestClock clock = new TestClock();
    private FakeHttpServer patroni;
    private Bot bot;

    @BeforeEach
    void start() throws Exception {
        patroni = FakeHttpServer.start().on("GET", "/cluster", r -> Response.json(state.get()))
                .on("POST", "/switchover", r -> {
                    String candidate = JSON.readTree(r.body()).path("candidate").asText("node2");
                    state.set(PatroniJson.cluster(candidate, 4));
                    return Response.text(200, "Successfully switched over to \"" + candidate + "\"");
                });
        CommandRegistry registry = new CommandRegistry();
        PatroniCommands.all(new Follow.Limits(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofMillis(10))).forEach(registry::register);
        bot = Fixtures.bot(List.of(Fixtures.cluster("main", patroni.uri())), registry, clock, Duration.ofSeconds(120), audit);
    }

    @AfterEach
    void stop() {
        patroni.close();
    }

    private RecordingResponder confirm(PendingView p) {
        RecordingResponder out = new RecordingResponder();
        bot.confirm(p.token(), ALICE, "#ops", out);
        return out;
    }

    @Test
    void switchoverAsksFirstThenRunsOnceAndFollowsToTheNewLeader() throws Exception {
        RecordingResponder asked = new RecordingResponder();
        PendingView p = bot.handle(req(ALICE, "/switchover --candidate node2"), asked).orElseThrow();
        assertThat(asked.text()).startsWith("Confirm /switchover on main\n"
                + "leader node1 → node2 on main, timeline 3, now. Connections to node1 are dropped.");
        assertThat(patroni.count("POST", "/switchover")).as("nothing before Confirm").isZero();

        RecordingResponder done = confirm(p);
        Reply r = done.only();
        assertThat(r.severity()).isEqualTo(Severity.SUCCESS);
        assertThat(r.plainText()).startsWith("Switched over main: node1 → node2, timeline 4 (new leader seen after ");
        assertThat(done.progress).contains("Patroni: Successfully switched over to \"node2\"");
        assertThat(patroni.count("POST", "/switchover")).isEqualTo(1);
        FakeHttpServer.Recorded post = patroni.requests().stream().filter(x -> x.method().equals("POST")).findFirst().orElseThrow();
        assertThat(JSON.readTree(post.body())).isEqualTo(JSON.readTree("{\"leader\":\"node1\",\"candidate\":\"node2\"}"));
        assertThat(post.header("Authorization")).startsWith("Basic ");

        assertThat(confirm(p).text()).isEqualTo("/switchover was already confirmed by alice; it runs only once.");
        assertThat(patroni.count("POST", "/switchover")).isEqualTo(1);
        assertThat(audit).extracting(AuditEvent::outcome).containsExactly("pending", "confirmed", "ok", "duplicate");
    }

    @Test
    void leaderChangedBeforeConfirmDoesNothing() {
        PendingView p = bot.handle(req(ALICE, "/switchover --candidate node2"), new RecordingResponder()).orElseThrow();
        state.set(PatroniJson.cluster("node3", 4));
        assertThat(confirm(p).text()).isEqualTo("the leader of main changed meanwhile (node1 → node3); nothing was done. "
                + "Run /switchover again if still needed.");
        assertThat(patroni.count("POST", "/switchover")).isZero();
    }

    @Test
    void badCandidatesAreRefusedUpFront() {
        RecordingResponder leader = new RecordingResponder();
        assertThat(bot.handle(req(ALICE, "/switchover --candidate node1"), leader)).isEmpty();
        assertThat(leader.text()).isEqualTo("node1 is already the leader of main; pick a replica: node2, node3");

        RecordingResponder unknown = new RecordingResponder();
        bot.handle(req(ALICE, "/switchover --candidate node9"), unknown);
        assertThat(unknown.text()).isEqualTo("no member 'node9' in main; members: node1, node2, node3");

        RecordingResponder weird = new RecordingResponder();
        bot.handle(req(ALICE, "/switchover --candidate 'node2;reboot'"), weird);
        assertThat(weird.text()).startsWith("'node2;reboot' is not a member name");
        assertThat(patroni.count("POST", "/switchover")).isZero();
    }

    @Test
    void patroniRefusalIsShownWithItsReason() {
        patroni.on("POST", "/switchover", r -> Response.text(412, "candidate name does not match with sync_standby"));
        PendingView p = bot.handle(req(ALICE, "/switchover --candidate node3"), new RecordingResponder()).orElseThrow();
        RecordingResponder out = confirm(p);
        assertThat(out.text()).isEqualTo("Patroni refused POST /switchover: candidate name does not match with sync_standby "
                + "(HTTP 412 from " + patroni.uri() + ")");
        assertThat(audit).extracting(AuditEvent::outcome).containsExactly("pending", "confirmed", "error");
    }

    @Test
    void aTimeWithoutZoneIsReadAsUtcAndSaidSo() throws Exception {
        PendingView p = bot.handle(req(ALICE, "/switchover --at 2030-01-01T00:00:00"), new RecordingResponder()).orElseThrow();
        assertThat(p.effect()).isEqualTo("leader node1 → a healthy replica (node2, node3) on main, timeline 3, "
                + "scheduled at 2030-01-01T00:00Z (read as UTC). Connections to node1 are dropped.");
        assertThat(confirm(p).text()).startsWith("Switchover of main scheduled at 2030-01-01T00:00Z (read as UTC)");
        FakeHttpServer.Recorded post = patroni.requests().stream().filter(x -> x.method().equals("POST")).findFirst().orElseThrow();
        assertThat(JSON.readTree(post.body())).isEqualTo(JSON.readTree("{\"leader\":\"node1\",\"scheduled_at\":\"2030-01-01T00:00Z\"}"));
    }

    @Test
    void theConfirmationSaysWhichScheduledSwitchoverItReplaces() {
        String base = PatroniJson.cluster("node1", 3);
        state.set(base.substring(0, base.length() - 1)
                + ",\"scheduled_switchover\":{\"at\":\"2026-12-02T22:00:00+00:00\",\"from\":\"node1\",\"to\":\"node3\"}}");
        PendingView now = bot.handle(req(ALICE, "/switchover --candidate node2"), new RecordingResponder()).orElseThrow();
        assertThat(now.effect()).isEqualTo("leader node1 → node2 on main, timeline 3, now. Connections to node1 are dropped. "
                + "This replaces the switchover scheduled at 2026-12-02T22:00Z (node1 → node3).");
        PendingView later = bot.handle(req(ALICE, "/switchover --at 23:00"), new RecordingResponder()).orElseThrow();
        assertThat(later.effect()).endsWith("This replaces the switchover scheduled at 2026-12-02T22:00Z (node1 → node3).");
    }

    @Test
    void flushWhoseCancelGetsNoAnswerSaysUnknown() {
        String base = PatroniJson.cluster("node1", 3);
        state.set(base.substring(0, base.length() - 1)
                + ",\"scheduled_switchover\":{\"at\":\"2026-12-02T22:00:00+00:00\",\"from\":\"node1\"}}");
        patroni.on("DELETE", "/switchover", r -> null);
        RecordingResponder out = new RecordingResponder();
        bot.handle(req(ALICE, "/flush-scheduled"), out);
        assertThat(out.text()).startsWith("Flushed on main (outcome unknown)\nswitchover at 2026-12-02T22:00:00+00:00: unknown — DELETE "
                + patroni.uri() + "/switchover: sent, but the connection closed without a complete answer")
                .endsWith("; Patroni may still run it — check /cluster-list before retrying").doesNotContain("FAILED");
    }

    @Test
    void scheduledSwitchoverUsesTheClock() throws Exception {
        // The test clock says 2026-11-24T12:00Z: 22:00 is later the same day.
        PendingView p = bot.handle(req(ALICE, "/switchover --at 22:00"), new RecordingResponder()).orElseThrow();
        assertThat(p.effect()).contains("scheduled at 2026-11-24T22:00Z");
        assertThat(confirm(p).text()).startsWith("Switchover of main scheduled at 2026-11-24T22:00Z");
        FakeHttpServer.Recorded post = patroni.requests().stream().filter(x -> x.method().equals("POST")).findFirst().orElseThrow();
        assertThat(JSON.readTree(post.body())).isEqualTo(JSON.readTree("{\"leader\":\"node1\",\"scheduled_at\":\"2026-11-24T22:00Z\"}"));
    }
}
