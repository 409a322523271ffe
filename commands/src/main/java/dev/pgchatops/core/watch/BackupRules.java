package dev.pgchatops.core.watch;

import dev.pgchatops.config.AlertsConfig;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.pgbackrest.StanzaInfo;
import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Severity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Rules on pgBackRest's info and check: stanza status, newest full / any backup too old, check failing. */
public final class BackupRules {
    private BackupRules() {
    }

    public static List<Condition> info(String cluster, StanzaInfo info, AlertsConfig config, Instant now) {
        List<Condition> out = new ArrayList<>();
        Block.Button full = runFull(cluster);
        if (info.statusCode() != StanzaInfo.OK && info.statusCode() != StanzaInfo.NO_VALID_BACKUPS) {
            out.add(new Condition("stanza-status", Severity.ERROR, "stanza-status on " + cluster + ": stanza " + info.name()
                    + " is " + info.statusText(), List.of("pgBackRest status code " + info.statusCode())));
        }
        Optional<StanzaInfo.BackupSet> newestFull = info.backups().stream().filter(b -> b.type().equals("full"))
                .reduce((a, b) -> b);
        if (newestFull.isEmpty()) {
            out.add(new Condition("backup-age:full", Severity.ERROR, "backup-age on " + cluster + ": stanza " + info.name()
                    + " has no full backup", List.of("max age for a full backup: " + Notifier.human(config.backupMaxAgeFull())))
                    .withButtons(List.of(full)));
        } else {
            age(cluster, "full", newestFull.get(), config.backupMaxAgeFull(), now, full).ifPresent(out::add);
        }
        info.newest().flatMap(b -> age(cluster, "any", b, config.backupMaxAgeAny(), now, full)).ifPresent(out::add);
        return out;
    }

    private static Optional<Condition> age(String cluster, String which, StanzaInfo.BackupSet b, Duration max, Instant now,
                                           Block.Button button) {
        Duration age = Duration.between(b.stop(), now);
        if (age.compareTo(max) <= 0) return Optional.empty();
        String what = which.equals("full") ? "newest full backup" : "newest backup";
        return Optional.of(new Condition("backup-age:" + which, Severity.WARNING, "backup-age on " + cluster + ": " + what
                + " " + b.label() + " is older than " + Notifier.human(max),
                List.of("finished " + b.stop() + " (" + Notifier.human(age) + " ago)")).withButtons(List.of(button)));
    }

    public static Condition infoFailed(String cluster, String why) {
        return new Condition("backup-info-failed", Severity.WARNING, "backup-info-failed on " + cluster
                + ": pgbackrest info did not answer", List.of(why));
    }

    public static Condition checkFailed(String cluster, String why) {
        return new Condition("check-failed", Severity.ERROR, "check-failed on " + cluster
                + ": pgbackrest check fails (WAL archiving may be broken)", List.of(why)).holding(1);
    }

    public static Condition lastBackupFailed(String cluster, String type, String why) {
        return new Condition("backup-failed", Severity.ERROR, "backup-failed on " + cluster + ": the last scheduled "
                + type + " backup failed", List.of(why)).withButtons(List.of(runFull(cluster))).holding(1);
    }

    static Block.Button runFull(String cluster) {
        return new Block.Button(Bot.RUN_PREFIX + "/backup full --cluster " + cluster, "Run full backup", Block.Style.PRIMARY);
    }
}
