package dev.pgchatops.core.watch;

/**
 * One message waiting in the outbox for one destination ({@code sender} "console", "slack", "discord" and its
 * {@code channel}): POST a new message under {@code msgId}, UPDATE the message posted under it, or THREAD a reply under
 * it. {@code attempts} and {@code notBeforeMillis} carry the retry state across restarts.
 */
public record Op(long seq, Kind kind, String sender, String channel, String msgId, AlertMessage message, int attempts,
                 long notBeforeMillis) {
    public enum Kind { POST, UPDATE, THREAD }

    public String destination() {
        return sender + "/" + channel;
    }

    Op retryAt(long millis) {
        return new Op(seq, kind, sender, channel, msgId, message, attempts + 1, millis);
    }
}
