package dev.pgchatops.core.cmd;

import dev.pgchatops.config.Role;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.Invocation;
import dev.pgchatops.core.Outcome;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.patroni.ClusterState;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.patroni.PatroniClient;

import java.util.List;

/** /reload: POST /reload on every member (or one), each reported. */
public final class Reload implements Command {
    @Override
    public CommandSpec spec() {
        return new CommandSpec("reload", "reload the Patroni and PostgreSQL configuration (all members or one)",
                Role.OPERATOR, false, List.of("MEMBER"), 0, List.of());
    }

    @Override
    public Outcome run(Invocation inv) throws UserFacingException {
        PatroniClient p = inv.cluster().patroni();
        String cluster = inv.cluster().name();
        ClusterState s = p.cluster();
        List<Member> targets = inv.command().arg(0).isPresent()
                ? List.of(Checks.member(s, cluster, inv.command().arg(0).get())) : s.members();
        MemberResults results = new MemberResults();
        for (Member m : targets) {
            try {
                results.ok(m.name() + ": " + p.reload(m));
            } catch (UserFacingException e) {
                results.failed(m.name() + ": ", e);
            }
        }
        return Outcome.done(results.reply("Reload on " + cluster));
    }
}
