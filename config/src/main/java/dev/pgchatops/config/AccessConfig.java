package dev.pgchatops.config;

import java.util.Map;

/**
 * Maps platform identities ({@code console:alice}, {@code slack:U0123}) to roles; {@code slackGroups} maps Slack
 * user group ids ({@code S0123}) and {@code discordRoles} Discord role ids to roles (a member gets the highest of
 * its user's, groups' and roles' roles).
 */
public record AccessConfig(Role defaultRole, Map<String, Role> users, Map<String, Role> slackGroups,
                           Map<String, Role> discordRoles) {
    public AccessConfig {
        users = Map.copyOf(users);
        slackGroups = Map.copyOf(slackGroups);
        discordRoles = Map.copyOf(discordRoles);
    }

    public AccessConfig(Role defaultRole, Map<String, Role> users) {
        this(defaultRole, users, Map.of(), Map.of());
    }

    public Role roleOf(String identity) {
        return users.getOrDefault(identity, defaultRole);
    }
}
