package dev.pgchatops.core.audit;

/** Where audit events go. */
@FunctionalInterface
public interface AuditLog {
    void record(AuditEvent event);
}
