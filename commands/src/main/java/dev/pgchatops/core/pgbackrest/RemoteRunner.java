package dev.pgchatops.core.pgbackrest;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs one program on a cluster member and waits for it, within {@code timeout}. {@code argv} is the program and its
 * arguments; implementations quote every argument for the remote shell ({@link ShellQuote}). Each output line (stdout
 * and stderr) goes to {@code lineSink} as it arrives. The real implementation is {@link SshjRemoteRunner}; tests use
 * fakes.
 */
@FunctionalInterface
public interface RemoteRunner {
    /**
     * Runs the command; {@code onLaunched} is called once, as soon as the command was sent to the host (session open,
     * exec sent) and before its first output line. A failure before that {@link RemoteException#notStarted() did
     * not start} anything; one after it has an unknown outcome ({@link dev.pgchatops.core.OutcomeUnknown}) unless
     * the command is known to have ended.
     */
    Result run(Endpoint endpoint, List<String> argv, Duration timeout, Runnable onLaunched, Consumer<String> lineSink)
            throws RemoteException;

    /** {@link #run(Endpoint, List, Duration, Runnable, Consumer)} without a launch callback. */
    default Result run(Endpoint endpoint, List<String> argv, Duration timeout, Consumer<String> lineSink)
            throws RemoteException {
        return run(endpoint, argv, timeout, () -> {
        }, lineSink);
    }

    /**
     * How the program ended: its exit code, its standard output (whole, up to a bound) and the last lines of its
     * standard error.
     */
    record Result(int exitCode, String stdout, List<String> stderr, Duration elapsed) {
        public Result {
            stderr = List.copyOf(stderr);
        }

        public boolean ok() {
            return exitCode == 0;
        }

        public List<String> stdoutLines() {
            return stdout.isEmpty() ? List.of() : List.of(stdout.split("\r?\n"));
        }
    }
}
