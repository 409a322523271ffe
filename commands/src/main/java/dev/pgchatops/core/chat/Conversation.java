package dev.pgchatops.core.chat;

import dev.pgchatops.core.reply.Reply;

/**
 * Where the bot talks while it handles one request or click: the channel it came from and the user who sent it.
 * Implemented by each adapter. {@link #post} shows a reply to the channel, or only to that user when the reply is
 * {@linkplain Reply#isPrivate() private}, and returns a handle the bot may {@link #update} later (a confirmation is
 * edited when it is decided or expires; a running action's message shows its progress, then its result).
 * The bot calls these from its own threads, never from the adapter's; implementations must be thread-safe and should
 * bound their own network calls. Exceptions thrown here are logged by the bot and never change an outcome.
 */
public interface Conversation {
    MessageRef post(Reply reply);

    /** Replaces the content of a message posted before; a reply without buttons removes the message's buttons. */
    void update(MessageRef message, Reply reply);

    /**
     * Shows the progress of a running action. {@code message} is null until something was posted; returns the message
     * that now shows it. The default posts the snapshot the first time and edits it afterwards.
     */
    default MessageRef progress(MessageRef message, ProgressUpdate update) {
        if (message == null) return post(update.snapshot());
        update(message, update.snapshot());
        return message;
    }

    /** How progress is shown here. */
    default ProgressBudget budget() {
        return ProgressBudget.CHAT;
    }
}
