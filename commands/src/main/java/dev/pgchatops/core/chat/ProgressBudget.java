package dev.pgchatops.core.chat;

import java.time.Duration;

/**
 * How a platform shows progress: at most {@code maxChars} characters in one progress message (Slack ~3000 a
 * section, Discord 2000 a message), at most one edit per message every {@code minInterval}, and whether every line
 * must be shown ({@code everyLine}: the console prints each line; chat messages are replaced by the result, so lines
 * not yet shown when the action ends are dropped).
 */
public record ProgressBudget(int maxChars, Duration minInterval, boolean everyLine) {
    public static final ProgressBudget CHAT = new ProgressBudget(2000, Duration.ofSeconds(1), false);
    public static final ProgressBudget TERMINAL = new ProgressBudget(100_000, Duration.ZERO, true);

    public ProgressBudget {
        if (maxChars < 200) throw new IllegalArgumentException("progress budget below 200 characters: " + maxChars);
        if (minInterval.isNegative()) throw new IllegalArgumentException("negative progress interval: " + minInterval);
    }
}
