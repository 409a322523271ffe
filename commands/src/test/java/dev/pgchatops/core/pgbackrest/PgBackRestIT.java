package dev.pgchatops.core.pgbackrest;

import dev.pgchatops.config.BotConfig;
import dev.pgchatops.config.PgBackRestConfig;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.confirm.Pending;
import dev.pgchatops.core.confirm.PendingView;
import dev.pgchatops.core.it.LiveCluster;
import dev.pgchatops.core.reply.Severity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static dev.pgchatops.core.pgbackrest.ItSupport.labels;
import static org.assertj.core.api.Assertions.assertThat;

/** /backup, /backup-info, /backup-check, /stanza-create and the SSH path against the real cluster and sshd. */
class PgBackRestIT {
    private static LiveCluster lc;
    private final List<Bot> extraBots = new ArrayList<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void cluster() {
        lc = LiveCluster.get();
    }

    @AfterAll
    static void closeConnections() {
        if (lc != null) lc.bot.close();
    }

    @BeforeEach
    void healthy() {
        lc.awaitHealthy();
    }

    @AfterEach
    void healthyAgain() {
        extraBots.forEach(Bot::close);
        lc.awaitHealthy();
    }

    private Bot extra(BotConfig config) {
        Bot b = ItSupport.bot(config);
        extraBots.add(b);
        return b;
    }

    @Test
    void fullBackupThenBackupInfoShowsIt() {
        String leader = lc.leader().name();
        long t0 = System.nanoTime();
        LiveCluster.Capture c = lc.run("operator", "/backup full");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(c.last().severity()).as(c.text()).isEqualTo(Severity.SUCCESS);
        assertThat(c.progress.get(0)).startsWith("backup full started on " + leader + " (primary, timeline");
        assertThat(c.progress).anyMatch(l -> l.startsWith("backup start archive = "))
                .anyMatch(l -> l.startsWith("backup stop archive = "))
                .anyMatch(l -> l.startsWith("new backup label = "));
        String text = c.text();
        assertThat(text).contains("Type:", "full", "Database size:", "Repository size:", "WAL range:", "Member:", leader);
        String label = c.progress.stream().filter(l -> l.startsWith("new backup label = ")).findFirst().orElseThrow()
                .substring("new backup label = ".length());
        assertThat(text).contains("Backup " + label + " of stanza " + lc.clusterName() + " finished");
        System.out.printf("[timing] /backup full on %s: %d ms%n", leader, ms);

        LiveCluster.Capture info = lc.run("viewer", "/backup-info");
        assertThat(info.text()).contains(label, "full", "Status:", "ok", "Backup running now:", "no",
                "WAL archive min/max:");
        assertThat(labels(lc.bot)).contains(label);
    }

    @Test
    void incrementalAfterFull() {
        assertThat(lc.run("operator", "/backup full").last().severity()).isEqualTo(Severity.SUCCESS);
        List<String> before = labels(lc.bot);
        String full = before.get(before.size() - 1);
        LiveCluster.Capture c = lc.run("operator", "/backup incr");
        assertThat(c.last().severity()).as(c.text()).isEqualTo(Severity.SUCCESS);
        assertThat(c.text()).contains("Type:", "incr", "Based on:", full);
        List<String> after = labels(lc.bot);
        String incr = after.get(after.size() - 1);
        assertThat(incr).startsWith(full + "_").endsWith("I");
        assertThat(lc.run("viewer", "/backup-info").text()).contains(incr, "incr");
    }

