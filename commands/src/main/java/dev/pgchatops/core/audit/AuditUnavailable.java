package dev.pgchatops.core.audit;

/** The audit log could not be written; the message names the file (or sink) and the cause. */
public final class AuditUnavailable extends RuntimeException {
    public AuditUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
