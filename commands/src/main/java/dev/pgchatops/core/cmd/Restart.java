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

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** /restart MEMBER|all: restarts PostgreSQL, replicas first and the leader last, stopping at the first trouble. */
public final class Restart implements Command {
    private final Follow.Limits limits;

    Restart(Follow.Limits limits) {
        this.limits = limits;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("restart", "restart PostgreSQL on one member or all (replicas first)", Role.OPERATOR, true,
                List.of("MEMBER|all"), 1, List.of(Flag.flag("pending", "only members with a pending restart")));
    }

    @Override
    public Outcome run(Invocation inv) throws UserFacingException {
        PatroniClient p = inv.cluster().patroni();
        String cluster = inv.cluster().name();
        String which = inv.command().arg(0).orElseThrow();
        boolean pendingOnly = inv.command().has("pending");
        ClusterState s = p.cluster();
        List<String> targets = new ArrayList<>();
        if (which.equals("all")) {
            s.members().stream().filter(m -> !m.role().isLeader()).forEach(m -> targets.add(m.name()));
            s.leader().ifPresent(l -> targets.add(l.name()));
        } else {
            targets.add(Checks.member(s, cluster, which).name());
        }
        if (pendingOnly) {
            targets.removeIf(t -> s.member(t).map(m -> !m.pendingRestart()).orElse(true));
            if (targets.isEmpty()) {
                return Outcome.done(Reply.info("No member of " + cluster + " has a pending restart; nothing to do."));
            }
        }
        String effect = "restart PostgreSQL on " + String.join(", ", targets) + " of " + cluster
                + (targets.size() > 1 ? ", one after the other" : "") + (pendingOnly ? " (pending restart only)" : "")
                + s.leader().filter(l -> targets.contains(l.name())).map(l -> ". Restarting leader " + l.name()
                + " interrupts writes briefly").orElse("") + ".";
        Optional<String> leaderThen = s.leader().map(Member::name);
        return Outcome.confirm(effect, progress -> {
            Checks.leaderUnchanged(p.cluster(), cluster, leaderThen, "nothing was restarted. Run /restart again.");
            MemberResults results = new MemberResults();
            for (int i = 0; i < targets.size(); i++) {
                String t = targets.get(i);
                try {
                    Member m = Checks.member(p.cluster(), cluster, t);
                    String answer = p.restart(m, pendingOnly);
                    progress.line(t + ": " + answer);
                    Member back = Follow.until(p, progress, limits.restart(), limits.poll(), "the restart of " + t,
                            st -> st.member(t).filter(Member::isRunning));
                    results.ok(t + ": " + answer + " — now " + back.state());
                } catch (UserFacingException e) {
                    // Stop here: restarting more members while one did not come back could take the cluster down.
                    results.failed(t + ": ", e);
                    List<String> rest = targets.subList(i + 1, targets.size());
                    if (!rest.isEmpty()) results.note("not restarted: " + String.join(", ", rest));
                    return results.reply("Restart on " + cluster + " stopped at " + t);
                }
            }
            return results.reply("Restarted on " + cluster);
        });
    }
}
