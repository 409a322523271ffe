package dev.pgchatops.core.cmd;

import dev.pgchatops.core.Bot;
import dev.pgchatops.core.CommandRegistry;
import dev.pgchatops.core.FakeHttpServer;
import dev.pgchatops.core.FakeHttpServer.Response;
import dev.pgchatops.core.Fixtures;
import dev.pgchatops.core.PatroniJson;
import dev.pgchatops.core.RecordingResponder;
import dev.pgchatops.core.TestClock;
import dev.pgchatops.core.audit.AuditEvent;
import dev.pgchatops.core.confirm.Pending;
import dev.pgchatops.core.confirm.PendingView;
import dev.pgchatops.core.reply.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.pgchatops.core.Fixtures.ALICE;
import static dev.pgchatops.core.Fixtures.req;
import static org.assertj.core.api.Assertions.assertThat;

/** /reinit, /restart, /reload through the Bot against three fake Patroni members (one server each). */
class MemberActionFlowTest {
    private final List<FakeHttpServer> members = new ArrayList<>();
    private final List<URI> apis = new ArrayList<>();
    private final AtomicReference<String> leader = new AtomicReference<>("node1");
    private final AtomicInteger timeline = new AtomicInteger(3);
    private final AtomicReference<String> node3Start = new AtomicReference<>("2026-11-24 10:00:00+00");
    private final List<String> restarted = new CopyOnWriteArrayList<>();
    private final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    private Bot bot;

    private String clusterJson() {
        return PatroniJson.cluster(leader.get(), timeline.get(), apis);
    }

    @BeforeEach
    void start() throws Exception {
        for (int i = 1; i <= 3; i++) {
            String name = "node" + i;
            FakeHttpServer s = FakeHttpServer.start()
                    .on("GET", "/cluster", r -> Response.json(clusterJson()))
                    .on("GET", "/patroni", r -> Response.json("{\"state\":\"running\",\"postmaster_start_time\":\""
                            + (name.equals("node3") ? node3Start.get() : "2026-11-24 09:00:00+00") + "\"}"))
                    .on("POST", "/restart", r -> {
                        restarted.add(name);
                        return Response.text(200, "restarted successfully");
                    })
                    .on("POST", "/reload", r -> name.equals("node2") ? Response.text(503, "reload failed: busy")
                            : Response.text(202, "reload scheduled"));
            members.add(s);
            apis.add(s.uri());
        }
        bot = bot(Duration.ofSeconds(10));
    }

    private Bot bot(Duration reinitLimit) {
        CommandRegistry registry = new CommandRegistry();
        PatroniCommands.all(new Follow.Limits(Duration.ofSeconds(10), reinitLimit, Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofMillis(10))).forEach(registry::register);
        return Fixtures.bot(List.of(Fixtures.cluster("main", apis.toArray(URI[]::new))), registry, new TestClock(),
                Duration.ofSeconds(120), audit);
    }

    @AfterEach
    void stop() {
        members.forEach(FakeHttpServer::close);
    }

    private PendingView ask(Bot b, String line) {
        RecordingResponder out = new RecordingResponder();
        return b.handle(req(ALICE, line), out).orElseThrow(() -> new AssertionError("no confirmation: " + out.replies));
    }

    private RecordingResponder confirm(Bot b, PendingView p) {
        RecordingResponder out = new RecordingResponder();
        b.confirm(p.token(), ALICE, "#ops", out);
        return out;
    }

    @Test
    void reinitRefusesWhenTheLeaderChangedBeforeTheConfirmation() {
        PendingView p = ask(bot, "/reinit node3");
        leader.set("node2");
        RecordingResponder done = confirm(bot, p);
        assertThat(done.only().plainText()).contains("the leader of main changed meanwhile (node1 → node2)")
                .contains("nothing was done");
        assertThat(members.get(2).count("POST", "/reinitialize")).isZero();
    }

    @Test
    void reinitSucceedsOnlyOnceTheRebuildWasSeen() {
        members.get(2).on("POST", "/reinitialize", r -> {
            node3Start.set("2026-11-24 12:00:00+00"); // a fast rebuild: the member never shows a non-running state
            return Response.text(200, "reinitialize started");
        });
        RecordingResponder done = confirm(bot, ask(bot, "/reinit node3"));
        assertThat(done.only().severity()).as(done.only().plainText()).isEqualTo(Severity.SUCCESS);
        assertThat(done.only().plainText()).startsWith("node3 of main is streaming again on timeline 3, lag 0 MB");
        assertThat(members.get(2).count("POST", "/reinitialize")).isEqualTo(1);
        assertThat(members.get(0).count("POST", "/reinitialize")).as("to the member's own api_url").isZero();
    }

