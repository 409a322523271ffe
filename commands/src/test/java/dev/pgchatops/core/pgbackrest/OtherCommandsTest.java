package dev.pgchatops.core.pgbackrest;

import dev.pgchatops.core.confirm.Pending;
import dev.pgchatops.core.confirm.PendingView;
import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** /backup-info, /backup-check, /stanza-create and /expire against the fake runner. */
class OtherCommandsTest {
    @Test
    void backupInfoShowsATableStatusArchiveAndLock() {
        Harness h = new Harness();
        h.runner.on("info", FakeRunner.json(Fixtures.INFO_TWO_BACKUPS));
        Harness.Capture c = h.run("viewer", "/backup-info");
        Block.Table t = (Block.Table) c.last().blocks().stream().filter(b -> b instanceof Block.Table).findFirst().orElseThrow();
        assertThat(t.headers()).containsExactly("Label", "Type", "Start (UTC)", "Duration", "DB size", "Repo size",
                "WAL start", "WAL stop");
        assertThat(t.rows()).hasSize(2);
        assertThat(t.rows().get(0)).containsExactly("20261124-123127F", "full", "2026-11-24 12:31:27", "3 s", "22.2 MB",
                "2.9 MB", "000000010000000000000005", "000000010000000000000006");
        assertThat(t.rows().get(1).get(0)).isEqualTo("20261124-123127F_20261124-123131I");
        assertThat(c.text()).contains("pgBackRest stanza demo (read on node1)", "Status:", "ok",
                "WAL archive min/max:", "000000010000000000000005 / 00000001000000000000000A", "Backup running now:", "no");
        FakeRunner.Call call = h.runner.calls("info").stream().filter(x -> x.endpoint().member().equals("node1"))
                .findFirst().orElseThrow();
        assertThat(call.argv()).containsExactly("pgbackrest", "--config=/etc/pgbackrest/node1.conf", "--stanza=demo",
                "--log-level-console=warn", "--output=json", "info");
        // what is left of ssh.command-timeout, the bound of the whole /backup-info
        assertThat(call.timeout()).isLessThanOrEqualTo(java.time.Duration.ofSeconds(60)).isGreaterThan(java.time.Duration.ofSeconds(30));
    }

    @Test
    void backupInfoPrefersTheLeaderAndFallsBackToOtherMembers() {
        Harness h = new Harness();
        h.state.set(Harness.healthy("node2"));
        h.runner.on("info", (call, sink) -> {
            if (!call.endpoint().member().equals("node1")) {
                throw new RemoteException.ConnectFailed(call.endpoint(), "cannot connect to " + call.endpoint().address()
                        + ": connection refused", null);
            }
            return FakeRunner.json(Fixtures.INFO_NO_BACKUPS).answer(call, sink);
        });
        Harness.Capture c = h.run("viewer", "/backup-info");
        assertThat(h.runner.calls("info")).extracting(x -> x.endpoint().member()).contains("node2");
        assertThat(c.text()).contains("(read on node1)", "error (no valid backups)", "No backups yet",
                "yes (pgBackRest's backup lock is held on node1)");
        assertThat(c.last().severity()).isEqualTo(Severity.WARNING);
    }

