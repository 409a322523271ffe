package dev.pgchatops.core;

import dev.pgchatops.config.BotConfig;
import dev.pgchatops.config.ClusterConfig;
import dev.pgchatops.core.audit.AuditLog;
import dev.pgchatops.core.cmd.Follow;
import dev.pgchatops.core.cmd.MetaCommands;
import dev.pgchatops.core.cmd.PatroniCommands;
import dev.pgchatops.core.confirm.Confirmations;
import dev.pgchatops.core.patroni.PatroniClient;
import dev.pgchatops.core.pgbackrest.PgBackRestCommands;
import dev.pgchatops.core.pgbackrest.PgBackRestService;
import dev.pgchatops.core.watch.AlertBook;
import dev.pgchatops.core.watch.AlertCommands;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds a {@link Bot} from a validated configuration. */
public final class Bots {
    private Bots() {
    }

    public static CommandRegistry registry(Follow.Limits limits) {
        return registry(limits, () -> null);
    }

    /** With /alerts, /silence and /unsilence working on the watch {@code alerts} returns (null: none runs here). */
    public static CommandRegistry registry(Follow.Limits limits, java.util.function.Supplier<AlertBook> alerts) {
        CommandRegistry r = new CommandRegistry();
        PatroniCommands.all(limits).forEach(r::register);
        PgBackRestCommands.all().forEach(r::register);
        AlertCommands.all(alerts).forEach(r::register);
        MetaCommands.all().forEach(r::register);
        return r;
    }

    public static List<ClusterRuntime> clusters(BotConfig config) {
        List<ClusterRuntime> out = new ArrayList<>();
        for (ClusterConfig c : config.clusters()) {
            PatroniClient p = new PatroniClient(c.name(), c.patroni());
            Optional<PgBackRestService> b = c.pgbackrest().map(pb -> PgBackRestService.create(c, pb, p));
            out.add(new ClusterRuntime(c, p, b));
        }
        return out;
    }

    public static Bot create(BotConfig config, AuditLog audit, InstantSource clock, Follow.Limits limits) {
        return create(config, audit, clock, limits, () -> null);
    }

    public static Bot create(BotConfig config, AuditLog audit, InstantSource clock, Follow.Limits limits,
                             java.util.function.Supplier<AlertBook> alerts) {
        return new Bot(clusters(config), registry(limits, alerts), new AccessControl(config.access()),
                new Confirmations(clock, config.confirm().timeout(), config.confirm().maxOpenPerUser()), audit, clock,
                new Bot.Settings(config.executor().threads(), dev.pgchatops.core.run.Ticker.SYSTEM, java.util.Optional.empty()));
    }

    /**
     * What an operator should fix in the config, found by asking the live clusters (e.g. a
     * {@code pgbackrest.members} entry that names no Patroni member). Clusters that cannot be reached are skipped.
     */
    public static List<String> startupWarnings(Bot bot) {
        List<String> out = new ArrayList<>();
        for (ClusterRuntime c : bot.clusters().values()) {
            if (c.pgbackrest().isEmpty()) continue;
            try {
                for (String w : c.pgbackrest().get().configWarnings(c.patroni().cluster())) out.add("cluster " + c.name() + ": " + w);
            } catch (UserFacingException e) {
                // not reachable now: /backup-info warns later
            }
        }
        return out;
    }
}
