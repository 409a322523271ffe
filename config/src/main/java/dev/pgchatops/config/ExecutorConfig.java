package dev.pgchatops.config;

/** The bounded pool commands run on: at most {@code threads} commands run at once. */
public record ExecutorConfig(int threads) {
    public static final int DEFAULT_THREADS = 8;
    public static final int MAX_THREADS = 64;

    public ExecutorConfig {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("executor threads must be 1 to " + MAX_THREADS + ", got " + threads);
        }
    }
}
