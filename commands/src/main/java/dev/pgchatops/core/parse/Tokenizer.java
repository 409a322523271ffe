package dev.pgchatops.core.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words, honouring "double" and 'single' quotes and backslash escapes. Control
 * characters (newlines included) are refused: a command is one line. Nothing here ever reaches a shell.
 */
public final class Tokenizer {
    private Tokenizer() {
    }

    /** Refuses a word with control characters (for words that come already split, e.g. Discord options). */
    public static void checkNoControl(String word) throws ParseException {
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (Character.isISOControl(c) && c != '\t') throw controlCharacter(c);
        }
    }

    private static ParseException controlCharacter(char c) {
        return new ParseException("a command must be a single line without control characters (found "
                + (c == '\n' || c == '\r' ? "a line break" : String.format("U+%04X", (int) c)) + ")");
    }

    public static List<String> split(String line) throws ParseException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isISOControl(c) && c != '\t') throw controlCharacter(c);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    cur.append(line.charAt(++i));
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= line.length()) {
                    throw new ParseException("a backslash at the end of the line escapes nothing; remove it, or write \\\\ for a backslash");
                }
                cur.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (quote != 0) throw new ParseException("unclosed " + (quote == '"' ? "double" : "single") + " quote");
        if (inWord) out.add(cur.toString());
        return out;
    }
}
