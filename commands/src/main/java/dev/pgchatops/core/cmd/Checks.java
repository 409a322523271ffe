package dev.pgchatops.core.cmd;

import dev.pgchatops.config.ConfigLoader;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.patroni.ClusterState;
import dev.pgchatops.core.patroni.Member;

import java.util.List;
import java.util.Optional;

/** Validation of user-typed values against the live cluster, and the re-checks a confirmed action makes. */
public final class Checks {
    private Checks() {
    }

    public static Member member(ClusterState state, String cluster, String name) throws UserFacingException {
        if (!ConfigLoader.NAME.matcher(name).matches()) {
            throw new UserFacingException("'" + name + "' is not a member name; members of " + cluster + ": "
                    + String.join(", ", state.memberNames()));
        }
        return state.member(name).orElseThrow(() -> new UserFacingException("no member '" + name + "' in " + cluster
                + "; members: " + String.join(", ", state.memberNames())));
    }

    public static Member leader(ClusterState state, String cluster) throws UserFacingException {
        return state.leader().orElseThrow(() -> new UserFacingException(cluster + " has no leader right now ("
                + Follow.summary(state) + "); wait for Patroni to elect one, or use /failover --candidate MEMBER."));
    }

    /**
     * A confirmed action re-reads the cluster: if the leader is not the one the confirmation was about, it must not
     * run. {@code consequence} ends the message, e.g. "nothing was done. Run /switchover again if still needed."
     */
    public static void leaderUnchanged(ClusterState now, String cluster, Optional<String> leaderThen, String consequence)
            throws UserFacingException {
        Optional<String> leaderNow = now.leader().map(Member::name);
        if (!leaderNow.equals(leaderThen)) {
            throw new UserFacingException("the leader of " + cluster + " changed meanwhile (" + leaderThen.orElse("none")
                    + " → " + leaderNow.orElse("none") + "); " + consequence);
        }
    }

    public static String timeline(Member m) {
        return m.timeline().isPresent() ? String.valueOf(m.timeline().getAsLong()) : "?";
    }

    /** Running replicas, by name. */
    static List<String> replicas(ClusterState s) {
        return s.members().stream().filter(m -> !m.role().isLeader() && m.isRunning()).map(Member::name).toList();
    }
}
