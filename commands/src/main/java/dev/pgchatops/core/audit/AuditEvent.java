package dev.pgchatops.core.audit;

import java.time.Instant;
import java.util.List;

/**
 * One audit line. {@code confirmation} is empty for commands that need none, otherwise e.g. "requested TOKEN",
 * "confirmed TOKEN", "cancelled TOKEN"; {@code outcome} is ok | refused | error | pending | cancelled | expired.
 */
public record AuditEvent(Instant time, String user, String platform, String channel, String cluster, String command,
                         List<String> args, String confirmation, String outcome, String detail, long durationMs) {
    public AuditEvent {
        args = List.copyOf(args);
    }
}
