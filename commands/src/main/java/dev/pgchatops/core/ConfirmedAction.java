package dev.pgchatops.core;

import dev.pgchatops.core.reply.Reply;

/** The body of a confirmed destructive command. It re-checks its preconditions and reports progress while it runs. */
@FunctionalInterface
public interface ConfirmedAction {
    Reply run(Progress progress) throws UserFacingException;
}
