package dev.pgchatops.core.run;

/** A source of nanoseconds for measuring intervals: {@link #SYSTEM} in production, a test's own clock otherwise. */
@FunctionalInterface
public interface Ticker {
    long read();

    Ticker SYSTEM = System::nanoTime;
}
