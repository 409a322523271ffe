package dev.pgchatops.core.cmd;

import dev.pgchatops.config.Role;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.Invocation;
import dev.pgchatops.core.Outcome;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.patroni.ClusterState;
import dev.pgchatops.core.patroni.PatroniClient;
import dev.pgchatops.core.reply.Reply;

import java.util.List;
import java.util.Optional;

/** /pause: maintenance mode (PATCH /config pause), followed until GET /cluster shows it. */
public final class Pause implements Command {
    private final Follow.Limits limits;

    Pause(Follow.Limits limits) {
        this.limits = limits;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("pause", "maintenance mode: Patroni stops automatic failover", Role.ADMIN, true,
                List.of(), 0, List.of());
    }

    @Override
    public Outcome run(Invocation inv) throws UserFacingException {
        PatroniClient p = inv.cluster().patroni();
        String cluster = inv.cluster().name();
        ClusterState s = p.cluster();
        if (s.paused()) return Outcome.done(Reply.info(cluster + " is already paused (maintenance mode). /resume ends it."));
        return Outcome.confirm("pause " + cluster + ": Patroni stops automatic failover until /resume"
                + s.leader().map(l -> "; leader stays " + l.name()).orElse("") + ".", progress -> {
            if (p.cluster().paused()) return Reply.info(cluster + " was paused meanwhile; nothing to do.");
            String answer = p.setPaused(true);
            progress.line("Patroni: " + (answer.length() > 80 ? "configuration updated" : answer));
            Follow.until(p, progress, limits.pause(), limits.poll(), "pausing", st -> st.paused() ? Optional.of(true) : Optional.empty());
            return Reply.success(cluster + " is paused: automatic failover is off until /resume.");
        });
    }
}
