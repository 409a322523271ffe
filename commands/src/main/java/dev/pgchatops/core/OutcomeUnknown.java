package dev.pgchatops.core;

/**
 * Marks a failure after which the outcome is unknown: the request was sent (a Patroni write, a remote command) but
 * no answer came back, so the work may still be running or may already have happened. The bot reports such an
 * outcome as "unknown" (never "failed" or "done"), audits it as {@code unknown}, and tells the user how to find out
 * (e.g. "check /cluster-list before retrying"); the exception's message must say that the outcome is unknown. Implemented by {@link UserFacingException} subclasses.
 */
public interface OutcomeUnknown {
}
