package dev.pgchatops.core.pgbackrest;

import java.util.function.BooleanSupplier;

/** Polls a condition with a deadline (unit tests; no fixed sleeps). */
final class LiveWait {
    private LiveWait() {
    }

    static void until(BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("condition not met within 10 s");
            Thread.sleep(5);
        }
    }
}
