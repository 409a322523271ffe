package dev.pgchatops.core.run;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Platform delivery ids seen in the last {@link #WINDOW}: a redelivered request (Slack retries, a reconnecting
 * socket) gets the answer of the first delivery and runs nothing.
 */
public final class Deliveries<T> {
    public static final Duration WINDOW = Duration.ofMinutes(10);
    private final Cache<String, CompletableFuture<T>> seen;

    public Deliveries(Ticker ticker) {
        this.seen = Caffeine.newBuilder().expireAfterWrite(WINDOW).maximumSize(100_000)
                .ticker(ticker::read).executor(Runnable::run).build();
    }

    /** The first delivery's result for {@code id}; {@code start} runs only for an id not seen within the window. */
    public CompletableFuture<T> once(String id, Supplier<CompletableFuture<T>> start) {
        return seen.get(id, k -> start.get());
    }
}
