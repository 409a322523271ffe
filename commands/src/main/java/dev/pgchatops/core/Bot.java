package dev.pgchatops.core;

import dev.pgchatops.config.Role;
import dev.pgchatops.core.audit.AuditEvent;
import dev.pgchatops.core.audit.AuditLog;
import dev.pgchatops.core.confirm.Confirmations;
import dev.pgchatops.core.confirm.Decision;
import dev.pgchatops.core.confirm.Pending;
import dev.pgchatops.core.parse.CommandParser;
import dev.pgchatops.core.parse.ParseException;
import dev.pgchatops.core.parse.ParsedCommand;
import dev.pgchatops.core.parse.Tokenizer;
import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The platform-neutral heart of the bot: parses a command line, checks access, picks the cluster, runs the command,
 * opens confirmations for destructive ones and runs them once confirmed, and audits every request. Adapters call
 * {@link #handle}, {@link #confirm} and {@link #cancel}; they never see exceptions, only replies.
 */
public final class Bot implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Bot.class);
    public static final String CONFIRM_PREFIX = "confirm:";
    public static final String CANCEL_PREFIX = "cancel:";

    private final Map<String, ClusterRuntime> clusters;
    private final CommandRegistry registry;
    private final AccessControl access;
    private final Confirmations confirmations;
    private final AuditLog audit;
    private final InstantSource clock;

    public Bot(List<ClusterRuntime> clusters, CommandRegistry registry, AccessControl access, Confirmations confirmations,
               AuditLog audit, InstantSource clock) {
        Map<String, ClusterRuntime> m = new LinkedHashMap<>();
        clusters.forEach(c -> m.put(c.name(), c));
        this.clusters = m;
        this.registry = registry;
        this.access = access;
        this.confirmations = confirmations;
        this.audit = audit;
        this.clock = clock;
    }

    /** Closes what the clusters hold open (cached SSH connections of the pgBackRest services). */
    @Override
    public void close() {
        clusters.values().forEach(c -> c.pgbackrest().ifPresent(p -> p.close()));
    }

    public CommandRegistry registry() {
        return registry;
    }

    public AccessControl access() {
        return access;
    }

    public Map<String, ClusterRuntime> clusters() {
        return clusters;
    }

    /** Handles one typed command line. Returns the confirmation opened, if the command needs one. */
    public Optional<Pending> handle(Request req, Responder out) {
        long t0 = System.nanoTime();
        String commandName = "";
        String clusterName = "";
        List<String> args = List.of();
        try {
            List<String> words = words(req.text() == null ? "" : req.text().trim());
            if (words.isEmpty()) {
                out.reply(Reply.info("Type /help to see the commands."));
                return Optional.empty();
            }
            String name = words.get(0).startsWith("/") ? words.get(0).substring(1) : words.get(0);
            commandName = name;
            Optional<Command> cmd = registry.find(name);
            if (cmd.isEmpty()) {
                String hint = registry.closest(name).map(c -> " Did you mean /" + c + "? Usage: "
                        + registry.find(c).orElseThrow().spec().usage()).orElse("");
                throw new ParseException("unknown command /" + name + "." + hint + "\nType /help for all commands.");
            }
            Command command = cmd.get();
            ParsedCommand parsed = CommandParser.parse(command.spec(), words.subList(1, words.size()));
            args = parsed.argsForAudit();
            Optional<String> refusal = access.refusal(req.user(), command.spec());
            if (refusal.isPresent()) {
                out.reply(Reply.error(refusal.get()));
                audit(req, clusterName, name, args, "", "refused", refusal.get(), t0);
                return Optional.empty();
            }
            ClusterRuntime cluster = pickCluster(parsed);
            clusterName = cluster.name();
            ProgressTracker progress = new ProgressTracker(out, "/" + name + " on " + clusterName);
            Invocation inv = new Invocation(req, parsed, cluster, access.roleOf(req.user()), progress, clock, registry);
            Outcome outcome = command.run(inv);
            if (outcome instanceof Outcome.Done done) {
                out.reply(done.reply());
                audit(req, clusterName, name, args, "", done.reply().severity() == Severity.ERROR ? "error" : "ok",
                        "", t0);
                return Optional.empty();
            }
            Outcome.NeedsConfirmation nc = (Outcome.NeedsConfirmation) outcome;
            Pending p = confirmations.open(req.user(), clusterName, name, args, nc.effect(), nc.action());
            out.reply(confirmationReply(p, nc));
            audit(req, clusterName, name, args, "requested " + p.token(), "pending", nc.effect(), t0);
            return Optional.of(p);
        } catch (UserFacingException e) {
            out.reply(Reply.error(e.getMessage()));
            audit(req, clusterName, commandName, args, "", "error", e.getMessage(), t0);
        } catch (RuntimeException e) {
            String id = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("internal error {} while handling '{}' from {}", id, commandName, req.user().key(), e);
            out.reply(Reply.error("Internal error (reference " + id + "); the bot's log has the details."));
            audit(req, clusterName, commandName, args, "", "error", "internal error " + id, t0);
        }
        return Optional.empty();
    }

    /** Splits the line; when that fails, the message shows the usage of the command it starts with, if known. */
    private List<String> words(String text) throws ParseException {
        try {
            return Tokenizer.split(text);
        } catch (ParseException e) {
            String first = text.split("\\s+", 2)[0];
            String name = first.startsWith("/") ? first.substring(1) : first;
            Optional<Command> c = registry.find(name);
            throw c.isPresent() ? new ParseException(e.getMessage() + ".\nUsage: " + c.get().spec().usage()) : e;
        }
    }

    private Reply confirmationReply(Pending p, Outcome.NeedsConfirmation nc) {
        Reply.Builder b = Reply.builder(Severity.WARNING, "Confirm /" + p.command() + " on " + p.cluster())
                .text(nc.effect());
        if (!nc.details().isEmpty()) b.fields(nc.details());
        b.text("Requested by " + p.requester().displayName() + ". Only they or an admin can confirm; expires in "
                + confirmations.ttl().toSeconds() + " s.");
        b.block(new Block.Buttons(List.of(
                new Block.Button(CONFIRM_PREFIX + p.token(), "Confirm", Block.Style.DANGER),
                new Block.Button(CANCEL_PREFIX + p.token(), "Cancel", Block.Style.DEFAULT))));
        return b.build();
    }

    /** Confirm button pressed (or "confirm" typed). Runs the action at most once. */
    public void confirm(String token, Identity who, String channel, Responder out) {
        long t0 = System.nanoTime();
        Request req = new Request(who, channel, "confirm " + token);
        // The confirmer must hold the command's role too; check before deciding, so a refusal uses nothing up.
        Optional<Pending> peeked = confirmations.peek(token);
        boolean mayDecide = peeked.isPresent() && (peeked.get().requester().key().equals(who.key())
                || access.roleOf(who) == Role.ADMIN);
        if (mayDecide && peeked.get().status() == Pending.Status.OPEN) {
            Optional<String> refusal = registry.find(peeked.get().command()).flatMap(c -> access.refusal(who, c.spec()));
            if (refusal.isPresent()) {
                out.reply(Reply.error(refusal.get()));
                audit(req, peeked.get().cluster(), peeked.get().command(), peeked.get().args(), "confirm " + token,
                        "refused", refusal.get(), t0);
                return;
            }
        }
        Decision d = confirmations.confirm(token, who, access.roleOf(who) == Role.ADMIN);
        if (!(d instanceof Decision.Granted g)) {
            Reply r = refusal(d, "confirm");
            out.reply(r);
            audit(req, pendingCluster(d), pendingCommand(d), List.of(), "confirm " + token, outcomeOf(d), r.plainText(), t0);
            return;
        }
        Pending p = g.pending();
        ProgressTracker progress = new ProgressTracker(out, "/" + p.command() + " on " + p.cluster());
        progress.line("confirmed by " + who.displayName() + " — running /" + p.command() + " on " + p.cluster());
        String outcome;
        String detail;
        try {
            Reply r = p.action().run(progress);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            r = r.withBlock(new Block.Text("confirmed by " + who.displayName() + " — " + String.format("%.1f s", ms / 1000.0)));
            out.reply(r);
            outcome = r.severity() == Severity.ERROR ? "error" : "ok";
            detail = firstLine(r.plainText());
        } catch (UserFacingException e) {
            out.reply(Reply.error(e.getMessage()));
            outcome = "error";
            detail = e.getMessage();
        } catch (RuntimeException e) {
            String id = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("internal error {} while running confirmed /{}", id, p.command(), e);
            out.reply(Reply.error("Internal error (reference " + id + ") while running /" + p.command()
                    + "; the bot's log has the details. Check /cluster-list before retrying."));
            outcome = "error";
            detail = "internal error " + id;
        }
        audit(req, p.cluster(), p.command(), p.args(), "confirmed " + token + " by " + who.key(), outcome, detail, t0);
    }

    public void cancel(String token, Identity who, String channel, Responder out) {
        long t0 = System.nanoTime();
        Decision d = confirmations.cancel(token, who, access.roleOf(who) == Role.ADMIN);
        Request req = new Request(who, channel, "cancel " + token);
        if (d instanceof Decision.Granted g) {
            out.reply(Reply.info("Cancelled /" + g.pending().command() + " on " + g.pending().cluster() + " (" + who.displayName() + "). Nothing was changed."));
            audit(req, g.pending().cluster(), g.pending().command(), g.pending().args(), "cancelled " + token, "cancelled", "", t0);
        } else {
            Reply r = refusal(d, "cancel");
            out.reply(r);
            audit(req, pendingCluster(d), pendingCommand(d), List.of(), "cancel " + token, outcomeOf(d), r.plainText(), t0);
        }
    }

    private static Reply refusal(Decision d, String verb) {
        if (d instanceof Decision.Unknown) {
            return Reply.error("There is no pending confirmation with that id; it may be from before a restart. Run the command again.");
        }
        if (d instanceof Decision.Expired e) {
            return Reply.error("The confirmation for /" + e.pending().command() + " expired; nothing was run. Run the command again.");
        }
        if (d instanceof Decision.Forbidden f) {
            return Reply.error("Only " + f.pending().requester().displayName() + " (who asked for /" + f.pending().command()
                    + ") or an admin can " + verb + " it.");
        }
        Pending p = ((Decision.AlreadyDecided) d).pending();
        String by = p.decidedBy() == null ? "" : " by " + p.decidedBy().displayName();
        return Reply.info("/" + p.command() + " was already " + p.status().name().toLowerCase() + by + "; it runs only once.");
    }

    private static String outcomeOf(Decision d) {
        if (d instanceof Decision.Expired) return "expired";
        if (d instanceof Decision.Forbidden) return "refused";
        if (d instanceof Decision.Unknown) return "unknown";
        return "duplicate";
    }

    private static String pendingCluster(Decision d) {
        Pending p = pendingOf(d);
        return p == null ? "" : p.cluster();
    }

    private static String pendingCommand(Decision d) {
        Pending p = pendingOf(d);
        return p == null ? "" : p.command();
    }

    private static Pending pendingOf(Decision d) {
        if (d instanceof Decision.Granted g) return g.pending();
        if (d instanceof Decision.Expired e) return e.pending();
        if (d instanceof Decision.Forbidden f) return f.pending();
        if (d instanceof Decision.AlreadyDecided a) return a.pending();
        return null;
    }

    private ClusterRuntime pickCluster(ParsedCommand parsed) throws ParseException {
        Optional<String> name = parsed.flag(CommandParser.CLUSTER_FLAG);
        if (name.isPresent()) {
            ClusterRuntime c = clusters.get(name.get());
            if (c == null) {
                throw new ParseException("no cluster named '" + name.get() + "'; configured: " + String.join(", ", clusters.keySet()));
            }
            return c;
        }
        if (clusters.size() == 1) return clusters.values().iterator().next();
        throw new ParseException("several clusters are configured (" + String.join(", ", clusters.keySet())
                + "): add --cluster NAME.\nUsage: " + parsed.spec().usage());
    }

    private void audit(Request req, String cluster, String command, List<String> args, String confirmation,
                       String outcome, String detail, long t0) {
        try {
            audit.record(new AuditEvent(clock.instant(), req.user().key(), req.user().platform(),
                    req.channel() == null ? "" : req.channel(), cluster, command, args, confirmation, outcome,
                    detail == null ? "" : firstLine(detail), Duration.ofNanos(System.nanoTime() - t0).toMillis()));
        } catch (RuntimeException e) {
            LOG.error("audit failed", e);
        }
    }

    private static String firstLine(String s) {
        return Texts.firstLine(s);
    }

    /** Keeps the lines so far and passes each to the responder as an update of one message. */
    private static final class ProgressTracker implements Progress {
        private final Responder out;
        private final String title;
        private final List<String> lines = new ArrayList<>();

        ProgressTracker(Responder out, String title) {
            this.out = out;
            this.title = title;
        }

        @Override
        public synchronized void line(String text) {
            if (!lines.isEmpty() && lines.get(lines.size() - 1).equals(text)) return; // same state again: no news
            lines.add(text);
            Reply snapshot = Reply.builder(Severity.INFO, title).text(String.join("\n", lines)).build();
            out.progress(snapshot, text);
        }
    }
}
