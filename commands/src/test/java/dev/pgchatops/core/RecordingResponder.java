package dev.pgchatops.core;

import dev.pgchatops.core.reply.Reply;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every reply and progress line it is given. */
public class RecordingResponder implements Responder {
    public final List<Reply> replies = new CopyOnWriteArrayList<>();
    public final List<String> progress = new CopyOnWriteArrayList<>();

    @Override
    public void reply(Reply reply) {
        replies.add(reply);
    }

    @Override
    public void progress(Reply snapshot, String newLine) {
        progress.add(newLine);
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
