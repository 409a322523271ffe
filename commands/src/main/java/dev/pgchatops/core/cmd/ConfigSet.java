package dev.pgchatops.core.cmd;

import dev.pgchatops.config.Role;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.Invocation;
import dev.pgchatops.core.Outcome;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.parse.CommandSpec;

import java.util.List;

/** /config-set KEY=VALUE…: change Patroni's dynamic configuration, shown as a diff and confirmed (see {@link ConfigApply}). */
public final class ConfigSet implements Command {
    private final ConfigApply apply;

    ConfigSet(Follow.Limits limits) {
        this.apply = new ConfigApply(limits);
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("config-set", "change the dynamic configuration by dotted keys (diff, confirm, PATCH)",
                Role.OPERATOR, true, List.of("KEY=VALUE" + CommandSpec.VARIADIC), 1, List.of());
    }

    @Override
    public Outcome run(Invocation inv) throws UserFacingException {
        return apply.run(inv.cluster().patroni(), inv.cluster().name(), "config-set",
                ConfigEdit.assignments(inv.command().positionals()));
    }
}
