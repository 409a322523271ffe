package dev.pgchatops.config;

import java.util.Map;

/** Maps platform identities ({@code console:alice}, {@code slack:U0123}) to roles. */
public record AccessConfig(Role defaultRole, Map<String, Role> users) {
    public AccessConfig {
        users = Map.copyOf(users);
    }

    public Role roleOf(String identity) {
        return users.getOrDefault(identity, defaultRole);
    }
}
