package dev.pgchatops.core.cmd;

import dev.pgchatops.config.ConfigLoader;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.patroni.ClusterState;
import dev.pgchatops.core.patroni.Member;

/** Validation of user-typed values against the live cluster. */
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

    public static String timeline(Member m) {
        return m.timeline().isPresent() ? String.valueOf(m.timeline().getAsLong()) : "?";
    }
}
