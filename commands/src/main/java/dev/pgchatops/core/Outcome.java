package dev.pgchatops.core;

import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Reply;

import java.util.List;

/** What a command produced: a reply, or an action that runs only once confirmed. */
public sealed interface Outcome {
    record Done(Reply reply) implements Outcome {
    }

    /**
     * A destructive action. {@code effect} states exactly what will happen with the current state (shown with the
     * Confirm/Cancel buttons); {@code action} re-checks its preconditions when it runs.
     */
    record NeedsConfirmation(String effect, List<Block.Field> details, ConfirmedAction action) implements Outcome {
        public NeedsConfirmation {
            details = List.copyOf(details);
        }
    }

    static Outcome done(Reply reply) {
        return new Done(reply);
    }

    static Outcome confirm(String effect, ConfirmedAction action) {
        return new NeedsConfirmation(effect, List.of(), action);
    }
}
