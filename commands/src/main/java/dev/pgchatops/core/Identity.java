package dev.pgchatops.core;

import java.util.Objects;

/** Who typed a command: the platform, the platform's user id and a display name. {@link #key()} is what RBAC maps. */
public record Identity(String platform, String id, String displayName) {
    public Identity {
        Objects.requireNonNull(platform);
        Objects.requireNonNull(id);
        if (displayName == null || displayName.isBlank()) displayName = id;
    }

    public static Identity of(String platform, String id) {
        return new Identity(platform, id, id);
    }

    public String key() {
        return platform + ":" + id;
    }
}
