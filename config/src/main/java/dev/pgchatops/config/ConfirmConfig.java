package dev.pgchatops.config;

import java.time.Duration;

/** How long a destructive command waits for its confirmation. */
public record ConfirmConfig(Duration timeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
}
