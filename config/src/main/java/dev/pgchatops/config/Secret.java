package dev.pgchatops.config;

import java.util.Objects;

/**
 * A secret value resolved from an environment variable or a file. {@link #toString()} never shows the value,
 * so a secret can't leak into logs or replies by accident.
 */
public final class Secret {
    private final String source;
    private final String value;

    public Secret(String source, String value) {
        this.source = Objects.requireNonNull(source);
        this.value = Objects.requireNonNull(value);
    }

    /** Where the secret came from, e.g. {@code env PATRONI_PASSWORD}; safe to show. */
    public String source() {
        return source;
    }

    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "Secret[" + source + "]";
    }
}
