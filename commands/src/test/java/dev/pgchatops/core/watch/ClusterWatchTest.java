package dev.pgchatops.core.watch;

import dev.pgchatops.config.AlertChannels;
import dev.pgchatops.config.AlertsConfig;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.TestClock;
import dev.pgchatops.core.reply.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules on recorded /cluster sequences, with an injected clock: fire once, thread, resolve, damping, silences. */
class ClusterWatchTest {
    final TestClock clock = new TestClock();
    final RecordingSender sender = new RecordingSender();
    final AlertsConfig config = AlertsConfig.defaults(Path.of("/nonexistent"), new AlertChannels(true, List.of(), List.of()));
    FakeCluster fc;
    StateStore store;
    ClusterWatch watch;
    Outbox outbox;
    Tracker tracker;

    @BeforeEach
    void setUp() throws Exception {
        fc = new FakeCluster();
        store = StateStore.memory();
        tracker = new Tracker(config.dampingPolls());
        Notifier notifier = new Notifier(List.of(new Destination("console", "alerts")));
        watch = new ClusterWatch("demo", fc.client(), config, store, tracker, notifier, clock);
        outbox = new Outbox(store, Map.of("console", sender), clock);
    }

    @AfterEach
    void tearDown() {
        fc.close();
    }

    void poll(int times) {
        for (int i = 0; i < times; i++) {
            watch.poll();
            outbox.deliverDue();
            clock.advance(Duration.ofSeconds(1));
        }
    }

    @Test
    void failoverStory_unreachableThenOneFailoverAlert_memberDown_diverged_reinitResolves() {
        fc.healthy("node1", 1);
        poll(3);
        assertThat(sender.lines).isEmpty();

        // the leader's Patroni is killed: /cluster (from the others) still names it, its own REST API is gone
        fc.down("node1", true);
        poll(1);
        assertThat(sender.lines).as("damped: one poll is not enough").isEmpty();
        poll(1);
        assertThat(sender.lines).singleElement().asString()
                .contains("post alerts m1: leader-unreachable on demo: node1 does not answer");

        poll(3); // still unreachable: no second post
        assertThat(sender.matching("leader-unreachable")).hasSize(1);

        // Patroni promotes node2 on timeline 2; node1's key expired
        fc.history("[[1, 50331808, \"no recovery target specified\", \"2026-11-24T12:00:09+00:00\", \"node2\"]]");
        fc.members(fc.leader("node2", 2), fc.replica("node3", 2));
        poll(1);
        assertThat(sender.matching("failover on demo")).singleElement().asString()
                .contains("failover on demo: leader node1 → node2, timeline 2");
        assertThat(sender.matching("switchover")).isEmpty();
        assertThat(sender.lines).contains("update m1: RESOLVED after 4 s: leader-unreachable on demo: node1 does not answer",
                "thread m1: resolved after 4 s: failover to node2 (timeline 2)");
        assertThat(watch.lastLeaderChange()).get().satisfies(c -> {
            assertThat(c.failover()).isTrue();
            assertThat(c.to()).isEqualTo("node2");
            assertThat(c.timeline()).isEqualTo(2);
        });
        poll(1);
        assertThat(sender.matching("member-down on demo: node1")).hasSize(1);
        poll(5);
        assertThat(sender.matching("failover on demo")).as("exactly one failover alert").hasSize(1);

        // node1 comes back on the old timeline: member-down resolves, the diverged alert fires with its Reinit button
        fc.down("node1", false);
        fc.members(fc.leader("node2", 2), fc.replica("node3", 2), fc.member("node1", "replica", "running", 1, 0L, false));
        poll(2);
        assertThat(sender.matching("RESOLVED")).anyMatch(l -> l.contains("member-down on demo: node1"));
        poll(PatroniRules.TIMELINE_HOLD);
        assertThat(sender.matching("diverged on demo: node1 is on timeline 1, leader node2 on timeline 2")).hasSize(1);
        Block.Buttons buttons = sender.posts.stream().filter(r -> r.title().startsWith("diverged")).findFirst()
                .orElseThrow().buttons().orElseThrow();
        assertThat(buttons.buttons()).extracting(Block.Button::label).containsExactly("Reinit node1", "Silence 1 h");
        assertThat(buttons.buttons().get(0).action()).isEqualTo(Bot.RUN_PREFIX + "/reinit node1 --cluster demo");
        assertThat(buttons.buttons().get(1).action()).isEqualTo(Bot.RUN_PREFIX + "/silence --cluster demo --alert diverged:node1 1h");

        // after the reinit it streams on timeline 2: resolved
        fc.healthy("node2", 2);
        poll(2);
        assertThat(sender.matching("RESOLVED")).anyMatch(l -> l.contains("diverged on demo: node1"));
        assertThat(store.read(st -> Map.copyOf(st.active)).keySet()).isEmpty();
    }

