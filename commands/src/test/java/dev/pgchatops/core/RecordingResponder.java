package dev.pgchatops.core;

import dev.pgchatops.core.chat.Conversation;
import dev.pgchatops.core.chat.MessageRef;
import dev.pgchatops.core.chat.ProgressBudget;
import dev.pgchatops.core.chat.ProgressUpdate;
import dev.pgchatops.core.reply.Reply;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory conversation: keeps every reply posted or edited in ({@link #replies}, in order), every progress
 * line ({@link #progress}), and what each message shows now ({@link #messages}). Shows every progress line.
 */
public class RecordingResponder implements Conversation {
    public final List<Reply> replies = new CopyOnWriteArrayList<>();
    public final List<String> progress = new CopyOnWriteArrayList<>();
    /** Edits, in order, as "id: first line of the new content". */
    public final List<String> edits = new CopyOnWriteArrayList<>();
    public final Map<String, Reply> messages = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    @Override
    public MessageRef post(Reply reply) {
        MessageRef ref = new MessageRef("#ops", "m" + ids.incrementAndGet());
        replies.add(reply);
        messages.put(ref.id(), reply);
        return ref;
    }

    @Override
    public void update(MessageRef message, Reply reply) {
        replies.add(reply);
        messages.put(message.id(), reply);
        edits.add(message.id() + ": " + Texts.firstLine(reply.plainText()));
    }

    @Override
    public MessageRef progress(MessageRef message, ProgressUpdate update) {
        progress.addAll(update.newLines());
        MessageRef ref = message != null ? message : new MessageRef("#ops", "m" + ids.incrementAndGet());
        messages.put(ref.id(), update.snapshot());
        return ref;
    }

    @Override
    public ProgressBudget budget() {
        return ProgressBudget.TERMINAL;
    }

    public Reply last() {
        if (replies.isEmpty()) throw new AssertionError("no reply");
        return replies.get(replies.size() - 1);
    }

    /** The only reply; fails when there were none or several. */
    public Reply only() {
        if (replies.size() != 1) throw new AssertionError("expected exactly one reply, got " + replies.size() + ": " + replies);
        return replies.get(0);
    }

    public String text() {
        return only().plainText();
    }
}
