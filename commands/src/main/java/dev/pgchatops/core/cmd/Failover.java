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

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** /failover: promote a named member now, with or without a healthy leader. */
public final class Failover implements Command {
    private final Follow.Limits limits;

    Failover(Follow.Limits limits) {
        this.limits = limits;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("failover", "promote a replica now, even without a healthy leader (unplanned)",
                Role.ADMIN, true, List.of(), 0, List.of(Flag.required("candidate", "MEMBER", "the member to promote")));
    }

    @Override
    public Outcome run(Invocation inv) throws UserFacingException {
        PatroniClient p = inv.cluster().patroni();
        String cluster = inv.cluster().name();
        String cand = inv.command().flag("candidate").orElseThrow(() -> new UserFacingException(
                "/failover needs --candidate MEMBER.\nUsage: " + spec().usage()));
        ClusterState s = p.cluster();
        Member c = Checks.member(s, cluster, cand);
        if (c.role().isLeader()) throw new UserFacingException(cand + " is already the leader of " + cluster + ".");
        Optional<Member> leader = s.leader();
        String effect = "failover on " + cluster + ": promote " + cand + " (" + c.state() + ", timeline "
                + Checks.timeline(c) + ")" + leader.map(l -> "; current leader " + l.name() + " on timeline "
                + Checks.timeline(l) + " is demoted").orElse("; there is no leader now") + ".";
        Optional<String> oldLeader = leader.map(Member::name);
        return Outcome.confirm(effect, progress -> {
            ClusterState now = p.cluster();
            Checks.leaderUnchanged(now, cluster, oldLeader,
                    "nothing was done. Check /cluster-list and run /failover again if still needed.");
            Member candidateNow = Checks.member(now, cluster, cand);
            String answer = p.failover(cand);
            progress.line("Patroni: " + answer);
            long t0 = System.nanoTime();
            // The timeline before the failover: the leader's, or the candidate's when there is no leader.
            long oldTl = now.leader().map(Member::timeline).filter(OptionalLong::isPresent)
                    .orElse(candidateNow.timeline()).orElse(0);
            Member nl = Follow.until(p, progress, limits.switchover(), limits.poll(), "the failover",
                    st -> st.leader().filter(m -> m.name().equals(cand) && m.isRunning() && m.timeline().orElse(0) > oldTl));
            double seen = (System.nanoTime() - t0) / 1e9;
            String rejoin = oldLeader.isPresent() ? "; " + Follow.rejoined(p, progress, limits, oldLeader.get()) : "";
            return Reply.success(String.format("Failed over %s to %s, timeline %s (seen after %.1f s)%s.", cluster,
                    nl.name(), Checks.timeline(nl), seen, rejoin));
        });
    }
}
