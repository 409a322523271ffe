package dev.pgchatops.core.cmd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgchatops.config.Role;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.Invocation;
import dev.pgchatops.core.Outcome;
import dev.pgchatops.core.Progress;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.parse.CommandSpec.Flag;
import dev.pgchatops.core.patroni.ClusterState;
import dev.pgchatops.core.patroni.Deadline;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.patroni.PatroniClient;
import dev.pgchatops.core.pgbackrest.PgBackRestService;
import dev.pgchatops.core.pgbackrest.StanzaInfo;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * /reinit MEMBER…: rebuild replicas (POST /reinitialize to each member), each done only once its rebuild was seen and
 * it runs on the leader's timeline. Several members are rebuilt at once, or with {@code --wait} one after the other
 * (each finished before the next starts). The confirmation names what they will be built from (the newest pgBackRest
 * backup and the fallback); the result says which method actually built each one, from pgBackRest's restore log on
 * the member, and warns when Patroni fell back to basebackup.
 */
public final class Reinit implements Command {
    private static final Duration LOG_READ = Duration.ofSeconds(20);
    private final Follow.Limits limits;

    Reinit(Follow.Limits limits) {
        this.limits = limits;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("reinit", "rebuild replicas from scratch (create_replica_methods: pgbackrest, then basebackup)",
                Role.OPERATOR, true, List.of("MEMBER" + CommandSpec.VARIADIC), 1,
                List.of(Flag.flag("force", "reinit even if a Patroni action is in progress"),
                        Flag.flag("wait", "several members: one after the other, each finished before the next starts")));
    }

    @Override
    public Outcome run(Invocation inv) throws UserFacingException {
        PatroniClient p = inv.cluster().patroni();
        String cluster = inv.cluster().name();
        Set<String> names = new LinkedHashSet<>(inv.command().positionals());
        boolean force = inv.command().has("force");
        boolean oneByOne = inv.command().has("wait");
        ClusterState s = p.cluster();
        List<Member> targets = new ArrayList<>();
        for (String name : names) {
            Member m = Checks.member(s, cluster, name);
            if (m.role().isLeader()) {
                throw new UserFacingException(name + " is the leader of " + cluster + "; /reinit rebuilds replicas only. "
                        + "Move the leader first: /switchover --candidate " + Checks.replicas(s).stream().findFirst().orElse("MEMBER"));
            }
            targets.add(m);
        }
        Member leader = Checks.leader(s, cluster);
        if (targets.size() == s.members().size() - 1 && targets.size() > 1 && !oneByOne) {
            // every replica at once leaves no standby: say so (it is allowed; --wait keeps the others up)
            inv.progress().line("note: this rebuilds every replica of " + cluster + " at the same time; --wait does them one by one");
        }
        Optional<PgBackRestService> pgbr = inv.cluster().pgbackrest();
        String source = source(pgbr, leader, inv.clock().instant());
        StringBuilder effect = new StringBuilder("reinitialize " + String.join(", ", names) + " on " + cluster
                + (targets.size() > 1 ? (oneByOne ? ", one after the other" : ", all at once") : "")
                + ": the data directory is deleted and rebuilt. " + source + ".");
        for (Member m : targets) {
            effect.append(" ").append(m.name()).append(" is now ").append(m.state()).append(" on timeline ")
                    .append(Checks.timeline(m)).append(".");
        }
        if (force) effect.append(" (--force)");
        String leaderName = leader.name();
        return Outcome.confirm(effect.toString(), progress -> {
            ClusterState now = p.cluster();
            for (String name : names) {
                if (Checks.member(now, cluster, name).role().isLeader()) {
                    throw new UserFacingException(name + " became the leader of " + cluster + " meanwhile; nothing was done.");
                }
            }
            Checks.leaderUnchanged(now, cluster, Optional.of(leaderName),
                    "nothing was done. Check /cluster-list and run /reinit again if still needed.");
            long t0 = System.nanoTime();
            Deadline deadline = Deadline.after(limits.reinit());
            List<Rebuild> rebuilds = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            boolean warn = false;
            boolean failed = false;
            if (oneByOne) {
                for (String name : names) {
                    Rebuild r = start(p, pgbr, now, cluster, name, force, progress);
                    Done d = finish(p, pgbr, progress, List.of(r), cluster, deadline);
                    lines.addAll(d.lines);
                    warn |= d.warn;
                    if (d.failed) {
                        failed = true;
                        List<String> rest = new ArrayList<>(names).subList(new ArrayList<>(names).indexOf(name) + 1, names.size());
                        if (!rest.isEmpty()) lines.add("not reinitialized: " + String.join(", ", rest));
                        break;
                    }
                    now = p.cluster();
                }
            } else {
                for (String name : names) rebuilds.add(start(p, pgbr, now, cluster, name, force, progress));
                Done d = finish(p, pgbr, progress, rebuilds, cluster, deadline);
                lines.addAll(d.lines);
                warn = d.warn;
                failed = d.failed;
            }
            String took = String.format(" (reinit took %.1f s)", (System.nanoTime() - t0) / 1e9);
            if (failed) throw new UserFacingException(String.join("\n", lines) + took);
            Severity sev = warn ? Severity.WARNING : Severity.SUCCESS;
            if (lines.size() == 1) return Reply.text(sev, lines.get(0) + took + ".");
            return Reply.builder(sev, "Reinitialized on " + cluster + took).text(String.join("\n", lines)).build();
        });
    }

