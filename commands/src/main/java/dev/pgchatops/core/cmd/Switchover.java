package dev.pgchatops.core.cmd;

import dev.pgchatops.config.Role;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.Invocation;
import dev.pgchatops.core.Outcome;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.parse.CommandSpec.Flag;
import dev.pgchatops.core.patroni.ClusterState;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.patroni.PatroniClient;
import dev.pgchatops.core.reply.Reply;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** /switchover: a planned leader change, now or scheduled ({@code --at}). */
public final class Switchover implements Command {
    private final Follow.Limits limits;

    Switchover(Follow.Limits limits) {
        this.limits = limits;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("switchover", "hand the leader role to a healthy replica (planned)", Role.OPERATOR, true,
                List.of(), 0, List.of(Flag.value("candidate", "MEMBER", "the replica to promote"),
                Flag.value("at", "TIME", "schedule it: ISO time (2026-11-24T22:00Z) or HH:MM UTC")));
    }

    @Override
    public Outcome run(Invocation inv) throws UserFacingException {
        PatroniClient p = inv.cluster().patroni();
        String cluster = inv.cluster().name();
        ClusterState s = p.cluster();
        Member leader = Checks.leader(s, cluster);
        Optional<String> candidate = inv.command().flag("candidate");
        if (candidate.isPresent()) {
            Member c = Checks.member(s, cluster, candidate.get());
            if (c.role().isLeader()) {
                throw new UserFacingException(c.name() + " is already the leader of " + cluster
                        + "; pick a replica: " + String.join(", ", Checks.replicas(s)));
            }
            if (!c.isRunning()) {
                throw new UserFacingException(c.name() + " is " + c.state() + ", not running; it cannot take over. Healthy replicas: "
                        + String.join(", ", Checks.replicas(s)));
            }
        } else if (Checks.replicas(s).isEmpty()) {
            throw new UserFacingException(cluster + " has no running replica to switch over to.");
        }
        Optional<SwitchoverTime> when = inv.command().flag("at").isPresent()
                ? Optional.of(SwitchoverTime.parse(inv.command().flag("at").get(), inv.clock().instant().atOffset(ZoneOffset.UTC)))
                : Optional.empty();
        Optional<OffsetDateTime> at = when.map(SwitchoverTime::at);
        String target = candidate.orElse("a healthy replica (" + String.join(", ", Checks.replicas(s)) + ")");
        String effect = "leader " + leader.name() + " → " + target + " on " + cluster + ", timeline "
                + Checks.timeline(leader) + when.map(t -> ", scheduled at " + t.shown()).orElse(", now")
                + ". Connections to " + leader.name() + " are dropped."
                + s.scheduledSwitchover().map(sw -> " This replaces the switchover scheduled at " + SwitchoverTime.format(sw.at())
                + " (" + sw.from().orElse(leader.name()) + " → " + sw.to().orElse("a healthy replica") + ").").orElse("");
        String oldLeader = leader.name();
        return Outcome.confirm(effect, progress -> {
            ClusterState now = p.cluster();
            Member l = Checks.leader(now, cluster);
            Checks.leaderUnchanged(now, cluster, Optional.of(oldLeader), "nothing was done. Run /switchover again if still needed.");
            if (candidate.isPresent()) {
                Member c = Checks.member(now, cluster, candidate.get());
                if (!c.isRunning()) {
                    throw new UserFacingException(c.name() + " is now " + c.state() + "; nothing was done.");
                }
            }
            String answer = p.switchover(oldLeader, candidate, at);
            progress.line("Patroni: " + answer);
            if (at.isPresent()) {
                return Reply.success("Switchover of " + cluster + " scheduled at " + when.get().shown() + " (" + answer
                        + "). Cancel it with /flush-scheduled.");
            }
            long t0 = System.nanoTime();
            long oldTl = l.timeline().orElse(0);
            Member newLeader = Follow.until(p, progress, limits.switchover(), limits.poll(), "the switchover",
                    st -> st.leader().filter(m -> !m.name().equals(oldLeader) && m.isRunning()
                            && m.timeline().orElse(0) > oldTl
                            && candidate.map(c -> c.equals(m.name())).orElse(true)));
            double seen = (System.nanoTime() - t0) / 1e9;
            String rejoin = Follow.rejoined(p, progress, limits, oldLeader);
            return Reply.success(String.format("Switched over %s: %s → %s, timeline %s (new leader seen after %.1f s); %s.",
                    cluster, oldLeader, newLeader.name(), Checks.timeline(newLeader), seen, rejoin));
        });
    }
}
