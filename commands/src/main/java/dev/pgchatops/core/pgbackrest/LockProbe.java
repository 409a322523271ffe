package dev.pgchatops.core.pgbackrest;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether pgBackRest's backup lock of a stanza is held on one member, tested the way {@code pgbackrest backup} takes
 * it there: its lock file {@code LOCK-PATH/STANZA-backup.lock} (lock path from {@code help backup lock-path}) is
 * tried with {@code flock -s -w 1}. pgBackRest's own {@code info} reports the lock only when the file holds a valid
 * pgBackRest lock record, so a lock taken by another tool, or a backup on another host (lock files are per host), is
 * missed there while {@code backup} still fails with exit 50. The probe takes a shared lock for an instant, never the
 * exclusive one a backup needs for its whole run, and waits up to 1 s so that another {@code info} reading the lock
 * at the same moment is not mistaken for a backup.
 */
final class LockProbe {
    /** flock's exit code when the lock stays held for the whole wait. */
    static final int HELD = 50;
    private static final Pattern LOCK_PATH = Pattern.compile("(?m)^(current|default): (/[A-Za-z0-9_./-]+)\\s*$");

    /** The probe's answer: held, free, or could not tell (why). */
    record Answer(Optional<Boolean> held, String note) {
        static Answer unknown(String why) {
            return new Answer(Optional.empty(), why);
        }
    }

    private LockProbe() {
    }

    static Answer probe(RemoteRunner runner, Endpoint ep, PgBackRestArgs args, String stanza, Duration timeout) {
        try {
            RemoteRunner.Result help = runner.run(ep, args.consoleWarn().helpLockPath(), timeout, line -> {
            });
            if (!help.ok()) return Answer.unknown("pgbackrest help exited " + help.exitCode());
            Optional<String> dir = lockPath(help.stdout());
            if (dir.isEmpty()) return Answer.unknown("pgbackrest help did not show the lock path");
            RemoteRunner.Result r = runner.run(ep, command(dir.get(), stanza), timeout, line -> {
            });
            if (r.exitCode() == HELD) return new Answer(Optional.of(true), "");
            if (r.ok()) return new Answer(Optional.of(false), "");
            return Answer.unknown("flock on " + file(dir.get(), stanza) + " exited " + r.exitCode()
                    + (r.stderr().isEmpty() ? "" : ": " + r.stderr().get(r.stderr().size() - 1)));
        } catch (RemoteException e) {
            return Answer.unknown(e.getMessage());
        } catch (RuntimeException | AssertionError e) {
            return Answer.unknown(String.valueOf(e.getMessage()));
        }
    }

    /** The lock path in {@code help backup lock-path} output: the current value, else the default. */
    static Optional<String> lockPath(String helpOutput) {
        Matcher m = LOCK_PATH.matcher(helpOutput);
        String current = null;
        String fallback = null;
        while (m.find()) {
            if (m.group(2).contains("..")) continue;
            if (m.group(1).equals("current")) current = m.group(2);
            else fallback = m.group(2);
        }
        return Optional.ofNullable(current != null ? current : fallback);
    }

    static String file(String lockPath, String stanza) {
        return lockPath.replaceAll("/+$", "") + "/" + stanza + "-backup.lock";
    }

    /** {@code flock -s -w 1 -E 50 FILE true}: exit 0 when the lock is free, 50 when it stays held. */
    static List<String> command(String lockPath, String stanza) {
        return List.of("flock", "-s", "-w", "1", "-E", String.valueOf(HELD), file(lockPath, stanza), "true");
    }
}
