package dev.pgchatops.core.reply;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text for platforms with size limits (a Slack section, a Discord message or embed): pieces of at most
 * {@code max} characters, cut at line breaks where possible and inside a line only when the line alone is too long.
 * Nothing is dropped: joining the pieces with line breaks gives the text back (except the line breaks cut at).
 */
public final class Chunks {
    private Chunks() {
    }

    public static List<String> split(String text, int max) {
        if (max < 1) throw new IllegalArgumentException("max < 1: " + max);
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            while (line.length() > max) {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
                out.add(line.substring(0, max));
                line = line.substring(max);
            }
            if (cur.length() > 0 && cur.length() + 1 + line.length() > max) {
                out.add(cur.toString());
                cur.setLength(0);
            } else if (cur.length() > 0 || !out.isEmpty() && line.isEmpty()) {
                if (cur.length() > 0) cur.append('\n');
            }
            cur.append(line);
        }
        if (cur.length() > 0 || out.isEmpty()) out.add(cur.toString());
        return out;
    }
}
