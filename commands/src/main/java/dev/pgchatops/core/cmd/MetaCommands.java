package dev.pgchatops.core.cmd;

import dev.pgchatops.config.Role;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.Invocation;
import dev.pgchatops.core.Outcome;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** /help and /whoami: available to everyone. */
public final class MetaCommands {
    private MetaCommands() {
    }

    public static List<Command> all() {
        return List.of(new Help(), new WhoAmI());
    }

    public static final class Help implements Command {
        @Override
        public boolean needsCluster() {
            return false;
        }

        @Override
        public CommandSpec spec() {
            return new CommandSpec("help", "list the commands, or show one command's usage", Role.NONE, false,
                    List.of("COMMAND"), 0, List.of());
        }

        @Override
        public Outcome run(Invocation inv) throws UserFacingException {
            Optional<String> which = inv.command().arg(0).map(s -> s.startsWith("/") ? s.substring(1) : s);
            if (which.isPresent() && NOT_IN_CHAT.containsKey(which.get().toLowerCase(java.util.Locale.ROOT))) {
                return Outcome.done(Reply.builder(Severity.INFO, "/" + which.get().toLowerCase(java.util.Locale.ROOT) + " is not in chat")
                        .text(NOT_IN_CHAT.get(which.get().toLowerCase(java.util.Locale.ROOT))).build().asPrivate());
            }
            if (which.isPresent()) {
                Command c = inv.registry().find(which.get().toLowerCase(java.util.Locale.ROOT)).orElseThrow(() -> new dev.pgchatops.core.parse.ParseException(
                        "unknown command /" + which.get() + "." + inv.registry().closest(which.get())
                                .map(x -> " Did you mean /" + x + "?").orElse("") + " Type /help for all commands."));
                CommandSpec s = c.spec();
                List<Block.Field> f = new ArrayList<>();
                f.add(new Block.Field("Usage", s.usage()));
                f.add(new Block.Field("Role", roleLabel(s)));
                for (CommandSpec.Flag fl : s.flags()) f.add(new Block.Field("--" + fl.name(), fl.help()));
                return Outcome.done(Reply.builder(Severity.INFO, "/" + s.name() + " — " + s.summary()).fields(f).build().asPrivate());
            }
            List<List<String>> rows = new ArrayList<>();
            for (Command c : inv.registry().all()) {
                CommandSpec s = c.spec();
                rows.add(List.of(s.usage().replace(" [--cluster NAME]", ""), roleLabel(s), s.summary()));
            }
            return Outcome.done(Reply.builder(Severity.INFO, "Commands (every command takes --cluster NAME)")
                    .table(List.of("Command", "Role", "What it does"), rows)
                    .text("Not in chat on purpose: remove (" + NOT_IN_CHAT.get("remove") + ")")
                    .text("You are " + inv.request().user().key() + " with role " + inv.role().label() + ".").build().asPrivate());
        }
    }

    /** patronictl commands deliberately left out of chat, with what to do instead. */
    static final java.util.Map<String, String> NOT_IN_CHAT = java.util.Map.of("remove",
            "patronictl remove wipes the whole cluster from the DCS (leader key, members, config, history) — one typo "
                    + "away from an outage, so it stays out of chat. Run `patronictl -c /etc/patroni.yml remove CLUSTER` "
                    + "on a database host if you really mean it.",
            "edit-config", "the chat form of patronictl edit-config is /config-set KEY=VALUE … and /config-unset KEY "
                    + "(a diff, a confirmation, then a PATCH of what changed); /config-show shows the configuration.");

    static String roleLabel(CommandSpec s) {
        String r = s.role() == dev.pgchatops.config.Role.NONE ? "anyone" : s.role().label();
        return r + (s.destructive() ? " (confirm)" : "");
    }

    public static final class WhoAmI implements Command {
        @Override
        public boolean needsCluster() {
            return false;
        }

        @Override
        public CommandSpec spec() {
            return new CommandSpec("whoami", "your identity and role", Role.NONE, false, List.of(), 0, List.of());
        }

        @Override
        public Outcome run(Invocation inv) {
            return Outcome.done(Reply.builder(Severity.INFO, "Who am I")
                    .fields(List.of(new Block.Field("Identity", inv.request().user().key()),
                            new Block.Field("Name", inv.request().user().displayName()),
                            new Block.Field("Role", inv.role().label())))
                    .build().asPrivate());
        }
    }
}
