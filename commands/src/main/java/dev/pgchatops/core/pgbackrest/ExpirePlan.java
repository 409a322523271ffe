package dev.pgchatops.core.pgbackrest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code pgbackrest expire} removes (or, with {@code --dry-run}, would remove), read from its console log:
 * {@code repo1: expire full backup set A, A_B} and {@code repo1: 15-1 remove archive, start = X, stop = Y}.
 */
public record ExpirePlan(List<String> backupSets, List<String> archiveRanges, List<String> warnings,
                         Optional<String> retention) {
    private static final Pattern SETS = Pattern.compile(
            "^(?:\\[DRY-RUN] )?(repo\\d+): expire (?:\\S+ )*?backup(?: set)? (.+)$");
    private static final Pattern REMOVED = Pattern.compile("^(?:\\[DRY-RUN] )?(repo\\d+): remove expired backup (\\S+)");
    private static final Pattern ARCHIVE = Pattern.compile(
            "^(?:\\[DRY-RUN] )?(repo\\d+): (\\S+) remove archive, start = (\\S*), stop = (\\S+)");
    private static final Pattern RETENTION = Pattern.compile("--(repo\\d+-retention-(?:full|diff|archive)(?:-type)?=\\S+)");

    public ExpirePlan {
        backupSets = List.copyOf(backupSets);
        archiveRanges = List.copyOf(archiveRanges);
        warnings = List.copyOf(warnings);
    }

    public boolean isEmpty() {
        return backupSets.isEmpty() && archiveRanges.isEmpty();
    }

    /** Reads the console log lines of an expire run. */
    public static ExpirePlan parse(List<String> lines) {
        Set<String> sets = new LinkedHashSet<>();
        List<String> archive = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> retention = new ArrayList<>();
        for (String raw : lines) {
            String msg = ConsoleLog.message(raw);
            Matcher m;
            if ((m = SETS.matcher(msg)).find()) {
                for (String label : m.group(2).split(",\\s*")) {
                    if (PgBackRestArgs.LABEL.matcher(label.trim()).matches()) sets.add(label.trim());
                }
            } else if ((m = REMOVED.matcher(msg)).find()) {
                if (PgBackRestArgs.LABEL.matcher(m.group(2)).matches()) sets.add(m.group(2));
            } else if ((m = ARCHIVE.matcher(msg)).find()) {
                archive.add(m.group(1) + " " + m.group(2) + ": " + m.group(3) + " – " + m.group(4));
            } else if (msg.startsWith("WARN: ")) {
                warnings.add(msg.substring(6));
            }
            if (msg.contains("expire command begin")) {
                Matcher r = RETENTION.matcher(msg);
                while (r.find()) retention.add(r.group(1));
            }
        }
        return new ExpirePlan(List.copyOf(sets), archive, warnings,
                retention.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", retention)));
    }

    /** "2 backup sets (A, B) and WAL repo1 15-1: X – Y", or "nothing". */
    public String describe() {
        if (isEmpty()) return "nothing";
        List<String> parts = new ArrayList<>();
        if (!backupSets.isEmpty()) {
            parts.add(backupSets.size() + " backup set" + (backupSets.size() == 1 ? "" : "s") + " ("
                    + String.join(", ", backupSets) + ")");
        }
        if (!archiveRanges.isEmpty()) parts.add("WAL " + String.join("; ", archiveRanges));
        return String.join(" and ", parts);
    }

    /** True when both remove the same backup sets and WAL ranges. */
    public boolean sameRemovals(ExpirePlan other) {
        return backupSets.equals(other.backupSets) && archiveRanges.equals(other.archiveRanges);
    }
}
