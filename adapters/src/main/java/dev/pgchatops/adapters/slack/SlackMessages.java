package dev.pgchatops.adapters.slack;

import dev.pgchatops.core.chat.MessageRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Posts and edits messages for conversations and the alert sender, shared by all of them so that any later
 * interaction in a channel can edit what an earlier one posted. A channel message is {@code MessageRef(channel, ts)}
 * of its first part; a reply too large for one message has further parts, remembered here (bounded) so an edit
 * updates them all. An ephemeral message is {@code MessageRef(channel, "ephemeral:N")}; it can only be replaced
 * through the response_url it was posted with, which is remembered too.
 */
final class SlackMessages {
    private static final Logger LOG = LoggerFactory.getLogger(SlackMessages.class);
    static final String EPHEMERAL = "ephemeral:";
    private static final int REMEMBERED = 2000;

    private final SlackWeb web;
    private final Clock clock;
    private final AtomicLong ephemeralIds;
    /** First part's ts (channel/ts) → every part's ts, for replies posted as several messages. */
    private final Map<String, List<String>> parts;
    /** ephemeral:N → the response_url it was posted through. */
    private final Map<String, String> ephemeralUrls;
    /** The view with the short retry policy (this one, or the one {@link #patient()} was made from). */
    private final SlackMessages quick;

    SlackMessages(SlackWeb web, Clock clock) {
        this.web = web;
        this.clock = clock;
        this.ephemeralIds = new AtomicLong();
        this.parts = lru();
        this.ephemeralUrls = lru();
        this.quick = this;
    }

    private SlackMessages(SlackMessages base, SlackWeb web) {
        this.web = web;
        this.clock = base.clock;
        this.ephemeralIds = base.ephemeralIds;
        this.parts = base.parts;
        this.ephemeralUrls = base.ephemeralUrls;
        this.quick = base;
    }

    /**
     * The same messages through {@link SlackWeb#patient()}: for the replies of commands, which then outlast an outage
     * of Slack; what was posted through either view can be edited through both.
     */
    SlackMessages patient() {
        return new SlackMessages(quick, web.patient());
    }

    /** The view with the short retry policy, for what must not wait through an outage ("working on …"). */
    SlackMessages quick() {
        return quick;
    }

    SlackWeb web() {
        return web;
    }

    Clock clock() {
        return clock;
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> e) {
                return size() > REMEMBERED;
            }
        };
    }

    /** Posts every part of a rendered reply in {@code channel}; returns the first. */
    MessageRef post(String channel, List<BlockKit.Message> rendered, String threadTs) {
        List<String> ts = new ArrayList<>();
        for (BlockKit.Message m : rendered) ts.add(web.postMessage(channel, m, threadTs));
        if (ts.size() > 1) {
            synchronized (parts) {
                parts.put(channel + "/" + ts.get(0), List.copyOf(ts));
            }
        }
        return new MessageRef(channel, ts.get(0));
    }

    /**
     * Edits a channel message (all its parts): parts the new content has no room for are posted after it, parts it
     * no longer needs are deleted.
     */
    void update(MessageRef ref, List<BlockKit.Message> rendered, String threadTs) {
        List<String> old;
        String key = ref.channel() + "/" + ref.id();
        synchronized (parts) {
            old = parts.getOrDefault(key, List.of(ref.id()));
        }
        List<String> now = new ArrayList<>();
        for (int i = 0; i < rendered.size(); i++) {
            if (i < old.size()) {
                web.update(ref.channel(), old.get(i), rendered.get(i));
                now.add(old.get(i));
            } else {
                now.add(web.postMessage(ref.channel(), rendered.get(i), threadTs));
            }
        }
        for (int i = rendered.size(); i < old.size(); i++) {
            try {
                web.delete(ref.channel(), old.get(i));
            } catch (RuntimeException e) {
                LOG.warn("could not delete the surplus part {} of message {}: {}", old.get(i), ref.id(), e.getMessage());
            }
        }
        synchronized (parts) {
            if (now.size() > 1) parts.put(key, List.copyOf(now));
            else parts.remove(key);
        }
    }

    /** Remembers an ephemeral message posted through {@code responseUrl}. */
    MessageRef ephemeral(String channel, String responseUrl) {
        String id = EPHEMERAL + ephemeralIds.incrementAndGet();
        if (responseUrl != null) {
            synchronized (ephemeralUrls) {
                ephemeralUrls.put(id, responseUrl);
            }
        }
        return new MessageRef(channel, id);
    }

    String responseUrlOf(MessageRef ref) {
        synchronized (ephemeralUrls) {
            return ephemeralUrls.get(ref.id());
        }
    }

    static boolean isEphemeral(MessageRef ref) {
        return ref.id().startsWith(EPHEMERAL);
    }
}
