package dev.pgchatops.core.run;

import dev.pgchatops.core.Identity;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * At most one destructive action per cluster at a time. {@link #tryAcquire} never blocks: a second action is refused
 * at once with who runs what since when. Read commands never take it.
 */
public final class ClusterGuard {
    private final InstantSource clock;
    private final ConcurrentMap<String, Holder> held = new ConcurrentHashMap<>();

    public ClusterGuard(InstantSource clock) {
        this.clock = clock;
    }

    /** Who runs which command on a cluster, since when. */
    public record Holder(String cluster, String command, Identity user, Instant since) {
    }

    /** "busy: /switchover by alice on demo, running for 40 s; …". */
    public String busyMessage(Holder h) {
        String running = dev.pgchatops.core.Texts.duration(Duration.between(h.since(), clock.instant()));
        return "busy: /" + h.command() + " by " + h.user().displayName() + " on " + h.cluster() + ", running for "
                + running + ". One destructive action per cluster at a time: wait until it has finished"
                + " (its message shows the progress), then run yours again.";
    }

    /** The lease, or empty when another action holds the cluster ({@link #holder} says which). */
    public Optional<Lease> tryAcquire(String cluster, String command, Identity user) {
        Holder mine = new Holder(cluster, command, user, clock.instant());
        return held.putIfAbsent(cluster, mine) == null ? Optional.of(new Lease(mine)) : Optional.empty();
    }

    public Optional<Holder> holder(String cluster) {
        return Optional.ofNullable(held.get(cluster));
    }

    /** A held cluster; closing it frees the cluster (only if it is still this lease). */
    public final class Lease implements AutoCloseable {
        private final Holder holder;

        private Lease(Holder holder) {
            this.holder = holder;
        }

        @Override
        public void close() {
            held.remove(holder.cluster(), holder);
        }
    }
}
