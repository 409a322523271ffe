package dev.pgchatops.core.watch;

import dev.pgchatops.config.AlertChannels;
import dev.pgchatops.config.AlertsConfig;
import dev.pgchatops.core.Handled;
import dev.pgchatops.core.it.LiveCluster;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watch on the real cluster: hard-stop the leader → "leader unreachable" within about 2 s, then exactly one
 * failover alert naming the new leader and timeline; the old leader back on an older timeline → the diverged alert
 * with its Reinit button, which goes through the bot's confirmation; after the reinit → resolved. A switchover
 * through the bot → a switchover alert, not a failover. Latencies are logged (WATCH-TIMING lines).
 */
class WatchIT {
    private static final Logger LOG = LoggerFactory.getLogger(WatchIT.class);
    static LiveCluster live;

    @TempDir
    Path stateDir;
    RecordingSender sender;
    Watcher watcher;

    @BeforeAll
    static void cluster() {
        live = LiveCluster.get();
    }

    @BeforeEach
    void start() {
        live.awaitHealthy();
        sender = new RecordingSender();
        AlertsConfig cfg = AlertsConfig.defaults(stateDir, new AlertChannels(true, List.of(), List.of()));
        watcher = new Watcher(cfg, live.bot.clusters().values(), StateStore.memory(), Map.of("console", sender),
                List.of(new Destination("console", "alerts")), Clock.systemUTC());
        watcher.start();
        LiveCluster.await(Duration.ofSeconds(10), "the watch's first poll",
                () -> watcher.store().read(st -> st.leaders.containsKey(live.clusterName())));
    }

    @AfterEach
    void stop() {
        if (watcher != null) watcher.close();
    }

    Optional<Reply> post(String titlePart) {
        return sender.posts.stream().filter(r -> r.title().contains(titlePart)).findFirst();
    }

    long postNanos(String titlePart) {
        for (int i = 0; i < sender.posts.size(); i++) {
            if (sender.posts.get(i).title().contains(titlePart)) return sender.postNanos.get(i);
        }
        throw new AssertionError("no post " + titlePart);
    }

    @Test
    void crashTheLeader_unreachableThenOneFailover_divergedOldPrimaryReinitResolves() throws Exception {
        // without pg_rewind and with writes running into the crash, the old primary cannot follow the new timeline
        LiveCluster.Capture off = live.runConfirmed("operator", "/config-set postgresql.use_pg_rewind=false");
        assertThat(off.text()).doesNotContain("ERROR");
        try {
            crashAndFollow();
        } finally {
            live.runConfirmed("operator", "/config-set postgresql.use_pg_rewind=true");
        }
        live.awaitHealthy();
    }

