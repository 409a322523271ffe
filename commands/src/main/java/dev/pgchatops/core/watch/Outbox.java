package dev.pgchatops.core.watch;

import dev.pgchatops.core.chat.ChannelSender;
import dev.pgchatops.core.chat.MessageRef;
import dev.pgchatops.core.chat.SendFailed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Delivers the messages waiting in the persisted {@link WatchState#outbox}, in order per destination: a message
 * leaves the outbox only once its sender returned (the platform accepted it), and a POST's handle is stored in the
 * same write, so later edits and thread replies go to the right message also after a restart. A
 * {@link SendFailed} with Retry-After waits that long; other failures back off (1 s, 2 s, 4 s … at most 60 s); a
 * permanent refusal is logged and dropped (retrying cannot help). The sender is called without the state lock.
 * Not thread-safe: one thread delivers.
 */
public final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private final StateStore store;
    private final Map<String, ChannelSender> senders;
    private final InstantSource clock;

    public Outbox(StateStore store, Map<String, ChannelSender> senders, InstantSource clock) {
        this.store = store;
        this.senders = Map.copyOf(senders);
        this.clock = clock;
    }

    /** Delivers every message that is due now, destination by destination; returns how many were delivered. */
    public int deliverDue() {
        int delivered = 0;
        while (true) {
            List<Op> heads = store.read(st -> heads(st, clock.instant()));
            if (heads.isEmpty()) return delivered;
            boolean progressed = false;
            for (Op op : heads) {
                if (deliver(op)) {
                    delivered++;
                    progressed = true;
                }
            }
            if (!progressed) return delivered;
        }
    }

    /** When the next waiting message is due (empty: the outbox is empty). */
    public Optional<Instant> nextDue() {
        return store.read(st -> st.outbox.stream().mapToLong(Op::notBeforeMillis).min().stream()
                .mapToObj(Instant::ofEpochMilli).findFirst());
    }

    public int pending() {
        return store.read(st -> st.outbox.size());
    }

    /** The first waiting message of each destination, if it is due. */
    private static List<Op> heads(WatchState st, Instant now) {
        Map<String, Op> first = new LinkedHashMap<>();
        for (Op op : st.outbox) first.putIfAbsent(op.destination(), op);
        List<Op> out = new ArrayList<>();
        for (Op op : first.values()) if (op.notBeforeMillis() <= now.toEpochMilli()) out.add(op);
        return out;
    }

    private boolean deliver(Op op) {
        ChannelSender sender = senders.get(op.sender());
        if (sender == null) {
            LOG.error("alert message {} for {} dropped: no sender '{}' is running", op.seq(), op.destination(), op.sender());
            store.change(st -> st.outbox.removeIf(o -> o.seq() == op.seq()));
            return true;
        }
        String refKey = WatchState.refKey(op.msgId(), op.destination());
        MessageRef ref = store.read(st -> st.refs.get(refKey));
        try {
            MessageRef posted = switch (op.kind()) {
                case POST -> sender.post(op.channel(), op.message().toReply());
                case UPDATE -> {
                    if (ref == null) {
                        LOG.warn("alert message {}: nothing to edit in {} (its first message was never posted)", op.seq(), op.destination());
                    } else {
                        sender.update(ref, op.message().toReply());
                    }
                    yield null;
                }
                case THREAD -> ref == null ? sender.post(op.channel(), op.message().toReply())
                        : sender.replyInThread(ref, op.message().toReply());
            };
            store.change(st -> {
                st.outbox.removeIf(o -> o.seq() == op.seq());
                if (op.kind() == Op.Kind.POST && posted != null) st.refs.put(refKey, posted);
                return null;
            });
            return true;
        } catch (SendFailed e) {
            if (e.permanent()) {
                LOG.error("alert message {} to {} refused for good, dropped: {}", op.seq(), op.destination(), e.getMessage());
                store.change(st -> st.outbox.removeIf(o -> o.seq() == op.seq()));
                return true;
            }
            Duration wait = e.retryAfter().orElse(backoff(op.attempts()));
            retryLater(op, wait, e.getMessage());
            return false;
        } catch (RuntimeException e) {
            retryLater(op, backoff(op.attempts()), e.toString());
            return false;
        }
    }

    private void retryLater(Op op, Duration wait, String why) {
        long at = clock.instant().plus(wait).toEpochMilli();
        LOG.warn("alert message {} to {} not accepted (attempt {}), retrying in {} ms: {}", op.seq(), op.destination(),
                op.attempts() + 1, wait.toMillis(), why);
        store.change(st -> {
            st.outbox.replaceAll(o -> o.seq() == op.seq() ? o.retryAt(at) : o);
            return null;
        });
    }

    static Duration backoff(int attempts) {
        long s = 1L << Math.min(attempts, 6);
        Duration d = Duration.ofSeconds(s);
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    /** Forgets handles of messages no alert refers to any more (resolved alerts, old events), keeping the file small. */
    public static void prune(WatchState st) {
        java.util.Set<String> live = new java.util.HashSet<>();
        st.active.values().forEach(a -> live.add(a.msgId()));
        st.outbox.forEach(o -> live.add(o.msgId()));
        st.refs.keySet().removeIf(k -> !live.contains(k.substring(0, k.indexOf(' '))));
    }
}
