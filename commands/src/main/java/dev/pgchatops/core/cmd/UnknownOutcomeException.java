package dev.pgchatops.core.cmd;

import dev.pgchatops.core.OutcomeUnknown;
import dev.pgchatops.core.UserFacingException;

/**
 * A command acted on several members and at least one request was sent but not answered: the whole outcome is
 * unknown. The message holds every member's line, so the user sees what is known.
 */
public final class UnknownOutcomeException extends UserFacingException implements OutcomeUnknown {
    public UnknownOutcomeException(String message) {
        super(message);
    }
}
