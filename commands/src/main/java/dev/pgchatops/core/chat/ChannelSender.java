package dev.pgchatops.core.chat;

import dev.pgchatops.core.reply.Reply;

/**
 * Posts messages nobody asked for (alerts): to a channel by its platform id, edits them, and answers in their thread.
 * Implemented by each adapter through the platform's own rate limiting; the console prints them.
 */
public interface ChannelSender {
    MessageRef post(String channel, Reply reply);

    void update(MessageRef message, Reply reply);

    /** Posts {@code reply} in the thread of {@code parent} (where the platform has none: right after it). */
    MessageRef replyInThread(MessageRef parent, Reply reply);
}
