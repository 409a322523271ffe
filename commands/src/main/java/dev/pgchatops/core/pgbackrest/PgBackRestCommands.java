package dev.pgchatops.core.pgbackrest;

import dev.pgchatops.config.Role;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.Invocation;
import dev.pgchatops.core.Outcome;
import dev.pgchatops.core.Texts;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.cmd.Checks;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.parse.ParseException;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** /backup, /backup-info, /backup-check, /stanza-create, /expire. */
public final class PgBackRestCommands {
    private PgBackRestCommands() {
    }

    public static List<Command> all() {
        return List.of(new Backup(), new BackupInfo(), new BackupCheck(), new StanzaCreate(), new Expire());
    }

    static PgBackRestService service(Invocation inv, String command) throws UserFacingException {
        return inv.cluster().pgbackrest().orElseThrow(() -> new UserFacingException("cluster " + inv.cluster().name()
                + " has no pgbackrest section in the bot config, so /" + command + " is not available for it."));
    }

    // ---- /backup ----------------------------------------------------------------------------------------------

    /** Takes a backup on the primary (or a replica with backup-standby), reporting pgBackRest's progress. */
    public static final class Backup implements Command {
        @Override
        public CommandSpec spec() {
            return new CommandSpec("backup", "take a pgBackRest backup on the primary (incr by default)", Role.OPERATOR,
                    false, List.of("full|diff|incr"), 0, List.of());
        }

        @Override
        public Outcome run(Invocation inv) throws UserFacingException {
            BackupType type = type(inv.command().arg(0));
            PgBackRestService svc = service(inv, "backup");
            PgBackRestService.BackupReport r = svc.backup(type, inv.request().user().displayName(),
                    inv.clock().instant(), inv.progress());
            return Outcome.done(render(svc.stanza(), r));
        }

        BackupType type(Optional<String> arg) throws ParseException {
            if (arg.isEmpty()) return BackupType.INCR;
            return BackupType.parse(arg.get()).orElseThrow(() -> new ParseException("unknown backup type \""
                    + Texts.abbreviate(arg.get(), 40) + "\"; it must be full, diff or incr.\nUsage: " + spec().usage()));
        }

        static Reply render(String stanza, PgBackRestService.BackupReport r) {
            String label = r.label().orElse("(label unknown)");
            Reply.Builder b = Reply.builder(Severity.SUCCESS, "Backup " + label + " of stanza " + stanza + " finished");
            List<Block.Field> f = new ArrayList<>();
            f.add(new Block.Field("Label", label));
            if (r.details().isPresent()) {
                StanzaInfo.BackupSet s = r.details().get();
                String type = s.type();
                if (!type.equals(r.requested().option())) {
                    type += " (asked for " + r.requested().option() + "; pgBackRest made it " + s.type() + ")";
                }
                f.add(new Block.Field("Type", type));
                f.add(new Block.Field("Member", r.source().describe()));
                f.add(new Block.Field("Started", Format.time(s.start()) + " UTC"));
                f.add(new Block.Field("Duration", Format.duration(s.duration()) + " (bot: " + Format.seconds(r.wallNanos()) + ")"));
                boolean partial = !s.type().equals("full");
                f.add(new Block.Field("Database size", Format.size(s.size())
                        + (partial ? " (copied: " + Format.size(s.delta()) + ")" : "")));
                f.add(new Block.Field("Repository size", Format.size(s.repoSize())
                        + (partial ? " (this backup: " + Format.size(s.repoDelta()) + ")" : "")));
                f.add(new Block.Field("WAL range", Format.range(s.walStart(), s.walStop())));
                if (!s.lsnStart().isEmpty()) f.add(new Block.Field("LSN range", Format.range(s.lsnStart(), s.lsnStop())));
                s.prior().ifPresent(p -> f.add(new Block.Field("Based on", p)));
            } else {
                f.add(new Block.Field("Type", r.requested().option()));
                f.add(new Block.Field("Member", r.source().describe()));
                f.add(new Block.Field("Duration", Format.seconds(r.wallNanos())));
            }
            b.fields(f);
            r.note().ifPresent(b::text);
            return b.build();
        }
    }

