package dev.pgchatops.core.watch;

import java.time.Duration;

/** What one observation changed about the alerts. */
public sealed interface Transition {
    ActiveAlert alert();

    record Fired(ActiveAlert alert) implements Transition {
    }

    /** Still active, facts changed: {@code line} goes into its thread. */
    record Changed(ActiveAlert alert, String line) implements Transition {
    }

    record Resolved(ActiveAlert alert, Duration after, String reason) implements Transition {
    }
}
