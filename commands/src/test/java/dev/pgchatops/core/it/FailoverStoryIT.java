package dev.pgchatops.core.it;

import dev.pgchatops.core.patroni.ClusterState;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Patroni + pgBackRest story with {@code use_pg_rewind: false}: a full backup, the leader crashes while writing,
 * it comes back on the OLD timeline (no pg_rewind) — /cluster-list flags it and says what to type — /reinit rebuilds
 * it and says pgbackrest built it; then with pgBackRest's restore broken (delta=y removed) /reinit warns that
 * basebackup built it instead.
 */
class FailoverStoryIT {
    private static LiveCluster lc;

    @BeforeAll
    static void cluster() {
        lc = LiveCluster.get();
    }

    @AfterAll
    static void close() {
        if (lc != null) lc.bot.close();
    }

    private String psql(Member m, String sql) {
        return lc.psql(m, sql);
    }

    @Test
    void anOldPrimaryOnTheOldTimelineIsFlaggedAndRebuiltFromPgBackRestThenABrokenRestoreIsReported() throws Exception {
        lc.awaitHealthy();
        LiveCluster.Capture off = lc.runConfirmed("operator", "/config-set postgresql.use_pg_rewind=false");
        assertThat(off.last().severity()).as(off.text()).isEqualTo(Severity.SUCCESS);
        Process writer = null;
        String old = null;
        try {
            LiveCluster.Capture backup = lc.run("operator", "/backup full");
            assertThat(backup.last().severity()).as(backup.text()).isEqualTo(Severity.SUCCESS);

            Member leader = lc.leader();
            old = leader.name();
            long oldTl = leader.timeline().orElseThrow();
            String table = "story_" + Long.toString(System.currentTimeMillis(), 36);
            psql(leader, "create table " + table + " (id bigserial primary key, at timestamptz default now())");
            writer = lc.writer(leader, table);
            Member r0 = lc.replicas().get(0);
            LiveCluster.await(Duration.ofSeconds(30), "rows replicated", () ->
                    Long.parseLong(psql(r0, "select count(*) from " + table)) > 50);

            long t0 = System.nanoTime();
            lc.script("crash", old);
            String oldName = old;
            LiveCluster.await(Duration.ofSeconds(90), "a new leader on a new timeline", () -> {
                Optional<Member> l = lc.state().leader();
                return l.isPresent() && !l.get().name().equals(oldName) && l.get().isRunning()
                        && l.get().timeline().orElse(0) > oldTl;
            });
            Member newLeader = lc.leader();
            long newTl = newLeader.timeline().orElseThrow();
            System.out.printf("[timing] failover story: %s -> %s (TL %d -> %d) after %d ms%n", old, newLeader.name(), oldTl,
                    newTl, (System.nanoTime() - t0) / 1_000_000);
            LiveCluster.await(Duration.ofSeconds(60), "the other replica on timeline " + newTl, () ->
                    lc.state().members().stream().filter(m -> !m.name().equals(oldName))
                            .allMatch(m -> m.isRunning() && m.timeline().orElse(0) == newTl));
            // the old leader kept writing on its own timeline meanwhile
            Thread.onSpinWait();
            writer.destroy();
            assertThat(lc.run("operator", "/backup-check").last().severity()).isEqualTo(Severity.SUCCESS);

            // back without pg_rewind: it cannot follow the new timeline
            lc.script("start", old);
            LiveCluster.await(Duration.ofSeconds(120), old + " back, on the old timeline", () -> {
                Optional<Member> m = lc.state().member(oldName);
                return m.isPresent() && !m.get().role().isLeader() && m.get().timeline().isPresent()
                        && m.get().timeline().getAsLong() < newTl;
            });
            System.out.printf("[info] failover story: %s came back as %s%n", old, lc.state().member(old).orElseThrow());
            Reply list = lc.run("viewer", "/cluster-list").last();
            assertThat(list.severity()).isEqualTo(Severity.WARNING);
            assertThat(list.plainText()).contains(old + " is on timeline " + oldTl + ", older than leader " + newLeader.name())
                    .contains("/reinit " + old).contains("OLD TIMELINE");

            // /reinit: the confirmation names the backup, the result says pgbackrest built it
            LiveCluster.Capture[] reinit = new LiveCluster.Capture[1];
            long r0t = System.nanoTime();
            LiveCluster.await(Duration.ofSeconds(60), "Patroni to accept the reinit of " + old, () -> {
                reinit[0] = lc.runConfirmed("operator", "/reinit " + oldName + " --force");
                return !reinit[0].text().contains("in progress");
            });
            System.out.printf("[timing] failover story: /reinit %s from pgbackrest took %d ms: %s%n", old,
                    (System.nanoTime() - r0t) / 1_000_000, reinit[0].text().replace('\n', ' '));
            assertThat(reinit[0].last().severity()).as(reinit[0].text()).isEqualTo(Severity.SUCCESS);
            assertThat(reinit[0].text()).contains("Built with pgbackrest").contains("again on timeline " + newTl);

            // pgBackRest's restore broken: Patroni falls back to basebackup, and /reinit says so
            lc.script("pgbackrest-delta", old, "off");
            try {
                LiveCluster.Capture broken = lc.runConfirmed("operator", "/reinit " + old + " --force");
                System.out.printf("[info] failover story, broken restore: %s%n", broken.text().replace('\n', ' '));
                assertThat(broken.last().severity()).as(broken.text()).isEqualTo(Severity.WARNING);
                assertThat(broken.text()).contains("built with basebackup, not pgbackrest").contains("[040]")
                        .contains("delta=y").contains("again on timeline " + newTl);
            } finally {
                lc.script("pgbackrest-delta", old, "on");
            }
            ClusterState s = lc.state();
            assertThat(s.member(old).orElseThrow().timeline()).isEqualTo(s.leader().orElseThrow().timeline());
            psql(lc.leader(), "drop table " + table);
        } finally {
            if (writer != null) writer.destroy();
            LiveCluster.Capture on = lc.runConfirmed("operator", "/config-set postgresql.use_pg_rewind=true");
            assertThat(on.last().severity()).as(on.text()).isEqualTo(Severity.SUCCESS);
        }
        lc.awaitHealthy();
    }
}
