package dev.pgchatops.core.patroni;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One member as GET /cluster reports it. {@code lagBytes} is empty for the leader or when Patroni reports
 * "unknown"; {@code timeline} is empty while PostgreSQL is down. {@code extra} holds what newer Patroni versions add
 * (tags, pending restart reason, 4.1's receive/replay lag and lsn); {@link Extra#NONE} when Patroni sends none.
 */
public record Member(String name, MemberRole role, String state, URI apiUrl, String host, int port,
                     OptionalLong timeline, OptionalLong lagBytes, boolean lagUnknown, boolean pendingRestart,
                     Optional<String> scheduledRestart, Extra extra) {

    public Member {
        if (extra == null) extra = Extra.NONE;
    }

    /** The constructor of the 3.0 fields only (no tags, no pending restart reason, no 4.1 lags). */
    public Member(String name, MemberRole role, String state, URI apiUrl, String host, int port,
                  OptionalLong timeline, OptionalLong lagBytes, boolean lagUnknown, boolean pendingRestart,
                  Optional<String> scheduledRestart) {
        this(name, role, state, apiUrl, host, port, timeline, lagBytes, lagUnknown, pendingRestart, scheduledRestart,
                Extra.NONE);
    }

    /**
     * What Patroni 3.x/4.x add per member: {@code tags} (nofailover, noloadbalance, clonefrom, replicatefrom, nosync,
     * … as Patroni sends them, values as text), {@code pendingRestartReason} (parameter → change, since 3.3), and from
     * 4.1 {@code receiveLag}/{@code replayLag} in bytes (a {@link Lag}) and the member's {@code lsn}.
     */
    public record Extra(Map<String, String> tags, Map<String, ParamChange> pendingRestartReason, Optional<Lag> receiveLag,
                        Optional<Lag> replayLag, Optional<String> lsn) {
        public static final Extra NONE = new Extra(Map.of(), Map.of(), Optional.empty(), Optional.empty(), Optional.empty());

        public Extra {
            tags = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(tags));
            pendingRestartReason = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(pendingRestartReason));
        }
    }

    /** A lag in bytes, or "unknown" (Patroni says so when it cannot tell). */
    public record Lag(OptionalLong bytes) {
        public static Lag unknown() {
            return new Lag(OptionalLong.empty());
        }

        public static Lag of(long bytes) {
            return new Lag(OptionalLong.of(bytes));
        }

        /** In MB as patronictl shows it (round(bytes / 1 MiB)), or "unknown". */
        public String inMb() {
            return bytes.isPresent() ? String.valueOf(Math.round(bytes.getAsLong() / 1024.0 / 1024.0)) : "unknown";
        }
    }

    /** One parameter that waits for a restart: {@code max_connections: 50->200}. */
    public record ParamChange(String oldValue, String newValue) {
        @Override
        public String toString() {
            return oldValue + "->" + newValue;
        }
    }

    /** Running as a replica or leader (Patroni 3.x says "running" or "streaming"). */
    public boolean isRunning() {
        return "running".equals(state) || "streaming".equals(state);
    }

    public String hostPort() {
        return port > 0 ? host + ":" + port : host;
    }

    public Map<String, String> tags() {
        return extra.tags();
    }

    public Optional<String> tag(String name) {
        return Optional.ofNullable(extra.tags().get(name));
    }

    /** The member it replicates from by its {@code replicatefrom} tag, if any. */
    public Optional<String> replicatefrom() {
        return tag("replicatefrom").filter(s -> !s.isBlank() && !s.equals(name));
    }
}