    /**
     * A poll that changes nothing writes nothing (hundreds of clusters are polled every second), and skipping never
     * loses anything: after every poll of a story with damping, firing, a steady alert, a thread line, a leader change
     * and resolves, the file on disk holds exactly the state in memory.
     */
    @Test
    void onlyPollsThatChangeTheStateWriteIt_andTheFileAlwaysMatchesTheState(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        store = StateStore.open(dir);
        Notifier notifier = new Notifier(List.of(new Destination("console", "alerts")));
        watch = new ClusterWatch("demo", fc.client(), config, store, tracker, notifier, clock);
        outbox = new Outbox(store, Map.of("console", sender), clock);
        com.fasterxml.jackson.databind.ObjectWriter json = new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter();
        java.util.function.IntConsumer pollChecked = n -> {
            for (int i = 0; i < n; i++) {
                watch.poll();
                outbox.deliverDue();
                clock.advance(Duration.ofSeconds(1));
                try {
                    String memory = store.read(st -> {
                        try {
                            return json.writeValueAsString(st);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    assertThat(java.nio.file.Files.readString(store.file())).as("the file after a poll").isEqualTo(memory);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        fc.healthy("node1", 1);
        assertThat(watch.poll()).as("the first poll records the leader and the members").isTrue();
        long w = store.writes();
        pollChecked.accept(20);
        assertThat(store.writes()).as("20 steady polls").isEqualTo(w);

        fc.members(fc.leader("node1", 1), fc.replica("node2", 1));   // node3 gone: damping counter, then the alert
        assertThat(watch.poll()).as("the damping counter moved").isTrue();
        pollChecked.accept(1);
        assertThat(sender.matching("member-down on demo: node3")).hasSize(1);
        w = store.writes();
        pollChecked.accept(10);
        assertThat(store.writes()).as("a steady active alert").isEqualTo(w);

        fc.healthy("node1", 1);
        pollChecked.accept(3);
        assertThat(sender.matching("RESOLVED after")).singleElement().asString().contains("member-down on demo: node3");
        fc.members(fc.member("node1", "replica", "stopped", 1, null, false), fc.leader("node2", 2), fc.replica("node3", 1));
        pollChecked.accept(1);
        fc.healthy("node2", 2);
        pollChecked.accept(4);
        assertThat(sender.matching("switchover on demo: leader node1 → node2, timeline 2")).hasSize(1);
        w = store.writes();
        pollChecked.accept(10);
        assertThat(store.writes()).as("steady again on the new leader").isEqualTo(w);

        StateStore reopened = StateStore.open(dir);
        WatchState.LeaderSeen seen = reopened.read(st -> st.leaders.get("demo"));
        assertThat(seen).isEqualTo(new WatchState.LeaderSeen("node2", 2));
    }

    /** A poll of a healthy cluster is one request, GET /cluster to the leader; the leader's GET /patroni only when another member served it. */
    @Test
    void aHealthyPollIsOneRequestToTheLeader_andTheLeaderIsProbedWhenItDidNotServe() {
        fc.healthy("node2", 1);
        poll(2); // the first poll may start on node1, then the leader is asked first
        long before = total();
        poll(10);
        assertThat(total() - before).as("requests for 10 healthy polls").isEqualTo(10);
        assertThat(fc.servers.get(1).count("GET", "/cluster")).isGreaterThanOrEqualTo(10);

        fc.down("node2", true); // the leader's Patroni is gone: /cluster from another member, GET /patroni of node2 fails
        poll(1);
        long clusterReads = fc.servers.get(1).count("GET", "/cluster");
        long probes = fc.servers.get(1).count("GET", "/patroni");
        poll(2);
        assertThat(sender.matching("leader-unreachable on demo: node2 does not answer")).hasSize(1);
        assertThat(fc.servers.get(1).count("GET", "/cluster") - clusterReads)
                .as("a leader that does not answer is not asked first again").isZero();
        assertThat(fc.servers.get(1).count("GET", "/patroni") - probes).as("but probed each poll").isGreaterThanOrEqualTo(2);
        fc.down("node2", false);
        poll(3);
        assertThat(sender.matching("RESOLVED")).anyMatch(l -> l.contains("leader-unreachable on demo: node2"));
        before = total();
        poll(5);
        assertThat(total() - before).as("one request per poll again").isEqualTo(5);
    }

    private long total() {
        return fc.servers.stream().mapToLong(x -> x.requests().size()).sum();
    }

    @Test
    void switchoverIsNotAFailover() {
        fc.healthy("node1", 1);
        poll(2);
        fc.members(fc.member("node1", "replica", "stopped", 1, null, false), fc.replica("node2", 1), fc.replica("node3", 1));
        poll(1);   // no leader for one poll: damped, nothing posted
        fc.members(fc.member("node1", "replica", "stopped", 1, null, false), fc.leader("node2", 2), fc.replica("node3", 1));
        poll(1);
        fc.healthy("node2", 2);
        poll(4);
        assertThat(sender.matching("switchover on demo: leader node1 → node2, timeline 2")).hasSize(1);
        assertThat(sender.matching("failover")).isEmpty();
        assertThat(sender.matching("no-leader")).isEmpty();
        assertThat(watch.lastLeaderChange()).get().satisfies(c -> assertThat(c.failover()).isFalse());
    }

    @Test
    void flappingIsDampedBothWays() {
        fc.healthy("node1", 1);
        poll(1);
        for (int i = 0; i < 5; i++) {   // node3 missing every other poll
            fc.members(fc.leader("node1", 1), fc.replica("node2", 1));
            poll(1);
            fc.healthy("node1", 1);
            poll(1);
        }
        assertThat(sender.lines).isEmpty();
        fc.members(fc.leader("node1", 1), fc.replica("node2", 1));
        poll(2);
        assertThat(sender.matching("member-down on demo: node3")).hasSize(1);
        fc.healthy("node1", 1);
        poll(1);
        fc.members(fc.leader("node1", 1), fc.replica("node2", 1));
        poll(1);
        assertThat(sender.matching("RESOLVED")).as("one poll back is not a resolve").isEmpty();
        fc.healthy("node1", 1);
        poll(2);
        assertThat(sender.matching("RESOLVED after")).singleElement().asString().contains("member-down on demo: node3");
    }

    @Test
    void changesGoIntoTheThread_lagAfterGrace_pendingRestart_paused() {
        fc.healthy("node1", 1);
        poll(1);
        long mb = 1024 * 1024;
        fc.members(fc.leader("node1", 1), fc.member("node2", "replica", "streaming", 1, 40 * mb, false), fc.replica("node3", 1));
        poll(29);
        assertThat(sender.matching("lag on demo")).as("within the grace of 30 s").isEmpty();
        poll(2);
        assertThat(sender.matching("lag on demo: node2 is more than 16 MB behind")).hasSize(1);
        fc.members(fc.leader("node1", 1), fc.member("node2", "replica", "streaming", 1, 90 * mb, false), fc.replica("node3", 1));
        poll(1);
        assertThat(sender.lines).anyMatch(l -> l.startsWith("thread m1: now: lag: about 90 MB"));

        fc.members(true, fc.leader("node1", 1), fc.replica("node2", 1),
                fc.member("node3", "replica", "streaming", 1, 0L, true));
        poll(3);
        assertThat(sender.matching("pending-restart on demo: node3")).hasSize(1);
        assertThat(sender.matching("RESOLVED after")).anyMatch(l -> l.contains("lag on demo"));
        clock.advance(config.pausedThreshold());
        poll(2);
        assertThat(sender.matching("post alerts")).anyMatch(l -> l.contains("paused on demo"));
    }

    @Test
    void noEndpointReachable() {
        fc.healthy("node1", 1);
        poll(1);
        fc.down("node1", true).down("node2", true).down("node3", true);
        poll(2);
        assertThat(sender.matching("no-endpoint on demo")).hasSize(1);
        assertThat(sender.matching("member-down")).as("nothing is known about members meanwhile").isEmpty();
        fc.down("node1", false).down("node2", false).down("node3", false);
        poll(2);
        assertThat(sender.matching("RESOLVED after 2 s: no-endpoint")).hasSize(1);
    }

    @Test
    void silencedAlertsAreNotPostedUntilTheSilenceEnds() {
        fc.healthy("node1", 1);
        poll(1);
        store.change(st -> st.silences.add(new Silence(1, "demo", "member-down", clock.instant().plusSeconds(60).toEpochMilli(), "console:alice")));
        fc.members(fc.leader("node1", 1), fc.replica("node2", 1));
        poll(5);
        assertThat(sender.lines).isEmpty();
        assertThat(store.read(st -> Map.copyOf(st.active)).keySet()).contains("demo/member-down:node3");
        clock.advance(Duration.ofSeconds(60));
        store.change(st -> {
            new Notifier(List.of(new Destination("console", "alerts"))).releaseSilenced(st, clock.instant());
            return null;
        });
        outbox.deliverDue();
        assertThat(sender.matching("member-down on demo: node3")).hasSize(1);
    }
}
