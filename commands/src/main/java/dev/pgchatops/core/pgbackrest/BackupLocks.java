package dev.pgchatops.core.pgbackrest;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bot's own lock: at most one backup (or expire) per stanza at a time, whatever chat or cluster entry it comes
 * from. {@link #tryAcquire} never blocks; the returned {@link Held} must be closed in a {@code finally} (it is an
 * {@link AutoCloseable}), so a failed or interrupted run leaves no lock behind.
 */
public final class BackupLocks {
    private static final BackupLocks SHARED = new BackupLocks();
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private final ConcurrentMap<String, Holder> held = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    /** The process-wide instance used by the real bot. */
    public static BackupLocks shared() {
        return SHARED;
    }

    /**
     * Who holds a stanza's lock: the operation ("backup full"), the user's display name, the start time and a unique
     * id (so a stale release never frees someone else's lock).
     */
    public record Holder(String stanza, String operation, String user, Instant since, long id) {
        /** "a backup is already running on demo (started 12:01 by alice) — see /backup-info". */
        public String busyMessage() {
            String what = operation.startsWith("backup") ? "a backup" : "an " + operation;
            return what + " is already running on " + stanza + " (started " + HH_MM.format(since) + " by " + user
                    + ") — see /backup-info";
        }
    }

    /** An acquired lock; closing releases it (only if it is still this one). */
    public final class Held implements AutoCloseable {
        private final Holder holder;

        private Held(Holder holder) {
            this.holder = holder;
        }

        public Holder holder() {
            return holder;
        }

        @Override
        public void close() {
            held.remove(holder.stanza(), holder);
        }
    }

    /** The lock, or the current holder when someone else has it. */
    public Attempt tryAcquire(String stanza, String operation, String user, Instant now) {
        Holder mine = new Holder(stanza, operation, user, now, ids.incrementAndGet());
        Holder other = held.putIfAbsent(stanza, mine);
        return other == null ? new Attempt(Optional.of(new Held(mine)), Optional.empty())
                : new Attempt(Optional.empty(), Optional.of(other));
    }

    /** The current holder of a stanza's lock, if any. */
    public Optional<Holder> holder(String stanza) {
        return Optional.ofNullable(held.get(stanza));
    }

    /** The result of {@link #tryAcquire}: exactly one of {@code lock} and {@code busy} is present. */
    public record Attempt(Optional<Held> lock, Optional<Holder> busy) {
    }
}
