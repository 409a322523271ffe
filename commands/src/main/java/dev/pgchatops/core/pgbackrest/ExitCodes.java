package dev.pgchatops.core.pgbackrest;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns pgBackRest exit codes into one clear sentence (codes from pgBackRest's error.yaml: 50 lock-acquire,
 * 56 db-connect, 82 archive-timeout, 87 archive-disabled, 38 pg-running, 40 path-not-empty, 28 file-invalid, …).
 */
public final class ExitCodes {
    public static final int LOCK_ACQUIRE = 50;
    private static final int TAIL_LINES = 6;

    private ExitCodes() {
    }

    /**
     * The sentence for {@code code} when {@code operation} (e.g. "backup full", "check") on {@code stanza} ran on
     * {@code member}.
     */
    public static String sentence(int code, String operation, String stanza, String member) {
        String what = operation + " of stanza " + stanza + " on " + member;
        return switch (code) {
            case LOCK_ACQUIRE -> alreadyRunning(stanza, "pgBackRest on " + member + " reports its backup lock is held");
            case 56 -> what + " failed: pgBackRest cannot connect to PostgreSQL on " + member
                    + " (or it is not the primary) [exit 56]. Check that PostgreSQL runs and pg1-* in the pgBackRest config.";
            case 82 -> what + " failed: WAL archiving timed out — the WAL segment did not reach the repository within"
                    + " archive-timeout [exit 82]. Check archive_command and the PostgreSQL log on " + member + ".";
            case 87 -> what + " failed: WAL archiving is disabled on " + member
                    + " (archive_mode is off or archive_command does not call pgBackRest) [exit 87].";
            case 38 -> what + " failed: PostgreSQL is running where pgBackRest needs it stopped [exit 38].";
            case 40 -> what + " failed: a target directory is not empty [exit 40] (for a restore set delta=y).";
            case 28 -> what + " failed: a repository or PostgreSQL file is invalid or from another cluster [exit 28];"
                    + " the stanza may need /stanza-create or the repository is damaged.";
            case 55 -> what + " failed: a file pgBackRest needs is missing [exit 55]"
                    + (operation.startsWith("backup") || operation.equals("check") ? " — does the stanza exist? /stanza-create" : "") + ".";
            case 44, 51, 58 -> what + " failed: the repository does not match this database (system id or version)"
                    + " [exit " + code + "]; was the stanza created for another cluster?";
            case 37 -> what + " failed: a required option is missing from the pgBackRest config on " + member
                    + " [exit 37] — for a new stanza, its section [" + stanza + "] needs pg1-path.";
            case 27, 31, 32 -> what + " failed: pgBackRest rejects its configuration [exit " + code
                    + "]; check the pgBackRest config file on " + member + ".";
            case 49 -> what + " failed: pgBackRest cannot reach a remote host it is configured to use [exit 49].";
            case 62 -> what + " failed: pgBackRest is stopped for this stanza (pgbackrest stop) [exit 62];"
                    + " run pgbackrest start on " + member + ".";
            case 63 -> what + " was terminated by a signal [exit 63]; it did not complete.";
            case 103 -> what + " failed: no valid repository was found [exit 103].";
            case 126, 127 -> what + " failed: the pgBackRest binary could not be run on " + member + " [exit " + code
                    + "]; check pgbackrest.binary in the config and that pgBackRest is installed there.";
            default -> what + " failed with exit code " + code + ".";
        };
    }

    /** "a backup is already running on demo (…) — see /backup-info". */
    public static String alreadyRunning(String stanza, String detail) {
        return "a backup is already running on " + stanza + " (" + detail + ") — see /backup-info";
    }

    /**
     * The lines that explain a failure: the last error/warning lines of stderr, else of stdout, at most a few.
     */
    public static List<String> tail(RemoteRunner.Result r) {
        List<String> src = r.stderr().isEmpty() ? r.stdoutLines() : r.stderr();
        List<String> picked = new ArrayList<>();
        for (String l : src) {
            String t = ConsoleLog.message(l);
            if (t.isBlank()) continue;
            picked.add(t);
        }
        if (r.stderr().isEmpty()) {
            List<String> errors = picked.stream().filter(l -> l.startsWith("ERROR") || l.startsWith("WARN")
                    || l.startsWith("HINT") || l.contains("command end")).toList();
            if (!errors.isEmpty()) picked = new ArrayList<>(errors);
        }
        return List.copyOf(picked.subList(Math.max(0, picked.size() - TAIL_LINES), picked.size()));
    }

    /** The exception for a non-zero exit: the sentence, then pgBackRest's last lines. */
    public static PgBackRestFailure failure(RemoteRunner.Result r, String operation, String stanza, String member) {
        List<String> tail = tail(r);
        StringBuilder sb = new StringBuilder(sentence(r.exitCode(), operation, stanza, member));
        if (!tail.isEmpty()) sb.append("\npgBackRest said:\n").append(String.join("\n", tail));
        return new PgBackRestFailure(sb.toString(), r.exitCode(), member, tail);
    }
}
