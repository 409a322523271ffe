package dev.pgchatops.core;

import dev.pgchatops.config.AccessConfig;
import dev.pgchatops.config.Role;
import dev.pgchatops.core.parse.CommandSpec;

import java.util.Optional;

/** Role-based access: users map to roles by platform id; unknown users get the default role. */
public final class AccessControl {
    private final AccessConfig config;

    public AccessControl(AccessConfig config) {
        this.config = config;
    }

    public Role roleOf(Identity who) {
        return config.roleOf(who.key());
    }

    /** A refusal message when {@code who} may not run {@code spec}, or empty. */
    public Optional<String> refusal(Identity who, CommandSpec spec) {
        Role r = roleOf(who);
        if (r.atLeast(spec.role())) return Optional.empty();
        return Optional.of("/" + spec.name() + " needs the " + spec.role().label() + " role; " + who.key() + " has "
                + r.label() + ". Ask an admin to map you under access.users in the bot config.");
    }
}
