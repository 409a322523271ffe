package dev.pgchatops.core.pgbackrest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One stanza as {@code pgbackrest --output=json info} reports it. Status codes: 0 ok, 1 missing stanza path, 2 no
 * valid backups, 3 missing stanza data, 4 different cipher, 5 database mismatch, 6 backup set not found, 99 other.
 */
public record StanzaInfo(String name, int statusCode, String statusMessage, boolean backupLockHeld,
                         List<BackupSet> backups, Optional<String> archiveMin, Optional<String> archiveMax) {
    public static final int OK = 0;
    public static final int MISSING_STANZA_PATH = 1;
    public static final int NO_VALID_BACKUPS = 2;
    public static final int MISSING_STANZA_DATA = 3;

    public StanzaInfo {
        backups = List.copyOf(backups);
    }

    /** False when the stanza was never created in the repository (or its data is gone). */
    public boolean exists() {
        return statusCode != MISSING_STANZA_PATH && statusCode != MISSING_STANZA_DATA;
    }

    public Optional<BackupSet> newest() {
        return backups.isEmpty() ? Optional.empty() : Optional.of(backups.get(backups.size() - 1));
    }

    public Optional<BackupSet> backup(String label) {
        return backups.stream().filter(b -> b.label().equals(label)).findFirst();
    }

    /** "ok" or "error (no valid backups)", as pgBackRest's text output says it. */
    public String statusText() {
        return statusCode == OK ? "ok" : "error (" + statusMessage + ")";
    }

    /**
     * One backup set. {@code size}: database size; {@code delta}: what this backup copied; {@code repoSize}: the
     * backup set in the repository (compressed, with what it references); {@code repoDelta}: this backup in the
     * repository. Sizes in bytes; WAL names and LSNs as pgBackRest prints them ("" when absent).
     */
    public record BackupSet(String label, String type, Instant start, Instant stop, long size, long delta,
                            long repoSize, long repoDelta,
                            String walStart, String walStop, String lsnStart, String lsnStop, Optional<String> prior) {
        public Duration duration() {
            return Duration.between(start, stop);
        }
    }
}
