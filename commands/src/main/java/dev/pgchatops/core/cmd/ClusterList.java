package dev.pgchatops.core.cmd;

import dev.pgchatops.config.Role;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.Invocation;
import dev.pgchatops.core.Outcome;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.patroni.ClusterState;
import dev.pgchatops.core.patroni.Deadline;
import dev.pgchatops.core.patroni.Failsafe;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.patroni.PatroniClient;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * /cluster-list: members, roles, states, timelines and lag, like {@code patronictl list}, with the columns patronictl
 * adds when a member has them (receive/replay lag of Patroni 4.1, pending restart and its reason, scheduled restart,
 * tags), maintenance mode, failsafe mode, a scheduled switchover — and a replica on an older timeline than the leader
 * flagged with what to type.
 */
public final class ClusterList implements Command {
    @Override
    public CommandSpec spec() {
        return new CommandSpec("cluster-list", "members, roles, states, timelines and lag (like patronictl list)",
                Role.VIEWER, false, List.of(), 0, List.of());
    }

    @Override
    public Outcome run(Invocation inv) throws UserFacingException {
        PatroniClient p = inv.cluster().patroni();
        // GET /config (failsafe mode) beside GET /cluster, not after it: the answer waits for the slower one
        Deadline fsDeadline = Deadline.after(FAILSAFE_BOUND);
        java.util.concurrent.CompletableFuture<com.fasterxml.jackson.databind.JsonNode> cfg = p.configAside(fsDeadline);
        ClusterState s;
        try {
            s = p.cluster();
        } catch (UserFacingException | RuntimeException e) {
            cfg.cancel(false);
            throw e;
        }
        return Outcome.done(render(inv.cluster().name(), s, failsafe(p, s, cfg, fsDeadline)));
    }

    static final Duration FAILSAFE_BOUND = Duration.ofSeconds(3);

    /** Failsafe mode, best effort within 3 s: empty when it cannot be read (the member table is shown anyway). */
    static Optional<Failsafe> failsafe(PatroniClient p, ClusterState s,
                                       java.util.concurrent.CompletableFuture<com.fasterxml.jackson.databind.JsonNode> cfg,
                                       Deadline deadline) {
        try {
            com.fasterxml.jackson.databind.JsonNode c = cfg.get(Math.max(1, deadline.remaining().toNanos()),
                    java.util.concurrent.TimeUnit.NANOSECONDS);
            return Optional.of(p.failsafe(s, c, deadline));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                 | java.util.concurrent.CancellationException e) {
            return Optional.empty();
        }
    }

    public static Reply render(String cluster, ClusterState s) {
        return render(cluster, s, Optional.empty());
    }

    public static Reply render(String cluster, ClusterState s, Optional<Failsafe> failsafe) {
        return render("Cluster: " + cluster, s, failsafe, s.members(), Member::name);
    }

    /** The table of {@code members} in that order, the Member cell from {@code memberCell} (the topology indents it). */
    static Reply render(String title, ClusterState s, Optional<Failsafe> failsafe, List<Member> members,
                        Function<Member, String> memberCell) {
        boolean receive = members.stream().anyMatch(m -> m.extra().receiveLag().isPresent());
        boolean replay = members.stream().anyMatch(m -> m.extra().replayLag().isPresent());
        boolean pending = members.stream().anyMatch(Member::pendingRestart);
        boolean reason = members.stream().anyMatch(m -> !m.extra().pendingRestartReason().isEmpty());
        boolean scheduledRestart = members.stream().anyMatch(m -> m.scheduledRestart().isPresent());
        boolean tags = members.stream().anyMatch(m -> !m.tags().isEmpty());
        List<Member> behind = oldTimeline(s);
        List<String> headers = new ArrayList<>(List.of("Member", "Host", "Role", "State", "TL", "Lag in MB"));
        if (receive) headers.add("Receive lag in MB");
        if (replay) headers.add("Replay lag in MB");
        if (pending) headers.add("Pending restart");
        if (reason) headers.add("Pending restart reason");
        if (scheduledRestart) headers.add("Scheduled restart");
        if (tags) headers.add("Tags");
        if (!behind.isEmpty()) headers.add("Note");
        List<List<String>> rows = new ArrayList<>();
        for (Member m : members) {
            List<String> r = new ArrayList<>(List.of(memberCell.apply(m), m.hostPort(), m.role().label(), m.state(),
                    m.timeline().isPresent() ? String.valueOf(m.timeline().getAsLong()) : "", lag(m)));
            if (receive) r.add(m.role().isLeader() ? "" : m.extra().receiveLag().map(Member.Lag::inMb).orElse(""));
            if (replay) r.add(m.role().isLeader() ? "" : m.extra().replayLag().map(Member.Lag::inMb).orElse(""));
            if (pending) r.add(m.pendingRestart() ? "*" : "");
            if (reason) r.add(reason(m));
            if (scheduledRestart) r.add(m.scheduledRestart().orElse(""));
            if (tags) r.add(tags(m.tags()));
            if (!behind.isEmpty()) r.add(behind.contains(m) ? "OLD TIMELINE: will never catch up" : "");
            rows.add(r);
        }
        Severity sev = s.leader().isEmpty() || !behind.isEmpty() || s.members().stream().anyMatch(m -> !m.isRunning())
                ? Severity.WARNING : Severity.INFO;
        Reply.Builder b = Reply.builder(sev, title).table(headers, rows);
        if (s.paused()) b.text("Maintenance mode: on");
        failsafe.filter(Failsafe::enabled).ifPresent(f -> b.text(f.line()));
        s.scheduledSwitchover().ifPresent(sw -> b.text("Switchover scheduled at: " + sw.at()
                + sw.from().map(f -> "\n                    from: " + f).orElse("")
                + sw.to().map(t -> "\n                      to: " + t).orElse("")));
        if (s.leader().isEmpty()) b.text("No leader!");
        for (Member m : behind) {
            b.text(m.name() + " is on timeline " + m.timeline().getAsLong() + ", older than leader " + s.leader().get().name()
                    + "'s timeline " + s.leader().get().timeline().getAsLong() + " (an old primary after a failover without "
                    + "pg_rewind?): it will never catch up. Rebuild it: /reinit " + m.name());
        }
        return b.build();
    }

    /** Replicas running on a timeline older than the leader's. */
    static List<Member> oldTimeline(ClusterState s) {
        Optional<Member> l = s.leader();
        if (l.isEmpty() || l.get().timeline().isEmpty()) return List.of();
        long tl = l.get().timeline().getAsLong();
        return s.members().stream().filter(m -> !m.role().isLeader() && m.timeline().isPresent()
                && m.timeline().getAsLong() < tl).toList();
    }

    /** patronictl's "Pending restart reason": {@code max_connections: 50->200}, one per parameter. */
    static String reason(Member m) {
        return m.extra().pendingRestartReason().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("\n"));
    }

    /** Tags as {@code nofailover: true, replicatefrom: node2}. */
    static String tags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
    }

    static String lag(Member m) {
        if (m.role().isLeader()) return "";
        if (m.lagUnknown()) return "unknown";
        if (m.lagBytes().isEmpty()) return "";
        return String.valueOf(Math.round(m.lagBytes().getAsLong() / 1024.0 / 1024.0));
    }
}