    // ---- /backup-info -----------------------------------------------------------------------------------------

    /** The stanza's backups and status from {@code pgbackrest --output=json info}. */
    public static final class BackupInfo implements Command {
        @Override
        public CommandSpec spec() {
            return new CommandSpec("backup-info", "pgBackRest backups, stanza status and WAL archive range",
                    Role.VIEWER, false, List.of(), 0, List.of());
        }

        @Override
        public Outcome run(Invocation inv) throws UserFacingException {
            PgBackRestService svc = service(inv, "backup-info");
            PgBackRestService.InfoResult r = svc.info();
            return Outcome.done(render(r, svc.lockHolder()));
        }

        static Reply render(PgBackRestService.InfoResult r, Optional<BackupLocks.Holder> botLock) {
            StanzaInfo i = r.info();
            boolean clean = i.statusCode() == StanzaInfo.OK && r.warnings().isEmpty() && r.lock().unchecked().isEmpty();
            Severity sev = clean ? Severity.INFO : Severity.WARNING;
            Reply.Builder b = Reply.builder(sev, "pgBackRest stanza " + i.name() + " (read on " + r.member() + ")");
            List<Block.Field> f = new ArrayList<>();
            f.add(new Block.Field("Status", i.statusText()));
            f.add(new Block.Field("WAL archive min/max", i.archiveMin().isPresent()
                    ? i.archiveMin().get() + " / " + i.archiveMax().orElse("?") : "none"));
            String running;
            if (botLock.isPresent()) {
                BackupLocks.Holder h = botLock.get();
                running = "yes — " + h.operation() + " started " + Format.time(h.since()) + " UTC by " + h.user();
            } else if (r.lock().heldOn().isPresent()) {
                running = "yes (pgBackRest's backup lock is held on " + r.lock().heldOn().get() + ")";
            } else if (r.lock().unchecked().isPresent()) {
                running = "unknown — " + r.lock().unchecked().get();
            } else {
                running = "no";
            }
            f.add(new Block.Field("Backup running now", running));
            b.fields(f);
            for (String w : r.warnings()) b.text("Config warning: " + w);
            if (!i.exists()) {
                b.text("Stanza " + i.name() + " does not exist in the repository yet — /stanza-create creates it.");
                return b.build();
            }
            if (i.backups().isEmpty()) {
                b.text("No backups yet — /backup full takes the first one.");
                return b.build();
            }
            List<List<String>> rows = new ArrayList<>();
            for (StanzaInfo.BackupSet s : i.backups()) {
                rows.add(List.of(s.label(), s.type(), Format.time(s.start()), Format.duration(s.duration()),
                        Format.size(s.size()), Format.size(s.repoSize()), s.walStart(), s.walStop()));
            }
            b.table(List.of("Label", "Type", "Start (UTC)", "Duration", "DB size", "Repo size", "WAL start", "WAL stop"), rows);
            return b.build();
        }
    }

    // ---- /backup-check ----------------------------------------------------------------------------------------

    /** {@code pgbackrest check} on the primary: configuration valid, WAL archiving works. */
    public static final class BackupCheck implements Command {
        @Override
        public CommandSpec spec() {
            return new CommandSpec("backup-check", "pgBackRest check on the primary: config valid and WAL archiving works",
                    Role.OPERATOR, false, List.of(), 0, List.of());
        }

        @Override
        public Outcome run(Invocation inv) throws UserFacingException {
            PgBackRestService svc = service(inv, "backup-check");
            PgBackRestService.RunReport r = svc.check(inv.progress());
            List<String> shown = r.lines().stream().map(ConsoleLog::message)
                    .filter(l -> l.startsWith("WAL segment") || l.startsWith("WARN")).toList();
            Reply.Builder b = Reply.builder(Severity.SUCCESS, "pgBackRest check of stanza " + svc.stanza() + " passed")
                    .text("check on " + r.member() + " (primary) passed in " + Format.seconds(r.wallNanos())
                            + ": the configuration is valid and WAL archiving works.");
            if (!shown.isEmpty()) b.text(String.join("\n", shown));
            return Outcome.done(b.build());
        }
    }

