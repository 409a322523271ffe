package dev.pgchatops.bot;

import dev.pgchatops.adapters.ChatAdapter;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code pgchatops serve}: starts every enabled chat adapter, says when all are ready, and runs until the process is
 * stopped (SIGTERM/SIGINT close the adapters). Exit code 2 when none is enabled or one cannot start.
 */
final class Serve {
    private Serve() {
    }

    static int run(List<ChatAdapter> adapters, String configName, PrintStream err, CountDownLatch stop) {
        if (adapters.isEmpty()) {
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
            err.printf("pgchatops: ready — %s connected in %d ms%n",
                    String.join(", ", started.stream().map(ChatAdapter::name).toList()), (System.nanoTime() - t0) / 1_000_000);
            err.flush();
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
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
