package dev.pgchatops.core;

import dev.pgchatops.core.parse.CommandSpec;

/** One chat command. Implementations are stateless; everything they need comes in the {@link Invocation}. */
public interface Command {
    CommandSpec spec();

    Outcome run(Invocation invocation) throws UserFacingException;

    /** False for commands about the bot itself (/help, /whoami): they run without picking a cluster. */
    default boolean needsCluster() {
        return true;
    }
}
