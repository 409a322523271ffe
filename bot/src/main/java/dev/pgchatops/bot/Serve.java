package dev.pgchatops.bot;

import dev.pgchatops.adapters.ChatAdapter;
import dev.pgchatops.core.chat.ChannelSender;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code pgchatops serve}: starts every enabled chat adapter, says when all are ready, and runs until the process is
 * stopped (SIGTERM/SIGINT close the adapters). With an {@code alerts:} section it also starts the watch once the
 * adapters are connected, posting through their senders (and the console's, with {@code channels.console: true});
 * then it runs without any chat adapter too. Exit code 2 when nothing is enabled or something cannot start.
 */
final class Serve {
    private Serve() {
    }

    /** Starts the watch with the senders by platform name ("console", "slack", "discord"); closed on stop. */
    @FunctionalInterface
    interface WatchStarter {
        AutoCloseable start(Map<String, ChannelSender> senders) throws Exception;
    }

    static int run(List<ChatAdapter> adapters, String configName, PrintStream err, CountDownLatch stop) {
        return run(adapters, configName, err, stop, Optional.empty(), Map.of());
    }

    static int run(List<ChatAdapter> adapters, String configName, PrintStream err, CountDownLatch stop,
                   Optional<WatchStarter> watch, Map<String, ChannelSender> extraSenders) {
        if (adapters.isEmpty() && watch.isEmpty()) {
            err.println("pgchatops: no chat adapter is enabled in " + configName
                    + ": add a slack: or discord: section (see the README), or use 'console'.");
            return 2;
        }
        long t0 = System.nanoTime();
        List<ChatAdapter> started = new ArrayList<>();
        try {
            for (ChatAdapter a : adapters) {
                try {
                    a.start();
                    started.add(a);
                } catch (ChatAdapter.AdapterStartException e) {
                    err.println("pgchatops: cannot start " + a.name() + ": " + e.getMessage());
                    return 2;
                }
            }
            AutoCloseable watcher = null;
            if (watch.isPresent()) {
                Map<String, ChannelSender> senders = new LinkedHashMap<>(extraSenders);
                started.forEach(a -> senders.put(a.name(), a.sender()));
                try {
                    watcher = watch.get().start(senders);
                } catch (Exception e) {
                    err.println("pgchatops: cannot start the watch: " + e.getMessage());
                    return 2;
                }
            }
            List<String> parts = new ArrayList<>(started.stream().map(ChatAdapter::name).toList());
            if (watcher != null) parts.add("watch");
            err.printf("pgchatops: ready — %s started in %d ms%n", String.join(", ", parts), (System.nanoTime() - t0) / 1_000_000);
            err.flush();
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (watcher != null) {
                try {
                    watcher.close();
                } catch (Exception e) {
                    err.println("pgchatops: closing the watch failed: " + e.getMessage());
                }
            }
            return 0;
        } finally {
            for (ChatAdapter a : started) {
                try {
                    a.close();
                } catch (RuntimeException e) {
                    err.println("pgchatops: closing " + a.name() + " failed: " + e.getMessage());
                }
            }
        }
    }
}
