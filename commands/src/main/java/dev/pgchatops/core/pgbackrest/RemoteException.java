package dev.pgchatops.core.pgbackrest;

import dev.pgchatops.core.OutcomeUnknown;
import dev.pgchatops.core.UserFacingException;

/**
 * Running a command on a member over SSH failed before the command could report an exit code. Subclasses say how;
 * messages name the member, {@code user@host:port} and, where it matters, the files involved. Failures before the
 * command was launched (host key, connect, authentication, session) {@linkplain #notStarted() started nothing};
 * those after it ({@link TimedOut}, {@link OutputTooLarge}, {@link ConnectionLost}) have an unknown outcome and
 * implement {@link OutcomeUnknown}; {@link Killed} is a command that ran and was killed.
 */
public abstract sealed class RemoteException extends UserFacingException
        permits RemoteException.HostKeyRejected, RemoteException.ConnectFailed, RemoteException.AuthFailed,
        RemoteException.TimedOut, RemoteException.ConnectionLost, RemoteException.OutputTooLarge,
        RemoteException.Killed {

    private final Endpoint endpoint;
    private final boolean notStarted;

    protected RemoteException(Endpoint endpoint, String message, boolean notStarted, Throwable cause) {
        super(message, cause);
        this.endpoint = endpoint;
        this.notStarted = notStarted;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** True when the command certainly did not start (so running it elsewhere or again is safe). */
    public final boolean notStarted() {
        return notStarted;
    }

    /** The host key is unknown or differs from the one pinned in known_hosts: nothing was sent. */
    public static final class HostKeyRejected extends RemoteException {
        public HostKeyRejected(Endpoint endpoint, String message, Throwable cause) {
            super(endpoint, message, true, cause);
        }
    }

    /** No SSH connection or session could be made (refused, unreachable, connect timeout, handshake failed). */
    public static final class ConnectFailed extends RemoteException {
        public ConnectFailed(Endpoint endpoint, String message, Throwable cause) {
            super(endpoint, message, true, cause);
        }
    }

    /** The server refused the configured user and private key. */
    public static final class AuthFailed extends RemoteException {
        public AuthFailed(Endpoint endpoint, String message, Throwable cause) {
            super(endpoint, message, true, cause);
        }
    }

    /** The command ran longer than its time limit; it was asked to stop and its channel closed. */
    public static final class TimedOut extends RemoteException implements OutcomeUnknown {
        public TimedOut(Endpoint endpoint, String message, Throwable cause) {
            super(endpoint, message, false, cause);
        }
    }

    /** The command printed more standard output than the bot keeps; it was stopped and its output not used. */
    public static final class OutputTooLarge extends RemoteException implements OutcomeUnknown {
        public OutputTooLarge(Endpoint endpoint, String message, Throwable cause) {
            super(endpoint, message, false, cause);
        }
    }

    /** The connection broke while the launched command ran, or it ended without an exit code or signal. */
    public static final class ConnectionLost extends RemoteException implements OutcomeUnknown {
        public ConnectionLost(Endpoint endpoint, String message, Throwable cause) {
            super(endpoint, message, false, cause);
        }
    }

    /** The command ran and was killed by a signal: it ended without completing. */
    public static final class Killed extends RemoteException {
        public Killed(Endpoint endpoint, String message) {
            super(endpoint, message, false, null);
        }
    }
}
