package dev.pgchatops.adapters.discord;

import dev.pgchatops.core.chat.Conversation;
import dev.pgchatops.core.chat.MessageRef;
import dev.pgchatops.core.chat.ProgressBudget;
import dev.pgchatops.core.reply.Reply;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One slash command or button click, as the core talks in it. The interaction was deferred at once (a slash
 * command with a deferred reply, public or ephemeral; a click with a deferred update). The first post of a slash
 * command fills the deferred original response when its visibility matches the deferral; a private first reply after
 * a public deferral deletes the "thinking…" original and is sent as an ephemeral follow-up (and a public one after an
 * ephemeral deferral, as a public follow-up). Later posts are follow-ups; after 14 minutes, channel messages.
 * Progress: 2000 characters, one edit a second.
 */
final class InteractionConversation implements Conversation {
    private static final Logger LOG = LoggerFactory.getLogger(InteractionConversation.class);
    static final ProgressBudget BUDGET = new ProgressBudget(2000, java.time.Duration.ofSeconds(1), false);
    private final DiscordMessages messages;
    private final String hookKey;
    private final String channel;
    private final boolean deferredEphemeral;
    private final AtomicBoolean originalFree;
    private final Function<Reply, List<EmbedRenderer.Part>> render;

    InteractionConversation(DiscordMessages messages, String hookKey, String channel, boolean deferredEphemeral,
                            boolean originalFree, Function<Reply, List<EmbedRenderer.Part>> render) {
        this.messages = messages;
        this.hookKey = hookKey;
        this.channel = channel;
        this.deferredEphemeral = deferredEphemeral;
        this.originalFree = new AtomicBoolean(originalFree);
        this.render = render;
    }

    @Override
    public MessageRef post(Reply reply) {
        List<EmbedRenderer.Part> parts = render.apply(reply);
        boolean priv = reply.isPrivate();
        if (originalFree.compareAndSet(true, false)) {
            if (priv == deferredEphemeral) return messages.onOriginal(channel, hookKey, priv, parts);
            try {
                messages.deleteOriginal(hookKey);
            } catch (RuntimeException e) {
                // the reply matters more than removing "thinking…": it is still sent
                LOG.warn("could not delete the deferred response of interaction {} ({}); sending the reply anyway", hookKey, e.toString());
            }
        }
        return messages.followUp(channel, hookKey, priv, parts);
    }

    @Override
    public void update(MessageRef message, Reply reply) {
        messages.edit(message, render.apply(reply));
    }

    @Override
    public ProgressBudget budget() {
        return BUDGET;
    }
}
