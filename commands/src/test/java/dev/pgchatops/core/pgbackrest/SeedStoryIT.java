package dev.pgchatops.core.pgbackrest;

import dev.pgchatops.core.it.LiveCluster;
import dev.pgchatops.core.patroni.ClusterState;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.reply.Severity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed story: full backup, rows written, the leader crashes, a new leader takes over on a new timeline, the old
 * leader comes back and /reinit rebuilds it from the pgBackRest repository; it streams on the new timeline with lag 0
 * and has the rows.
 */
class SeedStoryIT {
    private static LiveCluster lc;

    @BeforeAll
    static void cluster() {
        lc = LiveCluster.get();
    }

    @AfterAll
    static void closeConnections() {
        if (lc != null) lc.bot.close();
    }

    @Test
    void crashedLeaderIsRebuiltFromTheBackupRepository() throws Exception {
        lc.awaitHealthy();
        Member oldLeader = lc.leader();
        String old = oldLeader.name();
        long oldTimeline = oldLeader.timeline().orElseThrow();

        // 1. a full backup through the bot
        long t0 = System.nanoTime();
        LiveCluster.Capture backup = lc.run("operator", "/backup full");
        assertThat(backup.last().severity()).as(backup.text()).isEqualTo(Severity.SUCCESS);
        System.out.printf("[timing] seed story: /backup full on %s took %d ms%n", old, (System.nanoTime() - t0) / 1_000_000);

        // 2. rows on the leader, replicated to every replica before the crash (replication is asynchronous)
        String table = "seed_story_" + Long.toString(System.currentTimeMillis(), 36);
        ItSupport.psql(lc, oldLeader, "create table " + table + " (id int primary key, note text); insert into " + table
                + " select g, 'seed row ' || g from generate_series(1, 500) g;");
        for (Member r : lc.replicas()) {
            LiveCluster.await(Duration.ofSeconds(60), "the rows on " + r.name(),
                    () -> "500".equals(ItSupport.psql(lc, r, "select count(*) from " + table)));
        }

        // 3. the leader crashes; Patroni elects another on a new timeline
        long crash = System.nanoTime();
        lc.script("crash", old);
        LiveCluster.await(Duration.ofSeconds(90), "a new leader on a new timeline", () -> {
            Optional<Member> l = lc.state().leader();
            return l.isPresent() && !l.get().name().equals(old) && l.get().isRunning()
                    && l.get().timeline().isPresent() && l.get().timeline().getAsLong() > oldTimeline;
        });
        Member newLeader = lc.leader();
        long newTimeline = newLeader.timeline().orElseThrow();
        System.out.printf("[timing] seed story: failover %s -> %s (timeline %d -> %d) seen after %d ms%n", old,
                newLeader.name(), oldTimeline, newTimeline, (System.nanoTime() - crash) / 1_000_000);
        // the other replica follows the new leader before the old leader returns: once Patroni restarts the old
        // leader it archives the old timeline's last segment (ready WAL before pg_rewind), and a replica still
        // waiting on the old timeline would restore and replay that segment past the fork point
        LiveCluster.await(Duration.ofSeconds(60), "every other member on timeline " + newTimeline, () ->
                lc.state().members().stream().filter(m -> !m.name().equals(old)).allMatch(m -> m.isRunning()
                        && m.timeline().isPresent() && m.timeline().getAsLong() == newTimeline));

        // 4. /backup-check on the new primary: archiving works there, and its WAL switch puts the new timeline's
        //    copy of the fork segment into the repository. Without it, a restore replays the old timeline's copy,
        //    which Patroni archives from the old leader before pg_rewind, past the fork point and stays on the old
        //    timeline (the known "rebuilt replica stays on the old timeline" pitfall).
        LiveCluster.Capture check = lc.run("operator", "/backup-check");
        assertThat(check.last().severity()).as(check.text()).isEqualTo(Severity.SUCCESS);
        assertThat(check.text()).contains("check on " + newLeader.name() + " (primary) passed");

        // 5. the old leader comes back
        lc.script("start", old);
        // Patroni first runs crash recovery (single-user mode) and pg_rewind; /reinit is refused meanwhile
        LiveCluster.await(Duration.ofSeconds(120), old + " running again after its restart", () -> {
            Optional<Member> m = lc.state().member(old);
            return m.isPresent() && m.get().isRunning() && !m.get().role().isLeader();
        });
        System.out.printf("[info] seed story: %s came back as %s%n", old, lc.state().member(old).orElseThrow());

        // 6. /reinit OLD, confirmed: rebuilt by the pgbackrest method; the confirmation names the newest backup
        LiveCluster.Capture asked = new LiveCluster.Capture();
        lc.bot.handle(new dev.pgchatops.core.Request(LiveCluster.user("operator"), "it", "/reinit " + old), asked)
                .ifPresent(p -> lc.bot.cancel(p.token(), LiveCluster.user("operator"), "it", new LiveCluster.Capture()));
        assertThat(asked.text()).containsPattern("Built from: pgBackRest full backup \\d{8}-\\d{6}F of stanza ")
                .contains("fallback: basebackup from leader " + newLeader.name());
        Path log = lc.patroniLog(old);
        long logSize = Files.size(log);
        long r0 = System.nanoTime();
        LiveCluster.Capture[] reinit = new LiveCluster.Capture[1];
        // Patroni answers 503 "... already in progress" while it still finishes an action of its own: ask again
        LiveCluster.await(Duration.ofSeconds(60), "Patroni to accept the reinit of " + old, () -> {
            reinit[0] = lc.runConfirmed("operator", "/reinit " + old);
            return !reinit[0].text().contains("in progress");
        });
        long reinitMs = (System.nanoTime() - r0) / 1_000_000;
        assertThat(reinit[0].last().severity()).as(reinit[0].text()).isEqualTo(Severity.SUCCESS);
        System.out.printf("[info] seed story: %s%n", reinit[0].text().replace('\n', ' '));
        // the bot read it from pgBackRest's restore log on the member, the same fact as Patroni's log line below
        assertThat(reinit[0].text()).contains("Built with pgbackrest (pgbackrest restore ").contains("completed successfully");
        LiveCluster.await(Duration.ofSeconds(30), "the pgbackrest line in " + log,
                () -> since(log, logSize).contains("replica has been created using pgbackrest"));
        System.out.printf("[timing] seed story: /reinit %s (confirmed) took %d ms%n", old, reinitMs);

        // 7. streaming on the new timeline with lag 0
        LiveCluster.await(Duration.ofSeconds(60), old + " streaming on timeline " + newTimeline + " with lag 0", () -> {
            ClusterState s = lc.state();
            Member m = s.member(old).orElseThrow();
            return m.isRunning() && m.timeline().isPresent() && m.timeline().getAsLong() == newTimeline
                    && s.leader().map(l -> l.timeline().orElse(-1) == newTimeline).orElse(false)
                    && m.lagBytes().isPresent() && m.lagBytes().getAsLong() == 0;
        });

        // 8. the rows are there on the rebuilt member
        Member rebuilt = lc.state().member(old).orElseThrow();
        assertThat(ItSupport.psql(lc, rebuilt, "select count(*), min(id), max(id) from " + table)).isEqualTo("500|1|500");
        assertThat(ItSupport.psql(lc, rebuilt, "select pg_is_in_recovery()")).isEqualTo("t");
        assertThat(since(log, logSize)).doesNotContain("replica has been created using basebackup");

        ItSupport.psql(lc, lc.leader(), "drop table " + table);
        lc.awaitHealthy();
    }

    private static String since(Path log, long offset) {
        try {
            byte[] all = Files.readAllBytes(log);
            return offset >= all.length ? "" : new String(all, (int) offset, all.length - (int) offset);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
