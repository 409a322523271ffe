package dev.pgchatops.core.patroni;

import java.net.URI;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One member as GET /cluster reports it. {@code lagBytes} is empty for the leader or when Patroni reports
 * "unknown"; {@code timeline} is empty while PostgreSQL is down.
 */
public record Member(String name, MemberRole role, String state, URI apiUrl, String host, int port,
                     OptionalLong timeline, OptionalLong lagBytes, boolean lagUnknown, boolean pendingRestart,
                     Optional<String> scheduledRestart) {

    /** Running as a replica or leader (Patroni 3.x says "running" or "streaming"). */
    public boolean isRunning() {
        return "running".equals(state) || "streaming".equals(state);
    }

    public String hostPort() {
        return port > 0 ? host + ":" + port : host;
    }
}
