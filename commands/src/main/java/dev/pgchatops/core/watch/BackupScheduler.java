package dev.pgchatops.core.watch;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.pgchatops.config.BackupSchedule;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.pgbackrest.BackupType;
import dev.pgchatops.core.pgbackrest.PgBackRestService;
import dev.pgchatops.core.reply.Severity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * {@code pgbackrest.schedule}: on every {@link #tick} each backup type's cron expression (UTC) is checked against the
 * time it was last checked (persisted). A run due now is started through the same path as {@code /backup}
 * ({@link PgBackRestService#backup}: the bot-side lock, the primary of this moment re-read from Patroni, or a healthy
 * replica with backup-standby), its start and result posted to the alert channels; a run that would overlap a running
 * backup is skipped with a message; runs missed while the bot was down are reported with a "Run full backup" button,
 * not run late and not skipped silently. A failed run is the "backup-failed" alert until a later run succeeds.
 */
public final class BackupScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(BackupScheduler.class);
    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    /** A run found this late is still run (a tick may come a little after the minute); later ones count as missed. */
    static final Duration LATE_OK = Duration.ofMinutes(2);

    private final String cluster;
    private final PgBackRestService service;
    private final Map<String, ExecutionTime> schedule = new LinkedHashMap<>();
    private final StateStore store;
    private final Tracker tracker;
    private final Notifier notifier;
    private final InstantSource clock;
    private final Executor runs;

    public BackupScheduler(String cluster, PgBackRestService service, BackupSchedule config, StateStore store,
                           Tracker tracker, Notifier notifier, InstantSource clock, Executor runs) {
        this.cluster = cluster;
        this.service = service;
        this.store = store;
        this.tracker = tracker;
        this.notifier = notifier;
        this.clock = clock;
        this.runs = runs;
        config.cron().forEach((type, expr) -> schedule.put(type, ExecutionTime.forCron(CRON.parse(expr))));
    }

    /** Checks every type; starts what is due on {@code runs}, reports what was missed. */
    public void tick() {
        Instant now = clock.instant();
        for (Map.Entry<String, ExecutionTime> e : schedule.entrySet()) {
            String type = e.getKey();
            String key = cluster + "/" + type;
            List<Instant> due = store.change(st -> {
                Long last = st.scheduleChecked.put(key, now.toEpochMilli());
                return last == null ? List.<Instant>of() : dueBetween(e.getValue(), Instant.ofEpochMilli(last), now);
            });
            if (due.isEmpty()) continue;
            Instant latest = due.get(due.size() - 1);
            List<Instant> missed = new ArrayList<>(due);
            if (Duration.between(latest, now).compareTo(LATE_OK) <= 0) {
                missed.remove(missed.size() - 1);
                BackupType bt = BackupType.parse(type).orElseThrow();
                runs.execute(() -> run(bt, latest));
            }
            if (!missed.isEmpty()) reportMissed(type, missed, now);
        }
    }

    /** Scheduled times in (after, until], at most 100. */
    static List<Instant> dueBetween(ExecutionTime et, Instant after, Instant until) {
        List<Instant> out = new ArrayList<>();
        ZonedDateTime t = after.atZone(ZoneOffset.UTC);
        while (out.size() < 100) {
            Optional<ZonedDateTime> n = et.nextExecution(t);
            if (n.isEmpty() || n.get().toInstant().isAfter(until)) break;
            out.add(n.get().toInstant());
            t = n.get();
        }
        return out;
    }

    private void reportMissed(String type, List<Instant> missed, Instant now) {
        String when = missed.size() == 1 ? missed.get(0).toString()
                : missed.size() + " runs from " + missed.get(0) + " to " + missed.get(missed.size() - 1);
        AlertMessage m = new AlertMessage(Severity.WARNING, "backup-missed on " + cluster + ": scheduled " + type
                + " backup not run (" + when + ")", List.of("the bot was not running at that time; it does not run missed"
                + " backups late. Run one now if needed."), List.of(BackupRules.runFull(cluster)));
        store.change(st -> notifier.event(st, m, now));
    }

    void run(BackupType type, Instant scheduledAt) {
        String op = "scheduled " + type.option() + " backup of " + cluster;
        Optional<String> busy = service.lockHolder().map(h -> h.busyMessage());
        if (busy.isPresent()) {
            post(Severity.WARNING, "backup-skipped on " + cluster + ": " + op + " (" + scheduledAt + ") skipped",
                    List.of(busy.get()));
            return;
        }
        String where;
        try {
            where = service.backupSource().describe();
        } catch (UserFacingException e) {
            failed(type, op + " not started: " + e.getMessage());
            return;
        }
        post(Severity.INFO, "backup-started on " + cluster + ": " + op + " starting on " + where, List.of());
        try {
            PgBackRestService.BackupReport r = service.backup(type, "schedule", clock.instant(), line -> {
            });
            String label = r.label().orElse("(label unknown)");
            Instant at = clock.instant();
            store.change(st -> {
                notifier.event(st, new AlertMessage(Severity.SUCCESS, "backup-finished on " + cluster + ": " + op + " "
                        + label + " finished on " + r.source().describe(), r.note().map(List::of).orElse(List.of()), List.of()), at);
                notifier.apply(st, tracker.observe(st, cluster, ClusterWatch.BACKUP_RUN, List.of(), at, 1), at);
                return null;
            });
        } catch (PgBackRestService.AlreadyRunning e) {
            post(Severity.WARNING, "backup-skipped on " + cluster + ": " + op + " (" + scheduledAt + ") skipped",
                    List.of(e.getMessage()));
        } catch (UserFacingException | RuntimeException e) {
            failed(type, op + " failed: " + e.getMessage());
        }
    }

    private void failed(BackupType type, String why) {
        LOG.warn("{}", why);
        Instant at = clock.instant();
        store.change(st -> {
            notifier.apply(st, tracker.observe(st, cluster, ClusterWatch.BACKUP_RUN,
                    List.of(BackupRules.lastBackupFailed(cluster, type.option(), why)), at, 1), at);
            return null;
        });
    }

    private void post(Severity sev, String title, List<String> lines) {
        Instant at = clock.instant();
        store.change(st -> notifier.event(st, new AlertMessage(sev, title, lines, List.of()), at));
    }
}
