package dev.pgchatops.core.audit;

/** Where audit events go. {@link #record} throws {@link AuditUnavailable} (or any runtime exception) when it fails. */
@FunctionalInterface
public interface AuditLog {
    void record(AuditEvent event);
}
