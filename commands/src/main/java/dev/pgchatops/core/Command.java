package dev.pgchatops.core;

import dev.pgchatops.core.parse.CommandSpec;

/** One chat command. Implementations are stateless; everything they need comes in the {@link Invocation}. */
public interface Command {
    CommandSpec spec();

    Outcome run(Invocation invocation) throws UserFacingException;
}
