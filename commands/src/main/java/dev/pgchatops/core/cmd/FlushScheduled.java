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
import java.util.Locale;
import java.util.Optional;

/**
 * /flush-scheduled [restart|switchover] [MEMBER]: cancels a scheduled switchover and/or scheduled restarts (all, or
 * only MEMBER's), each reported. Without a kind, everything scheduled is cancelled, as before.
 */
public final class FlushScheduled implements Command {
    @Override
    public CommandSpec spec() {
        return new CommandSpec("flush-scheduled", "cancel a scheduled switchover and/or scheduled restarts",
                Role.OPERATOR, false, List.of("restart|switchover", "MEMBER"), 0, List.of());
    }

    @Override
    public Outcome run(Invocation inv) throws UserFacingException {
        PatroniClient p = inv.cluster().patroni();
        String cluster = inv.cluster().name();
        Optional<String> kind = inv.command().arg(0).map(k -> k.toLowerCase(Locale.ROOT));
        Optional<String> member = inv.command().arg(1);
        if (kind.isPresent() && !kind.get().equals("restart") && !kind.get().equals("switchover")) {
            throw new UserFacingException("/flush-scheduled takes restart or switchover, not '" + kind.get()
                    + "'.\nUsage: " + spec().usage());
        }
        if (member.isPresent() && !kind.equals(Optional.of("restart"))) {
            throw new UserFacingException("a member is named only for restarts: /flush-scheduled restart " + member.get());
        }
        ClusterState s = p.cluster();
        if (member.isPresent()) Checks.member(s, cluster, member.get());
        boolean switchover = kind.isEmpty() || kind.get().equals("switchover");
        boolean restarts = kind.isEmpty() || kind.get().equals("restart");
        MemberResults results = new MemberResults();
        if (switchover && s.scheduledSwitchover().isPresent()) {
            String what = "switchover at " + s.scheduledSwitchover().get().at() + ": ";
            try {
                results.ok(what + p.cancelScheduledSwitchover());
            } catch (UserFacingException e) {
                results.failed(what, e);
            }
        }
        if (restarts) {
            for (Member m : s.members()) {
                if (m.scheduledRestart().isEmpty() || member.isPresent() && !member.get().equals(m.name())) continue;
                try {
                    results.ok("restart of " + m.name() + ": " + p.cancelScheduledRestart(m));
                } catch (UserFacingException e) {
                    results.failed("restart of " + m.name() + ": ", e);
                }
            }
        }
        if (results.isEmpty()) {
            String what = kind.isEmpty() ? "Nothing is scheduled" : kind.get().equals("switchover") ? "No switchover is scheduled"
                    : "No restart is scheduled" + member.map(m -> " on " + m).orElse("");
            return Outcome.done(Reply.info(what + " on " + cluster + "."));
        }
        return Outcome.done(results.reply("Flushed on " + cluster));
    }
}
