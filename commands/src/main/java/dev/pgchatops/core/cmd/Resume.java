package dev.pgchatops.core.cmd;

import dev.pgchatops.config.Role;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.Invocation;
import dev.pgchatops.core.Outcome;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.patroni.PatroniClient;
import dev.pgchatops.core.reply.Reply;

import java.util.List;
import java.util.Optional;

/** /resume: leave maintenance mode (PATCH /config pause: null), followed until GET /cluster shows it. */
public final class Resume implements Command {
    private final Follow.Limits limits;

    Resume(Follow.Limits limits) {
        this.limits = limits;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("resume", "leave maintenance mode: automatic failover again", Role.ADMIN, false,
                List.of(), 0, List.of());
    }

    @Override
    public Outcome run(Invocation inv) throws UserFacingException {
        PatroniClient p = inv.cluster().patroni();
        String cluster = inv.cluster().name();
        if (!p.cluster().paused()) return Outcome.done(Reply.info(cluster + " is not paused; nothing to do."));
        p.setPaused(false);
        Follow.until(p, inv.progress(), limits.pause(), limits.poll(), "resuming", st -> st.paused() ? Optional.empty() : Optional.of(true));
        return Outcome.done(Reply.success(cluster + " resumed: automatic failover is on again."));
    }
}
