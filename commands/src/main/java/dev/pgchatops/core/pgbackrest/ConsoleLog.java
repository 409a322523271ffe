package dev.pgchatops.core.pgbackrest;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads pgBackRest's console log lines ({@code 2026-11-24 12:23:31.896 P00   INFO: new backup label = ...}): strips
 * the timestamp, process and INFO/DETAIL level, and picks the lines worth showing as progress.
 */
public final class ConsoleLog {
    private static final Pattern PREFIX = Pattern.compile(
            "^(?:\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)? )?(?:P\\d+\\s+)?(?:(INFO|DETAIL|DEBUG|TRACE): |(WARN|ERROR): )?");
    private static final Pattern LABEL = Pattern.compile("new backup label = (" + PgBackRestArgs.LABEL.pattern() + ")");
    private static final List<Pattern> PROGRESS = List.of(
            Pattern.compile("^execute (non-)?exclusive backup (start|stop)"),
            Pattern.compile("^backup (start|stop) archive = "),
            Pattern.compile("^check archive for segment"),
            Pattern.compile("^new backup label = "),
            Pattern.compile("^(full|diff|incr) backup size = "),
            Pattern.compile("^last backup label = "),
            Pattern.compile("^repo\\d+: expire "),
            Pattern.compile("^repo\\d+: remove expired backup "),
            Pattern.compile("^repo\\d+: \\S+ remove archive"),
            Pattern.compile("^(backup|expire|check|stanza-create) command end: "),
            Pattern.compile("^WAL segment \\S+ successfully archived"),
            Pattern.compile("^stanza-create for stanza "),
            Pattern.compile("^(WARN|ERROR): "));

    private ConsoleLog() {
    }

    /** The message of a log line without timestamp, process id and INFO level; WARN/ERROR keep their level. */
    public static String message(String line) {
        Matcher m = PREFIX.matcher(line);
        if (!m.find()) return line.trim();
        String rest = line.substring(m.end()).trim();
        return m.group(2) != null ? m.group(2) + ": " + rest : rest;
    }

    /** The progress text for a line, if it is one worth showing. */
    public static Optional<String> progress(String line) {
        String msg = message(line);
        for (Pattern p : PROGRESS) {
            if (p.matcher(msg).find()) return Optional.of(msg);
        }
        return Optional.empty();
    }

    /** The label from a {@code new backup label = ...} line. */
    public static Optional<String> label(String line) {
        Matcher m = LABEL.matcher(line);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
