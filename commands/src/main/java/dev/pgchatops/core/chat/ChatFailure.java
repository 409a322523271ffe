package dev.pgchatops.core.chat;

import java.time.Duration;
import java.util.Optional;

/**
 * What a failed call to a chat platform tells about the message it carried, which decides whether it may be sent
 * again: {@link Kind#RATE_LIMITED} and {@link Kind#NOT_APPLIED} say the platform did nothing (a 429, a 502/503 from
 * its front, a refused connection), so any call may be repeated; {@link Kind#UNKNOWN} says it may have been applied
 * (a 500, a 504, a connection dropped after the request went out), so only an idempotent call (an edit, a delete, a
 * post the platform deduplicates) may be repeated; {@link Kind#REFUSED} is for good (a 4xx: unknown channel, missing
 * permission), repeating cannot help. {@code why} carries the platform's status and message.
 */
public record ChatFailure(Kind kind, String why, Optional<Duration> retryAfter) {
    public enum Kind { RATE_LIMITED, NOT_APPLIED, UNKNOWN, REFUSED }

    public ChatFailure {
        if (kind == Kind.RATE_LIMITED && retryAfter.isEmpty()) {
            throw new IllegalArgumentException("a rate limit without its Retry-After: " + why);
        }
    }

    public static ChatFailure rateLimited(String why, Duration retryAfter) {
        return new ChatFailure(Kind.RATE_LIMITED, why, Optional.of(retryAfter));
    }

    public static ChatFailure notApplied(String why) {
        return new ChatFailure(Kind.NOT_APPLIED, why, Optional.empty());
    }

    public static ChatFailure unknown(String why) {
        return new ChatFailure(Kind.UNKNOWN, why, Optional.empty());
    }

    public static ChatFailure refused(String why) {
        return new ChatFailure(Kind.REFUSED, why, Optional.empty());
    }

    /** Whether sending the same call again is safe: always when nothing was applied, else only when idempotent. */
    public boolean repeatable(boolean idempotent) {
        return switch (kind) {
            case RATE_LIMITED, NOT_APPLIED -> true;
            case UNKNOWN -> idempotent;
            case REFUSED -> false;
        };
    }

    /** The same failure for the alert outbox: it waits Retry-After, backs off, or drops a refusal. */
    public SendFailed toSendFailed(String what, Throwable cause) {
        String message = what + ": " + why;
        return switch (kind) {
            case RATE_LIMITED -> new SendFailed(message, retryAfter, false, cause);
            case NOT_APPLIED, UNKNOWN -> SendFailed.transientFailure(message, cause);
            case REFUSED -> new SendFailed(message, Optional.empty(), true, cause);
        };
    }
}
