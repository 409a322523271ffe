package dev.pgchatops.core;

import dev.pgchatops.core.confirm.PendingView;
import dev.pgchatops.core.reply.Reply;

import java.util.Optional;

/**
 * How the bot answered one request or click: the reply it showed last (the result, a refusal, or the confirmation
 * prompt) and, when a confirmation was opened, a read-only view of it. A redelivered request gets the same value.
 */
public record Handled(Reply answer, Optional<PendingView> confirmation) {
    public static Handled answered(Reply answer) {
        return new Handled(answer, Optional.empty());
    }
}
