package dev.pgchatops.core.run;

/** Runs a task once after a delay (a scheduled executor in production; tests run due tasks themselves). */
@FunctionalInterface
public interface Timer {
    void schedule(Runnable task, long delayNanos);
}
