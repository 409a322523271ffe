package dev.pgchatops.core.confirm;

import dev.pgchatops.core.Identity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What adapters may know of a pending confirmation: everything but the action itself. */
public record PendingView(String token, Identity requester, String cluster, String command, List<String> args,
                          String effect, Instant created, Instant expires, Pending.Status status,
                          Optional<Identity> decidedBy) {
    public PendingView {
        args = List.copyOf(args);
    }
}
