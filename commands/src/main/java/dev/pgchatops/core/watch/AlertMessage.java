package dev.pgchatops.core.watch;

import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;

import java.util.ArrayList;
import java.util.List;

/** One outgoing alert message as the outbox stores it: a severity, a title, lines of text and buttons. */
public record AlertMessage(Severity severity, String title, List<String> lines, List<Block.Button> buttons) {
    public AlertMessage {
        lines = lines == null ? List.of() : List.copyOf(lines);
        buttons = buttons == null ? List.of() : List.copyOf(buttons);
    }

    public Reply toReply() {
        Reply.Builder b = Reply.builder(severity, title);
        if (!lines.isEmpty()) b.text(String.join("\n", lines));
        if (!buttons.isEmpty()) b.block(new Block.Buttons(buttons));
        return b.build();
    }

    public static AlertMessage line(Severity severity, String text) {
        return new AlertMessage(severity, text, List.of(), List.of());
    }

    public AlertMessage withButtons(List<Block.Button> more) {
        List<Block.Button> all = new ArrayList<>(buttons);
        all.addAll(more);
        return new AlertMessage(severity, title, lines, all);
    }
}
