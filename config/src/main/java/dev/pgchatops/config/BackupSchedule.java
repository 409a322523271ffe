package dev.pgchatops.config;

import java.util.Map;
import java.util.Optional;

/**
 * {@code pgbackrest.schedule}: a cron expression (five fields, UTC, e.g. {@code "0 1 * * 0"}) per backup type
 * ({@code full}, {@code diff}, {@code incr}), checked at load time. {@code serve} runs each on the node that is primary
 * at that moment (or a healthy replica with {@code backup-standby}).
 */
public record BackupSchedule(Map<String, String> cron) {
    public static final java.util.List<String> TYPES = java.util.List.of("full", "diff", "incr");

    public BackupSchedule {
        cron = Map.copyOf(cron);
        for (String t : cron.keySet()) {
            if (!TYPES.contains(t)) throw new IllegalArgumentException("unknown backup type in schedule: " + t);
        }
    }

    public Optional<String> of(String type) {
        return Optional.ofNullable(cron.get(type));
    }
}