    /** What the replica will be built from: the newest backup of the stanza, then basebackup from the leader. */
    static String source(Optional<PgBackRestService> pgbr, Member leader, Instant now) {
        String fallback = "basebackup from leader " + leader.name() + " (timeline " + Checks.timeline(leader) + ")";
        if (pgbr.isEmpty()) return "Built by Patroni's create_replica_methods (no pgbackrest section for this cluster): " + fallback;
        try {
            StanzaInfo info = pgbr.get().info().info();
            Optional<StanzaInfo.BackupSet> b = info.newest();
            if (b.isEmpty()) {
                return "Built from: pgBackRest stanza " + info.name() + " has NO backup (" + info.statusText()
                        + "), so the pgbackrest method will fail; Patroni falls back to " + fallback;
            }
            StanzaInfo.BackupSet n = b.get();
            return "Built from: pgBackRest " + n.type() + " backup " + n.label() + " of stanza " + info.name() + " ("
                    + age(Duration.between(n.stop(), now)) + " old, WAL " + n.walStart() + " – " + n.walStop()
                    + ") plus the archived WAL since, if pgbackrest is first in create_replica_methods; fallback: " + fallback;
        } catch (UserFacingException e) {
            return "Built from: the newest pgBackRest backup (could not read the stanza now: " + e.getMessage()
                    + "); fallback: " + fallback;
        }
    }

    static String age(Duration d) {
        if (d.isNegative()) d = Duration.ZERO;
        if (d.toMinutes() < 1) return d.toSeconds() + " s";
        if (d.toHours() < 1) return d.toMinutes() + " min";
        if (d.toDays() < 1) return d.toHours() + " h " + d.toMinutesPart() + " min";
        return d.toDays() + " d " + d.toHoursPart() + " h";
    }

    /** One started rebuild: the member, its postmaster start before, the restore log's exec ids before. */
    private record Rebuild(String name, Optional<String> startedBefore, Optional<Set<String>> restoresBefore, boolean[] rebuilt) {
    }

    private record Done(List<String> lines, boolean warn, boolean failed) {
    }

    private static Rebuild start(PatroniClient p, Optional<PgBackRestService> pgbr, ClusterState now, String cluster,
                                 String name, boolean force, Progress progress) throws UserFacingException {
        Member target = Checks.member(now, cluster, name);
        Optional<String> startedBefore = postmasterStart(p, target, Deadline.NONE);
        Optional<Set<String>> before = restoreLog(pgbr, target).map(ReinitMethod::execIds);
        String answer = p.reinitialize(target, force);
        progress.line(name + ": Patroni: " + answer);
        return new Rebuild(name, startedBefore, before, new boolean[]{false});
    }

