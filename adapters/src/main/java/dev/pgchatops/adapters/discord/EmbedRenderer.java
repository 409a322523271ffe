package dev.pgchatops.adapters.discord;

import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Chunks;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;
import dev.pgchatops.core.reply.TextRenderer;
import net.dv8tion.jda.api.EmbedBuilder;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.interactions.components.ActionRow;
import net.dv8tion.jda.api.interactions.components.buttons.Button;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Reply} as Discord messages of embeds: the title, text and tables (in code blocks) in the description,
 * fields as embed fields, the colour by severity, a footer with the cluster and the time, buttons as one action row.
 * Discord's limits (4096 a description, 25 fields, 1024 a field value, 256 a title, 10 embeds and 6000 characters a
 * message) are met by splitting — into more embeds, and when one message cannot hold them, into more messages —
 * never by cutting: every character of the reply is in one of the parts. Text after fields starts a new embed, so
 * the order of the blocks is kept. Buttons go on the last message.
 */
final class EmbedRenderer {
    static final int DESCRIPTION = MessageEmbed.DESCRIPTION_MAX_LENGTH;
    static final int FIELDS = MessageEmbed.MAX_FIELD_AMOUNT;
    static final int FIELD_NAME = MessageEmbed.TITLE_MAX_LENGTH;
    static final int FIELD_VALUE = MessageEmbed.VALUE_MAX_LENGTH;
    static final int TITLE = MessageEmbed.TITLE_MAX_LENGTH;
    static final int MESSAGE_TOTAL = MessageEmbed.EMBED_MAX_LENGTH_BOT;
    static final int EMBEDS_PER_MESSAGE = 10;
    static final int CUSTOM_ID = 100;
    /** Our footers are short ("pgchatops · cluster demo"); this bound keeps room for them in every embed. */
    static final int FOOTER = 200;
    private static final String FENCE = "```";

    private EmbedRenderer() {
    }

    /** One Discord message: its embeds and the buttons under it. */
    record Part(List<MessageEmbed> embeds, List<ActionRow> rows) {
    }

    static int color(Severity s) {
        return switch (s) {
            case INFO -> 0x3498DB;
            case SUCCESS -> 0x2ECC71;
            case WARNING -> 0xE67E22;
            case ERROR -> 0xE74C3C;
        };
    }

    /**
     * Renders {@code reply}; {@code footer} (e.g. "pgchatops · cluster demo") and {@code time} go on the last embed.
     * {@code customId} maps a button's action to its custom_id (at most 100 characters).
     */
    static List<Part> render(Reply reply, String footer, Instant time, java.util.function.UnaryOperator<String> customId) {
        List<EmbedBuilder> embeds = new ArrayList<>();
        Builder b = new Builder(reply.severity(), embeds);
        String title = reply.title();
        if (title.length() > TITLE) {
            // the whole title stays readable: the head as title, all of it at the start of the description
            b.text(title);
            title = title.substring(0, TITLE - 1) + "…";
        }
        List<Button> buttons = new ArrayList<>();
        for (Block block : reply.blocks()) {
            if (block instanceof Block.Text t) {
                b.text(t.text());
            } else if (block instanceof Block.Table t) {
                b.code(TextRenderer.table(t));
            } else if (block instanceof Block.Fields f) {
                for (Block.Field field : f.fields()) b.field(field.name(), field.value());
            } else if (block instanceof Block.Buttons bs) {
                for (Block.Button x : bs.buttons()) buttons.add(button(x, customId.apply(x.action())));
            }
        }
        if (embeds.isEmpty()) b.current();
        if (!title.isEmpty()) embeds.get(0).setTitle(title);
        String foot = footer == null ? "" : footer.length() > FOOTER ? footer.substring(0, FOOTER - 1) + "…" : footer;
        EmbedBuilder last = embeds.get(embeds.size() - 1);
        if (!foot.isEmpty()) last.setFooter(foot);
        if (time != null) last.setTimestamp(time);
        // pack the embeds into messages: at most 10 and 6000 characters each
        List<Part> parts = new ArrayList<>();
        List<MessageEmbed> cur = new ArrayList<>();
        int used = 0;
        for (EmbedBuilder e : embeds) {
            MessageEmbed m = e.build();
            int len = m.getLength();
            if (!cur.isEmpty() && (cur.size() == EMBEDS_PER_MESSAGE || used + len > MESSAGE_TOTAL)) {
                parts.add(new Part(List.copyOf(cur), List.of()));
                cur.clear();
                used = 0;
            }
            cur.add(m);
            used += len;
        }
        List<ActionRow> rows = new ArrayList<>();
        for (int i = 0; i < buttons.size(); i += 5) rows.add(ActionRow.of(buttons.subList(i, Math.min(buttons.size(), i + 5))));
        parts.add(new Part(List.copyOf(cur), List.copyOf(rows)));
        return parts;
    }

