package dev.pgchatops.config;

import java.time.Duration;

/**
 * How long a destructive command waits for its confirmation, and how many confirmations one user may have open at
 * once.
 */
public record ConfirmConfig(Duration timeout, int maxOpenPerUser) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    public static final int DEFAULT_MAX_OPEN_PER_USER = 5;
    public static final int MAX_OPEN_PER_USER_LIMIT = 100;

    public ConfirmConfig {
        if (maxOpenPerUser < 1 || maxOpenPerUser > MAX_OPEN_PER_USER_LIMIT) {
            throw new IllegalArgumentException("max open confirmations per user must be 1 to " + MAX_OPEN_PER_USER_LIMIT
                    + ", got " + maxOpenPerUser);
        }
    }

    /** With the default {@link #DEFAULT_MAX_OPEN_PER_USER}. */
    public ConfirmConfig(Duration timeout) {
        this(timeout, DEFAULT_MAX_OPEN_PER_USER);
    }
}