    @Test
    void reinitThatNeverHappensIsNotReportedAsSuccess() {
        members.get(2).on("POST", "/reinitialize", r -> Response.text(200, "reinitialize started"));
        Bot quick = bot(Duration.ofMillis(300));
        RecordingResponder done = confirm(quick, ask(quick, "/reinit node3"));
        assertThat(done.only().severity()).isEqualTo(Severity.ERROR);
        assertThat(done.only().plainText()).contains("the reinit of node3 did not finish within");
    }

    @Test
    void restartAllGoesReplicasFirstLeaderLast() {
        leader.set("node2");
        RecordingResponder done = confirm(bot, ask(bot, "/restart all"));
        assertThat(done.only().severity()).as(done.only().plainText()).isEqualTo(Severity.SUCCESS);
        assertThat(restarted).containsExactly("node1", "node3", "node2");
    }

    @Test
    void restartAllRefusesWhenTheLeaderChangedBeforeTheConfirmation() {
        PendingView p = ask(bot, "/restart all");
        leader.set("node3");
        RecordingResponder done = confirm(bot, p);
        assertThat(done.only().plainText()).contains("changed meanwhile (node1 → node3); nothing was restarted");
        assertThat(restarted).isEmpty();
    }

    @Test
    void reloadReportsEveryMemberEvenWhenOneFails() {
        RecordingResponder out = new RecordingResponder();
        bot.handle(req(ALICE, "/reload"), out);
        String text = out.only().plainText();
        assertThat(out.only().severity()).isEqualTo(Severity.ERROR);
        assertThat(text).contains("node1: reload scheduled").contains("node2: FAILED — Patroni refused POST /reload: reload failed: busy")
                .contains("node3: reload scheduled");
    }

    @Test
    void restartAllWhoseRequestGetsNoAnswerStopsWithAnUnknownOutcome() {
        // node1 takes the request and drops the connection: it may be restarting. Never "FAILED", never go on.
        members.get(0).on("POST", "/restart", r -> {
            restarted.add("node1?");
            return null;
        });
        leader.set("node2");
        RecordingResponder done = confirm(bot, ask(bot, "/restart all"));
        String text = done.only().plainText();
        assertThat(text).startsWith("Restart on main stopped at node1 (outcome unknown)\n"
                + "node1: unknown — POST " + apis.get(0) + "/restart: sent, but the connection closed without a complete answer")
                .contains("; Patroni may still run it — check /cluster-list before retrying\nnot restarted: node3, node2")
                .doesNotContain("FAILED");
        assertThat(restarted).containsExactly("node1?");
    }

    @Test
    void reloadSaysUnknownForAMemberThatTookTheRequestButDidNotAnswer() {
        members.get(2).on("POST", "/reload", r -> null);
        RecordingResponder out = new RecordingResponder();
        bot.handle(req(ALICE, "/reload"), out);
        String text = out.only().plainText();
        assertThat(text).startsWith("Reload on main (outcome unknown)\n").contains("node1: reload scheduled")
                .contains("node2: FAILED — Patroni refused POST /reload: reload failed: busy")
                .contains("node3: unknown — POST " + apis.get(2) + "/reload: sent, but the connection closed");
    }

    @Test
    void memberActionsGoOnlyToConfiguredAddresses() throws Exception {
        // GET /cluster advertises api_urls on 10.0.0.x, which are not in patroni.urls: refuse, send nothing.
        try (FakeHttpServer p = FakeHttpServer.start().on("GET", "/cluster", r -> Response.json(PatroniJson.cluster("node1", 3)))) {
            CommandRegistry registry = new CommandRegistry();
            PatroniCommands.all(Follow.Limits.DEFAULT).forEach(registry::register);
            Bot b = Fixtures.bot(List.of(Fixtures.cluster("main", p.uri())), registry, new TestClock(), Duration.ofSeconds(120), audit);
            RecordingResponder out = new RecordingResponder();
            b.handle(req(ALICE, "/reload node2"), out);
            assertThat(out.only().plainText()).contains("member node2 of main advertises api_url http://10.0.0.2:8008, "
                    + "which is not in patroni.urls");
        }
    }
}
