package dev.pgchatops.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The "did you mean" rule, one for config keys, commands and flags: the candidate with the smallest Levenshtein
 * distance, ignoring case, where a word of 2+ characters that starts a candidate counts as distance 1; accepted up
 * to {@code max(2, word length / 2)}. Ties go to the candidate listed first.
 */
public final class Closest {
    private Closest() {
    }

    /** The closest candidate as the candidates spell it, or empty when none is close enough. */
    public static Optional<String> match(String word, Collection<String> candidates) {
        String w = word.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            String lc = c.toLowerCase(Locale.ROOT);
            int d = distance(w, lc);
            if (w.length() >= 2 && lc.startsWith(w)) d = Math.min(d, 1);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best != null && bestDistance <= Math.max(2, w.length() / 2) ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance (case-sensitive). */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
