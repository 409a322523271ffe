package dev.pgchatops.core.pgbackrest;

import java.util.Locale;
import java.util.Optional;

/** pgBackRest's backup types. The only values a user can choose for {@code /backup}. */
public enum BackupType {
    FULL, DIFF, INCR;

    /** The value pgBackRest expects for {@code --type}. */
    public String option() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type named exactly {@code full}, {@code diff} or {@code incr} (case-insensitive), or empty. */
    public static Optional<BackupType> parse(String text) {
        if (text == null) return Optional.empty();
        for (BackupType t : values()) {
            if (t.option().equalsIgnoreCase(text)) return Optional.of(t);
        }
        return Optional.empty();
    }
}
