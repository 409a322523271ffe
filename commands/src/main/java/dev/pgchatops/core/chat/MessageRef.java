package dev.pgchatops.core.chat;

import java.util.Objects;

/**
 * A message the bot posted, as the adapter that posted it identifies it (Slack: channel and ts; Discord: channel and
 * message id, or an interaction's original response). The core only hands it back to the adapter to edit the message.
 */
public record MessageRef(String channel, String id) {
    public MessageRef {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(id, "id");
    }
}
