package dev.pgchatops.core.chat;

import java.time.Duration;
import java.util.Optional;

/**
 * How long a reply keeps being retried through a chat platform's outage: at most {@code allowance} of waiting in all
 * (a 429's Retry-After counts as it is, other failures back off from {@code firstBackoff}, doubling, at most
 * {@code maxBackoff}). {@link #DEFAULT} outlasts the two-minute 429/5xx incidents chat platforms have;
 * {@link #NONE} does not retry at all (the alert outbox retries for itself).
 */
public record Patience(Duration allowance, Duration firstBackoff, Duration maxBackoff) {
    public static final Patience DEFAULT = new Patience(Duration.ofMinutes(2), Duration.ofMillis(500), Duration.ofSeconds(10));
    public static final Patience NONE = new Patience(Duration.ZERO, Duration.ofMillis(500), Duration.ofSeconds(10));

    public Patience {
        if (allowance.isNegative() || firstBackoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("negative patience: allowance " + allowance + ", backoff " + firstBackoff
                    + " to " + maxBackoff);
        }
    }

    /** The same with at most {@code cap} of waiting (an interaction token that runs out sooner). */
    public Patience capped(Duration cap) {
        Duration c = cap.isNegative() ? Duration.ZERO : cap;
        return c.compareTo(allowance) >= 0 ? this : new Patience(c, firstBackoff, maxBackoff);
    }

    /** The backoff before retry number {@code retry} (0 for the first retry). */
    public Duration backoff(int retry) {
        Duration d = firstBackoff;
        for (int i = 0; i < retry && d.compareTo(maxBackoff) < 0; i++) d = d.multipliedBy(2);
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }

    /**
     * How long to wait before repeating a call that failed with {@code failure} after {@code retries} retries and
     * {@code waited} of waiting; empty when it must not be repeated (not safe, or beyond the allowance).
     */
    public Optional<Duration> next(ChatFailure failure, boolean idempotent, int retries, Duration waited) {
        if (!failure.repeatable(idempotent)) return Optional.empty();
        Duration wait = failure.retryAfter().orElseGet(() -> backoff(retries));
        return waited.plus(wait).compareTo(allowance) <= 0 ? Optional.of(wait) : Optional.empty();
    }
}
