package dev.pgchatops.core.pgbackrest;

import java.util.List;
import java.util.stream.Collectors;

/**
 * POSIX shell quoting for the command line sent over SSH: every argument is put in single quotes, and a single quote
 * inside becomes {@code '\''}. Inside single quotes the shell expands nothing ({@code $}, backticks, {@code ;},
 * newlines are plain characters), so each argument reaches the remote program as exactly one word.
 */
public final class ShellQuote {
    private ShellQuote() {
    }

    public static String quote(String arg) {
        if (arg.indexOf('\0') >= 0) throw new IllegalArgumentException("NUL byte in a shell argument");
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    /** The arguments quoted one by one and joined with spaces. */
    public static String join(List<String> argv) {
        if (argv.isEmpty()) throw new IllegalArgumentException("empty command");
        return argv.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
    }
}
