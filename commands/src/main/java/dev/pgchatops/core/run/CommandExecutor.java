package dev.pgchatops.core.run;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The bounded pool commands run on, off the adapter's thread: {@code threads} workers and a queue of
 * {@code 16 × threads}. When both are full, {@code whenFull} answers at once instead of queueing without bound.
 */
public final class CommandExecutor implements AutoCloseable {
    private final ThreadPoolExecutor pool;

    public CommandExecutor(int threads) {
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(16 * threads),
                DaemonThreads.numbered("pgchatops-command"));
        pool.allowCoreThreadTimeOut(true);
    }

    public <T> CompletableFuture<T> submit(Supplier<T> work, Supplier<T> whenFull) {
        try {
            return CompletableFuture.supplyAsync(work, pool);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(whenFull.get());
        }
    }

    public int running() {
        return pool.getActiveCount();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
