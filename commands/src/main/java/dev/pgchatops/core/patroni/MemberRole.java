package dev.pgchatops.core.patroni;

import java.util.Locale;

/** A member's role, normalised across Patroni 3.x ({@code master}) and 4.x ({@code primary}). */
public enum MemberRole {
    LEADER("Leader"), STANDBY_LEADER("Standby Leader"), SYNC_STANDBY("Sync Standby"), QUORUM_STANDBY("Quorum Standby"),
    REPLICA("Replica"), UNKNOWN("Unknown");

    private final String label;

    MemberRole(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean isLeader() {
        return this == LEADER || this == STANDBY_LEADER;
    }

    public static MemberRole parse(String role) {
        if (role == null) return UNKNOWN;
        return switch (role.toLowerCase(Locale.ROOT)) {
            case "leader", "master", "primary" -> LEADER;
            case "standby_leader" -> STANDBY_LEADER;
            case "sync_standby" -> SYNC_STANDBY;
            case "quorum_standby" -> QUORUM_STANDBY;
            case "replica" -> REPLICA;
            default -> UNKNOWN;
        };
    }
}
