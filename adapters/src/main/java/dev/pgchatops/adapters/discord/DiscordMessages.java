package dev.pgchatops.adapters.discord;

import dev.pgchatops.core.chat.MessageRef;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.entities.channel.middleman.GuildMessageChannel;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.requests.RestAction;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import net.dv8tion.jda.api.utils.messages.MessageEditBuilder;
import net.dv8tion.jda.api.utils.messages.MessageEditData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Every message the bot posted on Discord, behind the opaque {@link MessageRef}s the core holds (a ref never carries
 * an interaction token, so none reaches a log). A message lives either on an interaction's webhook (the deferred
 * original response or a follow-up; editable with that interaction's token for 15 minutes) or in the channel (posted
 * with the bot token; editable for ever). A click on a button lends the message a fresher token. When the token of
 * a message is about to run out ({@link #TOKEN_USABLE}), its next content goes to a new channel message, which the
 * ref then points to and which keeps being edited. A reply Discord cannot hold in one message is posted as several;
 * an edit edits, adds or deletes the extra messages. All calls go through JDA's rate limiter and are bounded.
 */
final class DiscordMessages {
    private static final Logger LOG = LoggerFactory.getLogger(DiscordMessages.class);
    /** Interaction tokens live 15 minutes; after 14 the rest goes to channel messages. */
    static final Duration TOKEN_USABLE = Duration.ofMinutes(14);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);
    private static final int REMEMBERED = 4096;
    private static final String ORIGINAL = "@original";

    private final JDA jda;
    private final LongSupplier nanos;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Hook> hooks = lru();
    private final Map<String, Entry> entries = lru();
    private final Map<String, String> byMessageId = lru();

    private record Hook(InteractionHook hook, long created) {
    }

    /** Where one message is: on an interaction's webhook (by hook key, message id or @original), or in a channel. */
    sealed interface Target {
    }

    record Webhook(String hook, String messageId, boolean ephemeral) implements Target {
    }

    record InChannel(String channel, String messageId) implements Target {
    }

    private static final class Entry {
        final String channel;
        final boolean ephemeral;
        Target target;
        String messageId;
        final List<Target> extras = new ArrayList<>();

        Entry(String channel, boolean ephemeral) {
            this.channel = channel;
            this.ephemeral = ephemeral;
        }
    }

    DiscordMessages(JDA jda, LongSupplier nanos) {
        this.jda = jda;
        this.nanos = nanos;
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> e) {
                return size() > REMEMBERED;
            }
        };
    }

    /** Remembers an interaction's hook (its token) and returns its key. */
    String register(InteractionHook hook, String interactionId) {
        synchronized (hooks) {
            hooks.put(interactionId, new Hook(hook, nanos.getAsLong()));
        }
        return interactionId;
    }

    /** True while the hook's token may still be used. */
    boolean usable(String hookKey) {
        Hook h = hook(hookKey);
        return h != null && nanos.getAsLong() - h.created < TOKEN_USABLE.toNanos();
    }

    private Hook hook(String key) {
        synchronized (hooks) {
            return hooks.get(key);
        }
    }

    /** A click on {@code messageId} came with {@code hookKey}: edits of that message may use this fresher token. */
    void adopt(String messageId, String hookKey) {
        Entry e = entryByMessage(messageId);
        if (e == null) return;
        synchronized (e) {
            if (e.target instanceof Webhook w && !w.ephemeral()) e.target = new Webhook(hookKey, ORIGINAL, false);
        }
    }

    Entry entryByMessage(String messageId) {
        String ref;
        synchronized (byMessageId) {
            ref = byMessageId.get(messageId);
        }
        return ref == null ? null : entry(ref);
    }

    private Entry entry(String ref) {
        synchronized (entries) {
            return entries.get(ref);
        }
    }

    /** The Discord message id a ref shows now (its first message), or null. */
    String messageId(MessageRef ref) {
        Entry e = entry(ref.id());
        if (e == null) return null;
        synchronized (e) {
            return e.messageId;
        }
    }

    // ---- creating ----------------------------------------------------------------------------------------------

    /** Shows {@code parts} as the interaction's deferred original response (+ follow-ups for more parts). */
    MessageRef onOriginal(String channel, String hookKey, boolean ephemeral, List<EmbedRenderer.Part> parts) {
        return create(channel, ephemeral, new Webhook(hookKey, ORIGINAL, ephemeral), hookKey, parts);
    }

    /** Follow-up messages of an interaction (ephemeral when private); in the channel once the token is too old. */
    MessageRef followUp(String channel, String hookKey, boolean ephemeral, List<EmbedRenderer.Part> parts) {
        return create(channel, ephemeral, null, hookKey, parts);
    }

    /** Messages in a channel, posted with the bot token. */
    MessageRef inChannel(String channel, List<EmbedRenderer.Part> parts) {
        return create(channel, false, null, null, parts);
    }

    private MessageRef create(String channel, boolean ephemeral, Target first, String hookKey, List<EmbedRenderer.Part> parts) {
        Entry e = new Entry(channel, ephemeral);
        String ref = "d" + ids.incrementAndGet();
        synchronized (e) {
            for (int i = 0; i < parts.size(); i++) {
                Target t = i == 0 && first != null ? edit(e, first, parts.get(0), hookKey, true) : send(e, hookKey, parts.get(i));
                if (i == 0) {
                    e.target = t;
                } else {
                    e.extras.add(t);
                }
            }
            synchronized (entries) {
                entries.put(ref, e);
            }
            if (e.messageId != null) {
                synchronized (byMessageId) {
                    byMessageId.put(e.messageId, ref);
                }
            }
        }
        return new MessageRef(channel, ref);
    }

    /** A new message: a follow-up while the token is usable, else (public only) a channel message. */
    private Target send(Entry e, String hookKey, EmbedRenderer.Part part) {
        if (hookKey != null && usable(hookKey)) {
            Message m = call(hook(hookKey).hook().sendMessage(createData(part)).setEphemeral(e.ephemeral));
            noteId(e, m.getId());
            return new Webhook(hookKey, m.getId(), e.ephemeral);
        }
        if (e.ephemeral) {
            throw new IllegalStateException("the interaction token has run out; a private reply cannot be shown any more");
        }
        Message m = call(channel(e.channel).sendMessage(createData(part)));
        noteId(e, m.getId());
        return new InChannel(e.channel, m.getId());
    }

    private void noteId(Entry e, String id) {
        if (e.messageId == null) e.messageId = id;
    }

    // ---- editing -----------------------------------------------------------------------------------------------

    /** Replaces what {@code ref} shows; more parts than before are added, fewer delete the rest. */
    void edit(MessageRef ref, List<EmbedRenderer.Part> parts) {
        Entry e = entry(ref.id());
        if (e == null) throw new IllegalStateException("unknown message " + ref.id() + " (posted before a restart?)");
        synchronized (e) {
            String before = e.messageId;
            Target t = e.target;
            String key = t instanceof Webhook w ? w.hook() : null;
            e.target = edit(e, t, parts.get(0), key, true);
            for (int i = 1; i < parts.size(); i++) {
                if (i - 1 < e.extras.size()) {
                    Target x = e.extras.get(i - 1);
                    e.extras.set(i - 1, edit(e, x, parts.get(i), x instanceof Webhook w ? w.hook() : key, false));
                } else {
                    e.extras.add(send(e, key, parts.get(i)));
                }
            }
            while (e.extras.size() > parts.size() - 1) delete(e.extras.remove(e.extras.size() - 1));
            if (e.messageId != null && !e.messageId.equals(before)) {
                synchronized (byMessageId) {
                    byMessageId.put(e.messageId, ref.id());
                }
            }
        }
    }

    /** Edits one message; a webhook message whose token is (nearly) gone is continued in a new channel message. */
    private Target edit(Entry e, Target t, EmbedRenderer.Part part, String hookKey, boolean primary) {
        if (t instanceof InChannel c) {
            call(channel(c.channel()).editMessageById(c.messageId(), editData(part)));
            return t;
        }
        Webhook w = (Webhook) t;
        if (usable(w.hook())) {
            InteractionHook h = hook(w.hook()).hook();
            Message m = call(ORIGINAL.equals(w.messageId()) ? h.editOriginal(editData(part)) : h.editMessageById(w.messageId(), editData(part)));
            noteId(e, m.getId());
            return t;
        }
        if (w.ephemeral()) {
            throw new IllegalStateException("the interaction token has run out; a private message cannot be edited any more");
        }
        LOG.info("interaction token of a message in channel {} is about to run out; continuing in a new channel message", e.channel);
        Message m = call(channel(e.channel).sendMessage(createData(part)));
        if (primary) e.messageId = m.getId();
        return new InChannel(e.channel, m.getId());
    }

    /** Deletes the deferred original response of an interaction (before a private first reply). */
    void deleteOriginal(String hookKey) {
        Hook h = hook(hookKey);
        if (h == null || !usable(hookKey)) return;
        call(h.hook().deleteOriginal());
    }

    private void delete(Target t) {
        try {
            if (t instanceof InChannel c) {
                call(channel(c.channel()).deleteMessageById(c.messageId()));
            } else if (t instanceof Webhook w && usable(w.hook())) {
                call(hook(w.hook()).hook().deleteMessageById(w.messageId()));
            }
        } catch (RuntimeException ex) {
            LOG.warn("could not delete a surplus message part ({})", ex.toString());
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    GuildMessageChannel channel(String id) {
        GuildMessageChannel c = jda.getChannelById(GuildMessageChannel.class, id);
        if (c == null) c = jda.getThreadChannelById(id);
        if (c == null) {
            throw new IllegalStateException("channel " + id + " is not known to the bot (is the bot in that server, and may it see the channel?)");
        }
        return c;
    }

    ThreadChannel thread(String id) {
        return jda.getThreadChannelById(id);
    }

    static MessageCreateData createData(EmbedRenderer.Part p) {
        return new MessageCreateBuilder().setEmbeds(p.embeds()).setComponents(p.rows()).build();
    }

    static MessageEditData editData(EmbedRenderer.Part p) {
        return new MessageEditBuilder().setReplace(true).setContent("").setEmbeds(p.embeds()).setComponents(p.rows()).build();
    }

    /** Runs a REST call through JDA's queue (rate limits, retries) and waits at most {@link #CALL_TIMEOUT}. */
    static <T> T call(RestAction<T> action) {
        try {
            return action.timeout(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).submit()
                    .get(CALL_TIMEOUT.toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while talking to Discord", ex);
        } catch (ExecutionException ex) {
            Throwable c = ex.getCause() == null ? ex : ex.getCause();
            throw new IllegalStateException("Discord refused: " + c.getMessage(), c);
        } catch (TimeoutException ex) {
            throw new IllegalStateException("Discord did not answer within " + CALL_TIMEOUT.toSeconds() + " s", ex);
        }
    }
}
