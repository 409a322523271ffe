package dev.pgchatops.adapters.console;

import dev.pgchatops.core.Bot;
import dev.pgchatops.core.Identity;
import dev.pgchatops.core.Request;
import dev.pgchatops.core.Texts;
import dev.pgchatops.core.chat.Conversation;
import dev.pgchatops.core.confirm.PendingView;
import dev.pgchatops.core.reply.Reply;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;

/**
 * The terminal adapter: one command per line on stdin, replies on stdout. After a destructive command the next line
 * decides: {@code confirm}/{@code yes} runs it, {@code cancel}/{@code no} drops it, anything else drops it with a
 * message. Works interactively and with piped input.
 */
public final class ConsoleAdapter {
    public static final String CHANNEL = "console";
    private static final java.util.Set<String> ANSWERS = java.util.Set.of("confirm", "yes", "y", "cancel", "no", "n");
    private final Bot bot;
    private final Identity user;
    private final BufferedReader in;
    private final PrintStream out;
    private final boolean interactive;

    public ConsoleAdapter(Bot bot, Identity user, BufferedReader in, PrintStream out, boolean interactive) {
        this.bot = bot;
        this.user = user;
        this.in = in;
        this.out = out;
        this.interactive = interactive;
    }

    /** Reads until end of input or {@code quit}. */
    public void run() throws IOException {
        if (interactive) {
            out.println("pgchatops console — you are " + user.key() + ". Type /help, or quit to leave.");
        }
        Optional<PendingView> waiting = Optional.empty();
        Conversation responder = new ConsoleConversation(out);
        while (true) {
            if (interactive) {
                out.print(waiting.isPresent() ? "confirm or cancel> " : "pgchatops> ");
                out.flush();
            }
            String line = in.readLine();
            if (line == null) break;
            line = line.strip();
            if (waiting.isPresent()) {
                String token = waiting.get().token();
                String cmd = waiting.get().command();
                waiting = Optional.empty();
                String word = line.toLowerCase(Locale.ROOT);
                if (word.equals("quit") || word.equals("exit")) {
                    bot.cancel(token, user, CHANNEL, responder);
                    break;
                }
                if (word.equals("confirm") || word.equals("yes") || word.equals("y")) {
                    bot.confirm(token, user, CHANNEL, responder);
                } else if (word.equals("cancel") || word.equals("no") || word.equals("n")) {
                    bot.cancel(token, user, CHANNEL, responder);
                } else {
                    bot.cancel(token, user, CHANNEL, SILENT);
                    out.println("Cancelled /" + cmd + ": expected 'confirm' or 'cancel', got \"" + abbreviate(line)
                            + "\". Nothing was changed; run the command again if you meant it.");
                }
                out.flush();
                continue;
            }
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.equals("quit") || line.equals("exit")) break;
            if (ANSWERS.contains(line.toLowerCase(Locale.ROOT))) {
                out.println("Nothing is waiting for a confirmation; type a command (/help lists them).");
                out.flush();
                continue;
            }
            waiting = bot.handle(new Request(user, CHANNEL, line), responder);
            if (waiting.isPresent()) out.println("Type 'confirm' to run it or 'cancel' to drop it.");
            out.flush();
        }
        waiting.ifPresent(p -> bot.cancel(p.token(), user, CHANNEL, SILENT));
    }

    private static String abbreviate(String s) {
        return Texts.abbreviate(s, 40);
    }

    /** Plain text with a severity marker; buttons are replaced by the typed-answer hint. */
    public static String render(Reply reply) {
        String text = reply.withoutButtons().plainText();
        return switch (reply.severity()) {
            case ERROR -> "ERROR: " + text;
            case WARNING -> "WARNING: " + text;
            default -> text;
        };
    }

    /** Where the answer to a cancel nobody asked for goes (the console prints its own line instead). */
    private static final Conversation SILENT = new Conversation() {
        @Override
        public dev.pgchatops.core.chat.MessageRef post(Reply reply) {
            return new dev.pgchatops.core.chat.MessageRef(CHANNEL, "silent");
        }

        @Override
        public void update(dev.pgchatops.core.chat.MessageRef message, Reply reply) {
        }
    };
}
