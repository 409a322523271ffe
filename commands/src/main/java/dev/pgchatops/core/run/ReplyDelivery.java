package dev.pgchatops.core.run;

import dev.pgchatops.core.chat.Conversation;
import dev.pgchatops.core.chat.MessageRef;
import dev.pgchatops.core.reply.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Posting and editing through a {@link Conversation} without letting a chat failure escape into the bot's logic:
 * failures are logged, an edit that fails falls back to a new message, and the outcome of an action is never changed
 * by how (or whether) it could be shown.
 */
public final class ReplyDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(ReplyDelivery.class);
    /** How long the result waits for a progress edit still in flight. */
    public static final Duration FINISH_WAIT = Duration.ofSeconds(2);

    private ReplyDelivery() {
    }

    /** Posts; null when the chat refused or failed. */
    public static MessageRef post(Conversation c, Reply r) {
        try {
            return c.post(r);
        } catch (RuntimeException e) {
            LOG.warn("could not post a reply ({}): {}", e.toString(), dev.pgchatops.core.Texts.firstLine(r.plainText()));
            return null;
        }
    }

    /** Edits {@code ref} (or posts when there is nothing to edit or the edit fails); returns the message shown. */
    public static MessageRef replace(Conversation c, MessageRef ref, Reply r) {
        if (ref == null || r.isPrivate()) return post(c, r);
        try {
            c.update(ref, r);
            return ref;
        } catch (RuntimeException e) {
            LOG.warn("could not edit message {} ({}); posting the reply instead", ref.id(), e.toString());
            return post(c, r);
        }
    }

    /** Ends a progress sink and shows the result in its message (or a new one when none was posted). */
    public static MessageRef finish(Conversation c, ProgressSink sink, Reply result) {
        return replace(c, sink.finish(FINISH_WAIT), result);
    }

}
