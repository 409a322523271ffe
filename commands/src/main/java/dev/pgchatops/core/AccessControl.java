package dev.pgchatops.core;

import dev.pgchatops.config.AccessConfig;
import dev.pgchatops.config.Role;
import dev.pgchatops.core.parse.CommandSpec;

import java.util.Optional;

/**
 * Role-based access: users map to roles by platform id; Slack users also by their user groups
 * ({@code access.slack-groups}), Discord members by their roles ({@code access.discord-roles}); the highest applies.
 * Unknown users get the default role.
 */
public final class AccessControl {
    private final AccessConfig config;

    public AccessControl(AccessConfig config) {
        this.config = config;
    }

    public Role roleOf(Identity who) {
        Role r = config.roleOf(who.key());
        java.util.Map<String, Role> byGroup = switch (who.platform()) {
            case "slack" -> config.slackGroups();
            case "discord" -> config.discordRoles();
            default -> java.util.Map.of();
        };
        for (String g : who.memberships()) {
            Role gr = byGroup.get(g);
            if (gr != null && gr.atLeast(r)) r = gr;
        }
        return r;
    }

    /** A refusal message when {@code who} may not run {@code spec}, or empty. */
    public Optional<String> refusal(Identity who, CommandSpec spec) {
        Role r = roleOf(who);
        if (r.atLeast(spec.role())) return Optional.empty();
        return Optional.of("/" + spec.name() + " needs the " + spec.role().label() + " role; " + who.key() + " has "
                + r.label() + ". Ask an admin to map you under access.users"
                + (who.platform().equals("slack") ? " (or your user group under access.slack-groups)"
                : who.platform().equals("discord") ? " (or your Discord role under access.discord-roles)" : "")
                + " in the bot config.");
    }
}
