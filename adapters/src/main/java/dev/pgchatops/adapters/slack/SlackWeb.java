package dev.pgchatops.adapters.slack;

import com.google.gson.Gson;
import com.slack.api.Slack;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.util.json.GsonFactory;
import com.slack.api.webhook.WebhookResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Web API calls the adapter makes, through Bolt's synchronous {@link MethodsClient}, with what that client does
 * not do itself: a 429 is retried after its {@code Retry-After} (up to {@link Policy#maxRetryAfter}), a 5xx or a
 * dropped connection on an idempotent call is retried with exponential backoff, and messages to one channel are
 * paced ({@link Policy#pace}, Slack allows about one per second). Every call is bounded: at most
 * {@link Policy#attempts} tries, each with the HTTP client's timeouts. Failures are {@link SlackCallFailed}.
 *
 * <p>The {@linkplain #patient() patient} view, used for the replies of commands, also outlasts an outage: after the
 * last of those tries it keeps retrying (backoff capped at {@link Policy#maxBackoff}, Retry-After up to what is
 * left) until it has waited {@link Policy#replyOutage} in all, so a reply survives Slack answering 429/5xx or
 * refusing connections for that long. Order per message is kept: an edit of a message that a newer edit of the same
 * message has overtaken stops retrying instead of landing after it. The alert sender keeps the short policy (its
 * outbox retries for it).
 */
final class SlackWeb {
    private static final Logger LOG = LoggerFactory.getLogger(SlackWeb.class);
    private static final Gson GSON = GsonFactory.createSnakeCase();

    /** Retry and pacing rules. */
    record Policy(int attempts, Duration maxRetryAfter, Duration backoff, Duration pace, Duration replyOutage,
                  Duration maxBackoff) {
        /** Replies outlast an outage of two minutes (Slack's own incidents of 429/5xx often last about one). */
        static final Policy DEFAULT = new Policy(4, Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ofSeconds(1),
                Duration.ofMinutes(2), Duration.ofSeconds(10));

        /** Without the outage allowance: replies give up after {@code attempts} like every other call. */
        Policy(int attempts, Duration maxRetryAfter, Duration backoff, Duration pace) {
            this(attempts, maxRetryAfter, backoff, pace, Duration.ZERO, Duration.ofSeconds(10));
        }
    }

    /** A Web API call that failed for good: Slack's error code ({@code not_in_channel}) or what went wrong. */
    static final class SlackCallFailed extends RuntimeException {
        private final String error;

        SlackCallFailed(String method, String error, Throwable cause) {
            super(method + " failed: " + error, cause);
            this.error = error;
        }

        String error() {
            return error;
        }
    }

    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;

        Sleeper REAL = d -> Thread.sleep(Math.max(0, d.toMillis()));
    }

    @FunctionalInterface
    interface Call<T> {
        T run() throws IOException, SlackApiException;
    }

    private final Slack slack;
    private final MethodsClient client;
    private final Policy policy;
    private final Sleeper sleeper;
    /** Per channel: the earliest System.nanoTime() the next message may go out. */
    private final Map<String, Long> nextSlot;
    /** Per message (channel/ts): the newest edit issued; an older edit still retrying stops. */
    private final Map<String, Long> edits;
    /** How long this view keeps retrying in all (zero: {@link Policy#attempts} tries only). */
    private final Duration outage;

    SlackWeb(Slack slack, String botToken, Policy policy, Sleeper sleeper) {
        this(slack, slack.methods(botToken), policy, sleeper, new ConcurrentHashMap<>(), editCounters(), Duration.ZERO);
    }

    private SlackWeb(Slack slack, MethodsClient client, Policy policy, Sleeper sleeper, Map<String, Long> nextSlot,
                     Map<String, Long> edits, Duration outage) {
        this.slack = slack;
        this.client = client;
        this.policy = policy;
        this.sleeper = sleeper;
        this.nextSlot = nextSlot;
        this.edits = edits;
        this.outage = outage;
    }

    /** Edits issued per message, the most recently edited {@value #EDITS_REMEMBERED} messages. */
    private static Map<String, Long> editCounters() {
        return java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> e) {
                return size() > EDITS_REMEMBERED;
            }
        });
    }

    private static final int EDITS_REMEMBERED = 2000;

    /**
     * The same client for the replies of commands: it keeps retrying through an outage of up to
     * {@link Policy#replyOutage}; pacing per channel and the order of edits are shared with this one.
     */
    SlackWeb patient() {
        return new SlackWeb(slack, client, policy, sleeper, nextSlot, edits, policy.replyOutage());
    }

    /** How long this view keeps retrying in all. */
    Duration outage() {
        return outage;
    }

    MethodsClient client() {
        return client;
    }

    /** chat.postMessage; returns the message's ts. */
    String postMessage(String channel, BlockKit.Message m, String threadTs) {
        return call("chat.postMessage", channel, false, () -> client.chatPostMessage(r -> r.channel(channel)
                .text(m.text()).blocks(m.blocks()).threadTs(threadTs).unfurlLinks(false).unfurlMedia(false))).getTs();
    }

    void update(String channel, String ts, BlockKit.Message m) {
        String key = channel + "/" + ts;
        long mine = edits.merge(key, 1L, Long::sum);
        call("chat.update", channel, true, () -> client.chatUpdate(r -> r.channel(channel).ts(ts).text(m.text())
                .blocks(m.blocks())), () -> edits.getOrDefault(key, mine) != mine);
    }

    void delete(String channel, String ts) {
        call("chat.delete", channel, true, () -> client.chatDelete(r -> r.channel(channel).ts(ts)));
    }

    /** chat.postEphemeral: shown to {@code user} only, in {@code channel}. */
    void postEphemeral(String channel, String user, BlockKit.Message m) {
        call("chat.postEphemeral", channel, true, () -> client.chatPostEphemeral(r -> r.channel(channel).user(user)
                .text(m.text()).blocks(m.blocks())));
    }

    /**
     * Posts to an interaction's response_url: {@code ephemeral} (only the user sees it) or in the channel;
     * {@code replaceOriginal} replaces the message the interaction came from (the only way to edit an ephemeral one).
     */
    void respond(String responseUrl, BlockKit.Message m, boolean ephemeral, boolean replaceOriginal) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("response_type", ephemeral ? "ephemeral" : "in_channel");
        body.put("replace_original", replaceOriginal);
        body.put("text", m.text());
        body.put("blocks", m.blocks());
        String json = GSON.toJson(body);
        call("response_url", null, true, () -> {
            WebhookResponse r = slack.send(responseUrl, json);
            if (r.getCode() == 429 || r.getCode() >= 500) throw new HttpStatus(r.getCode(), header(r, "Retry-After"));
            if (r.getCode() != 200) {
                throw new SlackCallFailed("response_url", "HTTP " + r.getCode() + " " + abbreviate(r.getBody()), null);
            }
            return null;
        });
    }

    private static String header(WebhookResponse r, String name) {
        if (r.getHeaders() == null) return null;
        for (Map.Entry<String, List<String>> e : r.getHeaders().entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) return e.getValue().get(0);
        }
        return null;
    }

    /** A retryable HTTP status from a call that does not go through the methods client. */
    private static final class HttpStatus extends IOException {
        final int code;
        final String retryAfter;

        HttpStatus(int code, String retryAfter) {
            super("HTTP " + code);
            this.code = code;
            this.retryAfter = retryAfter;
        }
    }

    /**
     * Runs a call with the retry rules; {@code idempotent} calls are also retried after a dropped connection (every
     * call after a refused one: nothing was sent).
     */
    <T> T call(String method, String channel, boolean idempotent, Call<T> call) {
        return call(method, channel, idempotent, call, () -> false);
    }

    /** As {@link #call(String, String, boolean, Call)}; stops retrying (returns null) once {@code overtaken}. */
    private <T> T call(String method, String channel, boolean idempotent, Call<T> call,
                       java.util.function.BooleanSupplier overtaken) {
        Duration backoff = policy.backoff();
        Duration waited = Duration.ZERO;
        for (int attempt = 1; ; attempt++) {
            if (attempt > 1 && overtaken.getAsBoolean()) {
                LOG.info("Slack {}: a newer edit of the same message was issued; not retrying this one", method);
                return null;
            }
            if (channel != null && method.equals("chat.postMessage")) pace(channel);
            Duration wait;
            String why;
            try {
                T r = call.run();
                if (r instanceof SlackApiTextResponse t && !t.isOk()) {
                    if ("ratelimited".equals(t.getError())
                            && (attempt < policy.attempts() || within(waited, Duration.ofSeconds(1)))) {
                        wait = Duration.ofSeconds(1);
                        why = "ratelimited";
                    } else {
                        throw new SlackCallFailed(method, t.getError(), null);
                    }
                } else {
                    return r;
                }
            } catch (SlackApiException e) {
                int code = e.getResponse() == null ? 0 : e.getResponse().code();
                String retryAfter = e.getResponse() == null ? null : e.getResponse().header("Retry-After");
                if (code == 429) {
                    wait = retryAfter(retryAfter);
                    why = "429 Retry-After " + retryAfter;
                    if (wait.compareTo(policy.maxRetryAfter()) > 0 && !within(waited, wait)) {
                        throw new SlackCallFailed(method, "rate limited for " + wait.toSeconds() + " s (longer than "
                                + policy.maxRetryAfter().toSeconds() + " s)", e);
                    }
                } else if (code >= 500) {
                    wait = backoff;
                    backoff = next(backoff);
                    why = "HTTP " + code;
                } else {
                    throw new SlackCallFailed(method, "HTTP " + code + (e.getError() == null ? "" : " " + e.getError().getError()), e);
                }
            } catch (HttpStatus e) {
                if (e.code == 429) {
                    wait = retryAfter(e.retryAfter);
                    if (wait.compareTo(policy.maxRetryAfter()) > 0 && !within(waited, wait)) {
                        throw new SlackCallFailed(method, "rate limited", e);
                    }
                } else {
                    wait = backoff;
                    backoff = next(backoff);
                }
                why = e.getMessage();
            } catch (IOException e) {
                // a refused connection sent nothing: safe to retry even a post; a dropped one may have posted
                if (!idempotent && !(e instanceof java.net.ConnectException)) throw new SlackCallFailed(method, e.toString(), e);
                wait = backoff;
                backoff = next(backoff);
                why = e.toString();
            }
            if (attempt >= policy.attempts() && !within(waited, wait)) {
                throw new SlackCallFailed(method, why + " (gave up after " + attempt + " tries"
                        + (outage.isZero() ? "" : " and " + waited.toMillis() + " ms of waiting") + ")", null);
            }
            waited = waited.plus(wait);
            if (attempt < policy.attempts()) {
                LOG.info("Slack {} {}: retrying in {} ms (try {} of {})", method, why, wait.toMillis(), attempt + 1, policy.attempts());
            } else {
                LOG.info("Slack {} {}: retrying in {} ms (try {}; {} ms of {} ms outage allowance used)", method, why,
                        wait.toMillis(), attempt + 1, waited.toMillis(), outage.toMillis());
            }
            if (channel != null) push(channel, wait);
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new SlackCallFailed(method, "interrupted", ie);
            }
        }
    }

    /** Whether waiting {@code wait} more stays within this view's outage allowance. */
    private boolean within(Duration waited, Duration wait) {
        return !outage.isZero() && waited.plus(wait).compareTo(outage) <= 0;
    }

    private Duration next(Duration backoff) {
        Duration d = backoff.multipliedBy(2);
        return d.compareTo(policy.maxBackoff()) > 0 ? policy.maxBackoff() : d;
    }

    static Duration retryAfter(String header) {
        try {
            long s = header == null ? 1 : Long.parseLong(header.trim());
            return Duration.ofSeconds(Math.max(1, s));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
        }
    }

    /** Waits for this channel's next slot (outside any lock) and books the one after it. */
    private void pace(String channel) {
        long now = System.nanoTime();
        long paceNanos = policy.pace().toNanos();
        if (nextSlot.size() > 10_000) nextSlot.values().removeIf(t -> t < now);
        long[] mine = new long[1];
        nextSlot.compute(channel, (k, next) -> {
            long slot = next == null || next < now ? now : next;
            mine[0] = slot;
            return slot + paceNanos;
        });
        long wait = mine[0] - now;
        if (wait > 0) {
            try {
                sleeper.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A rate limit hit on a channel pushes its next message slot back. */
    private void push(String channel, Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        nextSlot.merge(channel, until, Math::max);
    }

    private static String abbreviate(String s) {
        if (s == null) return "";
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    static String toJson(List<LayoutBlock> blocks) {
        return GSON.toJson(blocks);
    }
}
