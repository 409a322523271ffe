package dev.pgchatops.core;

import dev.pgchatops.core.reply.Reply;

/**
 * Where replies to one request go. {@link #reply} posts a message; {@link #progress} updates the message of a
 * running action (Slack/Discord edit it in place, the console prints the new line).
 */
public interface Responder {
    void reply(Reply reply);

    default void progress(Reply snapshot, String newLine) {
    }
}