    private void crashAndFollow() throws Exception {
        String c = live.clusterName();
        Member leaderBefore = live.leader();
        String old = leaderBefore.name();
        String table = "watch_" + Long.toString(System.currentTimeMillis(), 36);
        live.psql(leaderBefore, "create table " + table + " (id bigserial primary key, at timestamptz default now())");
        Process writer = live.writer(leaderBefore, table);
        Member r0 = live.replicas().get(0);
        LiveCluster.await(Duration.ofSeconds(30), "rows replicated", () ->
                Long.parseLong(live.psql(r0, "select count(*) from " + table)) > 50);
        AtomicLong patroniNewLeader = new AtomicLong();
        Thread observer = new Thread(() -> {   // Patroni's own time to a new leader, as GET /cluster shows it
            while (patroniNewLeader.get() == 0 && !Thread.currentThread().isInterrupted()) {
                try {
                    Optional<Member> l = live.patroni.cluster().leader();
                    if (l.isPresent() && !l.get().name().equals(old)) patroniNewLeader.set(System.nanoTime());
                } catch (Exception ignored) {
                    // polling
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long t0 = System.nanoTime();
        live.script("crash", old);
        observer.start();
        try {
            LiveCluster.await(Duration.ofSeconds(10), "leader unreachable", () -> post("leader-unreachable on " + c + ": " + old).isPresent());
            long unreachable = postNanos("leader-unreachable on " + c);
            LOG.info("WATCH-TIMING crash → 'leader unreachable' handed to the sender: {} ms", (unreachable - t0) / 1_000_000);
            assertThat(Duration.ofNanos(unreachable - t0)).isLessThan(Duration.ofSeconds(4));

            LiveCluster.await(Duration.ofSeconds(60), "the failover alert", () -> post("failover on " + c).isPresent());
            ClusterWatch.LeaderChange change = watcher.watches().get(0).lastLeaderChange().orElseThrow();
            long alert = postNanos("failover on " + c);
            String newLeader = change.to();
            assertThat(post("failover on " + c).get().title())
                    .isEqualTo("failover on " + c + ": leader " + old + " → " + newLeader + ", timeline " + change.timeline());
            LOG.info("WATCH-TIMING crash → Patroni's new leader in GET /cluster (test's own 100 ms polling): {} ms",
                    (patroniNewLeader.get() - t0) / 1_000_000);
            LOG.info("WATCH-TIMING first GET /cluster showing {} → failover alert handed to the sender: {} ms",
                    newLeader, (alert - change.seenNanos()) / 1_000_000);
            LOG.info("WATCH-TIMING crash → failover alert handed to the sender: {} ms", (alert - t0) / 1_000_000);
            assertThat(Duration.ofNanos(alert - change.seenNanos())).isLessThan(Duration.ofSeconds(2));
            LiveCluster.await(Duration.ofSeconds(10), "the unreachable alert resolved",
                    () -> !sender.matching("RESOLVED after").stream().filter(l -> l.contains("leader-unreachable")).toList().isEmpty());
        } finally {
            observer.interrupt();
            writer.destroy();
            live.script("start", old);
        }

        // the old primary comes back on the old timeline: the diverged alert with its Reinit button
        LiveCluster.await(Duration.ofSeconds(150), "the diverged alert for " + old, () -> post("diverged on " + c + ": " + old).isPresent());
        Reply diverged = post("diverged on " + c + ": " + old).orElseThrow();
        Block.Button reinit = diverged.buttons().orElseThrow().buttons().get(0);
        assertThat(reinit.label()).isEqualTo("Reinit " + old);
        // the button runs /reinit as the clicker, through the normal confirmation
        Handled h;
        LiveCluster.Capture done;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        do { // Patroni refuses a reinit while the member is still starting ("in progress"): press again
            LiveCluster.Capture asked = new LiveCluster.Capture();
            h = live.bot.press(reinit.action(), LiveCluster.user("operator"), "it", asked, null).join();
            assertThat(h.confirmation()).as(asked.text()).isPresent();
            done = new LiveCluster.Capture();
            live.bot.confirm(h.confirmation().get().token(), LiveCluster.user("operator"), "it", done);
        } while (done.text().contains("in progress") && System.nanoTime() < deadline);
        assertThat(done.text()).as(done.text()).contains("again on timeline");
        LiveCluster.await(Duration.ofSeconds(120), "the diverged alert resolved", () -> sender.lines.stream()
                .anyMatch(l -> l.contains("RESOLVED after") && l.contains("diverged on " + c + ": " + old)));
        assertThat(sender.matching("failover on " + c)).as("exactly one failover alert").hasSize(1);
        live.psql(live.leader(), "drop table if exists " + table);
        LOG.info("WATCH-LINES\n{}", String.join("\n", sender.lines));
    }

    @Test
    void aSwitchoverThroughTheBotIsASwitchoverAlert() {
        String c = live.clusterName();
        String old = live.leader().name();
        String target = live.replicas().get(0).name();
        LiveCluster.Capture moved = live.runConfirmed("operator", "/switchover --candidate " + target);
        assertThat(moved.text()).contains(old + " → " + target);
        LiveCluster.await(Duration.ofSeconds(20), "the switchover alert", () -> post("switchover on " + c).isPresent());
        assertThat(post("switchover on " + c).get().title()).startsWith("switchover on " + c + ": leader " + old + " → " + target);
        assertThat(sender.matching("failover on")).isEmpty();
        live.awaitHealthy();
        LiveCluster.Capture back = live.runConfirmed("operator", "/switchover --candidate " + old);
        assertThat(back.text()).contains(target + " → " + old);
        LiveCluster.await(Duration.ofSeconds(20), "the second switchover alert", () -> sender.matching("switchover on " + c).size() == 2);
        assertThat(sender.matching("failover on")).isEmpty();
        LOG.info("WATCH-LINES\n{}", String.join("\n", sender.lines));
    }
}
