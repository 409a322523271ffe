package dev.pgchatops.core.pgbackrest;

import dev.pgchatops.core.UserFacingException;

import java.util.List;

/**
 * pgBackRest ran and exited with a non-zero code. The message is one sentence explaining the code for this operation
 * (see {@link ExitCodes}) followed by the last lines pgBackRest printed about the error.
 */
public class PgBackRestFailure extends UserFacingException {
    private final int exitCode;
    private final String member;
    private final List<String> tail;

    public PgBackRestFailure(String message, int exitCode, String member, List<String> tail) {
        super(message);
        this.exitCode = exitCode;
        this.member = member;
        this.tail = List.copyOf(tail);
    }

    public int exitCode() {
        return exitCode;
    }

    public String member() {
        return member;
    }

    /** The last error lines pgBackRest printed. */
    public List<String> tail() {
        return tail;
    }
}
