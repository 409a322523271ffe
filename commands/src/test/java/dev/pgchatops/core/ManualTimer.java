package dev.pgchatops.core;

import dev.pgchatops.core.run.Ticker;
import dev.pgchatops.core.run.Timer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker and timer the test moves by hand: scheduled tasks run when {@link #advance} passes their time. */
public final class ManualTimer implements Timer, Ticker {
    private final AtomicLong now = new AtomicLong();
    private final List<long[]> due = new ArrayList<>();
    private final List<Runnable> tasks = new ArrayList<>();

    @Override
    public long read() {
        return now.get();
    }

    @Override
    public synchronized void schedule(Runnable task, long delayNanos) {
        due.add(new long[]{now.get() + delayNanos});
        tasks.add(task);
    }

    public synchronized int pending() {
        return tasks.size();
    }

    /** Moves time on and runs what has come due (on this thread). */
    public void advance(java.time.Duration d) {
        now.addAndGet(d.toNanos());
        List<Runnable> run = new ArrayList<>();
        synchronized (this) {
            for (int i = 0; i < tasks.size(); ) {
                if (due.get(i)[0] <= now.get()) {
                    run.add(tasks.remove(i));
                    due.remove(i);
                } else {
                    i++;
                }
            }
        }
        run.forEach(Runnable::run);
    }
}
