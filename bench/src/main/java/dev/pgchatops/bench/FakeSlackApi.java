package dev.pgchatops.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local stand-in for Slack's Web API under {@code slack.api-url} (auth.test for {@link #BOT_TOKEN}, chat.*,
 * usergroups) and for response_urls ({@code /respond/…}): what the real Bolt client of the adapter calls. Remembers
 * when the last call came, so a figure can wait until the bot's work after the acks has drained.
 */
final class FakeSlackApi implements AutoCloseable {
    static final String BOT_TOKEN = "xoxb-bench-bot-token";

    private final HttpServer server;
    private final ExecutorService pool;
    private final AtomicLong lastNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong ts = new AtomicLong();
    private final java.util.Map<String, AtomicLong> byPath = new java.util.concurrent.ConcurrentHashMap<>();

    FakeSlackApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        pool = Executors.newCachedThreadPool(r -> { // as many as needed: the fake must never be what the bot waits for
            Thread t = new Thread(r, "fake-slack-api");
            t.setDaemon(true);
            return t;
        });
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    String apiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
    }

    String responseUrl(String id) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/respond/" + id;
    }

    /** Waits until no call came for {@code quietMs} (the bot's posts after a batch are done), at most {@code maxMs}. */
    boolean awaitQuiet(long quietMs, long maxMs) throws InterruptedException {
        long deadline = System.nanoTime() + maxMs * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (System.nanoTime() - lastNanos.get() >= quietMs * 1_000_000) return true;
            Thread.sleep(20);
        }
        return false;
    }

    /** Calls so far by method (response_url for all response URLs). */
    java.util.Map<String, Long> counts() {
        java.util.Map<String, Long> m = new java.util.TreeMap<>();
        byPath.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            byPath.computeIfAbsent(path.startsWith("/respond/") ? "response_url" : path.substring(path.lastIndexOf('/') + 1),
                    k -> new AtomicLong()).incrementAndGet();
            ex.getRequestBody().readAllBytes();
            String auth = String.valueOf(ex.getRequestHeaders().getFirst("Authorization"));
            String out;
            if (path.startsWith("/respond/")) {
                out = "ok";
            } else if (path.equals("/api/auth.test")) {
                out = auth.equals("Bearer " + BOT_TOKEN)
                        ? "{\"ok\":true,\"user\":\"pgchatops\",\"user_id\":\"UBOT\",\"bot_id\":\"BBOT\",\"team\":\"Bench\",\"team_id\":\"T0001\",\"url\":\"https://bench.slack.com/\"}"
                        : "{\"ok\":false,\"error\":\"invalid_auth\"}";
            } else if (path.startsWith("/api/chat.")) {
                String t = "1700000000." + String.format("%06d", ts.incrementAndGet());
                out = "{\"ok\":true,\"channel\":\"C0BENCH\",\"ts\":\"" + t + "\",\"message_ts\":\"" + t + "\"}";
            } else if (path.equals("/api/usergroups.users.list")) {
                out = "{\"ok\":true,\"users\":[]}";
            } else {
                out = "{\"ok\":false,\"error\":\"unknown_method\"}";
            }
            byte[] b = out.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", out.startsWith("{") ? "application/json; charset=utf-8" : "text/plain");
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        } finally {
            lastNanos.set(System.nanoTime());
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
