package dev.pgchatops.core.cmd;

import dev.pgchatops.config.Role;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.Invocation;
import dev.pgchatops.core.Outcome;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.patroni.HistoryEntry;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;

import java.util.ArrayList;
import java.util.List;

/** /history: the timeline switches (GET /history). */
public final class History implements Command {
    @Override
    public CommandSpec spec() {
        return new CommandSpec("history", "timeline switches: failovers and switchovers", Role.VIEWER, false,
                List.of(), 0, List.of());
    }

    @Override
    public Outcome run(Invocation inv) throws UserFacingException {
        List<HistoryEntry> h = inv.cluster().patroni().history();
        if (h.isEmpty()) return Outcome.done(Reply.info(inv.cluster().name() + " has had no failover or switchover yet (timeline 1)."));
        List<List<String>> rows = new ArrayList<>();
        for (HistoryEntry e : h) {
            rows.add(List.of(String.valueOf(e.timeline()), String.valueOf(e.lsn()), e.reason(), e.timestamp(), e.newLeader()));
        }
        return Outcome.done(Reply.builder(Severity.INFO, "History of " + inv.cluster().name())
                .table(List.of("TL", "LSN", "Reason", "Timestamp", "New Leader"), rows).build());
    }
}