    private Done finish(PatroniClient p, Optional<PgBackRestService> pgbr, Progress progress, List<Rebuild> rebuilds,
                        String cluster, Deadline deadline) {
        List<String> lines = new ArrayList<>();
        boolean warn = false;
        boolean failed = false;
        String what = "the reinit of " + String.join(", ", rebuilds.stream().map(Rebuild::name).toList());
        try {
            // Done only once each rebuild was seen (the member left "running", or PostgreSQL was started anew) and
            // it runs on the leader's timeline again.
            ClusterState done = Follow.until(p, progress, deadline, limits.poll(), what, st -> {
                for (Rebuild r : rebuilds) {
                    Optional<Member> mm = st.member(r.name());
                    if (mm.isEmpty()) return Optional.empty();
                    if (!mm.get().isRunning()) r.rebuilt()[0] = true;
                    if (!r.rebuilt()[0] && mm.get().isRunning() && r.startedBefore().isPresent()) {
                        Optional<String> nowStarted = postmasterStart(p, mm.get(), deadline);
                        if (nowStarted.isPresent() && !nowStarted.equals(r.startedBefore())) r.rebuilt()[0] = true;
                    }
                    if (!(r.rebuilt()[0] && Follow.streamingOnLeaderTimeline(st, r.name()))) return Optional.empty();
                }
                return Optional.of(st);
            });
            for (Rebuild r : rebuilds) {
                Member m = done.member(r.name()).orElseThrow();
                String lag = ClusterList.lag(m).isEmpty() ? "0" : ClusterList.lag(m);
                ReinitMethod.Verdict v = verdict(pgbr, m, r);
                warn |= v.warns();
                lines.add(String.format("%s of %s is %s again on timeline %s, lag %s MB. %s", r.name(), cluster, m.state(),
                        Checks.timeline(m), lag, describe(v)));
            }
        } catch (UserFacingException e) {
            failed = true;
            lines.add(e.getMessage());
        }
        return new Done(lines, warn, failed);
    }

    private static ReinitMethod.Verdict verdict(Optional<PgBackRestService> pgbr, Member m, Rebuild r) {
        if (pgbr.isEmpty()) return new ReinitMethod.Verdict(ReinitMethod.Kind.UNREADABLE, "no pgbackrest section for this cluster");
        Optional<List<String>> after = restoreLog(pgbr, m);
        if (after.isEmpty() || r.restoresBefore().isEmpty()) {
            return new ReinitMethod.Verdict(ReinitMethod.Kind.UNREADABLE, "could not read pgBackRest's restore log on " + m.name());
        }
        return ReinitMethod.judge(r.restoresBefore().get(), after.get());
    }

    static String describe(ReinitMethod.Verdict v) {
        return switch (v.kind()) {
            case PGBACKREST -> "Built with pgbackrest (" + v.detail() + ").";
            case PGBACKREST_FAILED -> "Warning: built with basebackup, not pgbackrest — " + v.detail()
                    + "; Patroni fell back to its next method. " + hint(v.detail());
            case NO_RESTORE -> "Warning: not built with pgbackrest — " + v.detail()
                    + " (is pgbackrest in create_replica_methods?); Patroni used another method, likely basebackup.";
            case UNREADABLE -> "Method not known: " + v.detail() + ".";
        };
    }

    /** What to do about a failed pgBackRest restore, by pgBackRest's error code. */
    static String hint(String detail) {
        if (detail.contains("[075]")) return "The stanza has no backup to restore: make one with /backup full.";
        if (detail.contains("[040]")) {
            return "The kept data directory is not empty: set delta=y in the member's pgBackRest config ([global]).";
        }
        return "Check the restore on that member and /backup-info.";
    }

    private static Optional<List<String>> restoreLog(Optional<PgBackRestService> pgbr, Member m) {
        if (pgbr.isEmpty()) return Optional.empty();
        try {
            return pgbr.get().restoreLog(m, 400, LOG_READ);
        } catch (UserFacingException e) {
            return Optional.empty();
        }
    }

    /** The member's postmaster start time from its own GET /patroni; empty when it can't be read. */
    static Optional<String> postmasterStart(PatroniClient p, Member m, Deadline deadline) {
        try {
            JsonNode n = p.memberStatus(m, deadline);
            return n.hasNonNull("postmaster_start_time") ? Optional.of(n.get("postmaster_start_time").asText()) : Optional.empty();
        } catch (UserFacingException e) {
            return Optional.empty();
        }
    }
}