    @Test
    void injectionAttemptsAreRefusedOnTheRealPathAndNothingRuns() {
        Path marker = Path.of("/tmp/pgchatops-injected-" + ProcessHandle.current().pid());
        List<String> before = labels(lc.bot);
        for (String line : List.of("/backup full; touch " + marker, "/backup $(touch " + marker + ")",
                "/backup `touch " + marker + "`", "/backup full\ntouch " + marker, "/backup --repo1-path=/ full",
                "/backup \"full; touch " + marker + "\"")) {
            LiveCluster.Capture c = lc.run("operator", line);
            assertThat(c.last().severity()).as(line).isEqualTo(Severity.ERROR);
            assertThat(c.text()).as(line).contains("Usage: /backup [full|diff|incr]");
            assertThat(c.progress).as(line).isEmpty();
        }
        assertThat(marker).doesNotExist();
        assertThat(labels(lc.bot)).isEqualTo(before);
    }

    @Test
    void backupCheckPasses() {
        long t0 = System.nanoTime();
        LiveCluster.Capture c = lc.run("operator", "/backup-check");
        assertThat(c.last().severity()).as(c.text()).isEqualTo(Severity.SUCCESS);
        assertThat(c.text()).contains("on " + lc.leader().name() + " (primary) passed", "WAL archiving works",
                "successfully archived");
        System.out.printf("[timing] /backup-check: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    void stanzaCreateOnANewStanza() throws Exception {
        String stanza = "it_" + Long.toString(System.currentTimeMillis(), 36);
        PgBackRestConfig live = lc.config.clusters().get(0).pgbackrest().orElseThrow();
        // pgBackRest 2.45 accepts pg1-* only in a stanza section: give the new stanza its own section per node.
        Map<String, PgBackRestConfig.MemberEndpoint> members = new HashMap<>();
        List<Path> written = new ArrayList<>();
        copyMemberConfigs(live, "it-" + stanza, conf -> conf.replace("[" + live.stanza() + "]", "[" + stanza + "]"),
                members, written);
        Bot bot = extra(ItSupport.withPgBackRest(lc.config, p -> new PgBackRestConfig(stanza, p.backupStandby(), p.ssh(),
                members, p.backupTimeout(), p.binary())));
        Path repo = repoPath(written.get(0));
        try {
            assertThat(ItSupport.run(bot, "viewer", "/backup-info").text())
                    .contains("Stanza " + stanza + " does not exist in the repository yet");

            ItSupport.Watch req = new ItSupport.Watch();
            Optional<PendingView> p = bot.handle(new dev.pgchatops.core.Request(ItSupport.user("operator"), "it", "/stanza-create"), req);
            assertThat(p).as(req.text()).isPresent();
            assertThat(req.text()).contains("create pgBackRest stanza " + stanza, "primary " + lc.leader().name());
            ItSupport.Watch done = new ItSupport.Watch();
            long t0 = System.nanoTime();
            bot.confirm(p.get().token(), ItSupport.user("operator"), "it", done);
            assertThat(done.last().severity()).as(done.text()).isEqualTo(Severity.SUCCESS);
            assertThat(done.text()).contains("Stanza " + stanza + " created");
            System.out.printf("[timing] /stanza-create (confirmed): %d ms%n", (System.nanoTime() - t0) / 1_000_000);

            assertThat(ItSupport.run(bot, "viewer", "/backup-info").text()).contains("error (no valid backups)", "No backups yet");
            assertThat(ItSupport.run(bot, "operator", "/stanza-create").text()).contains("already exists");
        } finally {
            for (Path w : written) Files.deleteIfExists(w);
            for (String kind : List.of("archive", "backup")) deleteTree(repo.resolve(kind).resolve(stanza));
        }
    }

    @Test
    void expireShowsWhatRetentionRemovesThenRemovesIt() throws Exception {
        // after each backup pgBackRest expires by itself, so with the cluster's retention there is nothing to do
        assertThat(lc.run("operator", "/backup full").last().severity()).isEqualTo(Severity.SUCCESS);
        assertThat(lc.run("operator", "/backup full").last().severity()).isEqualTo(Severity.SUCCESS);
        LiveCluster.Capture none = lc.run("admin", "/expire");
        assertThat(none.text()).contains("nothing to expire", "repo1-retention-full=");
        assertThat(lc.run("operator", "/expire").text()).contains("needs the admin role");

        // with retention-full=1 (config copies next to the real ones) the older full backups go
        List<String> before = labels(lc.bot);
        String newest = before.get(before.size() - 1);
        PgBackRestConfig live = lc.config.clusters().get(0).pgbackrest().orElseThrow();
        Map<String, PgBackRestConfig.MemberEndpoint> members = new HashMap<>();
        List<Path> written = new ArrayList<>();
        try {
            copyMemberConfigs(live, "it-retention1",
                    conf -> conf.replaceAll("(?m)^repo1-retention-full=\\d+$", "repo1-retention-full=1"), members, written);
            Bot bot = extra(ItSupport.withPgBackRest(lc.config, p -> new PgBackRestConfig(p.stanza(), p.backupStandby(),
                    p.ssh(), members, p.backupTimeout(), p.binary())));
            ItSupport.Watch req = new ItSupport.Watch();
            Optional<PendingView> p = bot.handle(new dev.pgchatops.core.Request(ItSupport.user("admin"), "it", "/expire"), req);
            assertThat(p).as(req.text()).isPresent();
            List<String> doomed = before.stream().filter(l -> !l.startsWith(newest.substring(0, 16))).toList();
            assertThat(doomed).isNotEmpty();
            assertThat(req.text()).contains("permanently removes", "retention: repo1-retention-full=1").contains(doomed);
            assertThat(labels(lc.bot)).isEqualTo(before);   // nothing removed before the confirmation

            ItSupport.Watch done = new ItSupport.Watch();
            bot.confirm(p.get().token(), ItSupport.user("admin"), "it", done);
            assertThat(done.last().severity()).as(done.text()).isEqualTo(Severity.SUCCESS);
            assertThat(done.text()).contains("Removed").contains(doomed);
            assertThat(labels(lc.bot)).doesNotContainAnyElementsOf(doomed).contains(newest);
        } finally {
            for (Path w : written) Files.deleteIfExists(w);
        }
    }

    @Test
    void concurrentBackupsRunExactlyOnce() throws Exception {
        assertThat(lc.run("operator", "/backup full").last().severity()).isEqualTo(Severity.SUCCESS);
        List<String> before = labels(lc.bot);
        CyclicBarrier go = new CyclicBarrier(2);
        ItSupport.Watch[] out = new ItSupport.Watch[2];
        String[] users = {"operator", "admin"};
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int k = i;
            Thread t = new Thread(() -> {
                try {
                    go.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                out[k] = ItSupport.run(lc.bot, users[k], "/backup incr");
            });
            t.start();
            ts.add(t);
        }
        for (Thread t : ts) {
            t.join(120_000);
            assertThat(t.isAlive()).as("a concurrent /backup incr did not answer within 2 min").isFalse();
        }
        assertThat(out).as("every concurrent /backup incr answered").doesNotContainNull();
        List<ItSupport.Watch> ok = Stream.of(out).filter(w -> w.last().severity() == Severity.SUCCESS).toList();
        List<ItSupport.Watch> busy = Stream.of(out).filter(w -> w.text().contains("already running")).toList();
        assertThat(ok).hasSize(1);
        assertThat(busy).hasSize(1);
        assertThat(busy.get(0).text()).matches("a backup is already running on " + lc.clusterName()
                + " \\(started \\d\\d:\\d\\d by (operator|admin)\\) — see /backup-info");
        assertThat(busy.get(0).progress).isEmpty();
        List<String> added = new ArrayList<>(labels(lc.bot));
        added.removeAll(before);
        assertThat(added).hasSize(1);

        // and one while a backup is visibly running: the second answers at once
        ItSupport.Watch first = new ItSupport.Watch();
        Thread t = new Thread(() -> lc.bot.handle(new dev.pgchatops.core.Request(ItSupport.user("operator"), "it",
                "/backup incr"), first));
        t.start();
        assertThat(first.firstProgress.await(30, TimeUnit.SECONDS)).isTrue();
        long t0 = System.nanoTime();
        ItSupport.Watch second = ItSupport.run(lc.bot, "admin", "/backup full");
        assertThat(second.text()).startsWith("a backup is already running on " + lc.clusterName() + " (started ")
                .contains("by operator) — see /backup-info");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        t.join(120_000);
        assertThat(first.last().severity()).as(first.text()).isEqualTo(Severity.SUCCESS);
    }

    @Test
    void oneSshConnectionIsReusedAcrossCommands() throws Exception {
        Path sshdLog = lc.dir.resolve("ssh").resolve("sshd.log");
        long before = logins(sshdLog);
        Bot bot = extra(lc.config);
        for (int i = 0; i < 3; i++) {
            ItSupport.Watch w = ItSupport.run(bot, "viewer", "/backup-info");
            assertThat(w.last().severity()).as(w.text()).isNotEqualTo(Severity.ERROR);
        }
        assertThat(ItSupport.run(bot, "operator", "/backup-check").last().severity()).isEqualTo(Severity.SUCCESS);
        LiveCluster.await(Duration.ofSeconds(10), "sshd to log the login", () -> logins(sshdLog) > before);
        assertThat(logins(sshdLog)).isEqualTo(before + 1);
    }

    private static long logins(Path sshdLog) {
        try (Stream<String> lines = Files.lines(sshdLog)) {
            return lines.filter(l -> l.contains("Accepted publickey for ")).count();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void changedHostKeyIsRefusedAndNothingRuns() throws Exception {
        List<String> before = labels(lc.bot);
        ItSupport.exec(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", tmp.resolve("other").toString()));
        String otherKey = Files.readString(tmp.resolve("other.pub")).trim().split("\\s+")[1];
        PgBackRestConfig live = lc.config.clusters().get(0).pgbackrest().orElseThrow();
        PgBackRestConfig.MemberEndpoint ep = live.members().values().iterator().next();
        Path kh = Files.writeString(tmp.resolve("known_hosts"), "[" + ep.host() + "]:" + ep.port() + " ssh-ed25519 " + otherKey + "\n");
        Bot bot = extra(ItSupport.withPgBackRest(lc.config, p -> ItSupport.withSsh(p, s -> ItSupport.knownHosts(s, kh))));

        ItSupport.Watch c = ItSupport.run(bot, "operator", "/backup full");
        assertThat(c.last().severity()).isEqualTo(Severity.ERROR);
        assertThat(c.text()).contains("does NOT match the key pinned", ep.host() + ":" + ep.port(), kh.toString(),
                "nothing was started");
        assertThat(ItSupport.run(bot, "viewer", "/backup-info").text()).contains("could not read pgBackRest info",
                "does NOT match");
        assertThat(ItSupport.service(bot).lockHolder()).isEmpty();
        assertThat(labels(lc.bot)).isEqualTo(before);
    }

    @Test
    void unknownHostKeyIsRefused() throws Exception {
        Path kh = Files.writeString(tmp.resolve("empty_known_hosts"), "");
        Bot bot = extra(ItSupport.withPgBackRest(lc.config, p -> ItSupport.withSsh(p, s -> ItSupport.knownHosts(s, kh))));
        ItSupport.Watch c = ItSupport.run(bot, "operator", "/backup-check");
        assertThat(c.last().severity()).isEqualTo(Severity.ERROR);
        assertThat(c.text()).contains("is not in the known_hosts file " + kh, "never accepts unknown host keys");
    }

    @Test
    void unreachableSshPortFailsClearlyWithinTheTimeout() {
        int port = ItSupport.freePort();
        Bot bot = extra(ItSupport.withPgBackRest(lc.config, p -> {
            Map<String, PgBackRestConfig.MemberEndpoint> m = new HashMap<>();
            p.members().forEach((k, v) -> m.put(k, new PgBackRestConfig.MemberEndpoint("127.0.0.1", port, v.config())));
            return new PgBackRestConfig(p.stanza(), p.backupStandby(), p.ssh(), m, p.backupTimeout(), p.binary());
        }));
        Duration connectTimeout = lc.config.clusters().get(0).pgbackrest().orElseThrow().ssh().connectTimeout();
        long t0 = System.nanoTime();
        ItSupport.Watch c = ItSupport.run(bot, "operator", "/backup full");
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(c.last().severity()).isEqualTo(Severity.ERROR);
        assertThat(c.text()).contains("cannot connect to 127.0.0.1:" + port, "connection refused", "nothing was started");
        assertThat(took).isLessThan(connectTimeout.plusSeconds(5));
        ItSupport.Watch info = ItSupport.run(bot, "viewer", "/backup-info");
        assertThat(info.text()).contains("could not read pgBackRest info", "127.0.0.1:" + port, "connection refused");
        System.out.printf("[timing] /backup to a closed SSH port answered in %d ms%n", took.toMillis());
    }

    @Test
    void backupInfoWithTheLeadersSshPortSilentAnswersFromAnotherMemberWithinTheDeadline() throws Exception {
        String leader = lc.leader().name();
        try (dev.pgchatops.core.SilentServer silent = new dev.pgchatops.core.SilentServer()) {
            Bot bot = extra(ItSupport.withPgBackRest(lc.config, p -> {
                Map<String, PgBackRestConfig.MemberEndpoint> m = new HashMap<>(p.members());
                PgBackRestConfig.MemberEndpoint e = m.get(leader);
                m.put(leader, new PgBackRestConfig.MemberEndpoint("127.0.0.1", silent.uri().getPort(), e.config()));
                return new PgBackRestConfig(p.stanza(), p.backupStandby(), p.ssh(), m, p.backupTimeout(), p.binary());
            }));
            Duration commandTimeout = lc.config.clusters().get(0).pgbackrest().orElseThrow().ssh().commandTimeout();
            long t0 = System.nanoTime();
            ItSupport.Watch w = ItSupport.run(bot, "viewer", "/backup-info");
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(w.text()).as(w.text()).containsPattern("\\(read on node[123]\\)").doesNotContain("(read on " + leader + ")")
                    .contains("Backup running now:", "unknown — " + leader + ", where backups run, could not be checked");
            assertThat(silent.accepted.get()).isPositive();
            assertThat(took).isLessThan(commandTimeout);
            System.out.printf("[timing] /backup-info with the leader's SSH port silent: %d ms%n", took.toMillis());
        }
    }

    @Test
    void backupOverItsTimeLimitIsReportedFailedAndLeavesNoLock() {
        Bot bot = extra(ItSupport.withPgBackRest(lc.config, p -> new PgBackRestConfig(p.stanza(), p.backupStandby(),
                p.ssh(), p.members(), Duration.ofMillis(700), p.binary())));
        ItSupport.Watch c = ItSupport.run(bot, "operator", "/backup full");
        // an unknown outcome is shown as a warning (Bot/ConfirmationFlow), never as success
        assertThat(c.last().severity()).isEqualTo(Severity.WARNING);
        assertThat(c.text()).contains("outcome unknown", "did not finish within 700 ms",
                "pgBackRest may still be running there — check /backup-info before retrying")
                .doesNotContain("finished\n", "FAILED");
        assertThat(ItSupport.service(bot).lockHolder()).isEmpty();
        // pgBackRest lets go of its own lock once the interrupted run ends; then backups work again
        LiveCluster.await(Duration.ofSeconds(60), "pgBackRest's backup lock to be released", () -> {
            try {
                return !ItSupport.service(lc.bot).info().info().backupLockHeld();
            } catch (Exception e) {
                return false;
            }
        });
        LiveCluster.Capture again = lc.run("operator", "/backup incr");
        assertThat(again.last().severity()).as(again.text()).isEqualTo(Severity.SUCCESS);
    }

    @Test
    void aPgBackRestLockHeldOutsideTheBotMakesBackupAndBackupInfoAgree() throws Exception {
        String leader = lc.leader().name();
        PgBackRestConfig live = lc.config.clusters().get(0).pgbackrest().orElseThrow();
        Path conf = Path.of(live.member(leader).orElseThrow().config().orElseThrow());
        String lockPath = Files.readAllLines(conf).stream().filter(l -> l.startsWith("lock-path=")).findFirst()
                .orElseThrow().substring("lock-path=".length()).trim();
        Path lockFile = Path.of(lockPath, live.stanza() + "-backup.lock");
        // another tool (or a pgBackRest on a host whose lock pgBackRest's info cannot read) holds the lock the way
        // pgBackRest does: an exclusive flock on STANZA-backup.lock, here with an empty file
        Process holder = new ProcessBuilder("runuser", "-u", "postgres", "--", "bash", "-c",
                "exec 9>>" + lockFile + " && flock -x 9 && echo locked && read -r _").redirectErrorStream(true).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream()));
            assertThat(out.readLine()).isEqualTo("locked");
            assertThat(ItSupport.service(lc.bot).info().info().backupLockHeld())
                    .as("pgBackRest's own info does not see this lock (the reason /backup-info said 'no')").isFalse();

            LiveCluster.Capture backup = lc.run("operator", "/backup incr");
            assertThat(backup.text()).contains("a backup is already running on " + lc.clusterName(),
                    "pgBackRest on " + leader + " reports its backup lock is held");
            assertThat(backup.progress).as("refused at once; the 'started' line is no lie").allMatch(l -> !l.contains("started on")
                    || l.startsWith("backup incr started on " + leader));

            LiveCluster.Capture info = lc.run("viewer", "/backup-info");
            assertThat(info.text()).as(info.text()).contains("Backup running now:",
                    "yes (pgBackRest's backup lock is held on " + leader + ")");
        } finally {
            holder.getOutputStream().close();   // read returns, bash exits, the lock goes with it
            if (!holder.waitFor(10, TimeUnit.SECONDS)) holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        LiveCluster.Capture after = lc.run("viewer", "/backup-info");
        assertThat(after.text()).containsPattern("Backup running now: +no");
    }

    /**
     * Writes, next to each member's pgBackRest config, a copy named {@code PREFIX-MEMBER.conf} with {@code edit}
     * applied; puts the member's endpoint with the copy into {@code members} and each copy into {@code written}
     * (as soon as it exists, so the caller's cleanup removes it even if a later copy fails).
     */
    private static void copyMemberConfigs(PgBackRestConfig live, String prefix, UnaryOperator<String> edit,
                                          Map<String, PgBackRestConfig.MemberEndpoint> members, List<Path> written)
            throws Exception {
        for (Map.Entry<String, PgBackRestConfig.MemberEndpoint> e : live.members().entrySet()) {
            Path orig = Path.of(e.getValue().config().orElseThrow());
            Path copy = orig.resolveSibling(prefix + "-" + e.getKey() + ".conf");
            written.add(copy);
            Files.writeString(copy, edit.apply(Files.readString(orig)));
            members.put(e.getKey(), new PgBackRestConfig.MemberEndpoint(e.getValue().host(), e.getValue().port(),
                    Optional.of(copy.toString())));
        }
    }

    private static Path repoPath(Path pgbackrestConf) throws Exception {
        return Path.of(Files.readAllLines(pgbackrestConf).stream().filter(l -> l.startsWith("repo1-path="))
                .findFirst().orElseThrow().substring("repo1-path=".length()).trim());
    }

    private static void deleteTree(Path p) throws Exception {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        }
    }
}
