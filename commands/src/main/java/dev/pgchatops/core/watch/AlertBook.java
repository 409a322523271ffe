package dev.pgchatops.core.watch;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What /alerts, /silence and /unsilence work on: the watch's active alerts and silences. */
public interface AlertBook {
    /** Active alerts, oldest first; {@code cluster} empty: all clusters. */
    List<ActiveAlert> active(Optional<String> cluster);

    List<Silence> silences();

    /** Adds a silence; {@code cluster}/{@code alert} empty: all. */
    Silence silence(Optional<String> cluster, Optional<String> alert, Duration duration, String by);

    /** Removes the silences that match exactly ({@code alert} empty: every silence of the cluster); returns them. */
    List<Silence> unsilence(Optional<String> cluster, Optional<String> alert);

    /** Whether an alert is silenced now. */
    boolean silenced(ActiveAlert a);

}
