package dev.pgchatops.core.cmd;

import dev.pgchatops.core.Command;

import java.util.List;

/**
 * The Patroni commands, all through the Patroni REST API: reads ({@link ClusterList}, {@link History},
 * {@link Topology}, {@link ShowConfig} as config-show and show-config, {@link Version}), configuration changes
 * ({@link ConfigSet}, {@link ConfigUnset}), leader changes ({@link Switchover}, {@link Failover}), member actions ({@link Reinit},
 * {@link Restart}, {@link Reload}) and maintenance ({@link Pause}, {@link Resume}, {@link FlushScheduled}).
 */
public final class PatroniCommands {
    private PatroniCommands() {
    }

    public static List<Command> all(Follow.Limits limits) {
        return List.of(new ClusterList(), new Topology(), new History(), new ShowConfig("config-show"), new ShowConfig(),
                new ConfigSet(limits), new ConfigUnset(limits), new Version(), new Switchover(limits), new Failover(limits),
                new Reinit(limits), new Restart(limits), new Reload(), new Pause(limits), new Resume(limits),
                new FlushScheduled());
    }
}
