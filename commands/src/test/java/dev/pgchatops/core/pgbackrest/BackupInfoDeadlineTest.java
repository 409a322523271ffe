package dev.pgchatops.core.pgbackrest;

import dev.pgchatops.config.ClusterConfig;
import dev.pgchatops.config.PgBackRestConfig;
import dev.pgchatops.config.SshConfig;
import dev.pgchatops.core.SilentServer;
import dev.pgchatops.core.patroni.ClusterState;
import dev.pgchatops.core.patroni.MemberRole;
import dev.pgchatops.core.reply.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** /backup-info asks the members in parallel within one deadline, checks the backup member's lock, warns on config. */
class BackupInfoDeadlineTest {
    @TempDir
    Path tmp;

    @Test
    void aLeaderWhoseSshPortNeverSpeaksSshDoesNotHoldUpTheAnswer() throws Exception {
        Harness h = new Harness();
        Files.writeString(tmp.resolve("known_hosts"), "");
        // a handshake with the silent port is bounded only after 10 s + 20 s: far beyond the leader grace
        SshConfig ssh = new SshConfig("postgres", tmp.resolve("id"), tmp.resolve("known_hosts"),
                Duration.ofSeconds(10), Duration.ofSeconds(60), 2);
        AtomicBoolean leaderReturned = new AtomicBoolean();
        try (SilentServer silent = new SilentServer(); SshjRemoteRunner real = new SshjRemoteRunner(ssh)) {
            Endpoint silentEp = new Endpoint("node1", "postgres", "127.0.0.1", silent.uri().getPort());
            h.runner.on("info", (call, sink) -> {
                if (!call.endpoint().member().equals("node1")) return FakeRunner.json(Fixtures.INFO_TWO_BACKUPS).answer(call, sink);
                try {
                    return real.run(silentEp, call.argv(), call.timeout(), sink);
                } finally {
                    leaderReturned.set(true);
                }
            });
            // the lock probe of node1 (where backups run) goes to the silent port too
            h.runner.on("lock-path", (call, sink) -> real.run(silentEp, call.argv(), call.timeout(), sink));
            Harness.Capture c = h.run("viewer", "/backup-info");
            assertThat(leaderReturned).as("answered while the leader's SSH handshake still hangs").isFalse();
            assertThat(silent.accepted.get()).as("one handshake, shared by info and the lock probe").isEqualTo(1);
            assertThat(c.last().severity()).as(c.text()).isEqualTo(Severity.WARNING);
            assertThat(c.text()).containsPattern("\\(read on node[23]\\)").contains("20261124-123127F",
                    "Backup running now:", "unknown — node1, where backups run, could not be checked: no answer in time");
        }
    }

