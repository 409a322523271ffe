package dev.pgchatops.core.cmd;

import dev.pgchatops.core.Progress;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.patroni.ClusterState;
import dev.pgchatops.core.patroni.Deadline;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.patroni.PatroniClient;
import dev.pgchatops.core.patroni.PatroniException;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Follows an action to its end by polling GET /cluster, reporting each change, within ONE overall deadline: every
 * call inside the loop gets at most the time remaining, so a slow or hung Patroni cannot stretch the bound.
 */
public final class Follow {
    /** Time limits for following actions; tests and configs may shorten them. */
    public record Limits(Duration switchover, Duration reinit, Duration restart, Duration pause, Duration poll) {
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(90), Duration.ofMinutes(15),
                Duration.ofMinutes(3), Duration.ofSeconds(30), Duration.ofMillis(1000));
    }

    @FunctionalInterface
    public interface Check<T> {
        Optional<T> test(ClusterState state);
    }

    private Follow() {
    }

    public static <T> T until(PatroniClient patroni, Progress progress, Duration limit, Duration poll, String what,
                              Check<T> check) throws UserFacingException {
        return until(patroni, progress, Deadline.after(limit), poll, what, check);
    }

    public static <T> T until(PatroniClient patroni, Progress progress, Deadline deadline, Duration poll, String what,
                              Check<T> check) throws UserFacingException {
        String lastSummary = null;
        ClusterState last = null;
        String lastError = null;
        while (true) {
            try {
                ClusterState s = patroni.cluster(deadline);
                last = s;
                lastError = null;
                String summary = summary(s);
                if (!summary.equals(lastSummary)) {
                    progress.line(summary);
                    lastSummary = summary;
                }
                Optional<T> done = check.test(s);
                if (done.isPresent()) return done.get();
            } catch (PatroniException e) {
                // During a switchover or restart a member may not answer for a moment; keep polling until the bound.
                if (lastError == null) progress.line("waiting for Patroni: " + e.getMessage());
                lastError = e.getMessage();
            }
            if (deadline.passed()) {
                throw new UserFacingException(what + " did not finish within " + human(deadline.total()) + ". Last state: "
                        + (last == null ? lastError : summary(last)) + ". Check /cluster-list.");
            }
            try {
                Thread.sleep(Math.max(1, deadline.cap(poll).toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserFacingException("interrupted while waiting for " + what);
            }
        }
    }

    /**
     * After a leader change: waits (best effort, bounded by a third of the switchover limit) until the old leader
     * runs again as a replica on the new timeline, and says how it went.
     */
    static String rejoined(PatroniClient patroni, Progress progress, Limits limits, String oldLeader) {
        try {
            until(patroni, progress, limits.switchover().dividedBy(3), limits.poll(), "rejoin of " + oldLeader,
                    st -> streamingOnLeaderTimeline(st, oldLeader) && st.member(oldLeader).map(m -> !m.role().isLeader()).orElse(false)
                            ? Optional.of(true) : Optional.empty());
            return oldLeader + " rejoined as a replica";
        } catch (UserFacingException e) {
            return oldLeader + " has not rejoined yet (check /cluster-list; /reinit " + oldLeader + " rebuilds it)";
        }
    }

    static String summary(ClusterState s) {
        return s.members().stream().map(m -> m.name() + " " + m.role().label().toLowerCase() + " " + m.state()
                        + (m.timeline().isPresent() ? " TL" + m.timeline().getAsLong() : ""))
                .collect(Collectors.joining(", "));
    }

    static boolean streamingOnLeaderTimeline(ClusterState s, String member) {
        Optional<Member> m = s.member(member);
        Optional<Member> leader = s.leader();
        if (m.isEmpty() || leader.isEmpty() || !m.get().isRunning()) return false;
        if (m.get().timeline().isEmpty() || leader.get().timeline().isEmpty()) return false;
        return m.get().timeline().getAsLong() == leader.get().timeline().getAsLong();
    }

    /** "90 s", or "300 ms" below a second. */
    static String human(Duration d) {
        return d.compareTo(Duration.ofSeconds(1)) < 0 ? d.toMillis() + " ms" : d.toSeconds() + " s";
    }
}
