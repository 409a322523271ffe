package dev.pgchatops.adapters.slack;

import dev.pgchatops.core.chat.Conversation;
import dev.pgchatops.core.chat.MessageRef;
import dev.pgchatops.core.chat.ProgressBudget;
import dev.pgchatops.core.reply.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One slash command or button click as the bot sees it. Channel replies go out with {@code chat.postMessage} and are
 * edited with {@code chat.update} (channel + ts, so any later interaction can edit them); private replies are
 * ephemeral: through the interaction's response_url while it has uses left (Slack allows 5), else
 * {@code chat.postEphemeral}. A slash command that has shown nothing after {@code workingAfter} gets a
 * "working on …" message, which its first channel reply (progress, then the result) then replaces; it is deleted if
 * the answer turns out to be private only.
 */
final class SlackConversation implements Conversation {
    private static final Logger LOG = LoggerFactory.getLogger(SlackConversation.class);
    /** Slack: a section holds 3000 characters; leave room for the heading and the fences. */
    static final ProgressBudget BUDGET = new ProgressBudget(2800, Duration.ofSeconds(1), false);
    static final int RESPONSE_URL_USES = 5;
    private static final long PLACEHOLDER_WAIT_SECONDS = 20;

    private final SlackMessages messages;
    private final String channel;
    private final String user;
    private final String responseUrl;
    private final BlockKit.Context context;
    private final AtomicInteger responseUrlUses = new AtomicInteger();

    private enum Placeholder { NONE, SCHEDULED, POSTING, DONE }

    private Placeholder placeholder = Placeholder.NONE;
    private CompletableFuture<MessageRef> placeholderRef;

    SlackConversation(SlackMessages messages, String channel, String user, String responseUrl, BlockKit.Context context) {
        this.messages = messages;
        this.channel = channel;
        this.user = user;
        this.responseUrl = responseUrl == null || responseUrl.isBlank() ? null : responseUrl;
        this.context = context;
    }

    String channel() {
        return channel;
    }

    private List<BlockKit.Message> render(Reply reply) {
        return BlockKit.render(reply, context, messages.clock().instant());
    }

    @Override
    public MessageRef post(Reply reply) {
        List<BlockKit.Message> rendered = render(reply);
        if (reply.isPrivate()) return postPrivate(rendered);
        CompletableFuture<MessageRef> working = takePlaceholder();
        MessageRef shown = working == null ? null : awaitPlaceholder(working);
        try {
            if (shown != null) {
                messages.update(shown, rendered, null);
                return shown;
            }
            return messages.post(channel, rendered, null);
        } catch (SlackWeb.SlackCallFailed e) {
            if (responseUrl != null && ("not_in_channel".equals(e.error()) || "channel_not_found".equals(e.error()))) {
                hintInvite();
            }
            throw e;
        }
    }

    private MessageRef postPrivate(List<BlockKit.Message> rendered) {
        if (responseUrl != null && responseUrlUses.get() + rendered.size() <= RESPONSE_URL_USES) {
            responseUrlUses.addAndGet(rendered.size());
            for (BlockKit.Message m : rendered) messages.web().respond(responseUrl, m, true, false);
            return messages.ephemeral(channel, responseUrl);
        }
        for (BlockKit.Message m : rendered) messages.web().postEphemeral(channel, user, m);
        return messages.ephemeral(channel, null);
    }

    private void hintInvite() {
        try {
            Reply hint = Reply.error("I cannot post in this channel: invite me first (/invite @pgchatops), or use me in a"
                    + " channel I am in. The command itself was handled; its answer could not be shown here.").asPrivate();
            if (responseUrlUses.incrementAndGet() <= RESPONSE_URL_USES) {
                messages.web().respond(responseUrl, render(hint).get(0), true, false);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not tell the user to invite the bot: {}", e.getMessage());
        }
    }

    @Override
    public void update(MessageRef message, Reply reply) {
        List<BlockKit.Message> rendered = render(reply);
        if (SlackMessages.isEphemeral(message)) {
            String url = messages.responseUrlOf(message);
            if (url == null) throw new IllegalStateException("an ephemeral message sent without response_url cannot be edited");
            // replace_original is the only way to change an ephemeral message; one use of that response_url
            messages.web().respond(url, rendered.get(0), true, true);
            return;
        }
        messages.update(message, rendered, null);
    }

    @Override
    public ProgressBudget budget() {
        return BUDGET;
    }

    // ---- "working on …" --------------------------------------------------------------------------------

    /** Shows "working on {@code what}…" after {@code after}, unless something was posted in the channel before. */
    synchronized void workingAfter(ScheduledExecutorService timer, Duration after, String what) {
        if (placeholder != Placeholder.NONE) return;
        placeholder = Placeholder.SCHEDULED;
        timer.schedule(() -> postPlaceholder(what), after.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void postPlaceholder(String what) {
        CompletableFuture<MessageRef> f;
        synchronized (this) {
            if (placeholder != Placeholder.SCHEDULED) return;
            placeholder = Placeholder.POSTING;
            f = placeholderRef = new CompletableFuture<>();
        }
        try {
            // on the adapter's one timer thread: the short retry policy, never a wait through an outage
            f.complete(messages.quick().post(channel, render(Reply.info("working on " + what + " …")), null));
        } catch (RuntimeException e) {
            LOG.info("could not post the 'working' message: {}", e.getMessage());
            f.complete(null);
        }
    }

    /** The placeholder to reuse (being posted or posted), or null; the timer will not post one any more. */
    private synchronized CompletableFuture<MessageRef> takePlaceholder() {
        Placeholder was = placeholder;
        placeholder = Placeholder.DONE;
        return was == Placeholder.POSTING ? placeholderRef : null;
    }

    private static MessageRef awaitPlaceholder(CompletableFuture<MessageRef> f) {
        try {
            return f.get(PLACEHOLDER_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    /** The request was answered: a "working" message nothing replaced (the answer was private) is deleted. */
    void finished() {
        CompletableFuture<MessageRef> working = takePlaceholder();
        if (working == null) return;
        MessageRef ref = awaitPlaceholder(working);
        if (ref == null) return;
        try {
            messages.quick().web().delete(ref.channel(), ref.id());   // on an intake thread: never wait through an outage
        } catch (RuntimeException e) {
            LOG.info("could not delete the 'working' message: {}", e.getMessage());
        }
    }
}
