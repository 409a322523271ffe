package dev.pgchatops.core.pgbackrest;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How sizes, durations and times of backups are shown. */
final class Format {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB", "PB"};

    private Format() {
    }

    /** 1024-based like pgBackRest: {@code 22.2 MB}. */
    static String size(long bytes) {
        if (bytes < 1024) return bytes + " B";
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, UNITS[u]);
    }

    /** {@code 3 s}, {@code 4 min 05 s}, {@code 2 h 03 min}. */
    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) return s + " s";
        if (s < 3600) return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    /** Wall time measured by the bot, with a decimal: {@code 3.2 s}. */
    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /** UTC, {@code 2026-11-24 12:23:31}. */
    static String time(Instant t) {
        return TIME.format(t);
    }

    /** {@code 000000010000000000000007 – 000000010000000000000008}, or "" when unknown. */
    static String range(String from, String to) {
        if (from.isEmpty() && to.isEmpty()) return "";
        return from + " – " + to;
    }
}
