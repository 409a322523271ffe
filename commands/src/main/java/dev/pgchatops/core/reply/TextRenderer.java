package dev.pgchatops.core.reply;

import java.util.ArrayList;
import java.util.List;

/** Renders replies as plain text: tables boxed like patronictl's, fields as "name: value" lines. */
public final class TextRenderer {
    private TextRenderer() {
    }

    public static String render(Reply reply) {
        StringBuilder sb = new StringBuilder();
        if (!reply.title().isEmpty()) sb.append(reply.title()).append('\n');
        for (Block b : reply.blocks()) {
            if (b instanceof Block.Text t) {
                sb.append(t.text()).append('\n');
            } else if (b instanceof Block.Table t) {
                sb.append(table(t));
            } else if (b instanceof Block.Fields f) {
                int w = f.fields().stream().mapToInt(x -> x.name().length()).max().orElse(0);
                for (Block.Field x : f.fields()) {
                    sb.append(pad(x.name() + ":", w + 1)).append(' ').append(x.value()).append('\n');
                }
            } else if (b instanceof Block.Buttons bs) {
                List<String> labels = new ArrayList<>();
                for (Block.Button x : bs.buttons()) labels.add("[" + x.label() + "]");
                sb.append(String.join(" ", labels)).append('\n');
            }
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == '\n') end--;
        return sb.substring(0, end);
    }

    public static String table(Block.Table t) {
        int n = t.headers().size();
        int[] w = new int[n];
        for (int i = 0; i < n; i++) w[i] = t.headers().get(i).length();
        for (List<String> r : t.rows()) for (int i = 0; i < n; i++) w[i] = Math.max(w[i], r.get(i).length());
        StringBuilder line = new StringBuilder("+");
        for (int x : w) line.append("-".repeat(x + 2)).append('+');
        String sep = line.append('\n').toString();
        StringBuilder sb = new StringBuilder(sep);
        sb.append(row(t.headers(), w)).append(sep);
        for (List<String> r : t.rows()) sb.append(row(r, w));
        sb.append(sep);
        return sb.toString();
    }

    private static String row(List<String> cells, int[] w) {
        StringBuilder sb = new StringBuilder("|");
        for (int i = 0; i < w.length; i++) sb.append(' ').append(pad(cells.get(i), w[i])).append(" |");
        return sb.append('\n').toString();
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }
}