    @Test
    void backupInfoTriesTheNextMemberAfterBadJsonOrAMissingStanza() {
        Harness h = new Harness();
        // node3's good answer waits for node2's call: the members are asked in parallel, and on a loaded machine the
        // first good answer could otherwise cancel node2's ask before it even started
        java.util.concurrent.CountDownLatch node2Asked = new java.util.concurrent.CountDownLatch(1);
        h.runner.on("info", (call, sink) -> switch (call.endpoint().member()) {
            case "node1" -> FakeRunner.json("{not json").answer(call, sink);
            case "node2" -> {
                node2Asked.countDown();
                yield FakeRunner.json("[{\"name\":\"other\",\"status\":{\"code\":0}}]").answer(call, sink);
            }
            default -> {
                try {
                    node2Asked.await(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                yield FakeRunner.json(Fixtures.INFO_TWO_BACKUPS).answer(call, sink);
            }
        });
        Harness.Capture c = h.run("viewer", "/backup-info");
        assertThat(c.text()).contains("pgBackRest stanza demo (read on node3)", "20261124-123127F");
        assertThat(h.runner.calls("info")).extracting(x -> x.endpoint().member()).containsExactlyInAnyOrder("node1", "node2", "node3");
    }

    @Test
    void backupInfoListsEveryMembersErrorWhenNoneGivesUsableInfo() {
        Harness h = new Harness();
        h.runner.on("info", (call, sink) -> call.endpoint().member().equals("node2")
                ? FakeRunner.json("[{\"name\":\"other\",\"status\":{\"code\":0}}]").answer(call, sink)
                : FakeRunner.json("{not json").answer(call, sink));
        Harness.Capture c = h.run("viewer", "/backup-info");
        assertThat(c.last().severity()).isEqualTo(Severity.ERROR);
        assertThat(c.text()).contains("could not read pgBackRest info of stanza demo from any member",
                "info of stanza demo on node1: pgBackRest info", "info of stanza demo on node2: pgBackRest info has no stanza 'demo'",
                "info of stanza demo on node3");
    }

    @Test
    void backupInfoFailsClearlyWhenNoMemberAnswers() {
        Harness h = new Harness();
        h.runner.on("info", (call, sink) -> {
            throw new RemoteException.HostKeyRejected(call.endpoint(), "refused to connect to " + call.endpoint().address()
                    + ": the host key does NOT match the key pinned in /x/known_hosts", null);
        });
        Harness.Capture c = h.run("viewer", "/backup-info");
        assertThat(c.last().severity()).isEqualTo(Severity.ERROR);
        assertThat(c.text()).contains("could not read pgBackRest info of stanza demo", "10.0.0.11:2222", "10.0.0.12:2222",
                "10.0.0.13:22", "does NOT match");
        assertThat(h.runner.calls("info")).hasSize(3);
    }

    @Test
    void backupInfoOfAMissingStanzaPointsToStanzaCreate() {
        Harness h = new Harness();
        h.runner.on("info", FakeRunner.json(Fixtures.INFO_MISSING));
        assertThat(h.run("viewer", "/backup-info").text()).contains("does not exist in the repository yet — /stanza-create");
    }

    @Test
    void backupCheckRunsOnThePrimary() {
        Harness h = new Harness();
        h.state.set(Harness.healthy("node2"));
        h.runner.on("check", FakeRunner.lines(0, List.of(
                "2026-11-24 12:31:22.728 P00   INFO: check repo1 configuration (primary)",
                "2026-11-24 12:31:24.036 P00   INFO: WAL segment 000000010000000000000004 successfully archived to '/repo/x.gz' on repo1",
                "2026-11-24 12:31:24.036 P00   INFO: check command end: completed successfully (1815ms)"), List.of()));
        Harness.Capture c = h.run("alice", "/backup-check");
        assertThat(h.runner.calls("check").get(0).endpoint().member()).isEqualTo("node2");
        assertThat(c.last().severity()).isEqualTo(Severity.SUCCESS);
        assertThat(c.text()).contains("check on node2 (primary) passed", "WAL archiving works",
                "WAL segment 000000010000000000000004 successfully archived");
    }

    @Test
    void backupCheckArchiveTimeout() {
        Harness h = new Harness();
        h.runner.on("check", FakeRunner.lines(82, List.of(), List.of(
                "ERROR: [082]: WAL segment 000000010000000000000009 was not archived before the 60000ms timeout",
                "       HINT: check the archive_command to ensure that all options are correct (especially --stanza).")));
        Harness.Capture c = h.run("alice", "/backup-check");
        assertThat(c.text()).contains("WAL archiving timed out", "[exit 82]", "was not archived before the 60000ms timeout");
    }

    @Test
    void stanzaCreateAsksFirstThenRunsOnThePrimary() {
        Harness h = new Harness();
        h.runner.on("info", FakeRunner.json(Fixtures.INFO_MISSING))
                .on("stanza-create", FakeRunner.lines(0, List.of(
                        "P00   INFO: stanza-create for stanza 'demo' on repo1",
                        "P00   INFO: stanza-create command end: completed successfully (612ms)"), List.of()));
        Harness.Capture req = new Harness.Capture();
        Optional<PendingView> p = h.request("alice", "/stanza-create", req);
        assertThat(p).isPresent();
        assertThat(req.text()).contains("create pgBackRest stanza demo", "primary node1");
        assertThat(h.runner.calls("stanza-create")).isEmpty();

        Harness.Capture done = h.confirm("alice", p.get());
        assertThat(done.last().severity()).isEqualTo(Severity.SUCCESS);
        assertThat(done.text()).contains("Stanza demo created", "stanza-create on node1 (primary) completed");
        assertThat(h.runner.calls("stanza-create").get(0).argv()).containsExactly("pgbackrest",
                "--config=/etc/pgbackrest/node1.conf", "--stanza=demo", "--log-level-console=info", "stanza-create");
    }

    @Test
    void stanzaCreateOfAnExistingStanzaDoesNothing() {
        Harness h = new Harness();
        h.runner.on("info", FakeRunner.json(Fixtures.INFO_TWO_BACKUPS));
        Harness.Capture req = new Harness.Capture();
        assertThat(h.request("alice", "/stanza-create", req)).isEmpty();
        assertThat(req.text()).contains("already exists", "nothing to do");
    }

    @Test
    void expireShowsWhatItWillRemoveBeforeConfirming() {
        Harness h = new Harness();
        h.runner.on("expire", (call, sink) -> call.argv().contains("--dry-run")
                ? FakeRunner.lines(0, Fixtures.EXPIRE_DRY_RUN, List.of()).answer(call, sink)
                : FakeRunner.lines(0, Fixtures.EXPIRE_DRY_RUN.stream().map(l -> l.replace("[DRY-RUN] ", "")).toList(),
                List.of()).answer(call, sink));
        Harness.Capture req = new Harness.Capture();
        Optional<PendingView> p = h.request("admin", "/expire", req);
        assertThat(p).isPresent();
        assertThat(req.text()).contains("permanently removes 2 backup sets (20261124-123127F, 20261124-123127F_20261124-123131I)",
                "WAL repo1 15-1: 000000010000000000000005 – 000000010000000000000009", "retention: repo1-retention-full=1");
        assertThat(h.runner.calls("expire")).hasSize(1);

        Harness.Capture done = h.confirm("admin", p.get());
        assertThat(done.last().severity()).isEqualTo(Severity.SUCCESS);
        assertThat(done.text()).contains("Removed 2 backup sets");
        List<FakeRunner.Call> calls = h.runner.calls("expire");
        assertThat(calls).hasSize(3);   // dry-run, dry-run again at confirm, the real one
        assertThat(calls.get(2).argv()).doesNotContain("--dry-run");
        assertThat(h.locks.holder("demo", "demo")).isEmpty();
    }

    @Test
    void expireWithNothingToRemoveAsksNothing() {
        Harness h = new Harness();
        h.runner.on("expire", FakeRunner.lines(0, Fixtures.EXPIRE_NOTHING, List.of()));
        Harness.Capture req = new Harness.Capture();
        assertThat(h.request("admin", "/expire", req)).isEmpty();
        assertThat(req.text()).contains("Stanza demo: nothing to expire (retention: repo1-retention-full=2)");
    }

    @Test
    void expireRefusesWhenThePlanChangedBeforeTheConfirmation() {
        Harness h = new Harness();
        h.runner.on("expire", FakeRunner.lines(0, Fixtures.EXPIRE_DRY_RUN, List.of()));
        Harness.Capture req = new Harness.Capture();
        PendingView p = h.request("admin", "/expire", req).orElseThrow();
        h.runner.on("expire", FakeRunner.lines(0, Fixtures.EXPIRE_NOTHING, List.of()));
        Harness.Capture done = h.confirm("admin", p);
        assertThat(done.last().severity()).isEqualTo(Severity.ERROR);
        assertThat(done.text()).contains("changed since you confirmed: retention would now remove nothing instead of"
                + " 2 backup sets (20261124-123127F, 20261124-123127F_20261124-123131I)", "nothing was removed — run /expire again");
        assertThat(h.runner.calls("expire")).allMatch(c -> c.argv().contains("--dry-run"));
        assertThat(h.locks.holder("demo", "demo")).isEmpty();
    }

    @Test
    void noBackupCanStartBetweenTheExpireCheckAndTheExpire() {
        Harness h = new Harness();
        h.runner.on("backup", FakeRunner.lines(0, Fixtures.FULL_BACKUP, List.of()))
                .on("info", FakeRunner.json(Fixtures.INFO_TWO_BACKUPS))
                .on("expire", FakeRunner.lines(0, Fixtures.EXPIRE_DRY_RUN, List.of()));
        PendingView p = h.request("admin", "/expire", new Harness.Capture()).orElseThrow();
        // a /backup arriving while the confirmed expire re-checks its plan must be refused: the expire holds the lock
        List<Harness.Capture> backups = new java.util.ArrayList<>();
        h.runner.on("expire", (call, sink) -> {
            if (call.argv().contains("--dry-run")) {
                assertThat(h.locks.holder("demo", "demo")).as("the stanza lock during the re-check")
                        .hasValueSatisfying(x -> assertThat(x.operation()).isEqualTo("expire"));
                backups.add(h.run("alice", "/backup full"));
                return FakeRunner.lines(0, Fixtures.EXPIRE_DRY_RUN, List.of()).answer(call, sink);
            }
            return FakeRunner.lines(0, Fixtures.EXPIRE_DRY_RUN.stream().map(l -> l.replace("[DRY-RUN] ", "")).toList(),
                    List.of()).answer(call, sink);
        });
        Harness.Capture done = h.confirm("admin", p);
        assertThat(done.last().severity()).as(done.text()).isEqualTo(Severity.SUCCESS);
        assertThat(backups).hasSize(1);
        assertThat(backups.get(0).text()).isEqualTo("an expire is already running on demo (started 12:01 by admin) — see /backup-info");
        assertThat(h.runner.calls("backup")).isEmpty();
        assertThat(h.locks.holder("demo", "demo")).isEmpty();
    }

    @Test
    void expireRunsTheRealExpireOnTheMemberItRechecked() {
        Harness h = new Harness();
        h.runner.on("expire", FakeRunner.lines(0, Fixtures.EXPIRE_DRY_RUN, List.of()));
        PendingView p = h.request("admin", "/expire", new Harness.Capture()).orElseThrow();
        h.state.set(Harness.healthy("node2"));
        assertThat(h.confirm("admin", p).last().severity()).isEqualTo(Severity.SUCCESS);
        List<FakeRunner.Call> calls = h.runner.calls("expire");
        assertThat(calls).hasSize(3);
        assertThat(calls.get(1).endpoint().member()).isEqualTo("node2");
        assertThat(calls.get(2).endpoint().member()).isEqualTo("node2");
    }

    @Test
    void pgBackRestLockDuringExpireMeansAlreadyRunning() {
        Harness h = new Harness();
        h.runner.on("expire", FakeRunner.lines(0, Fixtures.EXPIRE_DRY_RUN, List.of()));
        PendingView p = h.request("admin", "/expire", new Harness.Capture()).orElseThrow();
        h.runner.on("expire", FakeRunner.lines(50, Fixtures.LOCK_HELD_STDOUT, Fixtures.LOCK_HELD_STDERR));
        Harness.Capture done = h.confirm("admin", p);
        assertThat(done.text()).contains("a backup is already running on demo (pgBackRest on node1 reports its backup"
                + " lock is held, so expire --dry-run cannot run now) — see /backup-info", "unable to acquire lock");
        assertThat(h.locks.holder("demo", "demo")).isEmpty();
    }

    @Test
    void expireNeedsAdmin() {
        Harness h = new Harness();
        assertThat(h.run("alice", "/expire").text()).contains("needs the admin role");
        assertThat(h.runner.calls).isEmpty();
    }

    @Test
    void expireIsRefusedWhileABackupRuns() {
        Harness h = new Harness();
        h.runner.on("expire", FakeRunner.lines(0, Fixtures.EXPIRE_DRY_RUN, List.of()));
        PendingView p = h.request("admin", "/expire", new Harness.Capture()).orElseThrow();
        BackupLocks.Held lock = h.locks.tryAcquire("demo", "demo", "backup full", "alice", Harness.NOW).lock().orElseThrow();
        try {
            Harness.Capture done = h.confirm("admin", p);
            assertThat(done.text()).isEqualTo("a backup is already running on demo (started 12:01 by alice) — see /backup-info");
        } finally {
            lock.close();
        }
        // refused before anything ran again: only the dry run that built the confirmation
        assertThat(h.runner.calls("expire")).hasSize(1);
    }

    @Test
    void expireLostAfterItsLaunchHasAnUnknownOutcome() {
        Harness h = new Harness();
        h.runner.on("expire", FakeRunner.lines(0, Fixtures.EXPIRE_DRY_RUN, List.of()));
        ExpirePlan plan;
        try {
            plan = h.service.expirePlan();
        } catch (dev.pgchatops.core.UserFacingException e) {
            throw new AssertionError(e);
        }
        h.runner.on("expire", (call, sink) -> {
            if (call.argv().contains("--dry-run")) return FakeRunner.lines(0, Fixtures.EXPIRE_DRY_RUN, List.of()).answer(call, sink);
            throw new RemoteException.TimedOut(call.endpoint(), "'pgbackrest expire' on " + call.endpoint()
                    + " did not finish within 30 min", null);
        });
        assertThatThrownBy(() -> h.service.expire(plan, "admin", Harness.NOW, dev.pgchatops.core.Progress.NONE))
                .isInstanceOf(dev.pgchatops.core.OutcomeUnknown.class)
                .hasMessageStartingWith("expire of stanza demo on node1: outcome unknown — 'pgbackrest expire' on node1")
                .hasMessageEndingWith("; pgBackRest may still be running there — check /backup-info before retrying");
        assertThat(h.locks.holder("demo", "demo")).isEmpty();
    }

    @Test
    void checkThatCannotConnectSaysNothingWasStarted() {
        Harness h = new Harness();
        h.runner.on("check", (call, sink) -> {
            throw new RemoteException.ConnectFailed(call.endpoint(), "cannot connect to 10.0.0.11:2222 (member node1)"
                    + " over SSH: connection refused", null);
        });
        assertThatThrownBy(() -> h.service.check(dev.pgchatops.core.Progress.NONE))
                .isNotInstanceOf(dev.pgchatops.core.OutcomeUnknown.class)
                .hasMessage("check of stanza demo on node1 could not start: cannot connect to 10.0.0.11:2222"
                        + " (member node1) over SSH: connection refused; nothing was started.");
    }
}
