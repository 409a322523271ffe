package dev.pgchatops.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Access levels, ordered: each role can do everything the roles before it can. */
public enum Role {
    NONE, VIEWER, OPERATOR, ADMIN;

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String text) {
        if (text == null) return Optional.empty();
        String t = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(r -> r.label().equals(t)).findFirst();
    }
}
