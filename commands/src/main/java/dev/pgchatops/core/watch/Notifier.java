package dev.pgchatops.core.watch;

import dev.pgchatops.core.Bot;
import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Severity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns alert transitions and one-off events into outbox messages for every destination: a fired alert is one
 * message (with its next-step buttons and "Silence 1 h"), changes go into its thread, a resolve edits the first
 * message to "RESOLVED after 3 min: …" and adds a thread line. Silenced alerts are not posted (and post once the
 * silence is over if still active); an alert that was posted still resolves visibly. The caller holds the state lock.
 */
public final class Notifier {
    private final List<Destination> destinations;

    public Notifier(List<Destination> destinations) {
        this.destinations = List.copyOf(destinations);
    }

    public List<Destination> destinations() {
        return destinations;
    }

    public void apply(WatchState st, List<Transition> transitions, Instant now) {
        for (Transition t : transitions) {
            if (t instanceof Transition.Fired f) {
                postIfNotSilenced(st, f.alert(), now);
            } else if (t instanceof Transition.Changed c) {
                if (c.alert().posted() && !silenced(st, c.alert(), now)) {
                    enqueue(st, Op.Kind.THREAD, c.alert().msgId(), AlertMessage.line(c.alert().severity(), c.line()), now);
                }
            } else if (t instanceof Transition.Resolved r) {
                if (!r.alert().posted()) continue;
                String after = human(r.after());
                ActiveAlert a = r.alert();
                enqueue(st, Op.Kind.UPDATE, a.msgId(), new AlertMessage(Severity.SUCCESS, "RESOLVED after " + after + ": "
                        + a.title(), a.facts(), List.of()), now);
                enqueue(st, Op.Kind.THREAD, a.msgId(), AlertMessage.line(Severity.SUCCESS, "resolved after " + after
                        + (r.reason().isEmpty() || r.reason().equals("cleared") ? "" : ": " + r.reason())), now);
            }
        }
    }

    /** Posts active alerts that a silence kept back, once no silence covers them any more. */
    public void releaseSilenced(WatchState st, Instant now) {
        for (ActiveAlert a : List.copyOf(st.active.values())) {
            if (!a.posted()) postIfNotSilenced(st, a, now);
        }
        st.silences.removeIf(s -> s.untilMillis() <= now.toEpochMilli());
    }

    /** A one-off message (leader changed, backup started/finished, missed run); returns its msgId. */
    public String event(WatchState st, AlertMessage m, Instant now) {
        String id = st.newMsgId("event");
        enqueue(st, Op.Kind.POST, id, m, now);
        return id;
    }

    /** A line in an alert's thread (e.g. "resolved by failover to node2"), if it was posted. */
    public void thread(WatchState st, ActiveAlert a, AlertMessage m, Instant now) {
        if (a.posted()) enqueue(st, Op.Kind.THREAD, a.msgId(), m, now);
    }

    private void postIfNotSilenced(WatchState st, ActiveAlert a, Instant now) {
        if (silenced(st, a, now)) return;
        List<Block.Button> b = new ArrayList<>(a.buttons());
        b.add(new Block.Button(Bot.RUN_PREFIX + "/silence --cluster " + a.cluster() + " --alert " + a.key() + " 1h",
                "Silence 1 h", Block.Style.DEFAULT));
        enqueue(st, Op.Kind.POST, a.msgId(), new AlertMessage(a.severity(), a.title(), a.facts(), b), now);
        st.active.put(a.id(), a.markPosted());
    }

    static boolean silenced(WatchState st, ActiveAlert a, Instant now) {
        return st.silences.stream().anyMatch(s -> s.matches(a.cluster(), a.key(), now));
    }

    private void enqueue(WatchState st, Op.Kind kind, String msgId, AlertMessage m, Instant now) {
        for (Destination d : destinations) {
            st.outbox.add(new Op(st.nextSeq++, kind, d.sender(), d.channel(), msgId, m, 0, now.toEpochMilli()));
        }
    }

    /** "45 s", "3 min", "2 h 5 min", "3 d 4 h". */
    public static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) return s + " s";
        long m = s / 60;
        if (m < 60) return m + " min";
        long h = m / 60;
        if (h < 48) return h + " h" + (m % 60 == 0 ? "" : " " + (m % 60) + " min");
        return (h / 24) + " d" + (h % 24 == 0 ? "" : " " + (h % 24) + " h");
    }
}
