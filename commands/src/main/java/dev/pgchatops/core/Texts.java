package dev.pgchatops.core;

/** Small text helpers for messages shown to users. */
public final class Texts {
    private Texts() {
    }

    public static String firstLine(String s) {
        if (s == null) return "";
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    /** Collapses whitespace to single spaces and cuts to {@code max} characters with an ellipsis. */
    public static String abbreviate(String s, int max) {
        String one = s == null ? "" : s.replaceAll("\\s+", " ").strip();
        return one.length() > max ? one.substring(0, max) + "…" : one;
    }

    /** "350 ms", "45 s", "3 min", "2 h": how long something ran or may run, for messages. */
    public static String duration(java.time.Duration d) {
        long s = d.toSeconds();
        if (s < 1) return Math.max(0, d.toMillis()) + " ms";
        if (s < 120) return s + " s";
        if (s < 7200) return (s / 60) + " min";
        return (s / 3600) + " h";
    }
}
