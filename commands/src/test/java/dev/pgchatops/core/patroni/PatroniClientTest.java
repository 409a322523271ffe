package dev.pgchatops.core.patroni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgchatops.core.FakeHttpServer;
import dev.pgchatops.core.FakeHttpServer.Response;
import dev.pgchatops.core.Fixtures;
import dev.pgchatops.core.OutcomeUnknown;
import dev.pgchatops.core.PatroniJson;
import dev.pgchatops.core.SilentServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PatroniClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BOUND = Duration.ofSeconds(10);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void closeAll() throws Exception {
        release.countDown();
        for (AutoCloseable c : toClose) c.close();
    }

    private FakeHttpServer server() throws Exception {
        FakeHttpServer s = FakeHttpServer.start();
        toClose.add(s);
        return s;
    }

    private SilentServer silent(boolean drop) throws Exception {
        SilentServer s = new SilentServer(drop);
        toClose.add(s);
        return s;
    }

    /** A handler that answers only when the test ends. */
    private Response hang() throws InterruptedException {
        release.await(30, TimeUnit.SECONDS);
        return Response.text(200, "too late");
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((Fixtures.USER + ":" + Fixtures.PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheCluster() throws Exception {
        FakeHttpServer s = server().json("GET", "/cluster", PatroniJson.cluster("node2", 4));
        PatroniClient p = Fixtures.patroni("main", Duration.ofSeconds(5), s.uri());
        ClusterState c = p.cluster();
        assertThat(c.leader().map(Member::name)).contains("node2");
        assertThat(c.member("node1").orElseThrow().timeline()).hasValue(4);
        assertThat(s.requests()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.header("Accept")).isEqualTo("application/json");
        });
    }

    @Test
    void urlPathIsIgnoredAndHistoryParsed() throws Exception {
        FakeHttpServer s = server().json("GET", "/history",
                "[[1, 25623960, \"no recovery target specified\", \"2026-11-20T10:00:00+00:00\", \"node1\"],"
                        + "[2, 50331808, \"no recovery target specified\", \"2026-11-21T10:00:00+00:00\", \"node2\"]]");
        PatroniClient p = Fixtures.patroni("main", Duration.ofSeconds(5), URI.create(s.uri() + "/some/prefix"));
        assertThat(p.history()).containsExactly(
                new HistoryEntry(1, 25623960, "no recovery target specified", "2026-11-20T10:00:00+00:00", "node1"),
                new HistoryEntry(2, 50331808, "no recovery target specified", "2026-11-21T10:00:00+00:00", "node2"));
        assertThat(s.requests()).extracting(FakeHttpServer.Recorded::path).containsExactly("/history");
    }

    @Test
    void unauthorizedIsAuthFailedWithoutThePassword() throws Exception {
        FakeHttpServer s = server()
                .on("GET", "/cluster", r -> Response.text(401, "no auth header received"))
                .on("POST", "/switchover", r -> Response.text(401, "Unauthorized"));
        PatroniClient p = Fixtures.patroni("main", Duration.ofSeconds(5), s.uri());

        PatroniException.AuthFailed get = catchThrowableOfType(PatroniException.AuthFailed.class, p::cluster);
        assertThat(get).hasMessage("Patroni at " + s.uri() + " refused the credentials (HTTP 401: no auth header received). "
                + "Check patroni.username and the password of cluster main in the config");

        PatroniException.AuthFailed post = catchThrowableOfType(PatroniException.AuthFailed.class,
                () -> p.switchover("node1", Optional.of("node2"), Optional.empty()));
        assertThat(post.getMessage()).contains("refused the credentials (HTTP 401: Unauthorized)")
                .doesNotContain(Fixtures.PASSWORD).doesNotContain(basic().substring(6));
        assertThat(s.count("POST", "/switchover")).isEqualTo(1);
    }

    @Test
    void preconditionFailedCarriesPatronisReason() throws Exception {
        FakeHttpServer s = server().on("POST", "/switchover",
                r -> Response.text(412, "candidate name does not match with sync_standby\n"));
        PatroniClient p = Fixtures.patroni("main", Duration.ofSeconds(5), s.uri());
        PatroniException.Rejected e = catchThrowableOfType(PatroniException.Rejected.class,
                () -> p.switchover("node1", Optional.of("node3"), Optional.empty()));
        assertThat(e.status()).isEqualTo(412);
        assertThat(e.reason()).isEqualTo("candidate name does not match with sync_standby");
        assertThat(e).hasMessage("Patroni refused POST /switchover: candidate name does not match with sync_standby (HTTP 412 from "
                + s.uri() + ")");
    }

    @Test
    void serverErrorOnReadIsRejectedAndBadJsonIsBadResponse() throws Exception {
        FakeHttpServer s = server().on("GET", "/cluster", r -> Response.text(503, ""))
                .on("GET", "/config", r -> Response.text(200, "<html>not json"));
        PatroniClient p = Fixtures.patroni("main", Duration.ofSeconds(5), s.uri());
        PatroniException.Rejected e = catchThrowableOfType(PatroniException.Rejected.class, p::cluster);
        assertThat(e.status()).isEqualTo(503);
        assertThat(e).hasMessageContaining("(no reason given)");
        assertThat(catchThrowableOfType(PatroniException.BadResponse.class, p::dynamicConfig))
                .hasMessageContaining("did not return JSON: <html>not json");
    }

    @Test
    void refusedFirstUrlFallsBackToTheNext() throws Exception {
        FakeHttpServer s = server().json("GET", "/cluster", PatroniJson.cluster("node1", 3))
                .on("POST", "/switchover", r -> Response.text(200, "Successfully switched over to \"node2\""));
        PatroniClient p = Fixtures.patroni("main", Duration.ofSeconds(5), FakeHttpServer.closedPort(), s.uri());
        assertThat(p.cluster().leader().map(Member::name)).contains("node1");
        // Writes move on too when no connection could be made.
        PatroniClient w = Fixtures.patroni("main", Duration.ofSeconds(5), FakeHttpServer.closedPort(), s.uri());
        assertThat(w.switchover("node1", Optional.of("node2"), Optional.empty())).isEqualTo("Successfully switched over to \"node2\"");
        assertThat(s.count("POST", "/switchover")).isEqualTo(1);
    }

    @Test
    void allUrlsUnreachableWithinABound() throws Exception {
        SilentServer hung = silent(false);
        URI closed1 = FakeHttpServer.closedPort();
        URI closed2 = FakeHttpServer.closedPort();
        PatroniClient p = Fixtures.patroni("main", Duration.ofMillis(300), closed1, closed2, hung.uri());

        long t0 = System.nanoTime();
        PatroniException.Unreachable e = catchThrowableOfType(PatroniException.Unreachable.class, p::cluster);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(e).isNotNull();
        assertThat(took).isLessThan(BOUND);
        assertThat(e.getMessage()).startsWith("cannot reach Patroni of cluster main: ")
                .contains(closed1 + " (connection refused)", closed2 + " (connection refused)",
                        hung.uri() + " (no answer within the request timeout)")
                .endsWith("Check that Patroni runs and patroni.urls in the config");
        assertThat(hung.accepted.get()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void writeThatTimesOutIsUnknownAndNotRetriedElsewhere() throws Exception {
        FakeHttpServer slow = server().on("PATCH", "/config", r -> hang());
        FakeHttpServer second = server().on("PATCH", "/config", r -> Response.json("{\"pause\": true}"));
        PatroniClient p = Fixtures.patroni("main", Duration.ofMillis(300), slow.uri(), second.uri());

        long t0 = System.nanoTime();
        PatroniException.NoAnswer e = catchThrowableOfType(PatroniException.NoAnswer.class, () -> p.setPaused(true));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(BOUND);
        assertThat(e).isInstanceOf(OutcomeUnknown.class).hasMessage("PATCH " + slow.uri() + "/config: sent, no answer within 300 ms; "
                + "Patroni may still run it — check /cluster-list before retrying");
        assertThat(slow.count("PATCH", "/config")).isEqualTo(1);
        assertThat(second.requests()).as("not sent a second time").isEmpty();
    }

    @Test
    void postWhoseConnectionBreaksIsUnknownAndNotRetriedElsewhere() throws Exception {
        SilentServer dropping = silent(true);
        FakeHttpServer second = server().on("POST", "/switchover", r -> Response.text(200, "ok"));
        PatroniClient p = Fixtures.patroni("main", Duration.ofSeconds(5), dropping.uri(), second.uri());

        PatroniException.NoAnswer e = catchThrowableOfType(PatroniException.NoAnswer.class,
                () -> p.switchover("node1", Optional.of("node2"), Optional.empty()));
        assertThat(e).isInstanceOf(OutcomeUnknown.class);
        assertThat(e.getMessage()).startsWith("POST " + dropping.uri() + "/switchover: sent, but the connection closed without a complete answer")
                .endsWith("; Patroni may still run it — check /cluster-list before retrying");
        assertThat(dropping.requestHeads).singleElement().asString().startsWith("POST /switchover HTTP/1.1");
        assertThat(second.requests()).as("a POST that reached a Patroni is never sent to another").isEmpty();
    }

    @Test
    void readWhoseBodyStallsAfterTheHeadersIsBoundedAndDropsTheConnection() throws Exception {
        SilentServer stalling = SilentServer.stallingBody();
        toClose.add(stalling);
        PatroniClient p = Fixtures.patroni("main", Duration.ofMillis(300), stalling.uri());

        PatroniException.Unreachable e = catchThrowableOfType(PatroniException.Unreachable.class, p::cluster);
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(stalling.uri() + " (no complete answer within 800 ms)");
        assertThat(stalling.clientClosed.tryAcquire(10, TimeUnit.SECONDS)).as("the client dropped the stalled connection").isTrue();
    }

    @Test
    void writeWhoseBodyStallsIsUnknownAndDropsTheConnection() throws Exception {
        SilentServer stalling = SilentServer.stallingBody();
        toClose.add(stalling);
        PatroniClient p = Fixtures.patroni("main", Duration.ofMillis(300), stalling.uri());

        PatroniException.NoAnswer e = catchThrowableOfType(PatroniException.NoAnswer.class, () -> p.setPaused(true));
        assertThat(e).isInstanceOf(OutcomeUnknown.class).hasMessage("PATCH " + stalling.uri()
                + "/config: sent, no answer within 800 ms; Patroni may still run it — check /cluster-list before retrying");
        assertThat(stalling.clientClosed.tryAcquire(10, TimeUnit.SECONDS)).as("the client dropped the stalled connection").isTrue();
    }

    @Test
    void aReadWithinADeadlineGetsOnlyTheTimeRemaining() throws Exception {
        SilentServer a = silent(false);
        SilentServer b = silent(false);
        // Each attempt alone may take 0.5 s + 30 s; the deadline leaves 300 ms for all of them.
        PatroniClient p = Fixtures.patroni("main", Duration.ofSeconds(30), a.uri(), b.uri());
        long t0 = System.nanoTime();
        PatroniException.Unreachable e = catchThrowableOfType(PatroniException.Unreachable.class,
                () -> p.cluster(Deadline.after(Duration.ofMillis(300))));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(BOUND);
        assertThat(e.getMessage()).contains(a.uri() + " (", "no time left within 300 ms for " + b.uri());
    }

    @Test
    void postCarriesBasicAuthAndJsonBody() throws Exception {
        FakeHttpServer s = server().on("POST", "/switchover", r -> Response.text(200, "  Switchover scheduled\n"))
                .on("POST", "/failover", r -> Response.text(200, "Successfully failed over to \"node3\""));
        PatroniClient p = Fixtures.patroni("main", Duration.ofSeconds(5), s.uri());
        OffsetDateTime at = OffsetDateTime.parse("2026-11-24T22:00Z");
        assertThat(p.switchover("node1", Optional.of("node2"), Optional.of(at))).isEqualTo("Switchover scheduled");
        p.switchover("node1", Optional.empty(), Optional.empty());
        p.failover("node3");

        List<FakeHttpServer.Recorded> rs = s.requests();
        assertThat(rs).hasSize(3);
        assertThat(rs).allSatisfy(r -> {
            assertThat(r.header("Authorization")).isEqualTo(basic());
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
        });
        assertThat(json(rs.get(0).body())).isEqualTo(json("{\"leader\":\"node1\",\"candidate\":\"node2\",\"scheduled_at\":\"2026-11-24T22:00Z\"}"));
        assertThat(json(rs.get(1).body())).isEqualTo(json("{\"leader\":\"node1\"}"));
        assertThat(json(rs.get(2).body())).isEqualTo(json("{\"candidate\":\"node3\"}"));
    }

    @Test
    void pauseResumeAndFlushBodies() throws Exception {
        FakeHttpServer s = server().on("PATCH", "/config", r -> Response.json("{}"))
                .on("DELETE", "/switchover", r -> Response.text(200, "scheduled switchover deleted"));
        PatroniClient p = Fixtures.patroni("main", Duration.ofSeconds(5), s.uri());
        p.setPaused(true);
        p.setPaused(false);
        assertThat(p.cancelScheduledSwitchover()).isEqualTo("scheduled switchover deleted");
        List<FakeHttpServer.Recorded> rs = s.requests();
        assertThat(json(rs.get(0).body())).isEqualTo(json("{\"pause\":true}"));
        assertThat(json(rs.get(1).body())).isEqualTo(json("{\"pause\":null}"));
        assertThat(rs.get(2).method()).isEqualTo("DELETE");
        assertThat(rs.get(2).body()).isEmpty();
        assertThat(rs.get(2).header("Authorization")).isEqualTo(basic());
    }

    @Test
    void memberActionsGoToTheMembersOwnApiUrl() throws Exception {
        FakeHttpServer cluster = server();
        FakeHttpServer member = server().on("POST", "/reinitialize", r -> Response.text(200, "reinitialize started"))
                .on("POST", "/restart", r -> Response.text(200, "restarted successfully"))
                .on("POST", "/reload", r -> Response.text(202, "reload scheduled"));
        PatroniClient p = Fixtures.patroni("main", Duration.ofSeconds(5), cluster.uri(), member.uri());
        Member m = new Member("node2", MemberRole.REPLICA, "streaming", URI.create(member.uri() + "/patroni"), "h", 5432,
                java.util.OptionalLong.of(3), java.util.OptionalLong.of(0), false, false, Optional.empty());
        assertThat(p.reinitialize(m, true)).isEqualTo("reinitialize started");
        assertThat(p.restart(m, true)).isEqualTo("restarted successfully");
        assertThat(p.reload(m)).isEqualTo("reload scheduled");
        assertThat(cluster.requests()).isEmpty();
        List<FakeHttpServer.Recorded> rs = member.requests();
        assertThat(rs).extracting(FakeHttpServer.Recorded::path).containsExactly("/reinitialize", "/restart", "/reload");
        assertThat(json(rs.get(0).body())).isEqualTo(json("{\"force\":true}"));
        assertThat(json(rs.get(1).body())).isEqualTo(json("{\"restart_pending\":true}"));

        Member noApi = new Member("node9", MemberRole.REPLICA, "running", null, "h", 5432,
                java.util.OptionalLong.empty(), java.util.OptionalLong.empty(), false, false, Optional.empty());
        assertThat(catchThrowableOfType(PatroniException.BadResponse.class, () -> p.reload(noApi)))
                .hasMessageContaining("no api_url for member node9");
    }

    @Test
    void unreachableMemberIsNotRetriedOnClusterUrls() throws Exception {
        FakeHttpServer cluster = server().on("POST", "/restart", r -> Response.text(200, "wrong place"));
        URI closed = FakeHttpServer.closedPort();
        PatroniClient p = Fixtures.patroni("main", Duration.ofSeconds(5), cluster.uri(), closed);
        Member m = new Member("node2", MemberRole.REPLICA, "streaming", URI.create(closed + "/patroni"), "h", 5432,
                java.util.OptionalLong.of(3), java.util.OptionalLong.of(0), false, false, Optional.empty());
        PatroniException.Unreachable e = catchThrowableOfType(PatroniException.Unreachable.class, () -> p.restart(m, false));
        assertThat(e).hasMessage("cannot reach Patroni at " + closed + " for POST /restart: connection refused");
        assertThat(cluster.requests()).isEmpty();
    }

    // ---- DCS down: Patroni answers GET /patroni, but not GET /cluster ---------------------------------------------

    /** GET /patroni of Patroni 3.0.2 with a DCS last read {@code ageSeconds} ago (by the server's Date header). */
    private static Response patroniView(String role, long ageSeconds, boolean failsafe) {
        long seen = java.time.Instant.now().getEpochSecond() - ageSeconds;
        return Response.json("{\"state\": \"running\", \"role\": \"" + role + "\", \"timeline\": 3, \"cluster_unlocked\": true, "
                + (failsafe ? "\"failsafe_mode_is_active\": true, " : "") + "\"dcs_last_seen\": " + seen
                + ", \"patroni\": {\"version\": \"3.0.2\", \"scope\": \"main\"}}");
    }

    @Test
    void dcsDownForAWhileIsToldApartFromPatroniDownWithoutWaitingForTheReads() throws Exception {
        List<FakeHttpServer> ss = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ss.add(server().on("GET", "/cluster", r -> hang()).on("GET", "/patroni", r -> patroniView("replica", 120, false)));
        }
        // Each GET /cluster alone may take 0.5 s + 30 s: the verdict must not wait for them.
        PatroniClient p = Fixtures.patroni("main", Duration.ofSeconds(30), ss.get(0).uri(), ss.get(1).uri(), ss.get(2).uri());
        long t0 = System.nanoTime();
        PatroniException.DcsUnavailable e = catchThrowableOfType(PatroniException.DcsUnavailable.class, p::cluster);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(BOUND);
        assertThat(e).hasMessage("Patroni of cluster main answers but cannot read its DCS (GET /cluster: no member answered within 3 s; "
                + "last read 120 s ago); cluster state unknown; automatic failover is off until the DCS is back "
                + "(failsafe mode: off). Members' own view (GET /patroni): " + ss.get(0).uri() + " replica running, "
                + ss.get(1).uri() + " replica running, " + ss.get(2).uri() + " replica running. "
                + "No member runs as primary: writes fail until the DCS is back. Check the DCS (etcd/etcd3/consul/zookeeper "
                + "in the members' patroni.yml; Patroni's REST API does not show its address).");
        assertThat(ss).as("asked at once, not one after the other").allSatisfy(x -> assertThat(x.count("GET", "/cluster")).isEqualTo(1));
    }

    @Test
    void dcsJustLostWithFailsafeModeNamesTheMembersAndTheLeaderThatKeepsRunning() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean dcsUp = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<FakeHttpServer> ss = new ArrayList<>();
        for (int i = 0; i < 3; i++) ss.add(server());
        List<URI> apis = ss.stream().map(FakeHttpServer::uri).toList();
        for (int i = 0; i < 3; i++) {
            String role = i == 0 ? "master" : "replica";
            // Patroni 3.0.2 closes the connection without an answer once retry_timeout has passed.
            ss.get(i).on("GET", "/cluster", r -> dcsUp.get() ? Response.json(PatroniJson.cluster("node1", 3, apis)) : null)
                    .on("GET", "/patroni", r -> patroniView(role, 3, true));
        }
        PatroniClient p = Fixtures.patroni("main", Duration.ofSeconds(5), apis.toArray(URI[]::new));
        p.cluster();
        dcsUp.set(false);
        PatroniException.DcsUnavailable e = catchThrowableOfType(PatroniException.DcsUnavailable.class, p::cluster);
        assertThat(e.getMessage()).startsWith("Patroni of cluster main answers but cannot read its DCS (GET /cluster: "
                        + "connection closed without a complete answer")
                .contains("last read 3 s ago); cluster state unknown; automatic failover is off until the DCS is back (failsafe mode: on). "
                        + "Members' own view (GET /patroni): node1 leader running, node2 replica running, node3 replica running. "
                        + "node1 keeps running as primary (failsafe mode).");
        assertThat(e).isNotInstanceOf(dev.pgchatops.core.OutcomeUnknown.class);
    }

    @Test
    void oneMemberCutOffFromTheDcsDoesNotHideTheOthers() throws Exception {
        FakeHttpServer cut = server().on("GET", "/cluster", r -> null).on("GET", "/patroni", r -> patroniView("replica", 60, false));
        FakeHttpServer ok = server().json("GET", "/cluster", PatroniJson.cluster("node2", 4))
                .on("GET", "/patroni", r -> patroniView("master", 0, false));
        PatroniClient p = Fixtures.patroni("main", Duration.ofSeconds(5), cut.uri(), ok.uri());
        assertThat(p.cluster().leader().map(Member::name)).contains("node2");
    }

    @Test
    void patroniDownIsStillUnreachableNotDcs() throws Exception {
        FakeHttpServer broken = server().on("GET", "/cluster", r -> null);
        PatroniClient p = Fixtures.patroni("main", Duration.ofSeconds(5), broken.uri(), FakeHttpServer.closedPort());
        assertThat(catchThrowableOfType(PatroniException.Unreachable.class, p::cluster))
                .hasMessageStartingWith("cannot reach Patroni of cluster main: " + broken.uri() + " (connection closed without a complete answer");
    }

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }
}
