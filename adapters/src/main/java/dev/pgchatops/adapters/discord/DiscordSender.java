package dev.pgchatops.adapters.discord;

import dev.pgchatops.core.chat.ChannelSender;
import dev.pgchatops.core.chat.MessageRef;
import dev.pgchatops.core.reply.Reply;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.entities.channel.concrete.TextChannel;
import net.dv8tion.jda.api.entities.channel.concrete.NewsChannel;
import net.dv8tion.jda.api.entities.channel.middleman.GuildMessageChannel;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Alerts: messages posted with the bot token to a channel by its id, edited later, and answered in a thread started
 * from the alert (Discord threads have the parent message's id). Everything goes through JDA's rate limiter.
 * It does not wait through an outage (the {@linkplain DiscordMessages#quick() quick} view: the watcher's one
 * delivery thread must not hang): a call Discord did not accept fails with a {@link dev.pgchatops.core.chat.SendFailed}
 * (429 with its Retry-After, 5xx transient, 4xx permanent) and the persisted outbox retries it. A post carries a nonce
 * Discord enforces, so the outbox repeating it after an unclear failure does not post the alert twice.
 */
final class DiscordSender implements ChannelSender {
    private final DiscordMessages messages;
    private final Function<Reply, List<EmbedRenderer.Part>> render;
    private static final SecureRandom NONCES = new SecureRandom();
    /** Nonce bases of posts not accepted yet, by channel and content (the most recent 256). */
    private final Map<String, String> unaccepted = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> e) {
            return size() > 256;
        }
    };

    DiscordSender(DiscordMessages messages, Function<Reply, List<EmbedRenderer.Part>> render) {
        this.messages = messages.quick();
        this.render = render;
    }

    @Override
    public MessageRef post(String channel, Reply reply) {
        return postOnce(channel, reply);
    }

    /**
     * Posts with nonces that stay the same while the same alert to the same channel has not been accepted, so the
     * outbox repeating a post whose first try Discord did but answered with an error (500, a dropped connection) gets
     * the message already created instead of a second one (within Discord's nonce window of a few minutes).
     */
    private MessageRef postOnce(String channel, Reply reply) {
        Reply r = reply.withoutButtons();
        String key = channel + "\n" + r.title() + "\n" + r.plainText();
        String base;
        synchronized (unaccepted) {
            base = unaccepted.computeIfAbsent(key, k -> Long.toUnsignedString(NONCES.nextLong(), 36));
        }
        MessageRef ref = messages.inChannel(channel, render.apply(r), base);
        synchronized (unaccepted) {
            unaccepted.remove(key);
        }
        return ref;
    }

    @Override
    public void update(MessageRef message, Reply reply) {
        messages.edit(message, render.apply(reply.withoutButtons()));
    }

    @Override
    public MessageRef replyInThread(MessageRef parent, Reply reply) {
        String parentId = messages.messageId(parent);
        if (parentId == null) throw new IllegalStateException("unknown message " + parent.id() + " (posted before a restart?)");
        ThreadChannel thread = messages.thread(parentId);
        if (thread == null) {
            GuildMessageChannel ch = messages.channel(parent.channel());
            String name = threadName(reply);
            String what = "thread from message " + parentId + " in channel " + parent.channel();
            if (ch instanceof TextChannel t) {
                thread = messages.patient(what, false, Duration.ZERO, () -> t.createThreadChannel(name, parentId), () -> false);
            } else if (ch instanceof NewsChannel n) {
                thread = messages.patient(what, false, Duration.ZERO, () -> n.createThreadChannel(name, parentId), () -> false);
            } else {
                return postOnce(parent.channel(), reply);
            }
        }
        return postOnce(thread.getId(), reply);
    }

    private static String threadName(Reply reply) {
        String t = reply.title().isBlank() ? "pgchatops alert" : reply.title();
        return t.length() <= 100 ? t : t.substring(0, 99) + "…";
    }
}
