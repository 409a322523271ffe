package dev.pgchatops.core.confirm;

import dev.pgchatops.config.Role;
import dev.pgchatops.core.AccessControl;
import dev.pgchatops.core.CommandRegistry;
import dev.pgchatops.core.Handled;
import dev.pgchatops.core.Identity;
import dev.pgchatops.core.OutcomeUnknown;
import dev.pgchatops.core.Outcome;
import dev.pgchatops.core.Request;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.audit.AuditUnavailable;
import dev.pgchatops.core.audit.Auditor;
import dev.pgchatops.core.chat.Conversation;
import dev.pgchatops.core.chat.MessageRef;
import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;
import dev.pgchatops.core.run.ClusterGuard;
import dev.pgchatops.core.run.ProgressSink;
import dev.pgchatops.core.run.ProgressSinks;
import dev.pgchatops.core.run.ReplyDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The life of a confirmation, as its message shows it: opened with Confirm/Cancel buttons; on confirm edited to
 * "confirmed by X — running…" (buttons gone), then to the progress and the outcome; on cancel or expiry edited to
 * say so. Expiry is noticed by the bot itself ({@link #expireDue}, called on a timer), so no button stays live after
 * its time. The action runs at most once, holding its cluster ({@link ClusterGuard}); "confirmed by X" is audited
 * before it starts (if that cannot be written, it does not run) and the outcome after.
 */
public final class ConfirmationFlow {
    private static final Logger LOG = LoggerFactory.getLogger(ConfirmationFlow.class);
    public static final String CONFIRM_PREFIX = "confirm:";
    public static final String CANCEL_PREFIX = "cancel:";

    private final Confirmations confirmations;
    private final ClusterGuard guard;
    private final Auditor auditor;
    private final AccessControl access;
    private final CommandRegistry registry;
    private final ProgressSinks sinks;
    /** The message showing each open confirmation and the conversation it was posted in (for expiry). */
    private final Map<String, Prompt> prompts = new ConcurrentHashMap<>();

    private record Prompt(MessageRef ref, Conversation conversation, Reply shown, Request request) {
    }

    public ConfirmationFlow(Confirmations confirmations, ClusterGuard guard, Auditor auditor, AccessControl access,
                            CommandRegistry registry, ProgressSinks sinks) {
        this.confirmations = confirmations;
        this.guard = guard;
        this.auditor = auditor;
        this.access = access;
        this.registry = registry;
        this.sinks = sinks;
    }

    public Optional<PendingView> view(String token) {
        return confirmations.peek(token).map(Pending::view);
    }

    /**
     * Opens a confirmation and posts its prompt. The request is audited first; when that fails, nothing is opened
     * and {@link AuditUnavailable} is thrown.
     */
    public Handled open(Request req, Conversation conv, String cluster, String command, List<String> args,
                        Outcome.NeedsConfirmation nc, long t0) throws UserFacingException {
        Pending p = confirmations.open(req.user(), cluster, command, args, nc.effect(), nc.action());
        try {
            auditor.required(new Auditor.Entry(req, cluster, command, args, "requested " + p.token(), "pending",
                    nc.effect(), t0));
        } catch (AuditUnavailable e) {
            p.transition(Pending.Status.CANCELLED, null);
            throw e;
        }
        Reply prompt = promptReply(p, nc);
        // Under the confirmation's lock, so a click (or expiry) cannot be decided before the prompt is recorded and
        // then post a new message instead of editing the prompt.
        synchronized (p) {
            MessageRef ref = ReplyDelivery.post(conv, prompt);
            prompts.put(p.token(), new Prompt(ref, conv, prompt, req));
        }
        return new Handled(prompt, Optional.of(p.view()));
    }

    private Reply promptReply(Pending p, Outcome.NeedsConfirmation nc) {
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

    /** Confirm pressed (or "confirm" typed): runs the action at most once, on the calling thread. */
    public Handled confirm(String token, Identity who, String channel, Conversation conv) {
        long t0 = System.nanoTime();
        Request req = new Request(who, channel, "confirm " + token);
        boolean admin = access.roleOf(who) == Role.ADMIN;
        Pending p = confirmations.peek(token).orElse(null);
        if (p == null) return refuse(conv, req, null, "confirm " + token, "not-found", refusal(new Decision.Unknown(token), "confirm"), t0);
        ClusterGuard.Lease lease = null;
        Decision d;
        // Presses of one confirmation are decided one at a time, so a loser always sees it decided (never "busy").
        synchronized (p) {
            if (p.status() == Pending.Status.OPEN && (admin || p.requester().key().equals(who.key()))) {
                // The confirmer must hold the command's role too, and the cluster must be free: checked before
                // deciding, so a refusal uses nothing up and the confirmation stays open.
                Optional<String> refusal = registry.find(p.command()).flatMap(c -> access.refusal(who, c.spec()));
                if (refusal.isPresent()) return refuse(conv, req, p, "confirm " + token, "refused", Reply.error(refusal.get()), t0);
                Optional<ClusterGuard.Lease> l = guard.tryAcquire(p.cluster(), p.command(), who);
                if (l.isEmpty()) {
                    String busy = guard.holder(p.cluster()).map(guard::busyMessage).orElse("busy: another action runs on " + p.cluster());
                    return refuse(conv, req, p, "confirm " + token, "refused",
                            Reply.error(busy + " Your confirmation stays open until it expires."), t0);
                }
                lease = l.get();
            }
            d = confirmations.confirm(token, who, admin);
            if (!(d instanceof Decision.Granted) && lease != null) {
                lease.close();
                lease = null;
            }
        }
        if (!(d instanceof Decision.Granted g)) {
            if (d instanceof Decision.Expired e) showExpired(e.pending());
            return refuse(conv, req, pendingOf(d), "confirm " + token, outcomeOf(d), refusal(d, "confirm"), t0);
        }
        try (ClusterGuard.Lease held = lease) {
            return run(g.pending(), who, req, conv, t0);
        }
    }

    private Handled run(Pending p, Identity who, Request req, Conversation conv, long t0) {
        Prompt prompt = prompts.remove(p.token());
        MessageRef ref = prompt == null ? null : prompt.ref();
        String confirmation = "confirmed " + p.token() + " by " + who.key();
        try {
            auditor.required(new Auditor.Entry(req, p.cluster(), p.command(), p.args(), confirmation, "confirmed",
                    "confirmed by " + who.displayName(), t0));
        } catch (AuditUnavailable e) {
            Reply r = Reply.error("Not run: /" + p.command() + " on " + p.cluster() + " was confirmed by "
                    + who.displayName() + ", but the audit log cannot be written (" + e.getMessage()
                    + "). Nothing was changed; destructive commands are refused until the audit log works again.");
            ReplyDelivery.replace(conv, ref, prompt == null ? r : prompt.shown().withoutButtons().withBlock(new Block.Text(r.plainText())));
            return Handled.answered(r);
        }
        ProgressSink sink = sinks.open(conv, ref, "/" + p.command() + " on " + p.cluster() + " — confirmed by " + who.displayName());
        sink.line("confirmed by " + who.displayName() + " — running /" + p.command() + " on " + p.cluster());
        Reply r;
        String outcome;
        String detail;
        boolean returned = false;
        try {
            r = p.action().run(sink);
            returned = true;
            outcome = r.severity() == Severity.ERROR ? "error" : "ok";
            detail = r.plainText();
        } catch (UserFacingException e) {
            boolean unknown = e instanceof OutcomeUnknown;
            r = unknown ? Reply.text(Severity.WARNING, e.getMessage()) : Reply.error(e.getMessage());
            outcome = unknown ? "unknown" : "error";
            detail = e.getMessage();
        } catch (RuntimeException e) {
            String id = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("internal error {} while running confirmed /{}", id, p.command(), e);
            r = Reply.text(Severity.WARNING, "Internal error (reference " + id + ") while running /" + p.command()
                    + "; its outcome is unknown and the bot's log has the details. Check /cluster-list before retrying.");
            outcome = "unknown";
            detail = "internal error " + id;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        auditor.record(new Auditor.Entry(req, p.cluster(), p.command(), p.args(), confirmation, outcome, detail, t0));
        // A result the action returned gets "confirmed by X — 2.1 s"; a failure it threw is shown as it is.
        Reply shown = returned ? r.withBlock(new Block.Text("confirmed by " + who.displayName() + " — "
                + String.format("%.1f s", seconds))) : r;
        ReplyDelivery.finish(conv, sink, shown);
        return Handled.answered(shown);
    }

    public Handled cancel(String token, Identity who, String channel, Conversation conv) {
        long t0 = System.nanoTime();
        Request req = new Request(who, channel, "cancel " + token);
        Pending known = confirmations.peek(token).orElse(null);
        Decision d;
        Prompt prompt = null;
        if (known == null) {
            d = confirmations.cancel(token, who, access.roleOf(who) == Role.ADMIN);
        } else {
            synchronized (known) {
                d = confirmations.cancel(token, who, access.roleOf(who) == Role.ADMIN);
                if (d instanceof Decision.Granted) prompt = prompts.remove(token);
            }
        }
        if (d instanceof Decision.Granted g) {
            Pending p = g.pending();
            String text = "Cancelled /" + p.command() + " on " + p.cluster() + " (" + who.displayName() + "). Nothing was changed.";
            Reply r = prompt == null ? Reply.info(text) : prompt.shown().withoutButtons().withBlock(new Block.Text(text));
            ReplyDelivery.replace(conv, prompt == null ? null : prompt.ref(), r);
            auditor.record(new Auditor.Entry(req, p.cluster(), p.command(), p.args(), "cancelled " + token, "cancelled", "", t0));
            return Handled.answered(r);
        }
        if (d instanceof Decision.Expired e) showExpired(e.pending());
        return refuse(conv, req, pendingOf(d), "cancel " + token, outcomeOf(d), refusal(d, "cancel"), t0);
    }

    /** Expires what is due and edits those prompts; returns how many expired. Called every second by the bot. */
    public int expireDue() {
        List<Pending> due = confirmations.expireDue();
        for (Pending p : due) {
            synchronized (p) { // waits for a prompt still being posted
                showExpired(p);
            }
        }
        return due.size();
    }

    /** Edits an expired confirmation's prompt (once) and audits the expiry. */
    private void showExpired(Pending p) {
        Prompt prompt = prompts.remove(p.token());
        if (prompt == null) return;
        String text = "Expired after " + confirmations.ttl().toSeconds() + " s — nothing was run. Run /" + p.command()
                + " again if it is still needed.";
        ReplyDelivery.replace(prompt.conversation(), prompt.ref(), prompt.shown().withoutButtons().withBlock(new Block.Text(text)));
        auditor.record(new Auditor.Entry(prompt.request(), p.cluster(), p.command(), p.args(), "expired " + p.token(),
                "expired", "", System.nanoTime()));
    }

    private Handled refuse(Conversation conv, Request req, Pending p, String confirmation, String outcome, Reply r, long t0) {
        Reply priv = r.asPrivate();
        ReplyDelivery.post(conv, priv);
        auditor.record(new Auditor.Entry(req, p == null ? "" : p.cluster(), p == null ? "" : p.command(),
                p == null ? List.of() : p.args(), confirmation, outcome, r.plainText(), t0));
        return Handled.answered(priv);
    }

    private static Reply refusal(Decision d, String verb) {
        if (d instanceof Decision.Unknown) {
            return Reply.error("There is no pending confirmation with that id; it may be from before a restart. Run the command again.");
        }
        if (d instanceof Decision.Expired e) {
            return verb.equals("cancel")
                    ? Reply.info("The confirmation for /" + e.pending().command() + " had already expired; nothing was run.")
                    : Reply.error("The confirmation for /" + e.pending().command() + " expired; nothing was run. Run the command again.");
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
        if (d instanceof Decision.Unknown) return "not-found";
        return "duplicate";
    }

    private static Pending pendingOf(Decision d) {
        if (d instanceof Decision.Granted g) return g.pending();
        if (d instanceof Decision.Expired e) return e.pending();
        if (d instanceof Decision.Forbidden f) return f.pending();
        if (d instanceof Decision.AlreadyDecided a) return a.pending();
        return null;
    }
}
