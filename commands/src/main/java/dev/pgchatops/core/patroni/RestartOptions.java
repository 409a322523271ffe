package dev.pgchatops.core.patroni;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The conditions of POST /restart: {@code restart_pending}, {@code role} (the REST spelling of the member's Patroni
 * version, see {@link #roleFor}), {@code postgres_version} (restart only if older), {@code schedule} and
 * {@code timeout} (seconds).
 */
public record RestartOptions(boolean onlyIfPending, Optional<String> role, Optional<String> postgresVersion,
                             Optional<OffsetDateTime> schedule, Optional<Duration> timeout) {
    public static final RestartOptions NOW = new RestartOptions(false, Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());

    public static RestartOptions pendingOnly(boolean onlyIfPending) {
        return new RestartOptions(onlyIfPending, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * The {@code role} condition a member of Patroni {@code patroniVersion} accepts for a leader ({@code primary} since
     * 3.0, which still also takes {@code master}; 4.x rejects {@code master}; before 3.0 only {@code master}) or a
     * replica. Unknown version: {@code primary}.
     */
    public static String roleFor(boolean leader, Optional<String> patroniVersion) {
        if (!leader) return "replica";
        int major = patroniVersion.map(RestartOptions::major).orElse(4);
        return major < 3 ? "master" : "primary";
    }

    static int major(String version) {
        try {
            return Integer.parseInt(version.trim().split("\\.")[0]);
        } catch (NumberFormatException e) {
            return 4;
        }
    }

    public boolean scheduled() {
        return schedule.isPresent();
    }
}
