package dev.pgchatops.adapters.discord;

import dev.pgchatops.core.chat.ChatFailure;
import dev.pgchatops.core.chat.MessageRef;
import dev.pgchatops.core.chat.Patience;
import dev.pgchatops.core.chat.PatientCall;
import dev.pgchatops.core.chat.SendFailed;
import dev.pgchatops.core.run.DaemonThreads;
import dev.pgchatops.core.run.Ticker;
import dev.pgchatops.core.run.Timer;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.entities.channel.middleman.GuildMessageChannel;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.exceptions.RateLimitedException;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.requests.RestAction;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import net.dv8tion.jda.api.utils.messages.MessageEditBuilder;
import net.dv8tion.jda.api.utils.messages.MessageEditData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Every message the bot posted on Discord, behind the opaque {@link MessageRef}s the core holds (a ref never carries
 * an interaction token, so none reaches a log). A message lives either on an interaction's webhook (the deferred
 * original response or a follow-up; editable with that interaction's token for 15 minutes) or in the channel (posted
 * with the bot token; editable for ever). A click on a button lends the message a fresher token. When the token of
 * a message is about to run out ({@link #TOKEN_USABLE}), its next content goes to a new channel message, which the
 * ref then points to and which keeps being edited. A reply Discord cannot hold in one message is posted as several;
 * an edit edits, adds or deletes the extra messages. All calls go through JDA's rate limiter and are bounded.
 *
 * <p>Outages: JDA itself waits out 429s (Retry-After) and retries some 5xx a few times within a second; beyond that
 * every call is repeated through {@link PatientCall} for up to the {@link Patience} of this view (replies: two
 * minutes; for a message on an interaction's webhook at most until its token runs out, after which a public message
 * continues in the channel as above), the next attempt scheduled on a timer, never sleeping on a JDA thread. Only what
 * is safe is sent again: edits and deletes always; a channel post carries a nonce Discord enforces
 * ({@code enforce_nonce}), so a repeated post returns the message already created; a webhook follow-up (no nonce there)
 * only after an answer that says nothing was done (429, 502, 503, a refused connection, a request JDA never sent).
 * An edit that a newer edit of the same message overtook stops retrying. Failures are {@link SendFailed}.
 * The {@linkplain #quick() quick} view (alerts: their outbox retries) does not wait through an outage.
 */
final class DiscordMessages {
    private static final Logger LOG = LoggerFactory.getLogger(DiscordMessages.class);
    /** Interaction tokens live 15 minutes; after 14 the rest goes to channel messages. */
    static final Duration TOKEN_USABLE = Duration.ofMinutes(14);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);
    /** Retries of replies are scheduled here (one daemon thread; a task only submits the next attempt to JDA). */
    static final Timer RETRY_TIMER = retryTimer();
    private static final SecureRandom NONCES = new SecureRandom();
    private static final int REMEMBERED = 4096;
    private static final String ORIGINAL = "@original";

    private final JDA jda;
    private final LongSupplier nanos;
    private final AtomicLong ids;
    private final Map<String, Hook> hooks;
    private final Map<String, Entry> entries;
    private final Map<String, String> byMessageId;
    private final Patience patience;
    private final Timer timer;
    private final Duration callTimeout;

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
        /** Set: the nonces of its channel posts are this plus a counter (a repeated alert post gets the same ones). */
        String nonceBase;
        int posts;
        /** Edits issued of this message; a retrying edit stops once a newer one was issued. */
        final AtomicLong edits = new AtomicLong();

        Entry(String channel, boolean ephemeral) {
            this.channel = channel;
            this.ephemeral = ephemeral;
        }
    }

    DiscordMessages(JDA jda, LongSupplier nanos) {
        this(jda, nanos, Patience.DEFAULT, RETRY_TIMER, CALL_TIMEOUT);
    }

    /**
     * {@code patience}: how long replies are retried through an outage; {@code timer}: where retries are scheduled;
     * {@code callTimeout}: how long one attempt may wait in JDA's queue (its 429 waits included).
     */
    DiscordMessages(JDA jda, LongSupplier nanos, Patience patience, Timer timer, Duration callTimeout) {
        this.jda = jda;
        this.nanos = nanos;
        this.ids = new AtomicLong();
        this.hooks = lru();
        this.entries = lru();
        this.byMessageId = lru();
        this.patience = patience;
        this.timer = timer;
        this.callTimeout = callTimeout;
    }

    private DiscordMessages(DiscordMessages shared, Patience patience) {
        this.jda = shared.jda;
        this.nanos = shared.nanos;
        this.ids = shared.ids;
        this.hooks = shared.hooks;
        this.entries = shared.entries;
        this.byMessageId = shared.byMessageId;
        this.patience = patience;
        this.timer = shared.timer;
        this.callTimeout = shared.callTimeout;
    }

    /** The same messages without waiting through an outage (alerts: the persisted outbox retries them). */
    DiscordMessages quick() {
        return patience.equals(Patience.NONE) ? this : new DiscordMessages(this, Patience.NONE);
    }

    private static Timer retryTimer() {
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("pgchatops-discord-retry"));
        ex.setRemoveOnCancelPolicy(true);
        return (task, delayNanos) -> ex.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
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
        return create(channel, false, null, null, parts, null);
    }

    /** As {@link #inChannel(String, List)}; the posts' nonces derive from {@code nonceBase} (at most 20 characters). */
    MessageRef inChannel(String channel, List<EmbedRenderer.Part> parts, String nonceBase) {
        return create(channel, false, null, null, parts, nonceBase);
    }

    private MessageRef create(String channel, boolean ephemeral, Target first, String hookKey, List<EmbedRenderer.Part> parts) {
        return create(channel, ephemeral, first, hookKey, parts, null);
    }

    private MessageRef create(String channel, boolean ephemeral, Target first, String hookKey, List<EmbedRenderer.Part> parts,
                              String nonceBase) {
        Entry e = new Entry(channel, ephemeral);
        e.nonceBase = nonceBase;
        String ref = "d" + ids.incrementAndGet();
        synchronized (e) {
            for (int i = 0; i < parts.size(); i++) {
                Target t = i == 0 && first != null ? edit(e, first, parts.get(0), hookKey, true, () -> false) : send(e, hookKey, parts.get(i));
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
            InteractionHook h = hook(hookKey).hook();
            boolean untilTokenEnds = tokenLeft(hookKey).compareTo(patience.allowance()) < 0;
            try {
                // no nonce on webhooks: repeated only after an answer that says nothing was posted
                Message m = patient("follow-up of interaction " + hookKey + " in channel " + e.channel, false, tokenLeft(hookKey),
                        () -> h.sendMessage(createData(part)).setEphemeral(e.ephemeral), () -> false);
                noteId(e, m.getId());
                return new Webhook(hookKey, m.getId(), e.ephemeral);
            } catch (SendFailed ex) {
                // the token ran out during an outage (nothing was posted): a public reply goes to the channel instead
                if (e.ephemeral || !(untilTokenEnds || !usable(hookKey)) || ex.getCause() == null
                        || !classify(ex.getCause(), false).repeatable(false)) throw ex;
                LOG.info("interaction {}: token ran out while Discord failed; posting in channel {} instead", hookKey, e.channel);
            }
        }
        if (e.ephemeral) {
            throw new IllegalStateException("the interaction token has run out; a private reply cannot be shown any more");
        }
        return new InChannel(e.channel, postInChannel(e, part));
    }

    /** A channel message with a nonce Discord enforces: repeating the post after an unclear failure cannot duplicate it. */
    private String postInChannel(Entry e, EmbedRenderer.Part part) {
        String nonce = e.nonceBase == null ? Long.toUnsignedString(NONCES.nextLong(), 36) : e.nonceBase + "." + e.posts;
        e.posts++;
        GuildMessageChannel ch = channel(e.channel);
        Message m = patient("message in channel " + e.channel, true, patience.allowance(),
                () -> ch.sendMessage(createData(part)).setNonce(nonce), () -> false);
        noteId(e, m.getId());
        return m.getId();
    }

    private void noteId(Entry e, String id) {
        if (e.messageId == null) e.messageId = id;
    }

    // ---- editing -----------------------------------------------------------------------------------------------

    /** Replaces what {@code ref} shows; more parts than before are added, fewer delete the rest. */
    void edit(MessageRef ref, List<EmbedRenderer.Part> parts) {
        Entry e = entry(ref.id());
        if (e == null) throw new IllegalStateException("unknown message " + ref.id() + " (posted before a restart?)");
        long mine = e.edits.incrementAndGet();
        BooleanSupplier overtaken = () -> e.edits.get() != mine;
        synchronized (e) {
            if (overtaken.getAsBoolean()) return;   // a newer edit waits behind this one: it shows what is current
            String before = e.messageId;
            Target t = e.target;
            String key = t instanceof Webhook w ? w.hook() : null;
            e.target = edit(e, t, parts.get(0), key, true, overtaken);
            for (int i = 1; i < parts.size(); i++) {
                if (overtaken.getAsBoolean()) return;
                if (i - 1 < e.extras.size()) {
                    Target x = e.extras.get(i - 1);
                    e.extras.set(i - 1, edit(e, x, parts.get(i), x instanceof Webhook w ? w.hook() : key, false, overtaken));
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
    private Target edit(Entry e, Target t, EmbedRenderer.Part part, String hookKey, boolean primary, BooleanSupplier overtaken) {
        if (t instanceof InChannel c) {
            GuildMessageChannel ch = channel(c.channel());
            patient("edit of message " + c.messageId() + " in channel " + c.channel(), true, patience.allowance(),
                    () -> ch.editMessageById(c.messageId(), editData(part)), overtaken);
            return t;
        }
        Webhook w = (Webhook) t;
        if (usable(w.hook())) {
            InteractionHook h = hook(w.hook()).hook();
            boolean untilTokenEnds = tokenLeft(w.hook()).compareTo(patience.allowance()) < 0;
            try {
                Message m = patient("edit of message " + w.messageId() + " of interaction " + w.hook() + " in channel " + e.channel,
                        true, tokenLeft(w.hook()), () -> ORIGINAL.equals(w.messageId()) ? h.editOriginal(editData(part))
                                : h.editMessageById(w.messageId(), editData(part)), overtaken);
                if (m != null) noteId(e, m.getId());
                return t;
            } catch (SendFailed ex) {
                // retried until the token's end (nothing else stopped it): a public message continues in the channel
                if (w.ephemeral() || !(untilTokenEnds || !usable(w.hook())) || ex.getCause() == null
                        || classify(ex.getCause()).kind() == ChatFailure.Kind.REFUSED) throw ex;
                LOG.info("interaction {}: token ran out while Discord failed; continuing in a new message in channel {}", w.hook(), e.channel);
            }
        }
        if (w.ephemeral()) {
            throw new IllegalStateException("the interaction token has run out; a private message cannot be edited any more");
        }
        LOG.info("interaction token of a message in channel {} is about to run out; continuing in a new channel message", e.channel);
        String id = postInChannel(e, part);
        if (primary) e.messageId = id;
        return new InChannel(e.channel, id);
    }

    /** Deletes the deferred original response of an interaction (before a private first reply). */
    void deleteOriginal(String hookKey) {
        Hook h = hook(hookKey);
        if (h == null || !usable(hookKey)) return;
        patient("delete of the original response of interaction " + hookKey, true, tokenLeft(hookKey),
                () -> h.hook().deleteOriginal(), () -> false);
    }

    private void delete(Target t) {
        try {
            if (t instanceof InChannel c) {
                GuildMessageChannel ch = channel(c.channel());
                patient("delete of message " + c.messageId() + " in channel " + c.channel(), true, patience.allowance(),
                        () -> ch.deleteMessageById(c.messageId()), () -> false);
            } else if (t instanceof Webhook w && usable(w.hook())) {
                InteractionHook h = hook(w.hook()).hook();
                patient("delete of message " + w.messageId() + " of interaction " + w.hook(), true, tokenLeft(w.hook()),
                        () -> h.deleteMessageById(w.messageId()), () -> false);
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

    /** How long a call through this hook may keep retrying: this view's patience, at most until the token runs out. */
    private Duration tokenLeft(String hookKey) {
        Hook h = hook(hookKey);
        if (h == null) return Duration.ZERO;
        Duration left = TOKEN_USABLE.minusNanos(nanos.getAsLong() - h.created);
        return left.compareTo(patience.allowance()) < 0 ? left : patience.allowance();
    }

    /**
     * Runs a REST call built by {@code action} (afresh for each attempt) and repeats it through an outage for up to
     * {@code allowance} of waiting, as far as that is safe ({@code idempotent}). The calling thread (the bot's)
     * waits; JDA's threads do not. Returns null when a newer edit {@code overtaken} this one.
     */
    <T> T patient(String what, boolean idempotent, Duration allowance, Supplier<RestAction<T>> action, BooleanSupplier overtaken) {
        Patience p = patience.capped(allowance);
        // A call that must not be repeated after an unclear failure gets the whole allowance in JDA's queue (JDA waits
        // out 429s itself): its deadline then ends the patience anyway, and one that hit the deadline during JDA's own
        // 5xx retries (a 504 may have been done) is not sent again.
        long attemptMs = idempotent ? callTimeout.toMillis() : Math.max(callTimeout.toMillis(), p.allowance().toMillis());
        CompletableFuture<T> f = PatientCall.start("Discord " + what, idempotent, p, timer,
                Ticker.SYSTEM, () -> action.get().timeout(attemptMs, TimeUnit.MILLISECONDS).submit(), t -> classify(t, idempotent), overtaken);
        // each attempt is bounded by callTimeout in JDA, the waits between them by the allowance
        long bound = p.allowance().toMillis() + attemptMs * 3 + 5000;
        try {
            return f.get(bound, TimeUnit.MILLISECONDS);
        } catch (InterruptedException ex) {
            f.cancel(false);
            Thread.currentThread().interrupt();
            throw SendFailed.transientFailure("Discord " + what + ": interrupted while waiting for Discord", ex);
        } catch (ExecutionException ex) {
            Throwable c = ex.getCause() == null ? ex : ex.getCause();
            if (c instanceof SendFailed s) throw s;
            if (c instanceof RuntimeException r) throw r;
            throw SendFailed.transientFailure("Discord " + what + ": " + c, c);
        } catch (TimeoutException ex) {
            f.cancel(false);
            LOG.warn("Discord {}: no outcome within {} ms; outcome unknown", what, bound);
            throw SendFailed.transientFailure("Discord " + what + ": no outcome within " + bound + " ms (outcome unknown)", ex);
        }
    }

    /** What a failed JDA call says about whether Discord did anything (see {@link ChatFailure}). */
    static ChatFailure classify(Throwable t) {
        return classify(t, true);
    }

    /**
     * As {@link #classify(Throwable)}; JDA's deadline ({@link TimeoutException}) means "not sent" only for an
     * {@code idempotent} call (then it does not matter): it may also strike between JDA's own retries of a 504.
     */
    static ChatFailure classify(Throwable t, boolean idempotent) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ErrorResponseException r) {
                int code = r.getResponse() == null ? 0 : r.getResponse().code;
                String why = "HTTP " + code + " " + r.getMeaning();
                if (code == 429) {
                    long ms = r.getResponse().retryAfter;
                    return ChatFailure.rateLimited(why, Duration.ofMillis(Math.max(1000, ms)));
                }
                if (nothingDone(r)) return ChatFailure.notApplied(why);
                if (code >= 500 || code <= 0) return ChatFailure.unknown(why);
                return ChatFailure.refused(why);
            }
            if (c instanceof RateLimitedException r) {
                return ChatFailure.rateLimited("rate limited", Duration.ofMillis(Math.max(1000, r.getRetryAfter())));
            }
            if (c instanceof TimeoutException) {
                return idempotent ? ChatFailure.notApplied("no answer within the call timeout (JDA's queue: 429s, 5xx retries)")
                        : ChatFailure.unknown("no answer within the call timeout (JDA's queue: 429s, 5xx retries)");
            }
            if (c instanceof ConnectException) return ChatFailure.notApplied(c.toString());
            if (c instanceof IOException) return ChatFailure.unknown(c.toString());
        }
        return ChatFailure.unknown(String.valueOf(t));
    }

    /** 502 and 503 are Discord's front saying no server took the request: nothing was done. */
    private static boolean nothingDone(ErrorResponseException r) {
        int code = r.getResponse() == null ? 0 : r.getResponse().code;
        return code == 502 || code == 503;
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
