package dev.pgchatops.core.patroni;

import java.util.List;
import java.util.Optional;

/** GET /cluster: members, maintenance mode and a scheduled switchover, if any. */
public record ClusterState(List<Member> members, boolean paused, Optional<ScheduledSwitchover> scheduledSwitchover) {
    public ClusterState {
        members = List.copyOf(members);
    }

    public Optional<Member> leader() {
        return members.stream().filter(m -> m.role().isLeader()).findFirst();
    }

    public Optional<Member> member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public List<String> memberNames() {
        return members.stream().map(Member::name).toList();
    }

    public record ScheduledSwitchover(String at, Optional<String> from, Optional<String> to) {
    }
}
