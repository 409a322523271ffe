package dev.pgchatops.core.cmd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.CommandRegistry;
import dev.pgchatops.core.FakeHttpServer;
import dev.pgchatops.core.FakeHttpServer.Response;
import dev.pgchatops.core.Fixtures;
import dev.pgchatops.core.RecordingResponder;
import dev.pgchatops.core.TestClock;
import dev.pgchatops.core.confirm.PendingView;
import dev.pgchatops.core.patroni.RestartOptions;
import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static dev.pgchatops.core.Fixtures.ADMIN;
import static dev.pgchatops.core.Fixtures.ALICE;
import static dev.pgchatops.core.Fixtures.VIEWER;
import static dev.pgchatops.core.Fixtures.req;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands that Patroni 4 and patronictl users miss, through the Bot against a fake Patroni that answers in 4.x
 * (and 4.1) format: one server plays every member (all api_urls point at it).
 */
class Patroni4CommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private FakeHttpServer server;
    private Bot bot;
    private final AtomicReference<String> config = new AtomicReference<>("""
            {"ttl": 30, "loop_wait": 10, "retry_timeout": 10, "failsafe_mode": true,
             "postgresql": {"use_pg_rewind": true, "parameters": {"max_connections": 100}}}""");
    private final AtomicReference<String> cluster = new AtomicReference<>();
    private final List<String> patches = new ArrayList<>();

    /** Patroni 4.1 GET /cluster: quorum standby, receive/replay lag and lsn, tags, pending restart reason. */
    private String cluster41(String api) {
        return """
                {"scope": "main", "members": [
                  {"name": "node1", "role": "leader", "state": "running", "api_url": "API/patroni", "host": "10.0.0.1",
                   "port": 5432, "timeline": 4, "lsn": 201326752},
                  {"name": "node2", "role": "quorum_standby", "state": "streaming", "api_url": "API/patroni",
                   "host": "10.0.0.2", "port": 5432, "timeline": 4, "lag": 0, "receive_lag": 0, "replay_lag": 3145728,
                   "lsn": 198181024, "pending_restart": true,
                   "pending_restart_reason": {"max_connections": {"old_value": "100", "new_value": "200"}},
                   "tags": {"nofailover": true, "noloadbalance": true}},
                  {"name": "node3", "role": "replica", "state": "streaming", "api_url": "API/patroni", "host": "10.0.0.3",
                   "port": 5432, "timeline": 4, "lag": 1048576, "receive_lag": "unknown", "replay_lag": 1048576,
                   "tags": {"replicatefrom": "node2", "clonefrom": true}},
                  {"name": "node4", "role": "replica", "state": "streaming", "api_url": "API/patroni", "host": "10.0.0.4",
                   "port": 5432, "timeline": 3, "lag": 52428800}
                ]}""".replace("API", api);
    }

    @BeforeEach
    void start() throws Exception {
        server = FakeHttpServer.start();
        String api = server.uri().toString();
        cluster.set(cluster41(api));
        server.on("GET", "/cluster", r -> Response.json(cluster.get()))
                .on("GET", "/config", r -> Response.json(config.get()))
                .on("PATCH", "/config", r -> {
                    patches.add(r.body());
                    config.set(merge(config.get(), r.body()));
                    return Response.json(config.get());
                })
                .json("GET", "/failsafe", "{\"node1\": \"" + api + "/patroni\", \"node2\": \"" + api + "/patroni\"}")
                .on("GET", "/patroni", r -> Response.json("{\"state\": \"running\", \"role\": \"primary\", \"server_version\": 150018,"
                        + " \"postmaster_start_time\": \"2026-12-01 10:00:00+00:00\", \"patroni\": {\"version\": \"4.1.0\", \"scope\": \"main\"}}"))
                .on("POST", "/restart", r -> Response.text(200, "restarted successfully"))
                .on("DELETE", "/restart", r -> Response.text(200, "scheduled restart deleted"));
        CommandRegistry registry = new CommandRegistry();
        PatroniCommands.all(new Follow.Limits(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofMillis(300), Duration.ofMillis(10))).forEach(registry::register);
        MetaCommands.all().forEach(registry::register);
        bot = Fixtures.bot(List.of(Fixtures.cluster("main", server.uri())), registry, new TestClock(), Duration.ofSeconds(120),
                new ArrayList<>());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** PATCH /config as Patroni does it: recursive merge, null removes. */
    private static String merge(String base, String patch) throws Exception {
        JsonNode b = JSON.readTree(base);
        merge((com.fasterxml.jackson.databind.node.ObjectNode) b, JSON.readTree(patch));
        return b.toString();
    }

    private static void merge(com.fasterxml.jackson.databind.node.ObjectNode b, JsonNode p) {
        p.fields().forEachRemaining(e -> {
            if (e.getValue().isNull()) b.remove(e.getKey());
            else if (e.getValue().isObject() && b.path(e.getKey()).isObject()) {
                merge((com.fasterxml.jackson.databind.node.ObjectNode) b.get(e.getKey()), e.getValue());
            } else b.set(e.getKey(), e.getValue());
        });
    }

    private RecordingResponder run(dev.pgchatops.core.Identity who, String line) {
        RecordingResponder out = new RecordingResponder();
        bot.handle(req(who, line), out);
        return out;
    }

    private PendingView ask(String line, RecordingResponder out) {
        return bot.handle(req(ALICE, line), out).orElseThrow(() -> new AssertionError("no confirmation: " + out.replies));
    }

    private RecordingResponder confirm(PendingView p) {
        RecordingResponder out = new RecordingResponder();
        bot.confirm(p.token(), ALICE, "#ops", out);
        return out;
    }

    private static Block.Table table(Reply r) {
        return (Block.Table) r.blocks().stream().filter(b -> b instanceof Block.Table).findFirst().orElseThrow();
    }

    /** GET /config is asked beside GET /cluster, not after it: here /cluster answers only once /config was asked. */
    @Test
    void clusterListReadsTheConfigBesideTheCluster_notAfterIt() {
        java.util.concurrent.CountDownLatch configAsked = new java.util.concurrent.CountDownLatch(1);
        server.on("GET", "/config", r -> {
            configAsked.countDown();
            return Response.json(config.get());
        }).on("GET", "/cluster", r -> {
            if (!configAsked.await(4, java.util.concurrent.TimeUnit.SECONDS)) return Response.text(500, "GET /config was not asked meanwhile");
            return Response.json(cluster.get());
        });
        Reply r = run(VIEWER, "/cluster-list").only();
        assertThat(r.plainText()).contains("Cluster: main").contains("Failsafe mode: on (members node1, node2)");
    }

    /** Failsafe mode is read once for /cluster-lists in a row, and again right after the bot changed the config. */
    @Test
    void clusterListsInARowReadTheConfigOnce_andAgainAfterTheBotChangedIt() throws Exception {
        run(VIEWER, "/cluster-list");
        run(VIEWER, "/cluster-list");
        assertThat(run(VIEWER, "/cluster-list").only().plainText()).contains("Failsafe mode: on");
        assertThat(server.count("GET", "/config")).isEqualTo(1);
        bot.clusters().get("main").patroni().patchConfig(JSON.readTree("{\"failsafe_mode\": false}"));
        assertThat(run(VIEWER, "/cluster-list").only().plainText()).doesNotContain("Failsafe mode: on");
        assertThat(server.count("GET", "/config")).isEqualTo(2);
    }

    @Test
    void clusterListShowsWhatPatroni4AddsAndFlagsAReplicaOnAnOlderTimeline() {
        Reply r = run(VIEWER, "/cluster-list").only();
        Block.Table t = table(r);
        assertThat(t.headers()).containsExactly("Member", "Host", "Role", "State", "TL", "Lag in MB", "Receive lag in MB",
                "Replay lag in MB", "Pending restart", "Pending restart reason", "Tags", "Note");
        assertThat(t.rows().get(0)).containsExactly("node1", "10.0.0.1:5432", "Leader", "running", "4", "", "", "", "", "", "", "");
        assertThat(t.rows().get(1)).containsExactly("node2", "10.0.0.2:5432", "Quorum Standby", "streaming", "4", "0", "0", "3",
                "*", "max_connections: 100->200", "nofailover: true, noloadbalance: true", "");
        assertThat(t.rows().get(2)).containsExactly("node3", "10.0.0.3:5432", "Replica", "streaming", "4", "1", "unknown", "1",
                "", "", "clonefrom: true, replicatefrom: node2", "");
        assertThat(t.rows().get(3).get(4)).isEqualTo("3");
        assertThat(t.rows().get(3).get(11)).isEqualTo("OLD TIMELINE: will never catch up");
        assertThat(r.severity()).isEqualTo(Severity.WARNING);
        assertThat(r.plainText()).contains("node4 is on timeline 3, older than leader node1's timeline 4")
                .contains("Rebuild it: /reinit node4")
                .contains("Failsafe mode: on (members node1, node2)");
    }

    @Test
    void topologyPutsCascadingReplicasUnderTheirUpstream() {
        Block.Table t = table(run(VIEWER, "/topology").only());
        assertThat(t.rows().stream().map(r -> r.get(0)).toList()).containsExactly("node1", "+ node2", "  + node3", "+ node4");
    }

    @Test
    void configSetShowsTheDiffAsksAndPatchesOnlyWhatChanges() throws Exception {
        RecordingResponder asked = new RecordingResponder();
        PendingView p = ask("/config-set loop_wait=5 postgresql.parameters.max_connections=200 ttl=30", asked);
        assertThat(asked.text()).contains("loop_wait: 10 → 5").contains("postgresql.parameters.max_connections: 100 → 200")
                .contains("ttl: 30 → 30 (unchanged)").contains("Needs a restart of PostgreSQL on every member: max_connections");
        assertThat(patches).isEmpty();
        RecordingResponder done = confirm(p);
        assertThat(patches).containsExactly("{\"loop_wait\":5,\"postgresql\":{\"parameters\":{\"max_connections\":200}}}");
        assertThat(done.last().severity()).as(done.text()).isEqualTo(Severity.SUCCESS);
        assertThat(done.text()).contains("Configuration of main changed").contains("Pending restart now on node2 (max_connections)");
        assertThat(JSON.readTree(config.get()).path("loop_wait").asInt()).isEqualTo(5);
    }

    @Test
    void configSetRefusesWhenTheConfigChangedBeforeTheConfirmationAndShowsTheNewDiff() {
        PendingView p = ask("/config-set loop_wait=5", new RecordingResponder());
        config.set(config.get().replace("\"loop_wait\": 10", "\"loop_wait\": 7"));
        RecordingResponder done = confirm(p);
        assertThat(done.text()).contains("the configuration of main changed since you asked; nothing was changed")
                .contains("loop_wait: 7 → 5").contains("Run /config-set again");
        assertThat(patches).isEmpty();
    }

    @Test
    void configUnsetRemovesAKeyAndNothingToChangeIsSaid() {
        RecordingResponder asked = new RecordingResponder();
        PendingView p = ask("/config-unset postgresql.parameters.max_connections", asked);
        assertThat(asked.text()).contains("postgresql.parameters.max_connections: 100 → (not set)");
        confirm(p);
        assertThat(patches).containsExactly("{\"postgresql\":{\"parameters\":{\"max_connections\":null}}}");
        assertThat(run(ALICE, "/config-set ttl=30").text()).contains("Nothing to change").contains("ttl: 30 → 30 (unchanged)");
        assertThat(run(ALICE, "/config-set loop_wiat=3").text()).contains("unknown key 'loop_wiat'").contains("Did you mean loop_wait?");
        assertThat(run(ALICE, "/config-set").text()).contains("/config-set needs KEY=VALUE (one or more).");
        assertThat(run(VIEWER, "/config-set ttl=40").text()).contains("needs the operator role");
    }

    @Test
    void restartByRoleSendsTheRoleInTheMembersSpellingAndSchedules() throws Exception {
        RecordingResponder asked = new RecordingResponder();
        PendingView p = ask("/restart all --role leader --timeout 2m --pg-version 16", asked);
        assertThat(asked.text()).contains("restart PostgreSQL on node1 of main").contains("(role leader only)")
                .contains("(only if PostgreSQL is older than 16)");
        RecordingResponder done = confirm(p);
        assertThat(done.last().severity()).as(done.text()).isEqualTo(Severity.SUCCESS);
        JsonNode body = JSON.readTree(server.requests().stream().filter(r -> r.method().equals("POST")).findFirst().orElseThrow().body());
        assertThat(body.path("role").asText()).isEqualTo("primary");
        assertThat(body.path("timeout").asInt()).isEqualTo(120);
        assertThat(body.path("postgres_version").asText()).isEqualTo("16");

        assertThat(RestartOptions.roleFor(true, Optional.of("3.0.2"))).isEqualTo("primary");
        assertThat(RestartOptions.roleFor(true, Optional.of("2.1.7"))).isEqualTo("master");
        assertThat(RestartOptions.roleFor(false, Optional.of("4.0.7"))).isEqualTo("replica");

        assertThat(run(ALICE, "/restart node1 --role replica").text()).contains("node1 is not a replica");
        assertThat(run(ALICE, "/restart all --role boss").text()).contains("--role takes leader, replica or any");
        assertThat(run(ALICE, "/restart all --timeout soon").text()).contains("--timeout takes seconds like 60");

        PendingView sched = ask("/restart node3 --scheduled 2030-01-01T03:00:00Z", new RecordingResponder());
        RecordingResponder s = confirm(sched);
        assertThat(s.text()).contains("Restart scheduled on main");
        List<FakeHttpServer.Recorded> posts = server.requests().stream().filter(r -> r.method().equals("POST")).toList();
        JsonNode sb = JSON.readTree(posts.get(posts.size() - 1).body());
        assertThat(sb.path("schedule").asText()).isEqualTo("2030-01-01T03:00Z");
    }

    @Test
    void flushScheduledTakesAKindAndAMember() {
        cluster.set(cluster.get().replace("\"name\": \"node3\",", "\"name\": \"node3\", \"scheduled_restart\": {\"schedule\": \"2030-01-01T03:00:00+00:00\"},")
                .replace("\"name\": \"node2\",", "\"name\": \"node2\", \"scheduled_restart\": {\"schedule\": \"2030-01-01T03:00:00+00:00\"},"));
        String out = run(ALICE, "/flush-scheduled restart node3").text();
        assertThat(out).contains("restart of node3: scheduled restart deleted").doesNotContain("node2");
        assertThat(server.count("DELETE", "/restart")).isEqualTo(1);
        assertThat(run(ALICE, "/flush-scheduled switchover").text()).contains("No switchover is scheduled on main.");
        assertThat(run(ALICE, "/flush-scheduled bogus").text()).contains("takes restart or switchover");
        assertThat(run(ALICE, "/flush-scheduled switchover node2").text()).contains("a member is named only for restarts");
    }

    @Test
    void versionShowsEachMembersPatroniAndPostgres() {
        Reply r = run(VIEWER, "/version").only();
        assertThat(r.plainText()).contains("pgchatops ");
        assertThat(table(r).rows().get(0)).containsExactly("node1", "4.1.0", "15.18");
        assertThat(Version.postgres(90624)).isEqualTo("9.6.24");
    }

    @Test
    void reinitTakesSeveralMembers() {
        assertThat(bot.handle(req(ALICE, "/reinit node2 node3 node1"), new RecordingResponder())).isEmpty();
        RecordingResponder asked = new RecordingResponder();
        ask("/reinit node3 node4 --wait", asked);
        assertThat(asked.text()).contains("reinitialize node3, node4 on main, one after the other")
                .contains("basebackup from leader node1 (timeline 4)");
    }

    @Test
    void helpSaysRemoveStaysOutOfChat() {
        assertThat(run(ADMIN, "/help remove").text()).contains("/remove is not in chat").contains("wipes the whole cluster from the DCS");
        assertThat(run(ADMIN, "/help").text()).contains("Not in chat on purpose: remove");
        assertThat(run(ADMIN, "/help edit-config").text()).contains("/config-set KEY=VALUE");
    }
}