    private static Button button(Block.Button x, String id) {
        if (id.length() > CUSTOM_ID) throw new IllegalArgumentException("custom_id longer than 100: " + id.length());
        String label = x.label().length() > 80 ? x.label().substring(0, 79) + "…" : x.label();
        return switch (x.style()) {
            case DANGER -> Button.danger(id, label);
            case PRIMARY -> Button.primary(id, label);
            default -> Button.secondary(id, label);
        };
    }

    /** Fills embeds in order, starting a new one whenever the next piece would break a limit. */
    private static final class Builder {
        /** Room an embed's own text may use, so that a footer and a title still fit in 6000. */
        private static final int EMBED_BUDGET = MESSAGE_TOTAL - FOOTER - TITLE;
        private final int color;
        private final List<EmbedBuilder> embeds;
        private EmbedBuilder cur;
        private final StringBuilder desc = new StringBuilder();
        private int fields;
        private int length;

        Builder(Severity severity, List<EmbedBuilder> embeds) {
            this.color = color(severity);
            this.embeds = embeds;
        }

        EmbedBuilder current() {
            if (cur == null) {
                cur = new EmbedBuilder().setColor(color);
                embeds.add(cur);
                desc.setLength(0);
                fields = 0;
                length = 0;
            }
            return cur;
        }

        private void next() {
            cur = null;
            current();
        }

        void text(String text) {
            for (String piece : Chunks.split(text.isEmpty() ? "\u200b" : text, DESCRIPTION)) addDescription(piece);
        }

        void code(String table) {
            String body = table.endsWith("\n") ? table.substring(0, table.length() - 1) : table;
            int room = DESCRIPTION - 2 * FENCE.length() - 2;
            for (String piece : Chunks.split(body, room)) addDescription(FENCE + "\n" + piece + "\n" + FENCE);
        }

        private void addDescription(String piece) {
            current();
            if (fields > 0) next(); // text after fields: a new embed keeps the order
            int extra = desc.length() == 0 ? piece.length() : piece.length() + 1;
            if (desc.length() + extra > DESCRIPTION || length + extra > EMBED_BUDGET) {
                next();
                extra = piece.length();
            }
            if (desc.length() > 0) desc.append('\n');
            desc.append(piece);
            length += extra;
            cur.setDescription(desc.toString());
        }

        void field(String name, String value) {
            String n = name.isBlank() ? "\u200b" : name;
            String v = value.isBlank() ? "\u200b" : value;
            if (n.length() > FIELD_NAME) {
                // the name does not fit: the head names the field, the value starts with the whole name
                v = n + "\n" + v;
                n = n.substring(0, FIELD_NAME - 1) + "…";
            }
            List<String> pieces = Chunks.split(v, FIELD_VALUE);
            for (int i = 0; i < pieces.size(); i++) {
                String fn = i == 0 ? n : cont(n);
                current();
                int extra = fn.length() + pieces.get(i).length();
                if (fields == FIELDS || length + extra > EMBED_BUDGET) {
                    next();
                }
                cur.addField(fn, pieces.get(i).isEmpty() ? "\u200b" : pieces.get(i), false);
                fields++;
                length += extra;
            }
        }

        private static String cont(String name) {
            String suffix = " (cont.)";
            return name.length() + suffix.length() <= FIELD_NAME ? name + suffix : name.substring(0, FIELD_NAME - suffix.length() - 1) + "…" + suffix;
        }
    }
}
