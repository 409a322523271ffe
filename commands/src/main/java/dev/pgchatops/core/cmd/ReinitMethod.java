package dev.pgchatops.core.cmd;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which method actually built a replica, told from pgBackRest's restore log on that member: the restores whose
 * {@code restore command begin} line (with its unique {@code --exec-id}) was not in the log before the reinit
 * started, and how each ended. A restore that ended "completed successfully" built it; one that was aborted means
 * Patroni fell back to its next method (basebackup), and no new restore means pgBackRest was not tried at all.
 */
final class ReinitMethod {
    private static final Pattern EXEC_ID = Pattern.compile("restore command begin .*--exec-id=([0-9A-Za-z-]+)");
    private static final Pattern END = Pattern.compile("restore command end: (.*)$");
    private static final Pattern ERROR = Pattern.compile(" ERROR: (.*)$");

    /** What the log says happened after the reinit started. */
    enum Kind { PGBACKREST, PGBACKREST_FAILED, NO_RESTORE, UNREADABLE }

    record Verdict(Kind kind, String detail) {
        boolean warns() {
            return kind == Kind.PGBACKREST_FAILED || kind == Kind.NO_RESTORE;
        }
    }

    private ReinitMethod() {
    }

    /** The exec ids of every restore in the log lines. */
    static Set<String> execIds(List<String> lines) {
        Set<String> out = new java.util.HashSet<>();
        for (String l : lines) {
            Matcher m = EXEC_ID.matcher(l);
            if (m.find()) out.add(m.group(1));
        }
        return out;
    }

    /** The verdict from the log lines after the reinit, given the exec ids seen before it. */
    static Verdict judge(Set<String> before, List<String> after) {
        List<String> errors = new ArrayList<>();
        Optional<String> lastNew = Optional.empty();
        Optional<String> lastEnd = Optional.empty();
        boolean inNew = false;
        for (String l : after) {
            Matcher b = EXEC_ID.matcher(l);
            if (b.find()) {
                inNew = !before.contains(b.group(1));
                if (inNew) {
                    lastNew = Optional.of(b.group(1));
                    lastEnd = Optional.empty();
                    errors.clear();
                }
                continue;
            }
            if (!inNew) continue;
            Matcher e = ERROR.matcher(l);
            if (e.find()) errors.add(e.group(1));
            Matcher end = END.matcher(l);
            if (end.find()) lastEnd = Optional.of(end.group(1));
        }
        if (lastNew.isEmpty()) {
            return new Verdict(Kind.NO_RESTORE, "no pgBackRest restore ran on it during the reinit");
        }
        if (lastEnd.isPresent() && lastEnd.get().startsWith("completed successfully")) {
            return new Verdict(Kind.PGBACKREST, "pgbackrest restore " + lastNew.get() + " " + lastEnd.get());
        }
        return new Verdict(Kind.PGBACKREST_FAILED, "the pgBackRest restore failed"
                + (errors.isEmpty() ? "" : " (" + errors.get(errors.size() - 1) + ")")
                + lastEnd.map(x -> ": " + x).orElse(": it did not end"));
    }
}
