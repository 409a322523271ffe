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
import dev.pgchatops.core.reply.Reply;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * /topology: the members as a tree like {@code patronictl topology} — the leader, its replicas under it ("+ node2"),
 * cascading replicas under the replica their {@code replicatefrom} tag names ("  + node3"). A tag naming an unknown
 * member, the leader or itself counts as the leader, as in patronictl.
 */
public final class Topology implements Command {
    @Override
    public CommandSpec spec() {
        return new CommandSpec("topology", "members as a replication tree (leader, replicas, cascading replicas)",
                Role.VIEWER, false, List.of(), 0, List.of());
    }

    @Override
    public Outcome run(Invocation inv) throws UserFacingException {
        PatroniClient p = inv.cluster().patroni();
        ClusterState s = p.cluster();
        return Outcome.done(render(inv.cluster().name(), s));
    }

    public static Reply render(String cluster, ClusterState s) {
        Map<Member, Integer> order = tree(s);
        return ClusterList.render("Topology: " + cluster, s, Optional.empty(), new ArrayList<>(order.keySet()),
                m -> order.get(m) == 0 ? m.name() : "  ".repeat(order.get(m) - 1) + "+ " + m.name());
    }

    /** The members in tree order with their depth (leader 0, its replicas 1, …); members without leader at depth 1. */
    static Map<Member, Integer> tree(ClusterState s) {
        Optional<Member> leader = s.leader();
        Set<String> replicas = s.members().stream().filter(m -> !m.role().isLeader()).map(Member::name)
                .collect(Collectors.toSet());
        Map<String, List<Member>> children = new HashMap<>();
        for (Member m : s.members()) {
            if (m.role().isLeader()) continue;
            String parent = m.replicatefrom().filter(replicas::contains).orElse(leader.map(Member::name).orElse(""));
            children.computeIfAbsent(parent, k -> new ArrayList<>()).add(m);
        }
        Map<Member, Integer> out = new LinkedHashMap<>();
        if (leader.isPresent()) {
            out.put(leader.get(), 0);
            walk(leader.get().name(), 1, children, out);
        } else {
            walk("", 1, children, out);
        }
        // cycles of replicatefrom (a → b → a) are unreachable from the leader: list them at the end, under nobody
        for (Member m : s.members()) out.putIfAbsent(m, 1);
        return out;
    }

    private static void walk(String parent, int depth, Map<String, List<Member>> children, Map<Member, Integer> out) {
        for (Member c : children.getOrDefault(parent, List.of())) {
            if (out.containsKey(c)) continue;
            out.put(c, depth);
            walk(c.name(), depth + 1, children, out);
        }
    }
}
