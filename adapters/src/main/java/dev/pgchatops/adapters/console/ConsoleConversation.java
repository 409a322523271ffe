package dev.pgchatops.adapters.console;

import dev.pgchatops.core.chat.Conversation;
import dev.pgchatops.core.chat.MessageRef;
import dev.pgchatops.core.chat.ProgressBudget;
import dev.pgchatops.core.chat.ProgressUpdate;
import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Reply;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The terminal as a conversation: a posted reply is printed; an edit prints only what it adds to the message when it
 * extends it (a confirmation that was cancelled or expired), else the whole new content (a result replacing
 * progress); progress prints every new line as {@code   … line}. Buttons are shown as the typed-answer hint.
 */
final class ConsoleConversation implements Conversation {
    private static final int REMEMBERED = 256;
    private final PrintStream out;
    private final AtomicLong ids = new AtomicLong();
    /** What each message shows now, to print only the news of an edit. */
    private final Map<String, Reply> shown = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Reply> e) {
            return size() > REMEMBERED;
        }
    };

    ConsoleConversation(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized MessageRef post(Reply reply) {
        MessageRef ref = new MessageRef(ConsoleAdapter.CHANNEL, String.valueOf(ids.incrementAndGet()));
        print(ConsoleAdapter.render(reply));
        shown.put(ref.id(), reply);
        return ref;
    }

    @Override
    public synchronized void update(MessageRef message, Reply reply) {
        Reply before = shown.put(message.id(), reply);
        List<Block> added = before == null ? null : addedBlocks(before.withoutButtons(), reply);
        if (added == null) {
            print(ConsoleAdapter.render(reply));
        } else if (!added.isEmpty()) {
            print(new Reply(dev.pgchatops.core.reply.Severity.INFO, "", added).plainText());
        }
    }

    @Override
    public synchronized MessageRef progress(MessageRef message, ProgressUpdate update) {
        for (String line : update.newLines()) out.println("  … " + line);
        out.flush();
        MessageRef ref = message != null ? message : new MessageRef(ConsoleAdapter.CHANNEL, String.valueOf(ids.incrementAndGet()));
        shown.put(ref.id(), update.snapshot());
        return ref;
    }

    @Override
    public ProgressBudget budget() {
        return ProgressBudget.TERMINAL;
    }

    /** The blocks {@code after} adds at the end of {@code before}, or null when it is not such an extension. */
    private static List<Block> addedBlocks(Reply before, Reply after) {
        if (!before.title().equals(after.title()) || after.blocks().size() < before.blocks().size()) return null;
        if (!after.blocks().subList(0, before.blocks().size()).equals(before.blocks())) return null;
        return after.blocks().subList(before.blocks().size(), after.blocks().size()).stream()
                .filter(b -> !(b instanceof Block.Buttons)).toList();
    }

    private void print(String text) {
        out.println(text);
        out.flush();
    }
}
