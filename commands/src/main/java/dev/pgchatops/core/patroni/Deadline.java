package dev.pgchatops.core.patroni;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One overall time limit for a sequence of calls (a follow-up loop, a read that tries several URLs): every call
 * inside gets at most the time remaining. {@code total} is what was allowed, for messages.
 */
public record Deadline(long atNanos, Duration total, LongSupplier nanoTime) {
    /** No overall limit: each call is bounded by its own timeouts only. */
    public static final Deadline NONE = new Deadline(Long.MAX_VALUE, Duration.ofSeconds(Long.MAX_VALUE), System::nanoTime);

    public static Deadline after(Duration total) {
        return after(total, System::nanoTime);
    }

    public static Deadline after(Duration total, LongSupplier nanoTime) {
        long now = nanoTime.getAsLong();
        long at = total.toNanos() > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + total.toNanos();
        return new Deadline(at, total, nanoTime);
    }

    public Duration remaining() {
        if (atNanos == Long.MAX_VALUE) return total;
        return Duration.ofNanos(Math.max(0, atNanos - nanoTime.getAsLong()));
    }

    public boolean passed() {
        return atNanos != Long.MAX_VALUE && nanoTime.getAsLong() >= atNanos;
    }

    /** {@code bound}, or the time remaining when that is shorter. */
    public Duration cap(Duration bound) {
        Duration r = remaining();
        return r.compareTo(bound) < 0 ? r : bound;
    }
}
