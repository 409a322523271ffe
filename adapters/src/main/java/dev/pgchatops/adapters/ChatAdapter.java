package dev.pgchatops.adapters;

import dev.pgchatops.core.chat.ChannelSender;

/**
 * A chat platform connected to the bot (Slack, Discord). {@link #start} connects (and fails with a message that says
 * what is wrong, e.g. which token is missing or refused); from then on the adapter turns platform events into
 * {@code Bot.submit}/{@code Bot.press} calls and the bot's replies into platform messages. {@link #sender} posts
 * messages nobody asked for (alerts). {@link #close} disconnects.
 */
public interface ChatAdapter extends AutoCloseable {
    /** "slack", "discord": the platform, as in identities ({@code slack:U0123}). */
    String name();

    void start() throws AdapterStartException;

    ChannelSender sender();

    @Override
    void close();

    /** The adapter could not connect; the message is written for the operator who starts the bot. */
    final class AdapterStartException extends Exception {
        public AdapterStartException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