    // ---- /stanza-create ---------------------------------------------------------------------------------------

    /** Creates the configured stanza in the repository, from the primary. */
    public static final class StanzaCreate implements Command {
        @Override
        public CommandSpec spec() {
            return new CommandSpec("stanza-create", "create the pgBackRest stanza in the repository (from the primary)",
                    Role.OPERATOR, true, List.of(), 0, List.of());
        }

        @Override
        public Outcome run(Invocation inv) throws UserFacingException {
            PgBackRestService svc = service(inv, "stanza-create");
            String stanza = svc.stanza();
            String note = "";
            try {
                StanzaInfo i = svc.info().info();
                if (i.exists()) {
                    return Outcome.done(Reply.info("Stanza " + stanza + " already exists (status: " + i.statusText()
                            + "); nothing to do. /backup-info shows its backups."));
                }
            } catch (UserFacingException e) {
                note = " (Could not check first whether it exists: " + Texts.firstLine(e.getMessage()) + ")";
            }
            Member p = svc.primary();
            String effect = "create pgBackRest stanza " + stanza + " for cluster " + inv.cluster().name()
                    + ": pgBackRest on primary " + p.name() + " (timeline " + Checks.timeline(p)
                    + ") writes the stanza's archive and backup info files to the repository." + note;
            return Outcome.confirm(effect, progress -> {
                try {
                    StanzaInfo now = svc.info().info();
                    if (now.exists()) {
                        return Reply.info("Stanza " + stanza + " was created meanwhile (status: " + now.statusText()
                                + "); nothing was done.");
                    }
                } catch (UserFacingException e) {
                    progress.line("could not read pgBackRest info first: " + Texts.firstLine(e.getMessage()));
                }
                PgBackRestService.RunReport r = svc.stanzaCreate(progress);
                return Reply.builder(Severity.SUCCESS, "Stanza " + stanza + " created")
                        .text("stanza-create on " + r.member() + " (primary) completed in " + Format.seconds(r.wallNanos())
                                + ". Next: /backup-check, then /backup full.").build();
            });
        }
    }

    // ---- /expire ----------------------------------------------------------------------------------------------

    /** Applies the retention policy; shows first what it will remove ({@code expire --dry-run}). */
    public static final class Expire implements Command {
        @Override
        public CommandSpec spec() {
            return new CommandSpec("expire", "remove backups and WAL beyond the retention policy (shows them first)",
                    Role.ADMIN, true, List.of(), 0, List.of());
        }

        @Override
        public Outcome run(Invocation inv) throws UserFacingException {
            PgBackRestService svc = service(inv, "expire");
            String stanza = svc.stanza();
            ExpirePlan plan = svc.expirePlan();
            String retention = plan.retention().map(r -> " (retention: " + r + ")").orElse("");
            if (plan.isEmpty()) {
                StringBuilder sb = new StringBuilder("Stanza " + stanza + ": nothing to expire" + retention
                        + " — retention keeps every backup and its WAL.");
                for (String w : plan.warnings()) sb.append("\npgBackRest warns: ").append(w);
                return Outcome.done(Reply.info(sb.toString()));
            }
            String effect = "expire on stanza " + stanza + " permanently removes " + plan.describe() + retention + ".";
            List<Block.Field> details = new ArrayList<>();
            details.add(new Block.Field("Backup sets", plan.backupSets().isEmpty() ? "none" : String.join(", ", plan.backupSets())));
            details.add(new Block.Field("WAL", plan.archiveRanges().isEmpty() ? "none" : String.join("; ", plan.archiveRanges())));
            String user = inv.request().user().displayName();
            return new Outcome.NeedsConfirmation(effect, details, progress -> {
                // under the stanza's lock: dry run again, compare with what was confirmed, then expire
                ExpirePlan done = svc.expire(plan, user, inv.clock().instant(), progress);
                return Reply.builder(Severity.SUCCESS, "Expired on stanza " + stanza)
                        .text(done.isEmpty() ? "pgBackRest removed nothing." : "Removed " + done.describe() + ".").build();
            });
        }

    }
}
