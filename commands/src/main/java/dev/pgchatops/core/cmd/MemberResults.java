package dev.pgchatops.core.cmd;

import dev.pgchatops.core.OutcomeUnknown;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;

import java.util.ArrayList;
import java.util.List;

/**
 * One line per member (or item) of a command that acts on several: "node1: reload scheduled", "node2: FAILED — …"
 * when Patroni refused or could not be reached, "node3: unknown — …" when the request was sent but not answered.
 */
final class MemberResults {
    private final List<String> lines = new ArrayList<>();
    private boolean failed;
    private boolean unknown;

    void ok(String line) {
        lines.add(line);
    }

    void note(String line) {
        lines.add(line);
    }

    /** {@code prefix} is e.g. "node2: "; the line says "unknown — " for a sent, unanswered request. */
    void failed(String prefix, UserFacingException e) {
        if (e instanceof OutcomeUnknown) {
            unknown = true;
            lines.add(prefix + "unknown — " + e.getMessage());
        } else {
            failed = true;
            lines.add(prefix + "FAILED — " + e.getMessage());
        }
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    /** The reply; when any outcome is unknown, an {@link UnknownOutcomeException} carrying every line instead. */
    Reply reply(String title) throws UnknownOutcomeException {
        if (unknown) throw new UnknownOutcomeException(title + " (outcome unknown)\n" + String.join("\n", lines));
        return Reply.builder(failed ? Severity.ERROR : Severity.SUCCESS, title).text(String.join("\n", lines)).build();
    }
}
