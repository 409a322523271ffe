package dev.pgchatops.core.watch;

import dev.pgchatops.core.chat.MessageRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Everything the watch keeps across restarts, in one document (one atomic file write, so the alert state and the
 * outbox never disagree): active alerts and their damping counters, silences, the last leader seen per cluster, the
 * members seen, when each backup schedule was last checked, the outbox and the platforms' message handles. Guarded by
 * the {@link StateStore}'s lock.
 */
public final class WatchState {
    public Map<String, ActiveAlert> active = new LinkedHashMap<>();
    /** Polls in a row a condition not yet active was seen. */
    public Map<String, Integer> firing = new LinkedHashMap<>();
    /** Polls in a row an active alert's condition was not seen. */
    public Map<String, Integer> resolving = new LinkedHashMap<>();
    /** The domain each pending (not yet fired) counter belongs to. */
    public Map<String, String> pendingDomain = new LinkedHashMap<>();
    public List<Silence> silences = new ArrayList<>();
    public Map<String, LeaderSeen> leaders = new LinkedHashMap<>();
    public Map<String, TreeSet<String>> members = new LinkedHashMap<>();
    public Map<String, Long> scheduleChecked = new LinkedHashMap<>();
    public List<Op> outbox = new ArrayList<>();
    /** msgId + " " + destination → the platform's handle of the posted message. */
    public Map<String, MessageRef> refs = new LinkedHashMap<>();
    public long nextSeq = 1;

    /** The leader last seen in GET /cluster and its timeline (-1: unknown). */
    public record LeaderSeen(String name, long timeline) {
    }

    /**
     * Copies of the alert bookkeeping (active alerts and the damping counters): equal before and after an observation
     * when it changed nothing there. Small: only conditions that are firing, active or resolving are in it.
     */
    AlertMarks alertMarks() {
        return new AlertMarks(Map.copyOf(active), Map.copyOf(firing), Map.copyOf(resolving), Map.copyOf(pendingDomain));
    }

    record AlertMarks(Map<String, ActiveAlert> active, Map<String, Integer> firing, Map<String, Integer> resolving,
                      Map<String, String> pendingDomain) {
    }

    static String alertId(String cluster, String key) {
        return cluster + "/" + key;
    }

    static String refKey(String msgId, String destination) {
        return msgId + " " + destination;
    }

    String newMsgId(String prefix) {
        return prefix + "-" + (nextSeq++);
    }
}
