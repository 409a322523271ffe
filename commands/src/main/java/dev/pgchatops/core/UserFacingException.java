package dev.pgchatops.core;

/**
 * A failure whose message is written for the user: it says what was wrong and what to do. Its message is shown in
 * chat as is; anything else is reported as an internal error without details.
 */
public class UserFacingException extends Exception {
    public UserFacingException(String message) {
        super(message);
    }

    public UserFacingException(String message, Throwable cause) {
        super(message, cause);
    }
}
