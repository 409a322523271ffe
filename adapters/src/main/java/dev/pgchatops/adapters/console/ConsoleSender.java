package dev.pgchatops.adapters.console;

import dev.pgchatops.core.Texts;
import dev.pgchatops.core.chat.ChannelSender;
import dev.pgchatops.core.chat.MessageRef;
import dev.pgchatops.core.reply.Reply;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/** Messages nobody asked for (alerts), printed one line each: {@code [#ops] WARNING title — first line}. */
public final class ConsoleSender implements ChannelSender {
    private final PrintStream out;
    private final AtomicLong ids = new AtomicLong();

    public ConsoleSender(PrintStream out) {
        this.out = out;
    }

    @Override
    public MessageRef post(String channel, Reply reply) {
        MessageRef ref = new MessageRef(channel, "alert-" + ids.incrementAndGet());
        line(channel, "", reply);
        return ref;
    }

    @Override
    public void update(MessageRef message, Reply reply) {
        line(message.channel(), "(update) ", reply);
    }

    @Override
    public MessageRef replyInThread(MessageRef parent, Reply reply) {
        line(parent.channel(), "↳ ", reply);
        return new MessageRef(parent.channel(), "alert-" + ids.incrementAndGet());
    }

    private synchronized void line(String channel, String prefix, Reply reply) {
        String text = reply.withoutButtons().plainText().replace('\n', ' ');
        out.println("[" + channel + "] " + prefix + reply.severity() + " " + Texts.abbreviate(text, 300));
        out.flush();
    }
}
