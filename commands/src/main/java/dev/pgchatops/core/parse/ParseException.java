package dev.pgchatops.core.parse;

import dev.pgchatops.core.UserFacingException;

/** The command line could not be understood; the message says what was wrong and shows the usage. */
public class ParseException extends UserFacingException {
    public ParseException(String message) {
        super(message);
    }
}
