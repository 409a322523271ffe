package dev.pgchatops.core;

import dev.pgchatops.core.run.DaemonThreads;
import dev.pgchatops.core.audit.AuditLog;
import dev.pgchatops.core.audit.AuditUnavailable;
import dev.pgchatops.core.audit.Auditor;
import dev.pgchatops.core.chat.Conversation;
import dev.pgchatops.core.cmd.SecretRedactor;
import dev.pgchatops.core.confirm.ConfirmationFlow;
import dev.pgchatops.core.confirm.Confirmations;
import dev.pgchatops.core.confirm.PendingView;
import dev.pgchatops.core.parse.CommandParser;
import dev.pgchatops.core.parse.ParseException;
import dev.pgchatops.core.parse.ParsedCommand;
import dev.pgchatops.core.parse.Tokenizer;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;
import dev.pgchatops.core.run.ClusterGuard;
import dev.pgchatops.core.run.CommandExecutor;
import dev.pgchatops.core.run.Deliveries;
import dev.pgchatops.core.run.ProgressSink;
import dev.pgchatops.core.run.ProgressSinks;
import dev.pgchatops.core.run.ReplyDelivery;
import dev.pgchatops.core.run.Ticker;
import dev.pgchatops.core.run.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The platform-neutral heart of the bot. Adapters hand it a {@link Request} or a button press with the
 * {@link Conversation} to answer in, and get control back at once ({@link #submit}, {@link #press}); the work runs
 * on a bounded executor. It parses the command, checks access, picks the cluster, runs the command with a
 * {@link ProgressSink}, opens confirmations for destructive ones ({@link ConfirmationFlow}), refuses a second
 * destructive action on a busy cluster, answers a redelivered request with its first answer, and audits everything
 * (destructive commands fail closed when the audit log cannot be written). Adapters never see exceptions.
 */
public final class Bot implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Bot.class);
    public static final String CONFIRM_PREFIX = ConfirmationFlow.CONFIRM_PREFIX;
    public static final String CANCEL_PREFIX = ConfirmationFlow.CANCEL_PREFIX;
    /**
     * A button that runs a command as if the clicker had typed it ({@code run:/reinit node1 --cluster demo}): alerts
     * offer next steps this way; RBAC, confirmations and the audit apply to the clicker as for a typed command.
     */
    public static final String RUN_PREFIX = "run:";
    /** Longest command accepted, in characters (Slack's own limit for a slash command's text is about 4000). */
    public static final int MAX_LINE = 4000;

    /** How the bot runs commands: the pool size, and the ticker and timer its progress and expiry use. */
    public record Settings(int threads, Ticker ticker, Optional<Timer> timer) {
        public static final Settings DEFAULT = new Settings(8, Ticker.SYSTEM, Optional.empty());
    }

    private final Map<String, ClusterRuntime> clusters;
    private final CommandRegistry registry;
    private final AccessControl access;
    private final Auditor auditor;
    private final InstantSource clock;
    private final ClusterGuard guard;
    private final ConfirmationFlow flow;
    private final CommandExecutor executor;
    private final Deliveries<Handled> deliveries;
    private final ProgressSinks sinks;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService chat;

    public Bot(List<ClusterRuntime> clusters, CommandRegistry registry, AccessControl access, Confirmations confirmations,
               AuditLog audit, InstantSource clock) {
        this(clusters, registry, access, confirmations, audit, clock, Settings.DEFAULT);
    }

    public Bot(List<ClusterRuntime> clusters, CommandRegistry registry, AccessControl access, Confirmations confirmations,
               AuditLog audit, InstantSource clock, Settings settings) {
        Map<String, ClusterRuntime> m = new LinkedHashMap<>();
        clusters.forEach(c -> m.put(c.name(), c));
        this.clusters = m;
        this.registry = registry;
        this.access = access;
        this.clock = clock;
        this.auditor = new Auditor(audit, clock, text -> SecretRedactor.redactText(text).redacted().asText());
        this.guard = new ClusterGuard(clock);
        this.executor = new CommandExecutor(settings.threads());
        this.deliveries = new Deliveries<>(settings.ticker());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("pgchatops-timer"));
        this.chat = Executors.newCachedThreadPool(DaemonThreads.numbered("pgchatops-chat"));
        Timer timer = settings.timer().orElse((task, nanos) -> scheduler.schedule(task, nanos, TimeUnit.NANOSECONDS));
        this.sinks = new ProgressSinks(settings.ticker(), timer, chat);
        this.flow = new ConfirmationFlow(confirmations, guard, auditor, access, registry, sinks);
        if (settings.timer().isEmpty()) {
            scheduler.scheduleWithFixedDelay(this::expireDueQuietly, 1, 1, TimeUnit.SECONDS);
        }
    }


    /** Stops the executors and closes what the clusters hold open (cached SSH connections). */
    @Override
    public void close() {
        scheduler.shutdownNow();
        executor.close();
        chat.shutdown();
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

    /** The current state of a confirmation, for adapters (read-only). */
    public Optional<PendingView> confirmation(String token) {
        return flow.view(token);
    }

    // ---- the asynchronous entry points (chat adapters) ------------------------------------------------------

    /**
     * Hands a request over and returns at once; the future completes when it has been answered (for a destructive
     * command: when its confirmation was opened). A delivery id seen within the last 10 minutes gets the first
     * delivery's answer and runs nothing.
     */
    public CompletableFuture<Handled> submit(Request req, Conversation conv) {
        if (req.deliveryId().isEmpty()) return run(() -> dispatch(req, conv), conv);
        return deliveries.once(req.user().platform() + ":" + req.deliveryId().get(), () -> run(() -> dispatch(req, conv), conv));
    }

    /**
     * A button was pressed: {@code action} is what the button carried ({@code confirm:TOKEN}, {@code cancel:TOKEN} or
     * {@code run:COMMAND LINE}, see {@link #RUN_PREFIX}).
     * {@code deliveryId} (may be null) makes a redelivered click run nothing.
     */
    public CompletableFuture<Handled> press(String action, Identity who, String channel, Conversation conv, String deliveryId) {
        java.util.function.Supplier<Handled> work;
        if (action != null && action.startsWith(CONFIRM_PREFIX)) {
            String token = action.substring(CONFIRM_PREFIX.length());
            work = () -> flow.confirm(token, who, channel, conv);
        } else if (action != null && action.startsWith(CANCEL_PREFIX)) {
            String token = action.substring(CANCEL_PREFIX.length());
            work = () -> flow.cancel(token, who, channel, conv);
        } else if (action != null && action.startsWith(RUN_PREFIX)) {
            Request req = Request.line(who, channel, action.substring(RUN_PREFIX.length()), null);
            work = () -> dispatch(req, conv);
        } else {
            work = () -> {
                Reply r = Reply.error("This button is not one of the bot's (\"" + Texts.abbreviate(String.valueOf(action), 40)
                        + "\"); nothing was run.").asPrivate();
                ReplyDelivery.post(conv, r);
                return Handled.answered(r);
            };
        }
        if (deliveryId == null) return run(work, conv);
        java.util.function.Supplier<Handled> w = work;
        return deliveries.once(who.platform() + ":" + deliveryId, () -> run(w, conv));
    }

    private CompletableFuture<Handled> run(java.util.function.Supplier<Handled> work, Conversation conv) {
        return executor.submit(() -> {
            try {
                return work.get();
            } catch (RuntimeException e) {
                String id = UUID.randomUUID().toString().substring(0, 8);
                LOG.error("internal error {}", id, e);
                Reply r = Reply.error("Internal error (reference " + id + "); the bot's log has the details.").asPrivate();
                ReplyDelivery.post(conv, r);
                return Handled.answered(r);
            }
        }, () -> {
            Reply r = Reply.error("The bot is overloaded (" + executor.running() + " commands running and the queue is full);"
                    + " nothing was run. Try again in a minute.").asPrivate();
            ReplyDelivery.post(conv, r);
            return Handled.answered(r);
        });
    }

    /**
     * Audits a request an adapter refused before handing it over (e.g. a Slack request with a missing or wrong
     * signature): outcome {@code refused}, nothing was run. Never throws.
     */
    public void auditRefused(Request req, String command, String detail) {
        auditor.record(new Auditor.Entry(req, "", command == null ? "" : command, List.of(), "", "refused", detail,
                System.nanoTime()));
    }

    // ---- blocking entry points (the console, tests) ---------------------------------------------------------

    /** {@link #submit} and wait for the answer; returns the confirmation opened, if any. */
    public Optional<PendingView> handle(Request req, Conversation conv) {
        return submit(req, conv).join().confirmation();
    }

    /** Confirm (as typed or pressed) and wait until the action has ended. */
    public Handled confirm(String token, Identity who, String channel, Conversation conv) {
        return press(CONFIRM_PREFIX + token, who, channel, conv, null).join();
    }

    public Handled cancel(String token, Identity who, String channel, Conversation conv) {
        return press(CANCEL_PREFIX + token, who, channel, conv, null).join();
    }

    /** Expires confirmations whose time is up and edits their messages (runs every second; tests call it). */
    public int expireDue() {
        return flow.expireDue();
    }

    private void expireDueQuietly() {
        try {
            flow.expireDue();
        } catch (RuntimeException e) {
            LOG.error("expiring confirmations failed", e);
        }
    }

    // ---- one request --------------------------------------------------------------------------------------

    private Handled dispatch(Request req, Conversation conv) {
        long t0 = System.nanoTime();
        String commandName = "";
        String clusterName = "";
        List<String> args = List.of();
        try {
            List<String> words = words(req.input());
            if (words.isEmpty()) return answer(conv, Reply.info("Type /help to see the commands.").asPrivate());
            String name = commandName(words.get(0));
            commandName = name;
            Command command = registry.find(name).orElseThrow(() -> new ParseException(unknownCommand(name)));
            ParsedCommand parsed = CommandParser.parse(command.spec(), words.subList(1, words.size()));
            // what is typed may hold secrets (/config-set …primary_conninfo=… password=…): never into the audit log
            args = parsed.argsForAudit().stream().map(SecretRedactor::redactArg).toList();
            Optional<String> refusal = access.refusal(req.user(), command.spec());
            if (refusal.isPresent()) {
                auditor.record(new Auditor.Entry(req, "", name, args, "", "refused", refusal.get(), t0));
                return answer(conv, Reply.error(refusal.get()).asPrivate());
            }
            ClusterRuntime cluster = command.needsCluster() ? pickCluster(parsed) : optionalCluster(parsed);
            clusterName = cluster == null ? "" : cluster.name();
            if (command.spec().destructive()) {
                Optional<ClusterGuard.Holder> busy = guard.holder(clusterName);
                if (busy.isPresent()) {
                    String msg = guard.busyMessage(busy.get());
                    auditor.record(new Auditor.Entry(req, clusterName, name, args, "", "refused", msg, t0));
                    return answer(conv, Reply.error(msg).asPrivate());
                }
            }
            ProgressSink sink = sinks.open(conv, null, "/" + name + (cluster == null ? "" : " on " + clusterName));
            Invocation inv = new Invocation(req, parsed, cluster, access.roleOf(req.user()), sink, clock, registry);
            Outcome outcome;
            try {
                outcome = command.run(inv);
            } catch (UserFacingException | RuntimeException e) {
                sink.finish(ReplyDelivery.FINISH_WAIT);
                throw e;
            }
            if (outcome instanceof Outcome.Done done) {
                auditor.record(new Auditor.Entry(req, clusterName, name, args, "",
                        done.reply().severity() == Severity.ERROR ? "error" : "ok", done.reply().plainText(), t0));
                ReplyDelivery.finish(conv, sink, done.reply());
                return Handled.answered(done.reply());
            }
            sink.finish(ReplyDelivery.FINISH_WAIT);
            return flow.open(req, conv, clusterName, name, args, (Outcome.NeedsConfirmation) outcome, t0);
        } catch (AuditUnavailable e) {
            LOG.error("refusing a destructive command: {}", e.getMessage());
            return answer(conv, Reply.error("Refused: the audit log cannot be written (" + e.getMessage() + "). Destructive"
                    + " commands are refused until it works again; read commands still answer.").asPrivate());
        } catch (ParseException | dev.pgchatops.core.confirm.Confirmations.TooManyOpen e) {
            auditor.record(new Auditor.Entry(req, clusterName, commandName, args, "", "error", e.getMessage(), t0));
            return answer(conv, Reply.error(e.getMessage()).asPrivate());
        } catch (UserFacingException e) {
            boolean unknown = e instanceof OutcomeUnknown;
            auditor.record(new Auditor.Entry(req, clusterName, commandName, args, "", unknown ? "unknown" : "error",
                    e.getMessage(), t0));
            return answer(conv, unknown ? Reply.text(Severity.WARNING, e.getMessage())
                    : Reply.error(e.getMessage()));
        } catch (RuntimeException e) {
            String id = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("internal error {} while handling '{}' from {}", id, commandName, req.user().key(), e);
            auditor.record(new Auditor.Entry(req, clusterName, commandName, args, "", "error", "internal error " + id, t0));
            return answer(conv, Reply.error("Internal error (reference " + id + "); the bot's log has the details."));
        }
    }

    private static Handled answer(Conversation conv, Reply r) {
        ReplyDelivery.post(conv, r);
        return Handled.answered(r);
    }

    /** "/Cluster-List" → "cluster-list": commands are matched without the slash and regardless of case. */
    private static String commandName(String word) {
        return (word.startsWith("/") ? word.substring(1) : word).toLowerCase(Locale.ROOT);
    }

    private String unknownCommand(String name) {
        String shown = Texts.abbreviate(name, CommandParser.ECHO);
        String hint = registry.closest(name).map(c -> " Did you mean /" + c + "? Usage: "
                + registry.find(c).orElseThrow().spec().usage()).orElse("");
        return "unknown command /" + shown + "." + hint + "\nType /help for all commands.";
    }

    /**
     * The words of a request: a typed line split by the {@link Tokenizer} (after the length check); typed options
     * as given (checked for control characters). Errors show the usage of the command they start with, if known.
     */
    private List<String> words(Request.Input input) throws ParseException {
        if (input instanceof Request.Input.Typed t) {
            List<String> w = new ArrayList<>();
            w.add(t.command());
            w.addAll(t.words());
            int total = w.stream().mapToInt(String::length).sum();
            if (total > MAX_LINE) throw tooLong(total);
            for (String s : w) Tokenizer.checkNoControl(s);
            return w;
        }
        String text = input.text().strip();
        if (text.length() > MAX_LINE) throw tooLong(text.length());
        try {
            return Tokenizer.split(text);
        } catch (ParseException e) {
            String first = text.split("[\\s\\p{Cntrl}]+", 2)[0];
            Optional<Command> c = first.isEmpty() ? Optional.empty() : registry.find(commandName(first));
            throw c.isPresent() ? new ParseException(e.getMessage() + ".\nUsage: " + c.get().spec().usage()) : e;
        }
    }

    private static ParseException tooLong(int length) {
        return new ParseException("that command is " + length + " characters long; the limit is " + MAX_LINE
                + ". Nothing was run. Type a shorter command (/help lists them).");
    }

    private ClusterRuntime pickCluster(ParsedCommand parsed) throws ParseException {
        ClusterRuntime c = optionalCluster(parsed);
        if (c != null) return c;
        throw new ParseException("several clusters are configured (" + String.join(", ", clusters.keySet())
                + "): add --cluster NAME.\nUsage: " + parsed.spec().usage());
    }

    /** The cluster named by --cluster, else the only one configured, else null. */
    private ClusterRuntime optionalCluster(ParsedCommand parsed) throws ParseException {
        Optional<String> name = parsed.flag(CommandParser.CLUSTER_FLAG);
        if (name.isPresent()) {
            ClusterRuntime c = clusters.get(name.get());
            if (c == null) {
                throw new ParseException("no cluster named '" + Texts.abbreviate(name.get(), CommandParser.ECHO)
                        + "'; configured: " + String.join(", ", clusters.keySet()));
            }
            return c;
        }
        return clusters.size() == 1 ? clusters.values().iterator().next() : null;
    }
}
