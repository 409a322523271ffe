package dev.pgchatops.adapters.slack;

import dev.pgchatops.core.chat.ChannelSender;
import dev.pgchatops.core.chat.MessageRef;
import dev.pgchatops.core.reply.Reply;

import java.util.function.Supplier;

/**
 * Alerts: {@code chat.postMessage} to a channel id, {@code chat.update} of what it posted, and answers in the thread
 * ({@code thread_ts}). Through {@link SlackWeb}: 429s wait for Retry-After, 5xx are retried with backoff, posts to
 * one channel are paced. Private replies make no sense without a user and are posted to the channel.
 */
final class SlackSender implements ChannelSender {
    private final Supplier<SlackMessages> messages;

    SlackSender(Supplier<SlackMessages> messages) {
        this.messages = messages;
    }

    @Override
    public MessageRef post(String channel, Reply reply) {
        SlackMessages m = messages.get();
        return m.post(channel, BlockKit.render(reply, BlockKit.Context.NONE, m.clock().instant()), null);
    }

    @Override
    public void update(MessageRef message, Reply reply) {
        SlackMessages m = messages.get();
        m.update(message, BlockKit.render(reply, BlockKit.Context.NONE, m.clock().instant()), null);
    }

    @Override
    public MessageRef replyInThread(MessageRef parent, Reply reply) {
        SlackMessages m = messages.get();
        return m.post(parent.channel(), BlockKit.render(reply, BlockKit.Context.NONE, m.clock().instant()), parent.id());
    }
}
