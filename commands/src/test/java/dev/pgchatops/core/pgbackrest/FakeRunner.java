package dev.pgchatops.core.pgbackrest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/** A scripted {@link RemoteRunner}: records every call and answers by the pgBackRest command (the last argument). */
final class FakeRunner implements RemoteRunner {
    /** One recorded call. */
    record Call(Endpoint endpoint, List<String> argv, Duration timeout) {
        String command() {
            return argv.get(argv.size() - 1);
        }

        String commandLine() {
            return ShellQuote.join(argv);
        }
    }

    /** The answer to a command: lines to stream, then a result or an exception. */
    @FunctionalInterface
    interface Script {
        Result answer(Call call, Consumer<String> sink) throws RemoteException;
    }

    final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final java.util.Map<String, Script> scripts = new java.util.concurrent.ConcurrentHashMap<>();

    FakeRunner on(String command, Script script) {
        scripts.put(command, script);
        return this;
    }

    /** Streams {@code stdoutLines} to the sink, then exits with {@code code}. */
    static Script lines(int code, List<String> stdoutLines, List<String> stderr) {
        return (call, sink) -> {
            stdoutLines.forEach(sink);
            stderr.forEach(sink);
            return new Result(code, stdoutLines.isEmpty() ? "" : String.join("\n", stdoutLines) + "\n", stderr, Duration.ofMillis(5));
        };
    }

    static Script json(String json) {
        return (call, sink) -> new Result(0, json, List.of(), Duration.ofMillis(5));
    }

    List<Call> calls(String command) {
        synchronized (calls) {
            return calls.stream().filter(c -> c.command().equals(command)).toList();
        }
    }

    /**
     * Like the real runner, reports the launch before the first output line, before the result, or before a failure
     * after the launch; a failure that says nothing was started comes without a launch.
     */
    @Override
    public Result run(Endpoint endpoint, List<String> argv, Duration timeout, Runnable onLaunched,
                      Consumer<String> lineSink) throws RemoteException {
        Call c = new Call(endpoint, List.copyOf(argv), timeout);
        calls.add(c);
        Script s = scripts.get(c.command());
        if (s == null) throw new AssertionError("unexpected remote command: " + c.commandLine());
        java.util.concurrent.atomic.AtomicBoolean launched = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable launch = () -> {
            if (launched.compareAndSet(false, true)) onLaunched.run();
        };
        try {
            Result r = s.answer(c, line -> {
                launch.run();
                lineSink.accept(line);
            });
            launch.run();
            return r;
        } catch (RemoteException e) {
            if (!e.notStarted()) launch.run();
            throw e;
        }
    }
}
