package dev.pgchatops.core.pgbackrest;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bot's own lock: at most one backup (or expire) per cluster and stanza at a time, whatever chat it comes from.
 * Keyed by cluster AND stanza: two clusters that both use stanza {@code main} (each with its own repository) do not
 * block each other. {@link #tryAcquire} never blocks; the returned {@link Held} must be closed in a {@code finally} (it is an
 * {@link AutoCloseable}), so a failed or interrupted run leaves no lock behind.
 */
public final class BackupLocks {
    private static final BackupLocks SHARED = new BackupLocks();
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private final ConcurrentMap<Key, Holder> held = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    /** The process-wide instance used by the real bot. */
    public static BackupLocks shared() {
        return SHARED;
    }

    /** What a lock is for: one stanza of one cluster. */
    private record Key(String cluster, String stanza) {
    }

    /**
     * Who holds a stanza's lock: the operation ("backup full"), the user's display name, the start time and a unique
     * id (so a stale release never frees someone else's lock).
     */
    public record Holder(String cluster, String stanza, String operation, String user, Instant since, long id) {
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
            held.remove(new Key(holder.cluster(), holder.stanza()), holder);
        }
    }

    /** The lock of {@code cluster}'s {@code stanza}, or the current holder when someone else has it. */
    public Attempt tryAcquire(String cluster, String stanza, String operation, String user, Instant now) {
        Holder mine = new Holder(cluster, stanza, operation, user, now, ids.incrementAndGet());
        Holder other = held.putIfAbsent(new Key(cluster, stanza), mine);
        return other == null ? new Attempt(Optional.of(new Held(mine)), Optional.empty())
                : new Attempt(Optional.empty(), Optional.of(other));
    }

    /** The current holder of the lock of {@code cluster}'s {@code stanza}, if any. */
    public Optional<Holder> holder(String cluster, String stanza) {
        return Optional.ofNullable(held.get(new Key(cluster, stanza)));
    }

    /** The result of {@link #tryAcquire}: exactly one of {@code lock} and {@code busy} is present. */
    public record Attempt(Optional<Held> lock, Optional<Holder> busy) {
    }
}
