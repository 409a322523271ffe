package dev.pgchatops.core.watch;

import dev.pgchatops.config.Durations;
import dev.pgchatops.config.Role;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.Invocation;
import dev.pgchatops.core.Outcome;
import dev.pgchatops.core.Texts;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.parse.CommandParser;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.parse.ParseException;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * /alerts (viewer): the active alerts; /silence [--cluster C] [--alert KEY] DURATION and /unsilence [--cluster C]
 * [--alert KEY] (operator). They work on the watch of {@code pgchatops serve}; elsewhere they say that nothing watches.
 */
public final class AlertCommands {
    static final Duration MAX_SILENCE = Duration.ofDays(7);
    private static final CommandSpec.Flag ALERT = CommandSpec.Flag.value("alert", "KEY",
            "an alert key (member-down:node2) or kind (member-down); default: every alert");

    private AlertCommands() {
    }

    /** {@code book} gives the running watch, or null where none runs. */
    public static List<Command> all(Supplier<AlertBook> book) {
        return List.of(new Alerts(book), new SilenceCmd(book), new Unsilence(book));
    }

    private static AlertBook book(Supplier<AlertBook> s) throws UserFacingException {
        AlertBook b = s.get();
        if (b == null) {
            throw new UserFacingException("no watch runs in this process: alerts are kept by 'pgchatops serve' with an"
                    + " alerts: section in its config.");
        }
        return b;
    }

    private static Optional<String> cluster(Invocation inv) {
        return inv.command().flag(CommandParser.CLUSTER_FLAG);
    }

    abstract static class Base implements Command {
        final Supplier<AlertBook> book;

        Base(Supplier<AlertBook> book) {
            this.book = book;
        }

        @Override
        public boolean needsCluster() {
            return false;
        }
    }

    static final class Alerts extends Base {
        Alerts(Supplier<AlertBook> book) {
            super(book);
        }

        @Override
        public CommandSpec spec() {
            return new CommandSpec("alerts", "the active alerts and silences", Role.VIEWER, false, List.of(), 0, List.of());
        }

        @Override
        public Outcome run(Invocation inv) throws UserFacingException {
            AlertBook b = book(book);
            Instant now = inv.clock().instant();
            List<ActiveAlert> active = b.active(cluster(inv));
            List<List<String>> rows = new ArrayList<>();
            for (ActiveAlert a : active) {
                rows.add(List.of(a.cluster(), a.key(), a.severity().name(), Notifier.human(Duration.between(a.firedAt(), now)),
                        b.silenced(a) ? "silenced" : a.posted() ? "posted" : "not posted yet",
                        Texts.abbreviate(a.title(), 100)));
            }
            Reply.Builder r = Reply.builder(active.isEmpty() ? Severity.SUCCESS : Severity.WARNING,
                    active.isEmpty() ? "No active alerts" + cluster(inv).map(c -> " on " + c).orElse("")
                            : active.size() + " active alert(s)");
            if (!rows.isEmpty()) r.table(List.of("Cluster", "Key", "Severity", "Since", "Status", "Alert"), rows);
            List<Silence> sil = b.silences().stream().filter(s -> cluster(inv).isEmpty() || s.cluster() == null
                    || s.cluster().equals(cluster(inv).get())).toList();
            for (Silence s : sil) {
                r.text("Silenced: " + s.describe() + " until " + s.until() + " (by " + s.by() + ")");
            }
            return Outcome.done(r.build());
        }
    }

    static final class SilenceCmd extends Base {
        SilenceCmd(Supplier<AlertBook> book) {
            super(book);
        }

        @Override
        public CommandSpec spec() {
            return new CommandSpec("silence", "do not post alerts (of one cluster, one key or kind) for a while",
                    Role.OPERATOR, false, List.of("DURATION"), 1, List.of(ALERT));
        }

        @Override
        public Outcome run(Invocation inv) throws UserFacingException {
            String text = inv.command().arg(0).orElseThrow();
            Duration d = Durations.parse(text).filter(x -> !x.isNegative() && !x.isZero()).orElseThrow(() ->
                    new ParseException("not a duration: \"" + Texts.abbreviate(text, 40) + "\"; type e.g. 30m, 1h or 2d.\nUsage: "
                            + spec().usage()));
            if (d.compareTo(MAX_SILENCE) > 0) {
                throw new ParseException("a silence lasts at most 7d; got " + text + ". Silence again when it ends.");
            }
            Optional<String> alert = inv.command().flag("alert");
            Silence s = book(book).silence(cluster(inv), alert, d, inv.request().user().key());
            return Outcome.done(Reply.success("Silenced " + s.describe() + " until " + s.until() + " (" + Notifier.human(d)
                    + "). Alerts that were already posted still resolve; /unsilence ends it early."));
        }
    }

    static final class Unsilence extends Base {
        Unsilence(Supplier<AlertBook> book) {
            super(book);
        }

        @Override
        public CommandSpec spec() {
            return new CommandSpec("unsilence", "end silences (of one cluster, one key or kind)", Role.OPERATOR, false,
                    List.of(), 0, List.of(ALERT));
        }

        @Override
        public Outcome run(Invocation inv) throws UserFacingException {
            AlertBook b = book(book);
            List<Silence> removed = b.unsilence(cluster(inv), inv.command().flag("alert"));
            if (removed.isEmpty()) {
                List<Silence> all = b.silences();
                return Outcome.done(Reply.info("No silence matched. " + (all.isEmpty() ? "None is active."
                        : "Active: " + String.join("; ", all.stream().map(Silence::describe).toList())
                        + " — give the same --cluster and --alert as when silencing.")).asPrivate());
            }
            return Outcome.done(Reply.success("Ended " + removed.size() + " silence(s): "
                    + String.join("; ", removed.stream().map(Silence::describe).toList())
                    + ". Active alerts that were held back are posted now."));
        }
    }
}
