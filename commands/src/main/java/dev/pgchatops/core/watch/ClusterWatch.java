package dev.pgchatops.core.watch;

import dev.pgchatops.config.AlertsConfig;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.patroni.ClusterState;
import dev.pgchatops.core.patroni.Deadline;
import dev.pgchatops.core.patroni.HistoryEntry;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.patroni.PatroniClient;
import dev.pgchatops.core.patroni.PatroniException;
import dev.pgchatops.core.pgbackrest.PgBackRestService;
import dev.pgchatops.core.reply.Severity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Watches one cluster. {@link #poll}: GET /cluster, asked of the leader first (and /history when the leader moved);
 * when another member served it, GET /patroni on the leader itself (a dead leader stays in /cluster until its key
 * expires, so this is what tells "leader unreachable" seconds before Patroni fails over), the {@link PatroniRules}, leader changes told apart as
 * failover or switchover, all turned into alert transitions and outbox messages in one state write.
 * {@link #backupInfo}/{@link #backupCheck}: pgBackRest's info and check through the SSH path.
 */
public final class ClusterWatch {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterWatch.class);
    static final String ENDPOINT = "endpoint";
    static final String PATRONI = "patroni";
    static final String BACKUP_INFO = "backup-info";
    static final String BACKUP_INFO_REACH = "backup-info-reach";
    static final String BACKUP_CHECK = "backup-check";
    static final String BACKUP_RUN = "backup-run";

    /** A leader change as the watch saw it; nanos from {@link System#nanoTime} (the latencies go to the benchmark). */
    public record LeaderChange(String from, String to, long timeline, boolean failover, long seenNanos, long queuedNanos) {
    }

    private final String cluster;
    private final PatroniClient patroni;
    private final AlertsConfig config;
    private final StateStore store;
    private final Tracker tracker;
    private final Notifier notifier;
    private final InstantSource clock;
    private final PatroniRules rules;
    private volatile LeaderChange lastChange;

    public ClusterWatch(String cluster, PatroniClient patroni, AlertsConfig config, StateStore store, Tracker tracker,
                        Notifier notifier, InstantSource clock) {
        this.cluster = cluster;
        this.patroni = patroni;
        this.config = config;
        this.store = store;
        this.tracker = tracker;
        this.notifier = notifier;
        this.clock = clock;
        this.rules = new PatroniRules(cluster, config);
    }

    public String cluster() {
        return cluster;
    }

    public Optional<LeaderChange> lastLeaderChange() {
        return Optional.ofNullable(lastChange);
    }

    /** How long one GET /cluster round may take: two poll intervals, at least 2 s. */
    Duration readBound() {
        Duration d = config.pollInterval().multipliedBy(2);
        return d.compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2) : d;
    }

    /** How long the leader may take to answer GET /patroni: one poll interval, at least 500 ms, at most 2 s. */
    Duration probeBound() {
        Duration d = config.pollInterval();
        if (d.compareTo(Duration.ofMillis(500)) < 0) return Duration.ofMillis(500);
        return d.compareTo(Duration.ofSeconds(2)) > 0 ? Duration.ofSeconds(2) : d;
    }

    /**
     * One poll; true when it changed the watch state (which is then written; a poll that changes nothing — the usual
     * case — writes nothing).
     */
    public boolean poll() {
        ClusterState s;
        PatroniClient.ClusterRead read;
        try {
            read = patroni.clusterRead(Deadline.after(readBound()));
            s = read.state();
        } catch (PatroniException e) {
            Condition c = e instanceof PatroniException.DcsUnavailable
                    ? new Condition("dcs-unavailable", Severity.ERROR, "dcs-unavailable on " + cluster
                    + ": Patroni answers but cannot read its DCS; automatic failover is off", List.of(e.getMessage()))
                    : new Condition("no-endpoint", Severity.ERROR, "no-endpoint on " + cluster
                    + ": no Patroni REST endpoint answers GET /cluster", List.of(e.getMessage()));
            Instant now = clock.instant();
            return store.changeIf(st -> {
                WatchState.AlertMarks before = st.alertMarks();
                List<Transition> t = tracker.observe(st, cluster, ENDPOINT, List.of(c), now);
                notifier.apply(st, t, now);
                return !t.isEmpty() || !before.equals(st.alertMarks());
            });
        }
        long seen = System.nanoTime();
        // The leader's own REST API served /cluster: it answers. Otherwise ask it (GET /patroni), and when it
        // answers, ask it first next time, so that a poll of a healthy cluster is one request (a leader that does
        // not answer is not preferred: every read would wait for it first).
        Optional<String> probe = s.leader().filter(l -> !read.servedBy(l)).flatMap(this::probe);
        if (probe.isEmpty()) s.leader().ifPresent(patroni::prefer);
        WatchState.LeaderSeen prev = store.read(st -> st.leaders.get(cluster));
        Optional<Member> leader = s.leader();
        boolean moved = prev != null && leader.isPresent() && !prev.name().equals(leader.get().name());
        List<HistoryEntry> history = moved ? history() : List.of();
        Instant now = clock.instant();
        return store.changeIf(st -> {
            WatchState.AlertMarks before = st.alertMarks();
            int outbox = st.outbox.size();
            List<Transition> t = new ArrayList<>(tracker.observe(st, cluster, ENDPOINT, List.of(), now));
            boolean changed = !st.members.containsKey(cluster);
            TreeSet<String> known = st.members.computeIfAbsent(cluster, k -> new TreeSet<>());
            if (moved) leaderChanged(st, prev, leader.get(), s, history, seen, now, t);
            List<Condition> conds = rules.evaluate(s, known, probe, Optional.ofNullable(prev).map(WatchState.LeaderSeen::name), now);
            t.addAll(tracker.observe(st, cluster, PATRONI, conds, now));
            notifier.apply(st, t, now);
            if (moved) lastChange = new LeaderChange(prev.name(), leader.get().name(), tl(leader.get()),
                    lastChangeFailover, seen, System.nanoTime());
            if (leader.isPresent()) {
                WatchState.LeaderSeen l = new WatchState.LeaderSeen(leader.get().name(), tl(leader.get()));
                changed |= !l.equals(st.leaders.put(cluster, l));
            }
            for (Member m : s.members()) changed |= known.add(m.name());
            return changed || moved || !t.isEmpty() || st.outbox.size() != outbox || !before.equals(st.alertMarks());
        });
    }

    private boolean lastChangeFailover;

    private void leaderChanged(WatchState st, WatchState.LeaderSeen prev, Member now, ClusterState s,
                               List<HistoryEntry> history, long seenNanos, Instant at, List<Transition> t) {
        String unreachableId = WatchState.alertId(cluster, "leader-unreachable");
        boolean wasUnreachable = st.active.containsKey(unreachableId) || st.firing.containsKey(unreachableId);
        Optional<Member> old = s.member(prev.name());
        Optional<HistoryEntry> last = history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1));
        String reason = last.map(HistoryEntry::reason).orElse("").toLowerCase(java.util.Locale.ROOT);
        boolean failover = old.isEmpty() || wasUnreachable || reason.contains("failover")
                || (!reason.contains("switchover") && old.get().state().contains("crash"));
        lastChangeFailover = failover;
        String kind = failover ? "failover" : "switchover";
        List<String> facts = new ArrayList<>();
        facts.add(old.map(m -> prev.name() + " is now " + m.role().label().toLowerCase(java.util.Locale.ROOT) + ", "
                        + m.state() + (m.timeline().isPresent() ? " on timeline " + m.timeline().getAsLong() : ""))
                .orElse(prev.name() + " is gone from /cluster"));
        if (wasUnreachable) facts.add(prev.name() + " had stopped answering before");
        last.ifPresent(h -> facts.add("Patroni /history: timeline " + h.timeline() + " ended at LSN " + h.lsn()
                + (h.timestamp().isEmpty() ? "" : " at " + h.timestamp())
                + (h.newLeader().isEmpty() ? "" : ", new leader " + h.newLeader())));
        facts.add("members: " + PatroniRules.describe(s));
        String title = kind + " on " + cluster + ": leader " + prev.name() + " → " + now.name() + ", timeline "
                + tlText(now);
        notifier.event(st, new AlertMessage(failover ? Severity.ERROR : Severity.INFO, title, facts, List.of()), at);
        ActiveAlert unreachable = st.active.get(unreachableId);
        tracker.resolve(st, unreachableId, kind + " to " + now.name() + " (timeline " + tlText(now) + ")", at)
                .ifPresent(t::add);
        if (unreachable == null) st.firing.remove(unreachableId);
        LOG.info("{} seen in GET /cluster: {} (queued for {} destination(s))", title, seenNanos, notifier.destinations().size());
    }

    private static String tlText(Member m) {
        return m.timeline().isPresent() ? String.valueOf(m.timeline().getAsLong()) : "?";
    }

    private static long tl(Member m) {
        return m.timeline().isPresent() ? m.timeline().getAsLong() : -1;
    }

    /** Empty when the leader answers GET /patroni itself (or cannot be asked: api_url not in patroni.urls). */
    private Optional<String> probe(Member leader) {
        try {
            patroni.memberStatus(leader, Deadline.after(probeBound()));
            return Optional.empty();
        } catch (PatroniException.Unreachable e) {
            return Optional.of("GET /patroni on " + leader.name() + " failed: " + e.getMessage());
        } catch (PatroniException e) {
            return Optional.empty();
        }
    }

    private List<HistoryEntry> history() {
        try {
            return patroni.history();
        } catch (PatroniException e) {
            LOG.debug("GET /history of {} failed: {}", cluster, e.getMessage());
            return List.of();
        }
    }

    /** pgBackRest info: stanza status and backup ages (an unreachable pgBackRest is its own alert). */
    public void backupInfo(PgBackRestService svc) {
        Instant now;
        List<Condition> conds;
        try {
            var info = svc.info().info();
            now = clock.instant();
            conds = BackupRules.info(cluster, info, config, now);
        } catch (UserFacingException | RuntimeException e) {
            Instant at = clock.instant();
            store.change(st -> {
                notifier.apply(st, tracker.observe(st, cluster, BACKUP_INFO_REACH,
                        List.of(BackupRules.infoFailed(cluster, e.getMessage())), at, 1), at);
                return null;
            });
            return;
        }
        Instant at = now;
        store.change(st -> {
            List<Transition> t = new ArrayList<>(tracker.observe(st, cluster, BACKUP_INFO_REACH, List.of(), at, 1));
            t.addAll(tracker.observe(st, cluster, BACKUP_INFO, conds, at, 1));
            notifier.apply(st, t, at);
            return null;
        });
    }

    /** pgBackRest check on the primary: WAL archiving works. */
    public void backupCheck(PgBackRestService svc) {
        List<Condition> conds;
        try {
            svc.check(dev.pgchatops.core.Progress.NONE);
            conds = List.of();
        } catch (UserFacingException | RuntimeException e) {
            conds = List.of(BackupRules.checkFailed(cluster, e.getMessage()));
        }
        Instant at = clock.instant();
        List<Condition> c = conds;
        store.change(st -> {
            notifier.apply(st, tracker.observe(st, cluster, BACKUP_CHECK, c, at, 1), at);
            return null;
        });
    }
}
