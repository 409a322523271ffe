package dev.pgchatops.adapters;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Acks first: work an adapter hands over while acks are still being sent waits until none is (at most
 * {@code maxHold} after the first waiting item), then goes to {@code target}. In a burst of requests the acks then do
 * not compete for the CPU with the work of the requests acked just before them (Patroni calls, rendering, posting);
 * a lone request's work starts as soon as its own ack has been written. At most {@code maxHeld} items wait: beyond
 * that {@link #handOff} refuses at once, so the adapter can still say so in the ack.
 */
public final class AckGate {
    /** What to do with an item the target refused when it was released (the ack has gone out by then). */
    @FunctionalInterface
    public interface Refused {
        void refused(RejectedExecutionException e);
    }

    private record Item(Runnable work, Refused refused) {
    }

    private final Executor target;
    private final ScheduledExecutorService timer;
    private final Duration maxHold;
    private final int maxHeld;
    private final ArrayDeque<Item> held = new ArrayDeque<>();
    private int acking;
    private ScheduledFuture<?> deadline;

    public AckGate(Executor target, ScheduledExecutorService timer, Duration maxHold, int maxHeld) {
        this.target = target;
        this.timer = timer;
        this.maxHold = maxHold;
        this.maxHeld = maxHeld;
    }

    /** An ack is being prepared (call {@link #acked} once its bytes are sent, or it failed). */
    public void acking() {
        synchronized (held) {
            acking++;
        }
    }

    /** An ack begun with {@link #acking} is out (or failed); the last one releases what waits. */
    public void acked() {
        List<Item> out;
        synchronized (held) {
            acking = Math.max(0, acking - 1);
            if (acking > 0) return;
            out = drainLocked();
        }
        start(out);
    }

    /**
     * Runs {@code work} on the target now, or once no ack is being sent. Throws {@link RejectedExecutionException}
     * when the target refuses it now or too many items wait; {@code refused} is told if the target refuses it later.
     */
    public void handOff(Runnable work, Refused refused) {
        synchronized (held) {
            if (acking > 0) {
                if (held.size() >= maxHeld) {
                    throw new RejectedExecutionException(held.size() + " hand-offs already wait for acks (at most " + maxHeld + ")");
                }
                held.add(new Item(work, refused));
                if (deadline == null) deadline = timer.schedule(this::release, maxHold.toNanos(), TimeUnit.NANOSECONDS);
                return;
            }
        }
        target.execute(work);
    }

    /** Items waiting now (tests). */
    int waiting() {
        synchronized (held) {
            return held.size();
        }
    }

    private void release() {
        List<Item> out;
        synchronized (held) {
            deadline = null; // this one has fired: the next waiting item starts a new bound
            out = drainLocked();
        }
        start(out);
    }

    private List<Item> drainLocked() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        List<Item> out = new ArrayList<>(held);
        held.clear();
        return out;
    }

    private void start(List<Item> items) {
        for (Item i : items) {
            try {
                target.execute(i.work());
            } catch (RejectedExecutionException e) {
                i.refused().refused(e);
            }
        }
    }
}
