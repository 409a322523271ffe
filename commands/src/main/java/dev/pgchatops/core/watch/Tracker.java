package dev.pgchatops.core.watch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Alert state with damping. Each observation covers one {@code domain} of one cluster ("endpoint", "patroni",
 * "backup-info", "backup-check", "backup-run"): a condition fires once it was seen in {@code damping} observations in a
 * row (or its own {@link Condition#holdPolls}), an active alert resolves once its condition was absent that many
 * times; alerts of other domains are left alone (a Patroni outage does not resolve backup alerts). Works on the
 * {@link WatchState} it is given; the caller holds the store's lock.
 */
public final class Tracker {
    private final int damping;

    public Tracker(int damping) {
        if (damping < 1) throw new IllegalArgumentException("damping must be at least 1, got " + damping);
        this.damping = damping;
    }

    public List<Transition> observe(WatchState st, String cluster, String domain, List<Condition> present, Instant now) {
        return observe(st, cluster, domain, present, now, damping);
    }

    /** As {@link #observe(WatchState, String, String, List, Instant)} with this domain's own damping (slow checks: 1). */
    public List<Transition> observe(WatchState st, String cluster, String domain, List<Condition> present, Instant now,
                                    int damping) {
        List<Transition> out = new ArrayList<>();
        Map<String, Condition> seen = new LinkedHashMap<>();
        for (Condition c : present) seen.put(WatchState.alertId(cluster, c.key()), c);
        for (Map.Entry<String, Condition> e : seen.entrySet()) {
            String id = e.getKey();
            Condition c = e.getValue();
            ActiveAlert a = st.active.get(id);
            st.resolving.remove(id);
            if (a != null) {
                if (!a.facts().equals(c.facts()) || !a.title().equals(c.title()) || a.severity() != c.severity()) {
                    ActiveAlert n = a.with(c);
                    st.active.put(id, n);
                    out.add(new Transition.Changed(n, changeLine(a, c)));
                }
                continue;
            }
            int n = st.firing.merge(id, 1, Integer::sum);
            st.pendingDomain.put(id, domain);
            int hold = c.holdPolls() > 0 ? c.holdPolls() : damping;
            if (n >= hold) {
                st.firing.remove(id);
                ActiveAlert fired = new ActiveAlert(cluster, c.key(), domain, c.severity(), c.title(), c.facts(),
                        c.buttons(), now.toEpochMilli(), st.newMsgId("alert"), false);
                st.active.put(id, fired);
                out.add(new Transition.Fired(fired));
            }
        }
        // a pending condition of this domain not seen now starts again from zero
        st.firing.keySet().removeIf(id -> domain.equals(st.pendingDomain.get(id)) && id.startsWith(cluster + "/")
                && !seen.containsKey(id));
        st.pendingDomain.keySet().removeIf(id -> !st.firing.containsKey(id));
        for (ActiveAlert a : List.copyOf(st.active.values())) {
            if (!a.cluster().equals(cluster) || !a.domain().equals(domain) || seen.containsKey(a.id())) continue;
            int n = st.resolving.merge(a.id(), 1, Integer::sum);
            if (n >= damping) out.add(resolve(st, a.id(), "cleared", now).orElseThrow());
        }
        return out;
    }

    /** Resolves an active alert now (e.g. "leader unreachable" by the failover that followed). */
    public Optional<Transition> resolve(WatchState st, String id, String reason, Instant now) {
        ActiveAlert a = st.active.remove(id);
        st.resolving.remove(id);
        st.firing.remove(id);
        if (a == null) return Optional.empty();
        return Optional.of(new Transition.Resolved(a, Duration.between(a.firedAt(), now), reason));
    }

    private static String changeLine(ActiveAlert a, Condition c) {
        List<String> added = new ArrayList<>(c.facts());
        added.removeAll(a.facts());
        String what = added.isEmpty() ? String.join("; ", c.facts()) : String.join("; ", added);
        return (a.title().equals(c.title()) ? "now: " : c.title() + " — ") + what;
    }
}
