package dev.pgchatops.adapters.slack;

import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.ContextBlockElement;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Chunks;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;
import dev.pgchatops.core.reply.TextRenderer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the core's {@link Reply} as Block Kit: a header with the severity's emoji, text as plain-text sections,
 * tables in monospace sections, fields as section fields, buttons as an actions block, and a context line (who asked,
 * cluster, time). Nothing is cut: text longer than a section (3000 characters) is split over several sections, and a
 * reply with more than {@link #MAX_BLOCKS} blocks becomes several messages. Every message carries a plain-text
 * fallback ({@code text}) for notifications and clients without Block Kit.
 */
final class BlockKit {
    /** Slack: at most 3000 characters in a section's text. */
    static final int SECTION_MAX = 3000;
    /** Slack: at most 150 characters in a header. */
    static final int HEADER_MAX = 150;
    /** Slack: at most 2000 characters per section field, at most 10 fields per section. */
    static final int FIELD_MAX = 2000;
    static final int FIELDS_PER_SECTION = 10;
    /** Slack allows 50 blocks per message. */
    static final int MAX_BLOCKS = 50;
    /** The fallback text is for notifications; Slack advises against more than 4000 characters. */
    static final int FALLBACK_MAX = 3900;

    /** One Slack message: its blocks and its plain-text fallback. */
    record Message(List<LayoutBlock> blocks, String text) {
        Message {
            blocks = List.copyOf(blocks);
        }
    }

    /** Who asked and where, for the context line; any part may be empty. */
    record Context(String command, String requester, String cluster) {
        static final Context NONE = new Context("", "", "");
    }

    private BlockKit() {
    }

    static String emoji(Severity s) {
        return switch (s) {
            case INFO -> ":information_source:";
            case SUCCESS -> ":white_check_mark:";
            case WARNING -> ":warning:";
            case ERROR -> ":x:";
        };
    }

    /** The reply as one or more messages (more only when it has more blocks than one message may hold). */
    static List<Message> render(Reply reply, Context ctx, Instant now) {
        List<Part> parts = new ArrayList<>();
        String title = reply.title();
        boolean emojiShown = false;
        if (!title.isEmpty()) {
            String head = emoji(reply.severity()) + " " + title;
            if (head.length() <= HEADER_MAX) {
                parts.add(new Part(HeaderBlock.builder().text(plain(head)).build(), title));
            } else {
                // a header is limited to 150 characters: the whole title goes into a section instead
                for (String c : Chunks.split(head, SECTION_MAX)) parts.add(new Part(section(plain(c)), c));
            }
            emojiShown = true;
        }
        for (Block b : reply.blocks()) {
            if (b instanceof Block.Text t) {
                String text = !emojiShown ? emoji(reply.severity()) + " " + t.text() : t.text();
                emojiShown = true;
                for (String c : Chunks.split(text, SECTION_MAX)) {
                    if (!c.isEmpty()) parts.add(new Part(section(plain(c)), c));
                }
            } else if (b instanceof Block.Table t) {
                String table = TextRenderer.table(t);
                // ``` fences and escaping (& < >) both count against the section's 3000 characters
                for (String c : splitEscaped(table, SECTION_MAX - 8)) {
                    parts.add(new Part(section(mrkdwn("```" + c + "```")), unescape(c)));
                }
            } else if (b instanceof Block.Fields f) {
                List<TextObject> fields = new ArrayList<>();
                StringBuilder plain = new StringBuilder();
                for (Block.Field x : f.fields()) {
                    String name = escape(x.name());
                    List<String> values = splitEscaped(x.value(), FIELD_MAX - name.length() - 4);
                    for (int i = 0; i < values.size(); i++) {
                        fields.add(mrkdwn("*" + name + (i > 0 ? " (cont.)" : "") + "*\n" + values.get(i)));
                        if (fields.size() == FIELDS_PER_SECTION) {
                            parts.add(new Part(SectionBlock.builder().fields(List.copyOf(fields)).build(), plain.toString()));
                            fields.clear();
                            plain.setLength(0);
                        }
                    }
                    plain.append(x.name()).append(": ").append(x.value()).append('\n');
                }
                if (!fields.isEmpty()) parts.add(new Part(SectionBlock.builder().fields(List.copyOf(fields)).build(), plain.toString()));
            } else if (b instanceof Block.Buttons bs) {
                List<BlockElement> els = new ArrayList<>();
                List<String> labels = new ArrayList<>();
                for (Block.Button x : bs.buttons()) {
                    ButtonElement.ButtonElementBuilder e = ButtonElement.builder().text(plain(x.label()))
                            .actionId(x.action()).value(x.action());
                    if (x.style() == Block.Style.DANGER) e.style("danger");
                    else if (x.style() == Block.Style.PRIMARY) e.style("primary");
                    els.add(e.build());
                    labels.add("[" + x.label() + "]");
                }
                for (int i = 0; i < els.size(); i += 25) { // 25 elements per actions block
                    parts.add(new Part(ActionsBlock.builder().elements(els.subList(i, Math.min(els.size(), i + 25))).build(),
                            String.join(" ", labels)));
                }
            }
        }
        if (parts.isEmpty()) parts.add(new Part(section(plain(emoji(reply.severity()))), ""));
        parts.add(new Part(context(reply.severity(), ctx, now), ""));

        List<Message> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i += MAX_BLOCKS) {
            List<Part> chunk = parts.subList(i, Math.min(parts.size(), i + MAX_BLOCKS));
            StringBuilder text = new StringBuilder();
            for (Part p : chunk) {
                if (!p.plain().isEmpty()) text.append(p.plain().strip()).append('\n');
            }
            String fb = text.toString().strip();
            if (fb.isEmpty()) fb = title.isEmpty() ? severityWord(reply.severity()) : title;
            if (i > 0) fb = "(continued) " + fb;
            if (fb.length() > FALLBACK_MAX) fb = fb.substring(0, FALLBACK_MAX) + " … (the message has the rest)";
            out.add(new Message(chunk.stream().map(Part::block).toList(), fb));
        }
        return out;
    }

    private record Part(LayoutBlock block, String plain) {
    }

    private static String severityWord(Severity s) {
        return switch (s) {
            case INFO -> "info";
            case SUCCESS -> "done";
            case WARNING -> "warning";
            case ERROR -> "error";
        };
    }

    private static LayoutBlock context(Severity s, Context ctx, Instant now) {
        List<String> bits = new ArrayList<>();
        if (!ctx.command().isEmpty()) {
            bits.add("`" + escape(ctx.command()).replace("`", "'") + "`" + (ctx.requester().isEmpty() ? "" : " by " + escape(ctx.requester())));
        } else if (!ctx.requester().isEmpty()) {
            bits.add(escape(ctx.requester()));
        }
        if (!ctx.cluster().isEmpty()) bits.add("cluster *" + escape(ctx.cluster()) + "*");
        long epoch = now.getEpochSecond();
        bits.add("<!date^" + epoch + "^{date_short_pretty} {time_secs}|" + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ">");
        String line = emoji(s) + " pgchatops · " + String.join(" · ", bits);
        if (line.length() > SECTION_MAX) line = line.substring(0, SECTION_MAX - 1) + "…";
        List<ContextBlockElement> els = List.of(mrkdwn(line));
        return ContextBlock.builder().elements(els).build();
    }

    private static SectionBlock section(TextObject text) {
        return SectionBlock.builder().text(text).build();
    }

    static PlainTextObject plain(String s) {
        return PlainTextObject.builder().text(s).emoji(true).build();
    }

    static MarkdownTextObject mrkdwn(String s) {
        return MarkdownTextObject.builder().text(s).build();
    }

    /** Slack's mrkdwn control characters: text that is shown as mrkdwn must have these escaped. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    /**
     * Splits {@code text} so that each piece, once escaped, has at most {@code max} characters; the pieces are
     * returned escaped. Splits at line breaks where possible (see {@link Chunks}); never inside an entity.
     */
    static List<String> splitEscaped(String text, int max) {
        List<String> out = new ArrayList<>();
        for (String piece : Chunks.split(text, max)) {
            String e = escape(piece);
            if (e.length() <= max) {
                out.add(e);
                continue;
            }
            // escaping made it longer: cut the raw piece further, by lines and then by characters
            StringBuilder cur = new StringBuilder();
            for (int i = 0; i < piece.length(); i++) {
                String ch = escape(String.valueOf(piece.charAt(i)));
                if (cur.length() + ch.length() > max) {
                    String s = cur.toString();
                    int nl = s.lastIndexOf('\n');
                    if (nl > 0) {
                        out.add(s.substring(0, nl));
                        cur = new StringBuilder(s.substring(nl + 1));
                    } else {
                        out.add(s);
                        cur.setLength(0);
                    }
                }
                cur.append(ch);
            }
            if (cur.length() > 0) out.add(cur.toString());
        }
        return out;
    }
}
