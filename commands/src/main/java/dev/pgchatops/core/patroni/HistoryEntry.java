package dev.pgchatops.core.patroni;

/** One line of GET /history: a timeline switch. */
public record HistoryEntry(long timeline, long lsn, String reason, String timestamp, String newLeader) {
}
