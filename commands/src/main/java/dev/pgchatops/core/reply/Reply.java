package dev.pgchatops.core.reply;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A platform-neutral reply: a title, a severity, blocks and who may see it. {@link Visibility#PRIVATE} replies
 * (refusals, usage errors, /help, /whoami) are shown only to the user the conversation is with; results of
 * operations are {@link Visibility#CHANNEL}.
 */
public record Reply(Severity severity, String title, List<Block> blocks, Visibility visibility) {
    public Reply {
        blocks = List.copyOf(blocks);
        java.util.Objects.requireNonNull(visibility, "visibility");
    }

    public Reply(Severity severity, String title, List<Block> blocks) {
        this(severity, title, blocks, Visibility.CHANNEL);
    }

    /** Who may see a reply. */
    public enum Visibility { CHANNEL, PRIVATE }

    /** This reply, shown only to the user the conversation is with. */
    public Reply asPrivate() {
        return new Reply(severity, title, blocks, Visibility.PRIVATE);
    }

    public boolean isPrivate() {
        return visibility == Visibility.PRIVATE;
    }

    public static Reply text(Severity severity, String text) {
        return new Reply(severity, "", List.of(new Block.Text(text)));
    }

    public static Reply info(String text) {
        return text(Severity.INFO, text);
    }

    public static Reply success(String text) {
        return text(Severity.SUCCESS, text);
    }

    public static Reply error(String text) {
        return text(Severity.ERROR, text);
    }

    public static Builder builder(Severity severity, String title) {
        return new Builder(severity, title);
    }

    /** The buttons of this reply, if any. */
    public Optional<Block.Buttons> buttons() {
        return blocks.stream().filter(b -> b instanceof Block.Buttons).map(b -> (Block.Buttons) b).findFirst();
    }

    /** This reply without its buttons (what a confirmation message becomes once answered). */
    public Reply withoutButtons() {
        return new Reply(severity, title, blocks.stream().filter(b -> !(b instanceof Block.Buttons)).toList(), visibility);
    }

    public Reply withBlock(Block block) {
        List<Block> l = new ArrayList<>(blocks);
        l.add(block);
        return new Reply(severity, title, l, visibility);
    }

    /** Plain-text rendering; adapters use it as fallback and the console prints it. */
    public String plainText() {
        return TextRenderer.render(this);
    }

    public static final class Builder {
        private final Severity severity;
        private final String title;
        private final List<Block> blocks = new ArrayList<>();

        private Builder(Severity severity, String title) {
            this.severity = severity;
            this.title = title;
        }

        public Builder text(String text) {
            blocks.add(new Block.Text(text));
            return this;
        }

        public Builder table(List<String> headers, List<List<String>> rows) {
            blocks.add(new Block.Table(headers, rows));
            return this;
        }

        public Builder fields(List<Block.Field> fields) {
            blocks.add(new Block.Fields(fields));
            return this;
        }

        public Builder block(Block b) {
            blocks.add(b);
            return this;
        }

        public Reply build() {
            return new Reply(severity, title, blocks);
        }
    }
}
