package dev.pgchatops.core.watch;

import dev.pgchatops.core.chat.ChannelSender;
import dev.pgchatops.core.chat.MessageRef;
import dev.pgchatops.core.reply.Reply;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** Records what it was asked to send, as lines "post #c: title", "update m1: title", "thread m1: title"; can fail on cue. */
final class RecordingSender implements ChannelSender {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final List<Reply> posts = new CopyOnWriteArrayList<>();
    final List<Long> postNanos = new CopyOnWriteArrayList<>();
    final Deque<Supplier<RuntimeException>> failures = new ArrayDeque<>();
    final AtomicLong calls = new AtomicLong();
    private final AtomicLong ids = new AtomicLong();

    RecordingSender failNext(Supplier<RuntimeException> f) {
        synchronized (failures) {
            failures.add(f);
        }
        return this;
    }

    private void maybeFail() {
        calls.incrementAndGet();
        Supplier<RuntimeException> f;
        synchronized (failures) {
            f = failures.poll();
        }
        if (f != null) throw f.get();
    }

    @Override
    public MessageRef post(String channel, Reply reply) {
        maybeFail();
        MessageRef ref = new MessageRef(channel, "m" + ids.incrementAndGet());
        posts.add(reply);
        postNanos.add(System.nanoTime());
        lines.add("post " + channel + " " + ref.id() + ": " + reply.title());
        return ref;
    }

    @Override
    public void update(MessageRef message, Reply reply) {
        maybeFail();
        lines.add("update " + message.id() + ": " + reply.title());
    }

    @Override
    public MessageRef replyInThread(MessageRef parent, Reply reply) {
        maybeFail();
        lines.add("thread " + parent.id() + ": " + reply.title());
        return new MessageRef(parent.channel(), "t" + ids.incrementAndGet());
    }

    List<String> matching(String part) {
        return lines.stream().filter(l -> l.contains(part)).toList();
    }
}
