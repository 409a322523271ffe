package dev.pgchatops.core.run;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factories for the bot's own pools: daemon threads (they never keep the JVM alive), named for thread dumps. */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /** Threads named {@code prefix-1}, {@code prefix-2}, … */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> daemon(r, prefix + "-" + n.incrementAndGet());
    }

    /** Every thread named {@code name} (for single-thread executors). */
    public static ThreadFactory named(String name) {
        return r -> daemon(r, name);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
