package dev.pgchatops.core.pgbackrest;

import dev.pgchatops.core.run.DaemonThreads;
import dev.pgchatops.config.ClusterConfig;
import dev.pgchatops.config.PgBackRestConfig;
import dev.pgchatops.core.OutcomeUnknown;
import dev.pgchatops.core.Progress;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.cmd.Checks;
import dev.pgchatops.core.patroni.ClusterState;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.patroni.PatroniClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Runs pgBackRest for one cluster over SSH on the right member: backups on the current primary (found through
 * Patroni right before the start) or, with {@code backup-standby}, on a healthy replica; info asked of all members
 * at once (the leader's answer preferred). One backup or expire per cluster and stanza at a time ({@link BackupLocks}). Command lines are
 * built only from configured and validated values ({@link PgBackRestArgs}).
 */
public final class PgBackRestService implements AutoCloseable {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\[\\]-]+");
    /** Extra time for check and stanza-create: check waits up to archive-timeout (60 s by default) for a WAL segment. */
    private static final Duration ARCHIVE_WAIT = Duration.ofMinutes(2);

    private final ClusterConfig cluster;
    private final PgBackRestConfig config;
    private final PatroniClient patroni;
    private final ClusterView view;
    private final RemoteRunner runner;
    private final BackupLocks locks;
    /** Runs the parallel info questions of {@link #info()}. */
    private final ExecutorService asking = Executors.newCachedThreadPool(DaemonThreads.named("pgbackrest-info"));

    private PgBackRestService(ClusterConfig cluster, PgBackRestConfig config, PatroniClient patroni, ClusterView view,
                              RemoteRunner runner, BackupLocks locks) {
        this.cluster = cluster;
        this.config = config;
        this.patroni = patroni;
        this.view = view;
        this.runner = runner;
        this.locks = locks;
    }

    /** The real service: members from Patroni, commands over SSH (SSHJ), the process-wide backup locks. */
    public static PgBackRestService create(ClusterConfig cluster, PgBackRestConfig config, PatroniClient patroni) {
        return new PgBackRestService(cluster, config, patroni, patroni::cluster, new SshjRemoteRunner(config.ssh()),
                BackupLocks.shared());
    }

    /** A service with its collaborators given (tests: a fake cluster view and runner, private locks). */
    public static PgBackRestService create(ClusterConfig cluster, PgBackRestConfig config, ClusterView view,
                                           RemoteRunner runner, BackupLocks locks) {
        return new PgBackRestService(cluster, config, null, view, runner, locks);
    }

    public PgBackRestConfig config() {
        return config;
    }

    public ClusterConfig cluster() {
        return cluster;
    }

    /** The Patroni client this service was created with (null when created with a {@link ClusterView}). */
    public PatroniClient patroni() {
        return patroni;
    }

    public String stanza() {
        return config.stanza();
    }

    public BackupLocks locks() {
        return locks;
    }

    /** Who holds the bot's lock of this cluster's stanza now, if anyone. */
    public Optional<BackupLocks.Holder> lockHolder() {
        return locks.holder(cluster.name(), stanza());
    }

    // ---- where things run ---------------------------------------------------------------------------------

    /** The SSH endpoint of a member: {@code pgbackrest.members.NAME}, else its Patroni host and port 22. */
    public Endpoint endpoint(Member m) throws UserFacingException {
        String user = config.ssh().user();
        Optional<PgBackRestConfig.MemberEndpoint> e = config.member(m.name());
        if (e.isPresent()) return new Endpoint(m.name(), user, e.get().host(), e.get().port());
        if (m.host() == null || !HOST.matcher(m.host()).matches()) {
            throw new UserFacingException("Patroni reports no usable host for member " + m.name() + " of "
                    + cluster.name() + " (\"" + m.host() + "\"); add pgbackrest.members." + m.name()
                    + " {host, port, config} to the bot config");
        }
        return new Endpoint(m.name(), user, m.host(), 22);
    }

    private Endpoint endpoint(String member, PgBackRestConfig.MemberEndpoint e) {
        return new Endpoint(member, config.ssh().user(), e.host(), e.port());
    }

    /** The start of every pgBackRest command line for {@code member}: binary, its config file, the stanza. */
    public PgBackRestArgs args(String member) {
        return PgBackRestArgs.of(config.binary(), config.member(member).flatMap(PgBackRestConfig.MemberEndpoint::config),
                config.stanza());
    }

    /** Where a backup runs: the member, and whether it is a standby (then {@code --backup-standby} is passed). */
    public record Source(Member member, boolean standby, Member leader) {
        public String describe() {
            return member.name() + " (" + (standby ? "replica" : "primary") + ", timeline " + Checks.timeline(member) + ")";
        }
    }

    /** The current primary from Patroni; it must be running. */
    public Member primary() throws UserFacingException {
        return primary(view.cluster());
    }

    private Member primary(ClusterState s) throws UserFacingException {
        Member leader = s.leader().orElseThrow(() -> new UserFacingException(cluster.name()
                + " has no leader right now, so there is no primary to run pgBackRest on; nothing was started."
                + " Check /cluster-list."));
        if (!leader.isRunning()) {
            throw new UserFacingException("leader " + leader.name() + " of " + cluster.name() + " is " + leader.state()
                    + ", not running; nothing was started. Check /cluster-list.");
        }
        return leader;
    }

    /** The member a backup should run on now, re-read from Patroni. */
    public Source backupSource() throws UserFacingException {
        return backupSource(view.cluster());
    }

    private Source backupSource(ClusterState s) throws UserFacingException {
        Member leader = primary(s);
        if (!config.backupStandby()) return new Source(leader, false, leader);
        List<Member> healthy = new ArrayList<>(s.members().stream()
                .filter(m -> !m.role().isLeader() && m.isRunning() && !m.lagUnknown()
                        && m.timeline().isPresent() && leader.timeline().isPresent()
                        && m.timeline().getAsLong() == leader.timeline().getAsLong())
                .toList());
        if (healthy.isEmpty()) {
            throw new UserFacingException("backup-standby is on for " + cluster.name() + " but no replica is running"
                    + " and streaming on the leader's timeline " + Checks.timeline(leader) + "; nothing was started."
                    + " Check /cluster-list.");
        }
        healthy.sort(Comparator.comparing((Member m) -> !"streaming".equals(m.state()))
                .thenComparingLong(m -> m.lagBytes().orElse(0)));
        return new Source(healthy.get(0), true, leader);
    }

    /**
     * Config mistakes visible only against the live cluster: {@code pgbackrest.members} entries naming no Patroni
     * member ("pgbackrest.members.node9: no such member in cluster demo (members: node1, node2, node3)").
     */
    public List<String> configWarnings(ClusterState live) {
        Set<String> names = new TreeSet<>();
        live.members().forEach(m -> names.add(m.name()));
        List<String> out = new ArrayList<>();
        for (String configured : new TreeSet<>(config.members().keySet())) {
            if (!names.contains(configured)) {
                out.add("pgbackrest.members." + configured + ": no such member in cluster " + cluster.name()
                        + " (members: " + String.join(", ", names) + ")");
            }
        }
        return out;
    }

    /** Members to ask for info, the leader first; without Patroni, the configured members. */
    private ParallelInfo.Plan infoPlan(List<String> problems) {
        List<Endpoint> out = new ArrayList<>();
        ClusterState s;
        try {
            s = view.cluster();
        } catch (UserFacingException e) {
            problems.add("Patroni: " + e.getMessage());
            config.members().forEach((name, ep) -> out.add(endpoint(name, ep)));
            return new ParallelInfo.Plan(out, Optional.empty(), Optional.empty(), List.of());
        }
        List<Member> ordered = new ArrayList<>(s.members());
        ordered.sort(Comparator.comparing((Member m) -> !m.role().isLeader()).thenComparing(m -> !m.isRunning()));
        for (Member m : ordered) {
            try {
                out.add(endpoint(m));
            } catch (UserFacingException e) {
                problems.add(m.name() + ": " + e.getMessage());
            }
        }
        Optional<String> leader = s.leader().map(Member::name);
        Optional<Endpoint> backupMember;
        try {
            String name = backupSource(s).member().name();
            backupMember = out.stream().filter(ep -> ep.member().equals(name)).findFirst();
        } catch (UserFacingException e) {
            backupMember = Optional.empty();   // no backup could start now either
        }
        return new ParallelInfo.Plan(out, leader, backupMember, configWarnings(s));
    }

    // ---- operations ---------------------------------------------------------------------------------------

    /**
     * Whether a backup or expire of the stanza runs now according to pgBackRest: {@code heldOn} names a member where
     * its backup lock is held (its info says so, or the {@link LockProbe} on the member where backups run);
     * {@code unchecked} says why the member where backups run could not be checked in time.
     */
    public record LockState(Optional<String> heldOn, Optional<String> unchecked) {
        public static final LockState FREE = new LockState(Optional.empty(), Optional.empty());
    }

    /** pgBackRest's info for the stanza, the member that answered, the lock state and config warnings. */
    public record InfoResult(StanzaInfo info, String member, LockState lock, List<String> warnings) {
        public InfoResult {
            warnings = List.copyOf(warnings);
        }

        public InfoResult(StanzaInfo info, String member) {
            this(info, member, info.backupLockHeld() ? new LockState(Optional.of(member), Optional.empty())
                    : LockState.FREE, List.of());
        }
    }

    /**
     * {@code pgbackrest --output=json info}, asked of every member at once, the whole command bounded by
     * {@code ssh.command-timeout}: the first good answer is used, the leader's when it arrives within
     * {@link ParallelInfo#LEADER_GRACE} of it. The member where backups run is also checked for pgBackRest's backup
     * lock (its info and a {@link LockProbe}) within the same grace, so this reports a running backup whenever
     * {@code /backup} would refuse with "already running".
     */
    public InfoResult info() throws UserFacingException {
        List<String> problems = new ArrayList<>();
        ParallelInfo.Plan plan = infoPlan(problems);
        return ParallelInfo.ask(plan, problems, config.ssh().commandTimeout(), asking,
                (ep, timeout) -> info(ep, Optional.empty(), timeout),
                (ep, timeout) -> LockProbe.probe(runner, ep, args(ep.member()), stanza(), timeout),
                stanza(), cluster.name());
    }

    /** Info on one member; {@code set} limits it to one backup label. */
    public StanzaInfo info(Endpoint ep, Optional<String> set) throws UserFacingException {
        return info(ep, set, config.ssh().commandTimeout());
    }

    private StanzaInfo info(Endpoint ep, Optional<String> set, Duration timeout) throws UserFacingException {
        PgBackRestArgs a = args(ep.member()).consoleWarn().jsonOutput();
        set.ifPresent(a::set);
        RemoteRunner.Result r = runner.run(ep, a.command("info"), timeout, line -> {
        });
        if (!r.ok()) throw ExitCodes.failure(r, "info", stanza(), ep.member());
        try {
            return InfoParser.parse(r.stdout(), stanza());
        } catch (InfoParser.BadInfo e) {
            throw new UserFacingException("info of stanza " + stanza() + " on " + ep.member() + ": " + e.getMessage());
        }
    }

    /**
     * The last {@code lines} begin/end/ERROR lines of pgBackRest's restore log on {@code m} ({@code LOG-PATH/STANZA-restore.log}, the
     * log path from {@code help restore log-path} with that member's config), over the same SSH path; no lines when
     * the file does not exist yet (no restore ever ran there); empty when the log cannot be read. For /reinit: which
     * method built the replica.
     */
    public Optional<List<String>> restoreLog(Member m, int lines, Duration timeout) throws UserFacingException {
        Endpoint ep = endpoint(m);
        List<String> help = new ArrayList<>(args(m.name()).consoleWarn().helpLockPath());
        help.set(help.size() - 2, "restore");
        help.set(help.size() - 1, "log-path");
        try {
            RemoteRunner.Result h = runner.run(ep, help, timeout, line -> {
            });
            if (!h.ok()) return Optional.empty();
            Optional<String> dir = LockProbe.lockPath(h.stdout());
            if (dir.isEmpty()) return Optional.empty();
            String file = dir.get().replaceAll("/+$", "") + "/" + stanza() + "-restore.log";
            // no log file yet: no restore ever ran there (a member that was never rebuilt)
            RemoteRunner.Result exists = runner.run(ep, List.of("test", "-e", file), timeout, line -> {
            });
            if (exists.exitCode() == 1) return Optional.of(List.of());
            if (!exists.ok()) return Optional.empty();
            // only the lines that matter: a restore at log-level-file=detail logs one line per file
            RemoteRunner.Result r = runner.run(ep, List.of("grep", "-a", "-E", "-e", "restore command (begin|end)",
                    "-e", " ERROR: ", file), timeout, line -> {
            });
            if (r.exitCode() == 1) return Optional.of(List.of()); // the file exists, no restore in it yet
            if (!r.ok()) return Optional.empty();
            List<String> all = r.stdoutLines();
            return Optional.of(List.copyOf(all.subList(Math.max(0, all.size() - Math.max(1, lines)), all.size())));
        } catch (RemoteException e) {
            throw new UserFacingException("cannot read the pgBackRest restore log on " + m.name() + ": " + e.getMessage());
        }
    }

    /** A finished backup: where it ran, the label, pgBackRest's details (if they could be read) and the wall time. */
    public record BackupReport(BackupType requested, Source source, Optional<String> label,
                               Optional<StanzaInfo.BackupSet> details, long wallNanos, Optional<String> note) {
    }

    /**
     * Runs a backup under the stanza's bot-side lock. Progress: one line once the remote command was launched, then
     * pgBackRest's interesting log lines as they arrive. A non-zero exit is a {@link PgBackRestFailure}; a failure
     * before the launch is {@link NotStarted}; a timeout or lost connection after it is {@link MayStillRun}
     * (outcome unknown). The lock is released in every case.
     */
    public BackupReport backup(BackupType type, String user, Instant now, Progress progress) throws UserFacingException {
        BackupLocks.Attempt attempt = locks.tryAcquire(cluster.name(), stanza(), "backup " + type.option(), user, now);
        if (attempt.busy().isPresent()) throw new AlreadyRunning(attempt.busy().get().busyMessage());
        BackupLocks.Held lock = attempt.lock().orElseThrow();
        try {
            Source src = backupSource();
            Endpoint ep = endpoint(src.member());
            PgBackRestArgs a = args(src.member().name()).consoleInfo().type(type);
            if (src.standby()) a.backupStandby();
            List<String> argv = a.command("backup");
            String op = "backup " + type.option();
            AtomicReference<String> label = new AtomicReference<>();
            long t0 = System.nanoTime();
            RemoteRunner.Result r;
            try {
                // "started" only once the remote command was launched (session open, exec sent)
                r = runner.run(ep, argv, config.backupTimeout(),
                        () -> progress.line(op + " started on " + src.describe() + " for stanza " + stanza() + "…"),
                        line -> {
                            ConsoleLog.label(line).ifPresent(label::set);
                            ConsoleLog.progress(line).ifPresent(progress::line);
                        });
            } catch (RemoteException e) {
                throw remoteFailure(op, src.member().name(), e);
            }
            long wall = System.nanoTime() - t0;
            failIfLockHeld(r, src.member().name(), op);
            if (!r.ok()) throw ExitCodes.failure(r, op, stanza(), src.member().name());
            Optional<String> lbl = Optional.ofNullable(label.get());
            try {
                StanzaInfo info = info(ep, lbl);
                Optional<StanzaInfo.BackupSet> set = lbl.isPresent() ? info.backup(lbl.get()) : info.newest();
                return new BackupReport(type, src, set.map(StanzaInfo.BackupSet::label).or(() -> lbl), set, wall,
                        set.isPresent() ? Optional.empty() : Optional.of("pgBackRest info does not list the new backup"));
            } catch (UserFacingException e) {
                return new BackupReport(type, src, lbl, Optional.empty(), wall,
                        Optional.of("the backup finished, but its details could not be read: " + e.getMessage()));
            }
        } finally {
            lock.close();
        }
    }

    /** A finished check, stanza-create or expire: where it ran, the interesting lines, the wall time. */
    public record RunReport(String member, List<String> lines, long wallNanos) {
        public RunReport {
            lines = List.copyOf(lines);
        }
    }

    /** {@code pgbackrest check} on the primary: the configuration is valid and WAL archiving works. */
    public RunReport check(Progress progress) throws UserFacingException {
        Member p = primary();
        return runOn(p, args(p.name()).consoleInfo().command("check"), "check",
                config.ssh().commandTimeout().plus(ARCHIVE_WAIT), progress);
    }

    /** {@code pgbackrest stanza-create} on the primary. */
    public RunReport stanzaCreate(Progress progress) throws UserFacingException {
        Member p = primary();
        return runOn(p, args(p.name()).consoleInfo().command("stanza-create"), "stanza-create",
                config.ssh().commandTimeout().plus(ARCHIVE_WAIT), progress);
    }

    /** What retention would remove now ({@code pgbackrest expire --dry-run} on the primary). */
    public ExpirePlan expirePlan() throws UserFacingException {
        return dryRun(primary());
    }

    private ExpirePlan dryRun(Member p) throws UserFacingException {
        RunReport r = runOn(p, args(p.name()).consoleInfo().dryRun().command("expire"), "expire --dry-run",
                config.ssh().commandTimeout(), Progress.NONE);
        return ExpirePlan.parse(r.lines());
    }

    /**
     * Runs {@code pgbackrest expire} on the primary, but only if it still removes what the user confirmed
     * ({@code confirmed}, from {@link #expirePlan()}). The stanza's bot-side lock is held from the fresh dry run to
     * the end of the expire, so no backup started through the bot can change what retention removes meanwhile; a
     * backup already running makes this fail at once with {@link AlreadyRunning}. Returns what expire removed.
     */
    public ExpirePlan expire(ExpirePlan confirmed, String user, Instant now, Progress progress) throws UserFacingException {
        BackupLocks.Attempt attempt = locks.tryAcquire(cluster.name(), stanza(), "expire", user, now);
        if (attempt.busy().isPresent()) throw new AlreadyRunning(attempt.busy().get().busyMessage());
        BackupLocks.Held lock = attempt.lock().orElseThrow();
        try {
            Member p = primary();
            ExpirePlan current = dryRun(p);
            if (!current.sameRemovals(confirmed)) throw new PlanChanged(stanza(), confirmed, current);
            RunReport r = runOn(p, args(p.name()).consoleInfo().command("expire"), "expire", config.backupTimeout(), progress);
            return ExpirePlan.parse(r.lines());
        } finally {
            lock.close();
        }
    }

    /** Runs one pgBackRest command on {@code m}; all its output lines are returned, the interesting ones shown. */
    private RunReport runOn(Member m, List<String> argv, String op, Duration timeout, Progress progress)
            throws UserFacingException {
        Endpoint ep = endpoint(m);
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        RemoteRunner.Result r;
        try {
            r = runner.run(ep, argv, timeout, line -> {
                lines.add(line);
                ConsoleLog.progress(line).ifPresent(progress::line);
            });
        } catch (RemoteException e) {
            throw remoteFailure(op, m.name(), e);
        }
        failIfLockHeld(r, m.name(), op);
        if (!r.ok()) throw ExitCodes.failure(r, op, stanza(), m.name());
        synchronized (lines) {
            return new RunReport(m.name(), List.copyOf(lines), System.nanoTime() - t0);
        }
    }

    /**
     * What a failed remote run means for the user: before the launch nothing was started; after it (connection
     * lost, timeout, output limit) the outcome is unknown ({@link OutcomeUnknown}), pgBackRest may still run there.
     */
    private UserFacingException remoteFailure(String op, String member, RemoteException e) {
        String what = op + " of stanza " + stanza() + " on " + member;
        if (e.notStarted()) {
            return new NotStarted(what + " could not start: " + e.getMessage() + "; nothing was started.", e);
        }
        if (e instanceof OutcomeUnknown) {
            return new MayStillRun(what + ": outcome unknown — " + e.getMessage()
                    + "; pgBackRest may still be running there — check /backup-info before retrying", e);
        }
        return new RunFailed(what + " failed: " + e.getMessage() + "; it did not complete — /backup-info shows what"
                + " the repository holds.", e);
    }

    /** pgBackRest's own lock is held (exit 50): another backup or expire of the stanza runs, maybe not the bot's. */
    private void failIfLockHeld(RemoteRunner.Result r, String member, String op) throws AlreadyRunning {
        if (r.exitCode() != ExitCodes.LOCK_ACQUIRE) return;
        List<String> tail = ExitCodes.tail(r);
        throw new AlreadyRunning(ExitCodes.alreadyRunning(stanza(), "pgBackRest on " + member
                + " reports its backup lock is held, so " + op + " cannot run now")
                + (tail.isEmpty() ? "" : "\npgBackRest said:\n" + String.join("\n", tail)));
    }

    @Override
    public void close() {
        asking.shutdownNow();
        if (runner instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing connections on shutdown
            }
        }
    }

    /** A backup (or expire) of the stanza is already running: the bot's lock or pgBackRest's is held. */
    public static final class AlreadyRunning extends UserFacingException {
        public AlreadyRunning(String message) {
            super(message);
        }
    }

    /** What expire would remove changed between the user's confirmation and the run; nothing was removed. */
    public static final class PlanChanged extends UserFacingException {
        private final ExpirePlan current;

        public PlanChanged(String stanza, ExpirePlan confirmed, ExpirePlan current) {
            super("what expire would remove on stanza " + stanza + " changed since you confirmed: retention would now"
                    + " remove " + current.describe() + " instead of " + confirmed.describe()
                    + "; nothing was removed — run /expire again.");
            this.current = current;
        }

        /** What expire would remove now. */
        public ExpirePlan current() {
            return current;
        }
    }

    /** A pgBackRest command could not be started on the member (no connection, host key, auth): nothing ran. */
    public static final class NotStarted extends UserFacingException {
        public NotStarted(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A pgBackRest command was launched, then the bot lost track of it (connection lost, time limit, output limit):
     * it may still be running or may have completed.
     */
    public static final class MayStillRun extends UserFacingException implements OutcomeUnknown {
        public MayStillRun(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A pgBackRest command ran and was killed before it completed. */
    public static final class RunFailed extends UserFacingException {
        public RunFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
