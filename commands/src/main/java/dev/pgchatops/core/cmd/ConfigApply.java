package dev.pgchatops.core.cmd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgchatops.core.Outcome;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.patroni.ClusterState;
import dev.pgchatops.core.patroni.Deadline;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.patroni.PatroniClient;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The flow of /config-set and /config-unset: the diff against the current GET /config (secrets redacted) and
 * whether it needs a restart, a confirmation, then — only if GET /config is still the same — a PATCH of exactly what
 * changes. Patroni itself refuses a PATCH when the config changed between its read and its write.
 */
final class ConfigApply {
    private final Follow.Limits limits;

    ConfigApply(Follow.Limits limits) {
        this.limits = limits;
    }

    Outcome run(PatroniClient p, String cluster, String command, List<ConfigEdit.Change> changes) throws UserFacingException {
        JsonNode before = p.dynamicConfig();
        List<ConfigEdit.Line> lines = ConfigEdit.diff(before, changes);
        if (lines.stream().noneMatch(ConfigEdit.Line::changes)) {
            return Outcome.done(Reply.builder(Severity.INFO, "Nothing to change in the configuration of " + cluster)
                    .text(diffText(lines)).build());
        }
        String effect = "change the dynamic configuration of " + cluster + " (every member):\n" + diffText(lines)
                + restartNote(lines) + ConfigEdit.timingWarning(before, lines).map(w -> "\nWarning: " + w).orElse("");
        return Outcome.confirm(effect, progress -> {
            JsonNode now = p.dynamicConfig();
            if (!now.equals(before)) {
                List<ConfigEdit.Line> again = ConfigEdit.diff(now, changes);
                throw new UserFacingException("the configuration of " + cluster + " changed since you asked; nothing was "
                        + "changed. The diff against the configuration now:\n" + diffText(again)
                        + "\nRun /" + command + " again if still wanted.");
            }
            String answer = p.patchConfig(ConfigEdit.patch(lines));
            progress.line("Patroni accepted the change (PATCH /config)");
            List<String> notApplied = notApplied(p, lines);
            Reply.Builder b = Reply.builder(notApplied.isEmpty() ? Severity.SUCCESS : Severity.WARNING,
                    "Configuration of " + cluster + " changed").text(diffText(lines.stream().filter(ConfigEdit.Line::changes).toList()));
            if (!notApplied.isEmpty()) {
                b.text("GET /config does not show " + String.join(", ", notApplied) + " as set; Patroni answered: "
                        + dev.pgchatops.core.Texts.abbreviate(answer, 200));
            }
            List<String> restart = restartKeys(lines);
            if (!restart.isEmpty()) {
                Optional<List<String>> pending = awaitPending(p, restart);
                b.text(pending.map(ms -> "Pending restart now on " + String.join(", ", ms) + " (" + String.join(", ", restart)
                                + "): type /restart all --pending to apply it.")
                        .orElse(String.join(", ", restart) + " takes effect after a restart; Patroni has not flagged it yet "
                                + "(check /cluster-list, then /restart all --pending)."));
            } else {
                b.text("Patroni applies it on every member within loop_wait (a reload where PostgreSQL needs one).");
            }
            return b.build();
        });
    }

    /**
     * The changed keys GET /config does not show yet. The member that answers the read may still serve its cached
     * view of the DCS for a moment after the PATCH (seen on the real cluster), so it asks again for a few seconds.
     */
    private static List<String> notApplied(PatroniClient p, List<ConfigEdit.Line> lines) throws UserFacingException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
        while (true) {
            JsonNode after = p.dynamicConfig();
            List<String> missing = new ArrayList<>();
            for (ConfigEdit.Line l : lines) {
                if (l.changes() && !ConfigEdit.at(after, l.key().path()).equals(l.now())) missing.add(String.join(".", l.key().path()));
            }
            if (missing.isEmpty() || System.nanoTime() >= deadline) return missing;
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return missing;
            }
        }
    }

    /** Waits a few Patroni loops for members flagged "pending restart"; empty when none is within the bound. */
    private Optional<List<String>> awaitPending(PatroniClient p, List<String> keys) {
        Deadline d = Deadline.after(limits.pause().compareTo(Duration.ofSeconds(30)) < 0 ? limits.pause() : Duration.ofSeconds(30));
        while (true) {
            try {
                ClusterState s = p.cluster(d);
                List<String> pending = s.members().stream().filter(Member::pendingRestart).map(Member::name).toList();
                if (!pending.isEmpty()) return Optional.of(pending);
            } catch (UserFacingException e) {
                // keep trying within the bound
            }
            if (d.passed()) return Optional.empty();
            try {
                Thread.sleep(Math.max(1, d.cap(limits.poll()).toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    static String diffText(List<ConfigEdit.Line> lines) {
        return String.join("\n", lines.stream().map(l -> "  " + ConfigEdit.render(l)).toList());
    }

    private static List<String> restartKeys(List<ConfigEdit.Line> lines) {
        return lines.stream().filter(l -> l.changes() && l.key().needsRestart()).map(l -> l.key().leaf()).toList();
    }

    private static String restartNote(List<ConfigEdit.Line> lines) {
        List<String> r = restartKeys(lines);
        return r.isEmpty() ? "\nNo restart needed (Patroni reloads PostgreSQL where needed)."
                : "\nNeeds a restart of PostgreSQL on every member: " + String.join(", ", r)
                + " (Patroni flags them pending restart; then /restart all --pending).";
    }
}
