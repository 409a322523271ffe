package dev.pgchatops.core.patroni;

import java.util.List;

/**
 * Patroni's DCS failsafe mode: {@code enabled} is {@code failsafe_mode} in the dynamic configuration; {@code active}
 * when the leader's GET /patroni says {@code failsafe_mode_is_active} (it keeps leading without the DCS because every
 * member in {@code members}, from GET /failsafe, answered it).
 */
public record Failsafe(boolean enabled, boolean active, List<String> members) {
    public static final Failsafe OFF = new Failsafe(false, false, List.of());

    public Failsafe {
        members = List.copyOf(members);
    }

    /** The line /cluster-list shows, e.g. "Failsafe mode: on (members node1, node2, node3)". */
    public String line() {
        if (!enabled) return "Failsafe mode: off";
        return "Failsafe mode: " + (active ? "ACTIVE (the leader runs without the DCS)" : "on")
                + (members.isEmpty() ? "" : " (members " + String.join(", ", members) + ")");
    }
}
