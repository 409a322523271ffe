package dev.pgchatops.core.watch;

import dev.pgchatops.core.run.DaemonThreads;
import dev.pgchatops.config.AlertsConfig;
import dev.pgchatops.core.ClusterRuntime;
import dev.pgchatops.core.chat.ChannelSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bot on watch ({@code pgchatops serve}): polls every cluster every {@code poll-interval} (with up to 10 % jitter),
 * runs pgBackRest info and check at their intervals and the backup schedules, and delivers the outbox on its own
 * thread. State (alerts, silences, outbox, message handles) is in {@code state-dir} and resumed on start.
 */
public final class Watcher implements AlertBook, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Watcher.class);

    private final AlertsConfig config;
    private final StateStore store;
    private final Tracker tracker;
    private final Notifier notifier;
    private final Outbox outbox;
    private final InstantSource clock;
    private final List<ClusterWatch> watches = new ArrayList<>();
    private final List<BackupScheduler> schedulers = new ArrayList<>();
    private final Map<String, ClusterRuntime> runtimes = new java.util.LinkedHashMap<>();
    private final ScheduledExecutorService timer;
    private final ExecutorService polls;
    private final ExecutorService slow;
    private final Object wake = new Object();
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread delivery;

    public Watcher(AlertsConfig config, Collection<ClusterRuntime> clusters, StateStore store,
                   Map<String, ChannelSender> senders, List<Destination> destinations, InstantSource clock) {
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.tracker = new Tracker(config.dampingPolls());
        this.notifier = new Notifier(destinations);
        this.outbox = new Outbox(store, senders, clock);
        // One thread keeps the time; polls (blocking, each bounded) run on a pool that grows with the clusters but
        // not one thread each: hundreds of idle threads in timed waits cost more than the polls themselves.
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("pgchatops-watch-timer"));
        this.polls = Executors.newFixedThreadPool(pollThreads(clusters.size()), DaemonThreads.numbered("pgchatops-watch"));
        this.slow = Executors.newCachedThreadPool(DaemonThreads.numbered("pgchatops-watch-slow"));
        for (ClusterRuntime c : clusters) {
            runtimes.put(c.name(), c);
            watches.add(new ClusterWatch(c.name(), c.patroni(), config, store, tracker, notifier, clock));
            c.pgbackrest().ifPresent(svc -> svc.config().schedule().ifPresent(s -> schedulers.add(
                    new BackupScheduler(c.name(), svc, s, store, tracker, notifier, clock, slow))));
        }
    }

    /** Opens the state in {@code config.stateDir()}; the message says which directory could not be used. */
    public static StateStore openState(AlertsConfig config) throws IOException {
        try {
            return StateStore.open(config.stateDir());
        } catch (IOException e) {
            throw new IOException("alerts.state-dir: cannot use " + config.stateDir() + " (" + e + ")", e);
        }
    }

    /** The destinations of {@code alerts.channels}: the console, then Slack and Discord channels. */
    public static List<Destination> destinations(AlertsConfig config) {
        List<Destination> out = new ArrayList<>();
        if (config.channels().console()) out.add(new Destination(Destination.CONSOLE, Destination.CONSOLE_CHANNEL));
        config.channels().slack().forEach(c -> out.add(new Destination("slack", c)));
        config.channels().discord().forEach(c -> out.add(new Destination("discord", c)));
        return out;
    }

    public List<ClusterWatch> watches() {
        return List.copyOf(watches);
    }

    public Outbox outbox() {
        return outbox;
    }

    public StateStore store() {
        return store;
    }

    public void start() {
        if (!running.compareAndSet(false, true)) return;
        long pollMs = config.pollInterval().toMillis();
        for (ClusterWatch w : watches) {
            scheduleNext(w, 0);
            ClusterRuntime rt = runtimes.get(w.cluster());
            rt.pgbackrest().ifPresent(svc -> {
                timer.scheduleWithFixedDelay(() -> slow.execute(() -> safely("info " + w.cluster(), () -> {
                    w.backupInfo(svc);
                    wake();
                })), 5_000, config.infoInterval().toMillis(), TimeUnit.MILLISECONDS);
                timer.scheduleWithFixedDelay(() -> slow.execute(() -> safely("check " + w.cluster(), () -> {
                    w.backupCheck(svc);
                    wake();
                })), 20_000, config.checkInterval().toMillis(), TimeUnit.MILLISECONDS);
            });
        }
        timer.scheduleWithFixedDelay(() -> safely("schedule", () -> {
            schedulers.forEach(BackupScheduler::tick);
            store.change(st -> {
                notifier.releaseSilenced(st, clock.instant());
                Outbox.prune(st);
                return null;
            });
            wake();
        }), 0, Math.min(pollMs * 5, 15_000), TimeUnit.MILLISECONDS);
        delivery = DaemonThreads.named("pgchatops-outbox").newThread(this::deliverLoop);
        delivery.start();
    }

    private void scheduleNext(ClusterWatch w, long delayMs) {
        if (!running.get()) return;
        try {
            timer.schedule(() -> polls.execute(() -> {
                long t0 = System.nanoTime();
                if (safely("poll " + w.cluster(), w::poll)) wake();
                long spent = (System.nanoTime() - t0) / 1_000_000;
                long poll = config.pollInterval().toMillis();
                long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, poll / 10));
                scheduleNext(w, Math.max(0, poll - spent) + jitter);
            }), delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /**
     * Threads for the polls: one per cluster up to 16, then one more per 16 clusters (a poll of a healthy cluster
     * takes milliseconds; one whose members do not answer holds its thread for its bound, a few seconds).
     */
    static int pollThreads(int clusters) {
        return Math.max(1, Math.min(clusters, 16 + clusters / 16));
    }

    private void deliverLoop() {
        while (running.get()) {
            safely("outbox", outbox::deliverDue);
            long waitMs = outbox.nextDue().map(t -> Math.max(1, Duration.between(clock.instant(), t).toMillis()))
                    .orElse(1_000L);
            synchronized (wake) {
                try {
                    wake.wait(Math.min(waitMs, 1_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void wake() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private static void safely(String what, Runnable r) {
        safely(what, () -> {
            r.run();
            return true;
        });
    }

    /** What {@code r} returned, or true (something may have changed) when it failed. */
    private static boolean safely(String what, java.util.function.BooleanSupplier r) {
        try {
            return r.getAsBoolean();
        } catch (RuntimeException e) {
            LOG.error("watch: {} failed", what, e);
            return true;
        }
    }


    @Override
    public void close() {
        running.set(false);
        timer.shutdownNow();
        polls.shutdownNow();
        slow.shutdownNow();
        if (delivery != null) {
            delivery.interrupt();
            try {
                delivery.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- AlertBook ----------------------------------------------------------------------------------------

    @Override
    public List<ActiveAlert> active(Optional<String> cluster) {
        return store.read(st -> st.active.values().stream().filter(a -> cluster.isEmpty() || a.cluster().equals(cluster.get()))
                .sorted(java.util.Comparator.comparingLong(ActiveAlert::firedAtMillis)).toList());
    }

    @Override
    public List<Silence> silences() {
        Instant now = clock.instant();
        return store.read(st -> st.silences.stream().filter(s -> s.untilMillis() > now.toEpochMilli()).toList());
    }

    @Override
    public Silence silence(Optional<String> cluster, Optional<String> alert, Duration duration, String by) {
        Instant now = clock.instant();
        return store.change(st -> {
            Silence s = new Silence(st.nextSeq++, cluster.orElse(null), alert.orElse(null),
                    now.plus(duration).toEpochMilli(), by);
            st.silences.add(s);
            return s;
        });
    }

    @Override
    public List<Silence> unsilence(Optional<String> cluster, Optional<String> alert) {
        List<Silence> removed = store.change(st -> {
            List<Silence> r = st.silences.stream().filter(s -> java.util.Objects.equals(s.cluster(), cluster.orElse(null))
                    && (alert.isEmpty() || alert.get().equals(s.alert()))).toList();
            st.silences.removeAll(r);
            notifier.releaseSilenced(st, clock.instant());
            return r;
        });
        wake();
        return removed;
    }

    @Override
    public boolean silenced(ActiveAlert a) {
        Instant now = clock.instant();
        return store.read(st -> Notifier.silenced(st, a, now));
    }
}
