package dev.pgchatops.core.run;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;

/**
 * On a machine with fewer than three cores the JDK's common pool has a parallelism of 1, and then
 * {@link CompletableFuture}'s default async executor starts a NEW THREAD for every task. {@code java.net.http}'s
 * {@code sendAsync} completes every response through that executor, so each Patroni request cost a thread start
 * (measured: most of the watcher's CPU, as system time, on a 2-core machine). {@link #atLeastTwo()} — called first
 * thing in {@code main}, before anything touches {@code CompletableFuture} — sets the common pool's parallelism to
 * at least 2 (unless the operator set it), so the default executor is the common pool.
 */
public final class CommonPool {
    public static final String PROPERTY = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private CommonPool() {
    }

    /** Sets {@value #PROPERTY} to 2 when it is not set and the machine would give less; true if async tasks now share a pool. */
    public static boolean atLeastTwo() {
        if (System.getProperty(PROPERTY) == null && Runtime.getRuntime().availableProcessors() - 1 < 2) {
            System.setProperty(PROPERTY, "2");
        }
        return pooled();
    }

    /** Whether {@link CompletableFuture}'s default async executor is a pool (not a thread per task). */
    public static boolean pooled() {
        return new CompletableFuture<Void>().defaultExecutor() instanceof ForkJoinPool;
    }
}
