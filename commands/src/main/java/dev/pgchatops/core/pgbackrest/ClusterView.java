package dev.pgchatops.core.pgbackrest;

import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.patroni.ClusterState;

/** The live member list (Patroni's GET /cluster); a seam so the pgBackRest logic can be tested without Patroni. */
@FunctionalInterface
public interface ClusterView {
    ClusterState cluster() throws UserFacingException;
}
