package dev.pgchatops.core.cmd;

import dev.pgchatops.config.Role;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.Invocation;
import dev.pgchatops.core.Outcome;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.patroni.ClusterState;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;

import java.util.ArrayList;
import java.util.List;

/** /cluster-list: members, roles, states, timelines and lag, like {@code patronictl list}. */
public final class ClusterList implements Command {
    @Override
    public CommandSpec spec() {
        return new CommandSpec("cluster-list", "members, roles, states, timelines and lag (like patronictl list)",
                Role.VIEWER, false, List.of(), 0, List.of());
    }

    @Override
    public Outcome run(Invocation inv) throws UserFacingException {
        return Outcome.done(render(inv.cluster().name(), inv.cluster().patroni().cluster()));
    }

    public static Reply render(String cluster, ClusterState s) {
        boolean pending = s.members().stream().anyMatch(Member::pendingRestart);
        boolean scheduledRestart = s.members().stream().anyMatch(m -> m.scheduledRestart().isPresent());
        List<String> headers = new ArrayList<>(List.of("Member", "Host", "Role", "State", "TL", "Lag in MB"));
        if (pending) headers.add("Pending restart");
        if (scheduledRestart) headers.add("Scheduled restart");
        List<List<String>> rows = new ArrayList<>();
        for (Member m : s.members()) {
            List<String> r = new ArrayList<>(List.of(m.name(), m.hostPort(), m.role().label(), m.state(),
                    m.timeline().isPresent() ? String.valueOf(m.timeline().getAsLong()) : "", lag(m)));
            if (pending) r.add(m.pendingRestart() ? "*" : "");
            if (scheduledRestart) r.add(m.scheduledRestart().orElse(""));
            rows.add(r);
        }
        Severity sev = s.leader().isEmpty() || s.members().stream().anyMatch(m -> !m.isRunning())
                ? Severity.WARNING : Severity.INFO;
        Reply.Builder b = Reply.builder(sev, "Cluster: " + cluster).table(headers, rows);
        if (s.paused()) b.text("Maintenance mode: on");
        s.scheduledSwitchover().ifPresent(sw -> b.text("Switchover scheduled at: " + sw.at()
                + sw.from().map(f -> "\n                    from: " + f).orElse("")
                + sw.to().map(t -> "\n                      to: " + t).orElse("")));
        if (s.leader().isEmpty()) b.text("No leader!");
        return b.build();
    }

    static String lag(Member m) {
        if (m.role().isLeader()) return "";
        if (m.lagUnknown()) return "unknown";
        if (m.lagBytes().isEmpty()) return "";
        return String.valueOf(Math.round(m.lagBytes().getAsLong() / 1024.0 / 1024.0));
    }
}