    @Test
    void theWholeCommandIsBoundedByTheCommandTimeout() throws Exception {
        Harness h = new Harness(false, Duration.ofSeconds(1));
        CountDownLatch release = new CountDownLatch(1);
        h.runner.on("info", (call, sink) -> {
            try {
                release.await(60, TimeUnit.SECONDS);   // every member hangs
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new RemoteException.ConnectFailed(call.endpoint(), "released", null);
        });
        try {
            Harness.Capture c = h.run("viewer", "/backup-info");
            assertThat(release.getCount()).as("answered while every member still hangs").isEqualTo(1);
            assertThat(c.last().severity()).isEqualTo(Severity.ERROR);
            assertThat(c.text()).contains("could not read pgBackRest info of stanza demo from any member of demo",
                    "node1 (postgres@10.0.0.11:2222): no answer within 1 s (ssh.command-timeout)",
                    "node2 (postgres@10.0.0.12:2222): no answer within 1 s",
                    "node3 (postgres@10.0.0.13:22): no answer within 1 s");
            // asked all at once, not one after the other
            assertThat(h.runner.calls("info")).hasSize(3);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aBackupLockHeldOutsidePgBackRestsInfoIsReportedFromTheBackupMember() {
        Harness h = new Harness();
        h.runner.on("info", FakeRunner.json(Fixtures.INFO_TWO_BACKUPS))   // lock.backup.held = false everywhere
                .on("true", FakeRunner.lines(LockProbe.HELD, List.of(), List.of()));
        Harness.Capture c = h.run("viewer", "/backup-info");
        assertThat(c.text()).contains("Backup running now:", "yes (pgBackRest's backup lock is held on node1)");
        FakeRunner.Call help = h.runner.calls("lock-path").get(0);
        assertThat(help.endpoint().member()).isEqualTo("node1");
        assertThat(help.argv()).containsExactly("pgbackrest", "--config=/etc/pgbackrest/node1.conf", "--stanza=demo",
                "--log-level-console=warn", "help", "backup", "lock-path");
        FakeRunner.Call flock = h.runner.calls("true").get(0);
        assertThat(flock.endpoint().member()).isEqualTo("node1");
        assertThat(flock.argv()).containsExactly("flock", "-s", "-w", "1", "-E", "50",
                "/var/lib/pgbackrest-lock/demo-backup.lock", "true");

        // free: "no"
        h.runner.on("true", FakeRunner.lines(0, List.of(), List.of()));
        assertThat(h.run("viewer", "/backup-info").text()).containsPattern("Backup running now: +no");
    }

    @Test
    void withBackupStandbyTheReplicaWhereBackupsRunIsProbed() {
        Harness h = new Harness(true);
        h.state.set(new ClusterState(List.of(
                Harness.member("node1", MemberRole.LEADER, "running", 1, null),
                Harness.member("node2", MemberRole.REPLICA, "streaming", 1, 0L),
                Harness.member("node3", MemberRole.REPLICA, "running", 1, null)), false, Optional.empty()));
        h.runner.on("info", FakeRunner.json(Fixtures.INFO_TWO_BACKUPS))
                .on("true", (call, sink) -> new RemoteRunner.Result(call.endpoint().member().equals("node2")
                        ? LockProbe.HELD : 0, "", List.of(), Duration.ZERO));
        Harness.Capture c = h.run("viewer", "/backup-info");
        assertThat(c.text()).contains("(read on node1)", "yes (pgBackRest's backup lock is held on node2)");
        assertThat(h.runner.calls("true")).extracting(x -> x.endpoint().member()).containsExactly("node2");
    }

    @Test
    void lockPathIsTheCurrentValueElseTheDefault() {
        assertThat(LockProbe.lockPath("Path where lock files are stored.\n\ncurrent: /var/tmp/x/lock\ndefault: /tmp/pgbackrest\n"))
                .contains("/var/tmp/x/lock");
        assertThat(LockProbe.lockPath("default: /tmp/pgbackrest\n")).contains("/tmp/pgbackrest");
        assertThat(LockProbe.lockPath("current: /a/../etc\n")).isEmpty();
        assertThat(LockProbe.lockPath("current: /a; rm -rf /\n")).isEmpty();
    }

    @Test
    void membersNotInTheClusterAreWarnedAboutAtStartAndInBackupInfo() throws Exception {
        Harness h = new Harness();
        Map<String, PgBackRestConfig.MemberEndpoint> members = new HashMap<>(h.pbConfig.members());
        members.put("node9", new PgBackRestConfig.MemberEndpoint("10.0.0.19", 22, Optional.empty()));
        PgBackRestConfig pb = new PgBackRestConfig("demo", false, h.pbConfig.ssh(), members, Duration.ofMinutes(30), "pgbackrest");
        ClusterConfig cc = new ClusterConfig("demo", h.service.cluster().patroni(), Optional.of(pb));
        PgBackRestService svc = PgBackRestService.create(cc, pb, h.state::get, h.runner, h.locks);
        String warning = "pgbackrest.members.node9: no such member in cluster demo (members: node1, node2, node3)";
        assertThat(svc.configWarnings(h.state.get())).containsExactly(warning);
        assertThat(h.service.configWarnings(h.state.get())).isEmpty();

        h.runner.on("info", FakeRunner.json(Fixtures.INFO_TWO_BACKUPS));
        PgBackRestService.InfoResult r = svc.info();
        assertThat(r.warnings()).containsExactly(warning);
        var reply = PgBackRestCommands.BackupInfo.render(r, Optional.empty());
        assertThat(reply.severity()).isEqualTo(Severity.WARNING);
        assertThat(reply.plainText()).contains("Config warning: " + warning);
        svc.close();
    }
}
