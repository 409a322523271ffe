package dev.pgchatops.core.cmd;

import dev.pgchatops.config.Role;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.Invocation;
import dev.pgchatops.core.Outcome;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.patroni.ClusterState;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.patroni.PatroniClient;
import dev.pgchatops.core.reply.Reply;

import java.util.List;

/** /flush-scheduled: cancels a scheduled switchover and every scheduled restart, each reported. */
public final class FlushScheduled implements Command {
    @Override
    public CommandSpec spec() {
        return new CommandSpec("flush-scheduled", "cancel a scheduled switchover and scheduled restarts",
                Role.OPERATOR, false, List.of(), 0, List.of());
    }

    @Override
    public Outcome run(Invocation inv) throws UserFacingException {
        PatroniClient p = inv.cluster().patroni();
        String cluster = inv.cluster().name();
        ClusterState s = p.cluster();
        MemberResults results = new MemberResults();
        if (s.scheduledSwitchover().isPresent()) {
            String what = "switchover at " + s.scheduledSwitchover().get().at() + ": ";
            try {
                results.ok(what + p.cancelScheduledSwitchover());
            } catch (UserFacingException e) {
                results.failed(what, e);
            }
        }
        for (Member m : s.members()) {
            if (m.scheduledRestart().isEmpty()) continue;
            try {
                results.ok("restart of " + m.name() + ": " + p.cancelScheduledRestart(m));
            } catch (UserFacingException e) {
                results.failed("restart of " + m.name() + ": ", e);
            }
        }
        if (results.isEmpty()) return Outcome.done(Reply.info("Nothing is scheduled on " + cluster + "."));
        return Outcome.done(results.reply("Flushed on " + cluster));
    }
}
