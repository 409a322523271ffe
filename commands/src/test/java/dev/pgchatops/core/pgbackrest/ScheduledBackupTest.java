package dev.pgchatops.core.pgbackrest;

import dev.pgchatops.config.BackupSchedule;
import dev.pgchatops.core.TestClock;
import dev.pgchatops.core.watch.BackupScheduler;
import dev.pgchatops.core.watch.Destination;
import dev.pgchatops.core.watch.Notifier;
import dev.pgchatops.core.watch.Op;
import dev.pgchatops.core.watch.StateStore;
import dev.pgchatops.core.watch.Tracker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** pgbackrest.schedule: each run goes to the primary of that moment, through the same path as /backup. */
class ScheduledBackupTest {
    final Harness h = new Harness();
    final TestClock clock = new TestClock(Instant.parse("2026-11-24T00:58:00Z"));
    final StateStore store = StateStore.memory();
    final BackupScheduler scheduler = new BackupScheduler("demo", h.service,
            new BackupSchedule(Map.of("full", "0 1 * * *")), store, new Tracker(2),
            new Notifier(List.of(new Destination("console", "alerts"))), clock, Runnable::run);

    List<String> titles() {
        return store.read(st -> st.outbox.stream().map(Op::message).map(m -> m.title()).toList());
    }

    List<String> activeKeys() {
        return store.read(st -> List.copyOf(st.active.keySet()));
    }

    @Test
    void runsOnThePrimaryOfThatMoment() {
        h.runner.on("backup", FakeRunner.lines(0, Fixtures.FULL_BACKUP, List.of()))
                .on("info", FakeRunner.json(Fixtures.INFO_TWO_BACKUPS));
        scheduler.tick();
        clock.advance(Duration.ofMinutes(1));
        scheduler.tick();
        assertThat(h.runner.calls("backup")).as("not due before 01:00").isEmpty();
        clock.advance(Duration.ofSeconds(70));   // 01:00:10
        scheduler.tick();
        assertThat(h.runner.calls("backup")).singleElement().satisfies(c -> {
            assertThat(c.endpoint().member()).isEqualTo("node1");
            assertThat(c.argv()).contains("--type=full");
        });
        assertThat(titles()).anyMatch(t -> t.equals("backup-started on demo: scheduled full backup of demo starting on node1 (primary, timeline 1)"))
                .anyMatch(t -> t.startsWith("backup-finished on demo: scheduled full backup of demo"));

        h.state.set(Harness.healthy("node2"));   // a switchover during the day
        clock.advance(Duration.ofHours(24));
        scheduler.tick();
        assertThat(h.runner.calls("backup")).hasSize(2);
        assertThat(h.runner.calls("backup").get(1).endpoint().member()).isEqualTo("node2");
    }

    @Test
    void aMissedRunIsReportedNotRunLate_andAnOverlapIsSkipped() {
        h.runner.on("backup", FakeRunner.lines(0, Fixtures.FULL_BACKUP, List.of()))
                .on("info", FakeRunner.json(Fixtures.INFO_TWO_BACKUPS));
        scheduler.tick();
        clock.advance(Duration.ofHours(50));   // the bot was down over two runs
        scheduler.tick();
        assertThat(h.runner.calls("backup")).isEmpty();
        assertThat(titles()).singleElement().asString()
                .startsWith("backup-missed on demo: scheduled full backup not run (3 runs from 2026-11-24T01:00:00Z to 2026-11-26T01:00:00Z)");

        try (var held = h.locks.tryAcquire("demo", "demo", "backup full", "alice", clock.instant()).lock().orElseThrow()) {
            clock.advance(Duration.ofHours(22).plusMinutes(3));   // 01:01 the next day
            scheduler.tick();
        }
        assertThat(h.runner.calls("backup")).isEmpty();
        assertThat(titles()).anyMatch(t -> t.startsWith("backup-skipped on demo: scheduled full backup of demo"));
    }

    @Test
    void aFailedRunIsTheBackupFailedAlertUntilARunSucceeds() {
        h.runner.on("backup", FakeRunner.lines(56, List.of(), Fixtures.NOT_PRIMARY_STDERR));
        scheduler.tick();
        clock.advance(Duration.ofMinutes(2));
        scheduler.tick();
        assertThat(activeKeys()).containsExactly("demo/backup-failed");
        h.runner.on("backup", FakeRunner.lines(0, Fixtures.FULL_BACKUP, List.of()))
                .on("info", FakeRunner.json(Fixtures.INFO_TWO_BACKUPS));
        clock.advance(Duration.ofHours(24));
        scheduler.tick();
        assertThat(activeKeys()).isEmpty();
        assertThat(titles()).anyMatch(t -> t.startsWith("RESOLVED after 24 h: backup-failed on demo"));
    }
}
