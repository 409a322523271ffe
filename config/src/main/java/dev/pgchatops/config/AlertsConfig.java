package dev.pgchatops.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code alerts:} section: how {@code serve} watches the clusters and where it posts alerts.
 * {@code dampingPolls}: how many polls in a row a state must hold before its alert fires or resolves (leader changes
 * are immediate); {@code pausedThreshold}: how long maintenance mode may last before it is an alert;
 * {@code infoInterval}/{@code checkInterval}: how often {@code pgbackrest info} and {@code check} run.
 */
public record AlertsConfig(Duration pollInterval, Path stateDir, int lagThresholdMb, Duration lagGrace,
                           Duration backupMaxAgeFull, Duration backupMaxAgeAny, AlertChannels channels, int dampingPolls,
                           Duration pausedThreshold, Duration infoInterval, Duration checkInterval) {
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(1);
    public static final int DEFAULT_LAG_MB = 16;
    public static final Duration DEFAULT_LAG_GRACE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_FULL_AGE = Duration.ofDays(8);
    public static final Duration DEFAULT_ANY_AGE = Duration.ofHours(26);
    public static final int DEFAULT_DAMPING = 2;
    public static final Duration DEFAULT_PAUSED = Duration.ofMinutes(30);
    public static final Duration DEFAULT_INFO = Duration.ofMinutes(5);
    public static final Duration DEFAULT_CHECK = Duration.ofMinutes(30);

    public AlertsConfig {
        java.util.Objects.requireNonNull(stateDir, "stateDir");
        java.util.Objects.requireNonNull(channels, "channels");
        if (dampingPolls < 1) throw new IllegalArgumentException("damping-polls must be at least 1, got " + dampingPolls);
    }

    /** Defaults for everything but the state dir and channels (tests, and the loader's starting point). */
    public static AlertsConfig defaults(Path stateDir, AlertChannels channels) {
        return new AlertsConfig(DEFAULT_POLL, stateDir, DEFAULT_LAG_MB, DEFAULT_LAG_GRACE, DEFAULT_FULL_AGE, DEFAULT_ANY_AGE,
                channels, DEFAULT_DAMPING, DEFAULT_PAUSED, DEFAULT_INFO, DEFAULT_CHECK);
    }

    public AlertsConfig withPollInterval(Duration d) {
        return new AlertsConfig(d, stateDir, lagThresholdMb, lagGrace, backupMaxAgeFull, backupMaxAgeAny, channels,
                dampingPolls, pausedThreshold, infoInterval, checkInterval);
    }

    public AlertsConfig withDampingPolls(int n) {
        return new AlertsConfig(pollInterval, stateDir, lagThresholdMb, lagGrace, backupMaxAgeFull, backupMaxAgeAny,
                channels, n, pausedThreshold, infoInterval, checkInterval);
    }
}
