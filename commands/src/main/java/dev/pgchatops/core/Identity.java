package dev.pgchatops.core;

import java.util.Objects;
import java.util.Set;

/**
 * Who typed a command: the platform, the platform's user id, a display name, and the platform groups the user is in
 * (Slack user group ids, Discord role ids) as the adapter resolved them. {@link #key()} is what RBAC maps.
 */
public record Identity(String platform, String id, String displayName, Set<String> memberships) {
    public Identity {
        Objects.requireNonNull(platform);
        Objects.requireNonNull(id);
        if (displayName == null || displayName.isBlank()) displayName = id;
        memberships = memberships == null ? Set.of() : Set.copyOf(memberships);
    }

    public Identity(String platform, String id, String displayName) {
        this(platform, id, displayName, Set.of());
    }

    public static Identity of(String platform, String id) {
        return new Identity(platform, id, id);
    }

    public String key() {
        return platform + ":" + id;
    }
}
