package dev.pgchatops.core.cmd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgchatops.config.Role;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.Invocation;
import dev.pgchatops.core.Outcome;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.parse.CommandSpec.Flag;
import dev.pgchatops.core.patroni.ClusterState;
import dev.pgchatops.core.patroni.Deadline;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.patroni.PatroniClient;
import dev.pgchatops.core.reply.Reply;

import java.util.List;
import java.util.Optional;

/** /reinit MEMBER: rebuild a replica (POST /reinitialize to the member), done only once the rebuild was seen. */
public final class Reinit implements Command {
    private final Follow.Limits limits;

    Reinit(Follow.Limits limits) {
        this.limits = limits;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("reinit", "rebuild a replica from scratch (create_replica_methods: pgbackrest, then basebackup)",
                Role.OPERATOR, true, List.of("MEMBER"), 1, List.of(Flag.flag("force", "reinit even if a Patroni action is in progress")));
    }

    @Override
    public Outcome run(Invocation inv) throws UserFacingException {
        PatroniClient p = inv.cluster().patroni();
        String cluster = inv.cluster().name();
        String name = inv.command().arg(0).orElseThrow();
        boolean force = inv.command().has("force");
        ClusterState s = p.cluster();
        Member m = Checks.member(s, cluster, name);
        if (m.role().isLeader()) {
            throw new UserFacingException(name + " is the leader of " + cluster + "; /reinit rebuilds replicas only. "
                    + "Move the leader first: /switchover --candidate " + Checks.replicas(s).stream().findFirst().orElse("MEMBER"));
        }
        Member leader = Checks.leader(s, cluster);
        String effect = "reinitialize " + name + " on " + cluster + ": its data directory is rebuilt from the backup "
                + "repository or from leader " + leader.name() + " (timeline " + Checks.timeline(leader) + "). "
                + name + " is now " + m.state() + " on timeline " + Checks.timeline(m) + "." + (force ? " (--force)" : "");
        String leaderName = leader.name();
        return Outcome.confirm(effect, progress -> {
            ClusterState now = p.cluster();
            Member target = Checks.member(now, cluster, name);
            if (target.role().isLeader()) {
                throw new UserFacingException(name + " became the leader of " + cluster + " meanwhile; nothing was done.");
            }
            Checks.leaderUnchanged(now, cluster, Optional.of(leaderName),
                    "nothing was done. Check /cluster-list and run /reinit again if still needed.");
            Optional<String> startedBefore = postmasterStart(p, target, Deadline.NONE);
            String answer = p.reinitialize(target, force);
            progress.line("Patroni: " + answer);
            long t0 = System.nanoTime();
            Deadline deadline = Deadline.after(limits.reinit());
            // Done only once the rebuild was seen (the member left "running", or PostgreSQL was started anew)
            // and the member runs on the leader's timeline again.
            boolean[] rebuilt = {false};
            Member done = Follow.until(p, progress, deadline, limits.poll(), "the reinit of " + name, st -> {
                Optional<Member> mm = st.member(name);
                if (mm.isEmpty()) return Optional.empty();
                if (!mm.get().isRunning()) rebuilt[0] = true;
                if (!rebuilt[0] && mm.get().isRunning() && startedBefore.isPresent()) {
                    Optional<String> nowStarted = postmasterStart(p, mm.get(), deadline);
                    if (nowStarted.isPresent() && !nowStarted.equals(startedBefore)) rebuilt[0] = true;
                }
                return rebuilt[0] && Follow.streamingOnLeaderTimeline(st, name) ? mm : Optional.empty();
            });
            return Reply.success(String.format("%s of %s is %s again on timeline %s, lag %s MB (reinit took %.1f s).",
                    name, cluster, done.state(), Checks.timeline(done), ClusterList.lag(done).isEmpty() ? "0" : ClusterList.lag(done),
                    (System.nanoTime() - t0) / 1e9));
        });
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
