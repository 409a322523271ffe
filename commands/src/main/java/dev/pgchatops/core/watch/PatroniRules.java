package dev.pgchatops.core.watch;

import dev.pgchatops.config.AlertsConfig;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.patroni.ClusterState;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Severity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules on one GET /cluster of one cluster: no leader, leader unreachable, member down, member not running,
 * member on an older timeline than the leader (with a Reinit button), replication lag above the threshold for longer
 * than the grace, pending restart, paused for longer than the threshold. Remembers when lag and pause began (in
 * memory: after a restart their grace starts again).
 */
public final class PatroniRules {
    /** Members in a passing state (stopped and starting again after a switchover, restarting) are not an alert before this many polls (the old primary stayed "stopped" for more than 5 s after a switchover on the real cluster). */
    static final int NOT_RUNNING_HOLD = 15;
    /** Replicas follow a new timeline within a few Patroni loops; a member still behind after this many polls is not. */
    static final int TIMELINE_HOLD = 8;

    private final String cluster;
    private final AlertsConfig config;
    private final Map<String, Instant> lagSince = new HashMap<>();
    private Instant pausedSince;

    public PatroniRules(String cluster, AlertsConfig config) {
        this.cluster = cluster;
        this.config = config;
    }

    /**
     * {@code known}: members seen before (absent ones are down); {@code leaderProbe}: empty when the leader's own REST
     * API answered (or was not asked), else why it did not; {@code previousLeader}: the leader last seen.
     */
    public List<Condition> evaluate(ClusterState s, Set<String> known, Optional<String> leaderProbe,
                                    Optional<String> previousLeader, Instant now) {
        List<Condition> out = new ArrayList<>();
        Optional<Member> leader = s.leader();
        if (leader.isEmpty()) {
            out.add(new Condition("no-leader", Severity.ERROR, "no-leader on " + cluster + ": no member holds the leader lock",
                    List.of("members: " + describe(s))));
            previousLeader.filter(p -> s.member(p).isEmpty()).ifPresent(p -> out.add(unreachable(p,
                    p + " left /cluster and no member leads; Patroni elects a new leader after its ttl")));
        } else if (leaderProbe.isPresent()) {
            out.add(unreachable(leader.get().name(), leaderProbe.get()
                    + "; Patroni fails over once the leader key expires (ttl)"));
        }
        for (String k : known) {
            if (s.member(k).isEmpty()) {
                out.add(new Condition("member-down:" + k, Severity.ERROR, "member-down on " + cluster + ": " + k
                        + " is not in /cluster", List.of("members now: " + describe(s))));
            }
        }
        for (Member m : s.members()) {
            if (!m.isRunning() && !m.state().isEmpty()) {
                out.add(new Condition("member-not-running:" + m.name(), Severity.WARNING, "member-not-running on " + cluster
                        + ": " + m.name() + " is " + m.state(), List.of("state: " + m.state())).holding(
                        Math.max(config.dampingPolls(), NOT_RUNNING_HOLD)));
            }
            if (leader.isPresent() && !m.name().equals(leader.get().name()) && m.timeline().isPresent()
                    && leader.get().timeline().isPresent() && m.timeline().getAsLong() < leader.get().timeline().getAsLong()) {
                out.add(new Condition("diverged:" + m.name(), Severity.ERROR, "diverged on " + cluster + ": " + m.name()
                        + " is on timeline " + m.timeline().getAsLong() + ", leader " + leader.get().name() + " on timeline "
                        + leader.get().timeline().getAsLong(),
                        List.of("an old primary after a failover stays on its timeline until it is rebuilt (/reinit "
                                + m.name() + ")"))
                        .withButtons(List.of(new Block.Button(Bot.RUN_PREFIX + "/reinit " + m.name() + " --cluster " + cluster,
                                "Reinit " + m.name(), Block.Style.DANGER)))
                        .holding(Math.max(config.dampingPolls(), TIMELINE_HOLD)));
            }
            lag(m, now).ifPresent(out::add);
            if (m.pendingRestart()) {
                out.add(new Condition("pending-restart:" + m.name(), Severity.WARNING, "pending-restart on " + cluster + ": "
                        + m.name() + " needs a restart for a configuration change", List.of("/restart " + m.name()
                        + " --pending applies it")));
            }
        }
        lagSince.keySet().removeIf(n -> s.member(n).isEmpty());
        if (s.paused()) {
            if (pausedSince == null) pausedSince = now;
            Duration d = Duration.between(pausedSince, now);
            if (d.compareTo(config.pausedThreshold()) >= 0) {
                out.add(new Condition("paused", Severity.WARNING, "paused on " + cluster + ": maintenance mode for "
                        + Notifier.human(config.pausedThreshold()) + " or more",
                        List.of("automatic failover is off; /resume ends it")));
            }
        } else {
            pausedSince = null;
        }
        return out;
    }

    private Condition unreachable(String leader, String why) {
        return new Condition("leader-unreachable", Severity.ERROR, "leader-unreachable on " + cluster + ": " + leader
                + " does not answer", List.of(why));
    }

    private Optional<Condition> lag(Member m, Instant now) {
        long threshold = (long) config.lagThresholdMb() * 1024 * 1024;
        if (m.lagBytes().isEmpty() || m.lagBytes().getAsLong() <= threshold) {
            lagSince.remove(m.name());
            return Optional.empty();
        }
        Instant since = lagSince.computeIfAbsent(m.name(), n -> now);
        if (Duration.between(since, now).compareTo(config.lagGrace()) < 0) return Optional.empty();
        long mb = Math.round(m.lagBytes().getAsLong() / 1024.0 / 1024.0);
        // the fact is rounded to tens of MB so that every poll does not post a change
        return Optional.of(new Condition("lag:" + m.name(), Severity.WARNING, "lag on " + cluster + ": " + m.name()
                + " is more than " + config.lagThresholdMb() + " MB behind for " + Notifier.human(config.lagGrace())
                + " or more", List.of("lag: about " + (mb < 100 ? mb : (mb / 10) * 10) + " MB")).holding(1));
    }

    static String describe(ClusterState s) {
        if (s.members().isEmpty()) return "(none)";
        List<String> parts = new ArrayList<>();
        for (Member m : s.members()) {
            parts.add(m.name() + " " + m.role().label().toLowerCase(java.util.Locale.ROOT) + " " + m.state()
                    + (m.timeline().isPresent() ? " TL" + m.timeline().getAsLong() : ""));
        }
        return String.join(", ", parts);
    }
}
