package dev.pgchatops.core.patroni;

import dev.pgchatops.core.OutcomeUnknown;
import dev.pgchatops.core.UserFacingException;

/** A Patroni REST call failed; subclasses say how. Messages carry the URL, status and Patroni's own reason. */
public abstract sealed class PatroniException extends UserFacingException
        permits PatroniException.Unreachable, PatroniException.AuthFailed, PatroniException.Rejected,
        PatroniException.BadResponse, PatroniException.NoAnswer, PatroniException.DcsUnavailable {

    protected PatroniException(String message, Throwable cause) {
        super(message, cause);
    }

    /** No configured URL answered within the timeouts. */
    public static final class Unreachable extends PatroniException {
        public Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** 401: the REST API rejected the username/password. */
    public static final class AuthFailed extends PatroniException {
        public AuthFailed(String message) {
            super(message, null);
        }
    }

    /** 4xx/5xx with Patroni's reason, e.g. 412 "candidate name does not match with sync_standby". */
    public static final class Rejected extends PatroniException {
        private final int status;
        private final String reason;

        public Rejected(String message, int status, String reason) {
            super(message, null);
            this.status = status;
            this.reason = reason;
        }

        public int status() {
            return status;
        }

        public String reason() {
            return reason;
        }
    }

    /** The reply could not be understood (not JSON, missing fields). */
    public static final class BadResponse extends PatroniException {
        public BadResponse(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A write reached Patroni (the connection was made and the request sent) but no complete answer came back:
     * Patroni may still carry it out, so the outcome is unknown — never report it as failed.
     */
    public static final class NoAnswer extends PatroniException implements OutcomeUnknown {
        public NoAnswer(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Patroni itself answers (GET /patroni) but cannot read its DCS, so GET /cluster, /config and /history fail: the
     * cluster state is unknown and automatic failover is off until the DCS is back.
     */
    public static final class DcsUnavailable extends PatroniException {
        public DcsUnavailable(String message) {
            super(message, null);
        }
    }
}
