package dev.pgchatops.core.cmd;

import dev.pgchatops.config.Role;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.Invocation;
import dev.pgchatops.core.Outcome;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.parse.CommandSpec;

import java.util.List;

/** /config-unset KEY…: remove keys from Patroni's dynamic configuration, shown as a diff and confirmed. */
public final class ConfigUnset implements Command {
    private final ConfigApply apply;

    ConfigUnset(Follow.Limits limits) {
        this.apply = new ConfigApply(limits);
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("config-unset", "remove keys from the dynamic configuration (diff, confirm, PATCH)",
                Role.OPERATOR, true, List.of("KEY" + CommandSpec.VARIADIC), 1, List.of());
    }

    @Override
    public Outcome run(Invocation inv) throws UserFacingException {
        return apply.run(inv.cluster().patroni(), inv.cluster().name(), "config-unset",
                ConfigEdit.removals(inv.command().positionals()));
    }
}
