package dev.pgchatops.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as written in the config: {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 8d}; a bare number is seconds. */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("([+-]?)(\\d+)\\s*(ms|s|m|h|d)?");

    private Durations() {
    }

    /**
     * The duration {@code text} spells, signed: {@code -5s} and {@code 0s} parse, so that the caller can say "must
     * be positive" rather than "not a duration". Empty when it is not a duration or too big for one.
     */
    public static Optional<Duration> parse(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) return Optional.empty();
        String unit = m.group(3) == null ? "s" : m.group(3);
        try {
            long v = Long.parseLong(m.group(1) + m.group(2));
            return Optional.of(switch (unit) {
                case "ms" -> Duration.ofMillis(v);
                case "m" -> Duration.ofMinutes(v);
                case "h" -> Duration.ofHours(v);
                case "d" -> Duration.ofDays(v);
                default -> Duration.ofSeconds(v);
            });
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty(); // too big to be a sensible duration: reported as "not a duration"
        }
    }
}
