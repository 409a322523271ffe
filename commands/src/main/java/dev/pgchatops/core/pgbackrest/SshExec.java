package dev.pgchatops.core.pgbackrest;

import dev.pgchatops.core.run.DaemonThreads;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs one command in an open SSH session: sends it, reads standard output (whole, up to {@link #STDOUT_LIMIT}) and
 * the tail of standard error on reader threads, waits up to the caller's timeout and takes the exit status. A
 * command over its time or output limit is asked to stop (TERM) and its channel closed.
 */
final class SshExec implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SshExec.class);
    /** Characters of standard output kept (info JSON of a stanza with many backups fits easily). */
    static final int STDOUT_LIMIT = 32 * 1024 * 1024;
    /** Lines of standard error kept: the tail is what explains a failure. */
    static final int STDERR_TAIL = 200;

    private final ExecutorService readers;

    SshExec() {
        this.readers = Executors.newCachedThreadPool(DaemonThreads.numbered("ssh-output"));
    }

    /**
     * Runs {@code argv} in {@code session} on {@code conn}; {@code onLaunched} runs once the command was sent.
     * {@code broken} is called when the connection broke (so it is not reused).
     */
    RemoteRunner.Result exec(Endpoint endpoint, SshConnection conn, Session session, List<String> argv,
                             Duration timeout, Runnable onLaunched, Consumer<String> lineSink, Runnable broken)
            throws RemoteException {
        String commandLine = ShellQuote.join(argv);
        long t0 = System.nanoTime();
        try {
            // from here on the command may be running on the host, whatever happens to the connection
            Session.Command cmd = session.exec(commandLine);
            LOG.debug("{}: started {}", endpoint, commandLine);
            try {
                onLaunched.run();
            } catch (RuntimeException e) {
                LOG.warn("launch callback failed for {}", endpoint, e);
            }
            AtomicBoolean overflow = new AtomicBoolean();
            Future<String> out = readers.submit(() -> readAll(cmd.getInputStream(), lineSink, STDOUT_LIMIT, () -> {
                // nobody reads the rest, so the command would block on a full channel: stop it now
                overflow.set(true);
                stop(cmd);
            }));
            Future<List<String>> err = readers.submit(() -> readTail(cmd.getErrorStream(), lineSink));
            try {
                cmd.join(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (IOException e) {
                if (overflow.get()) throw tooMuchOutput(endpoint, argv, t0);
                if (cmd.isOpen() && conn.alive() && System.nanoTime() - t0 >= timeout.toNanos()) {
                    stop(cmd);
                    throw new RemoteException.TimedOut(endpoint, "'" + SshText.what(argv) + "' on " + endpoint
                            + " did not finish within " + SshText.human(timeout) + "; it was asked to stop and the"
                            + " SSH channel was closed. It may still be finishing on the host", e);
                }
                broken.run();
                throw lost(endpoint, argv, t0, e);
            }
            if (overflow.get()) throw tooMuchOutput(endpoint, argv, t0);
            String stdout = value(out, endpoint, argv, t0);
            List<String> stderr = value(err, endpoint, argv, t0);
            Integer status = cmd.getExitStatus();
            if (status == null) {
                Signal sig = cmd.getExitSignal();
                if (sig != null) {
                    throw new RemoteException.Killed(endpoint, "'" + SshText.what(argv) + "' on " + endpoint
                            + " was killed by signal " + sig + " after " + SshText.seconds(t0));
                }
                throw new RemoteException.ConnectionLost(endpoint, "'" + SshText.what(argv) + "' on " + endpoint
                        + " ended without an exit status after " + SshText.seconds(t0) + "; its outcome is unknown", null);
            }
            return new RemoteRunner.Result(status, stdout, stderr, Duration.ofNanos(System.nanoTime() - t0));
        } catch (IOException e) {
            broken.run();
            throw lost(endpoint, argv, t0, e);
        }
    }

    private static RemoteException lost(Endpoint endpoint, List<String> argv, long t0, Exception e) {
        return new RemoteException.ConnectionLost(endpoint, "the SSH connection to " + endpoint + " was lost after "
                + SshText.seconds(t0) + " while '" + SshText.what(argv) + "' ran (" + SshText.describe(e)
                + "); its outcome is unknown", e);
    }

    /** Standard output went over {@link #STDOUT_LIMIT}: the command was stopped, its result is not used. */
    private static RemoteException tooMuchOutput(Endpoint endpoint, List<String> argv, long t0) {
        return new RemoteException.OutputTooLarge(endpoint, "'" + SshText.what(argv) + "' on "
                + endpoint + " printed more than " + STDOUT_LIMIT + " characters (" + (STDOUT_LIMIT >> 20)
                + " MiB) of standard output; the output was cut off there and the command stopped after "
                + SshText.seconds(t0) + ", so its result is not used and its outcome is unknown", null);
    }

    static <T> T value(Future<T> f, Endpoint endpoint, List<String> argv, long t0) throws RemoteException {
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw lost(endpoint, argv, t0, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof OutputLimitExceeded) throw tooMuchOutput(endpoint, argv, t0);
            throw lost(endpoint, argv, t0, c instanceof Exception ex ? ex : e);
        } catch (TimeoutException e) {
            throw lost(endpoint, argv, t0, e);
        }
    }

    private static void stop(Session.Command cmd) {
        try {
            cmd.signal(Signal.TERM);
        } catch (IOException | RuntimeException ignored) {
            // not every server accepts signals; closing the channel below is the fallback
        }
        try {
            cmd.close();
        } catch (IOException | RuntimeException ignored) {
            // already closed
        }
    }

    /**
     * All of standard output, each line also given to {@code sink}. Beyond {@code limit} characters it calls
     * {@code onOverflow} (which stops the command) and throws {@link OutputLimitExceeded}.
     */
    static String readAll(InputStream in, Consumer<String> sink, int limit, Runnable onOverflow) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                deliver(sink, line);
                if (sb.length() + line.length() + 1 > limit) {
                    onOverflow.run();
                    throw new OutputLimitExceeded(limit);
                }
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    private static List<String> readTail(InputStream in, Consumer<String> sink) throws IOException {
        Deque<String> tail = new ArrayDeque<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                deliver(sink, line);
                tail.addLast(line);
                if (tail.size() > STDERR_TAIL) tail.removeFirst();
            }
        }
        return List.copyOf(tail);
    }

    private static void deliver(Consumer<String> sink, String line) {
        try {
            sink.accept(line);
        } catch (RuntimeException e) {
            LOG.warn("output consumer failed on line '{}'", line, e);
        }
    }

    @Override
    public void close() {
        readers.shutdownNow();
    }

    /** Standard output went over its limit (see {@link #readAll}). */
    static final class OutputLimitExceeded extends IOException {
        OutputLimitExceeded(int limit) {
            super("standard output exceeds " + limit + " characters");
        }
    }
}
