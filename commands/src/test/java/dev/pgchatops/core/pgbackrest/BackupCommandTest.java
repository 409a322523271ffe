package dev.pgchatops.core.pgbackrest;

import dev.pgchatops.config.ClusterConfig;
import dev.pgchatops.config.PgBackRestConfig;
import dev.pgchatops.core.OutcomeUnknown;
import dev.pgchatops.core.Progress;
import dev.pgchatops.core.patroni.ClusterState;
import dev.pgchatops.core.patroni.MemberRole;
import dev.pgchatops.core.reply.Severity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackupCommandTest {
    private static Harness withGoodBackup() {
        Harness h = new Harness();
        h.runner.on("backup", FakeRunner.lines(0, Fixtures.FULL_BACKUP, List.of()))
                .on("info", FakeRunner.json(Fixtures.INFO_TWO_BACKUPS));
        return h;
    }

    @Test
    void fullBackupReportsProgressThenASummary() {
        Harness h = withGoodBackup();
        Harness.Capture c = h.run("alice", "/backup full");

        assertThat(c.progress.get(0)).startsWith("backup full started on node1 (primary, timeline 1)");
        assertThat(c.progress).contains(
                "backup start archive = 000000010000000000000005, lsn = 0/5000028",
                "backup stop archive = 000000010000000000000006, lsn = 0/6000050",
                "new backup label = 20261124-123127F",
                "full backup size = 22.2MB, file total = 971");
        assertThat(c.progress).noneMatch(l -> l.contains("command begin"));

        assertThat(c.last().severity()).isEqualTo(Severity.SUCCESS);
        String text = c.text();
        assertThat(text).contains("Backup 20261124-123127F of stanza demo finished", "Type:", "full",
                "Member:", "node1 (primary, timeline 1)", "Duration:", "3 s", "Database size:", "22.2 MB",
                "Repository size:", "2.9 MB", "WAL range:", "000000010000000000000005 – 000000010000000000000006");
        // the details come from info --set=LABEL on the same member
        FakeRunner.Call info = h.runner.calls("info").get(0);
        assertThat(info.argv()).contains("--set=20261124-123127F", "--output=json");
        assertThat(info.endpoint().member()).isEqualTo("node1");
        assertThat(h.locks.holder("demo", "demo")).isEmpty();
    }

    @Test
    void defaultTypeIsIncr() {
        Harness h = withGoodBackup();
        h.run("alice", "/backup");
        assertThat(h.runner.calls("backup").get(0).argv()).contains("--type=incr").doesNotContain("--type=full");
    }

    @Test
    void viewerMayNotBackup() {
        Harness h = withGoodBackup();
        Harness.Capture c = h.run("viewer", "/backup full");
        assertThat(c.text()).contains("needs the operator role");
        assertThat(h.runner.calls).isEmpty();
    }

    @Test
    void runsOnTheCurrentPrimaryAsPatroniReportsIt() {
        Harness h = withGoodBackup();
        h.state.set(Harness.healthy("node2"));
        h.run("alice", "/backup full");
        FakeRunner.Call call = h.runner.calls("backup").get(0);
        assertThat(call.endpoint().member()).isEqualTo("node2");
        assertThat(call.argv()).contains("--config=/etc/pgbackrest/node2.conf").doesNotContain("--backup-standby");
    }

    @Test
    void memberWithoutEndpointUsesItsPatroniHostAndPort22() {
        Harness h = withGoodBackup();
        h.state.set(Harness.healthy("node3"));
        h.run("alice", "/backup full");
        FakeRunner.Call call = h.runner.calls("backup").get(0);
        assertThat(call.endpoint()).isEqualTo(new Endpoint("node3", "postgres", "10.0.0.13", 22));
        assertThat(call.argv()).noneMatch(a -> a.startsWith("--config"));
    }

    @Test
    void backupStandbyRunsOnAHealthyReplica() {
        Harness h = new Harness(true);
        h.runner.on("backup", FakeRunner.lines(0, Fixtures.FULL_BACKUP, List.of()))
                .on("info", FakeRunner.json(Fixtures.INFO_TWO_BACKUPS));
        h.state.set(new ClusterState(List.of(
                Harness.member("node1", MemberRole.LEADER, "running", 2, null),
                Harness.member("node2", MemberRole.REPLICA, "streaming", 1, 0L),   // old timeline: not healthy
                Harness.member("node3", MemberRole.REPLICA, "streaming", 2, 0L)), false, Optional.empty()));
        Harness.Capture c = h.run("alice", "/backup full");
        FakeRunner.Call call = h.runner.calls("backup").get(0);
        assertThat(call.endpoint().member()).isEqualTo("node3");
        assertThat(call.argv()).contains("--backup-standby");
        assertThat(c.progress.get(0)).startsWith("backup full started on node3 (replica, timeline 2)");
    }

    @Test
    void noLeaderMeansNothingStarts() {
        Harness h = withGoodBackup();
        h.state.set(new ClusterState(List.of(
                Harness.member("node2", MemberRole.REPLICA, "running", 1, 0L),
                Harness.member("node3", MemberRole.REPLICA, "running", 1, 0L)), false, Optional.empty()));
        Harness.Capture c = h.run("alice", "/backup full");
        assertThat(c.text()).contains("no leader", "nothing was started");
        assertThat(h.runner.calls).isEmpty();
        assertThat(h.locks.holder("demo", "demo")).isEmpty();
    }

    @Test
    void pgBackRestFailureIsOneSentencePlusItsLastLines() {
        Harness h = new Harness();
        h.runner.on("backup", FakeRunner.lines(56, List.of(), Fixtures.NOT_PRIMARY_STDERR));
        Harness.Capture c = h.run("alice", "/backup full");
        assertThat(c.last().severity()).isEqualTo(Severity.ERROR);
        assertThat(c.text()).contains("backup full of stanza demo on node1 failed: pgBackRest cannot connect to PostgreSQL",
                "[exit 56]", "pgBackRest said:", "ERROR: [056]: unable to find primary cluster - cannot proceed",
                "HINT: are all available clusters in recovery?");
        assertThat(h.locks.holder("demo", "demo")).isEmpty();
        assertThat(h.runner.calls("info")).isEmpty();
    }

    @Test
    void pgBackRestLockMeansAlreadyRunning() {
        Harness h = new Harness();
        h.runner.on("backup", FakeRunner.lines(50, Fixtures.LOCK_HELD_STDOUT, Fixtures.LOCK_HELD_STDERR));
        Harness.Capture c = h.run("alice", "/backup full");
        assertThat(c.text()).contains("a backup is already running on demo", "— see /backup-info",
                "unable to acquire lock");
        assertThat(h.locks.holder("demo", "demo")).isEmpty();
    }

    @Test
    void droppedConnectionAfterTheLaunchHasAnUnknownOutcomeAndLeavesNoLock() {
        Harness h = new Harness();
        h.runner.on("backup", (call, sink) -> {
            Fixtures.FULL_BACKUP.subList(0, 4).forEach(sink);
            throw new RemoteException.ConnectionLost(call.endpoint(), "the SSH connection to " + call.endpoint()
                    + " was lost after 2.0 s while 'pgbackrest backup' ran (Broken transport); its outcome is unknown", null);
        });
        assertThatThrownBy(() -> h.service.backup(BackupType.FULL, "alice", Harness.NOW, Progress.NONE))
                .isInstanceOf(OutcomeUnknown.class)
                .hasMessage("backup full of stanza demo on node1: outcome unknown — the SSH connection to node1"
                        + " (postgres@10.0.0.11:2222) was lost after 2.0 s while 'pgbackrest backup' ran (Broken transport);"
                        + " its outcome is unknown; pgBackRest may still be running there — check /backup-info before retrying");
        Harness.Capture c = h.run("alice", "/backup full");
        assertThat(c.progress.get(0)).startsWith("backup full started on node1");
        assertThat(c.last().severity()).as("unknown, not failed").isEqualTo(Severity.WARNING);
        assertThat(c.text()).contains("outcome unknown", "was lost", "check /backup-info before retrying")
                .doesNotContain("finished", "FAILED", "nothing was started");
        assertThat(h.locks.holder("demo", "demo")).isEmpty();

        // the lock is free again: the next backup runs
        h.runner.on("backup", FakeRunner.lines(0, Fixtures.FULL_BACKUP, List.of()))
                .on("info", FakeRunner.json(Fixtures.INFO_TWO_BACKUPS));
        assertThat(h.run("alice", "/backup full").last().severity()).isEqualTo(Severity.SUCCESS);
        assertThat(h.runner.calls("backup")).hasSize(3);
    }

    @Test
    void timeoutIsAFailureAndLeavesNoLock() {
        Harness h = new Harness();
        h.runner.on("backup", (call, sink) -> {
            assertThat(call.timeout()).isEqualTo(Duration.ofMinutes(30));   // pgbackrest.backup-timeout
            throw new RemoteException.TimedOut(call.endpoint(), "'pgbackrest backup' on " + call.endpoint()
                    + " did not finish within 30 min", null);
        });
        assertThatThrownBy(() -> h.service.backup(BackupType.FULL, "alice", Harness.NOW, Progress.NONE))
                .isInstanceOf(OutcomeUnknown.class);
        Harness.Capture c = h.run("alice", "/backup full");
        assertThat(c.last().severity()).as("unknown, not failed").isEqualTo(Severity.WARNING);
        assertThat(c.text()).contains("outcome unknown", "did not finish within 30 min", "check /backup-info before retrying")
                .doesNotContain("FAILED");
        assertThat(h.locks.holder("demo", "demo")).isEmpty();
    }

    @Test
    void refusedConnectionSaysNothingStarted() {
        Harness h = new Harness();
        h.runner.on("backup", (call, sink) -> {
            throw new RemoteException.ConnectFailed(call.endpoint(), "cannot connect to 10.0.0.11:2222 (member node1)"
                    + " over SSH: connection refused", null);
        });
        assertThatThrownBy(() -> h.service.backup(BackupType.FULL, "alice", Harness.NOW, Progress.NONE))
                .isNotInstanceOf(OutcomeUnknown.class);
        Harness.Capture c = h.run("alice", "/backup full");
        assertThat(c.text()).isEqualTo("backup full of stanza demo on node1 could not start: cannot connect to"
                + " 10.0.0.11:2222 (member node1) over SSH: connection refused; nothing was started.");
        // never "started" before the remote command was launched
        assertThat(c.progress).noneMatch(l -> l.contains("started on"));
        assertThat(h.locks.holder("demo", "demo")).isEmpty();
    }

    @Test
    void twoConcurrentBackupsRunExactlyOnce() throws Exception {
        Harness h = new Harness();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        h.runner.on("backup", (call, sink) -> {
            started.countDown();
            try {
                if (!release.await(10, TimeUnit.SECONDS)) throw new AssertionError("not released");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return FakeRunner.lines(0, Fixtures.FULL_BACKUP, List.of()).answer(call, sink);
        }).on("info", FakeRunner.json(Fixtures.INFO_TWO_BACKUPS));

        Harness.Capture[] first = new Harness.Capture[1];
        Thread t = new Thread(() -> first[0] = h.run("alice", "/backup full"));
        t.start();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        Harness.Capture second = h.run("bob", "/backup incr");
        assertThat(second.text()).isEqualTo("a backup is already running on demo (started 12:01 by alice) — see /backup-info");

        Harness.Capture info = h.run("viewer", "/backup-info");
        assertThat(info.text()).contains("Backup running now:", "yes — backup full started 2026-11-24 12:01:00 UTC by alice");

        release.countDown();
        t.join(10_000);
        assertThat(t.isAlive()).as("the first /backup did not finish within 10 s of its release").isFalse();
        assertThat(first[0].last().severity()).isEqualTo(Severity.SUCCESS);
        assertThat(h.runner.calls("backup")).hasSize(1);
        assertThat(h.locks.holder("demo", "demo")).isEmpty();
    }

    @Test
    void manyConcurrentBackupsRunExactlyOnce() throws Exception {
        Harness h = new Harness();
        CountDownLatch release = new CountDownLatch(1);
        h.runner.on("backup", (call, sink) -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return FakeRunner.lines(0, Fixtures.FULL_BACKUP, List.of()).answer(call, sink);
        }).on("info", FakeRunner.json(Fixtures.INFO_TWO_BACKUPS));
        int n = 8;
        // written by the request threads, read here: an AtomicReferenceArray makes each answer visible at once
        AtomicReferenceArray<Harness.Capture> out = new AtomicReferenceArray<>(n);
        CountDownLatch go = new CountDownLatch(1);
        Thread[] ts = new Thread[n];
        for (int i = 0; i < n; i++) {
            int k = i;
            ts[i] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                out.set(k, h.run("alice", "/backup full"));
            });
            ts[i].start();
        }
        go.countDown();
        // all but one answer at once; then let the one running finish
        LiveWait.until(() -> IntStream.range(0, n).filter(k -> out.get(k) != null).count() == n - 1);
        release.countDown();
        for (Thread t : ts) {
            t.join(10_000);
            assertThat(t.isAlive()).as("request thread %s still running 10 s after the release", t.getName()).isFalse();
        }
        List<Harness.Capture> answers = IntStream.range(0, n).mapToObj(out::get).toList();
        assertThat(answers).doesNotContainNull();
        assertThat(h.runner.calls("backup")).hasSize(1);
        assertThat(answers.stream().filter(c -> c.last().severity() == Severity.SUCCESS)).hasSize(1);
        assertThat(answers.stream().filter(c -> c.text().contains("already running"))).hasSize(n - 1);
    }

    @Test
    void twoClustersWithTheSameStanzaBackUpAtTheSameTime() throws Exception {
        Harness h = new Harness();
        CountDownLatch eastRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        h.runner.on("backup", (call, sink) -> {
            if (call.endpoint().host().equals("10.0.0.11")) {   // cluster demo's node1
                eastRunning.countDown();
                try {
                    if (!release.await(10, TimeUnit.SECONDS)) throw new AssertionError("not released");
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            return FakeRunner.lines(0, Fixtures.FULL_BACKUP, List.of()).answer(call, sink);
        }).on("info", FakeRunner.json(Fixtures.INFO_TWO_BACKUPS));
        // cluster "other" also uses stanza demo (its own repository), shares the process-wide locks
        PgBackRestConfig otherPb = new PgBackRestConfig("demo", false, h.pbConfig.ssh(), Map.of(
                "node1", new PgBackRestConfig.MemberEndpoint("10.9.0.11", 22, Optional.empty())),
                Duration.ofMinutes(30), "pgbackrest");
        ClusterConfig other = new ClusterConfig("other", h.service.cluster().patroni(), Optional.of(otherPb));
        PgBackRestService otherSvc = PgBackRestService.create(other, otherPb, h.state::get, h.runner, h.locks);

        Harness.Capture[] first = new Harness.Capture[1];
        Thread t = new Thread(() -> first[0] = h.run("alice", "/backup full"));
        t.start();
        try {
            assertThat(eastRunning.await(10, TimeUnit.SECONDS)).isTrue();
            PgBackRestService.BackupReport r = otherSvc.backup(BackupType.FULL, "bob", Harness.NOW, Progress.NONE);
            assertThat(r.label()).contains("20261124-123127F");
            assertThat(h.runner.calls("backup")).hasSize(2);
        } finally {
            release.countDown();
            t.join(10_000);
        }
        assertThat(first[0].last().severity()).isEqualTo(Severity.SUCCESS);
    }
}
