package dev.pgchatops.core.chat;

import java.time.Duration;
import java.util.Optional;

/**
 * A {@link ChannelSender} call the platform did not accept. {@code retryAfter} is the platform's own wait (HTTP 429
 * Retry-After, Slack's rate limit, Discord's retry_after); {@code permanent} means retrying cannot help (unknown
 * channel, missing permission). The alert outbox honours both; anything else thrown by a sender is retried with
 * back-off.
 */
public final class SendFailed extends RuntimeException {
    private final Optional<Duration> retryAfter;
    private final boolean permanent;

    public SendFailed(String message, Optional<Duration> retryAfter, boolean permanent, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
        this.permanent = permanent;
    }

    /** 429 or a platform rate limit: retry after {@code wait}. */
    public static SendFailed rateLimited(String message, Duration wait) {
        return new SendFailed(message, Optional.of(wait), false, null);
    }

    /** A 5xx, a timeout, a dropped connection: retry with back-off. */
    public static SendFailed transientFailure(String message, Throwable cause) {
        return new SendFailed(message, Optional.empty(), false, cause);
    }

    /** The platform refused the message for good (unknown channel, no permission). */
    public static SendFailed permanent(String message) {
        return new SendFailed(message, Optional.empty(), true, null);
    }

    public Optional<Duration> retryAfter() {
        return retryAfter;
    }

    public boolean permanent() {
        return permanent;
    }
}
