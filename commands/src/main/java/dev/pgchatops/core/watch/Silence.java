package dev.pgchatops.core.watch;

import java.time.Instant;

/**
 * {@code /silence}: until {@code untilMillis}, alerts of {@code cluster} (null: every cluster) whose key is
 * {@code alert} or starts with {@code alert:} (null: every alert) are not posted; ones already posted still resolve.
 */
public record Silence(long id, String cluster, String alert, long untilMillis, String by) {
    public boolean matches(String c, String key, Instant now) {
        if (now.toEpochMilli() >= untilMillis) return false;
        if (cluster != null && !cluster.equals(c)) return false;
        return alert == null || key.equals(alert) || key.startsWith(alert + ":");
    }

    public Instant until() {
        return Instant.ofEpochMilli(untilMillis);
    }

    public String describe() {
        return (alert == null ? "all alerts" : alert) + (cluster == null ? "" : " on " + cluster);
    }
}
