package dev.pgchatops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many fake Patroni members on loopback, one HTTP server (own port) per member, replaying GET /cluster and GET
 * /patroni as captured from the real bench cluster; each fake cluster's members' {@code api_url}s point at its own
 * servers, so the watcher's leader probe goes where it would in production. Counts requests.
 */
final class PatroniFleet implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<HttpServer> servers = new ArrayList<>();
    private final List<List<URI>> clusters = new ArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "fake-patroni-fleet");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong clusterReads = new AtomicLong();
    static final boolean CLOSE = !Boolean.getBoolean("bench.fleet-keep-alive");

    /** {@code n} clusters shaped like {@code cluster} (real GET /cluster JSON); every member answers /patroni with {@code patroni}. */
    PatroniFleet(JsonNode cluster, JsonNode patroni, int n) throws IOException {
        int members = cluster.path("members").size();
        byte[] patroniBody = JSON.writeValueAsBytes(patroni);
        for (int c = 0; c < n; c++) {
            List<HttpServer> own = new ArrayList<>();
            for (int m = 0; m < members; m++) own.add(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64));
            ObjectNode copy = cluster.deepCopy();
            List<URI> urls = new ArrayList<>();
            for (int m = 0; m < members; m++) {
                URI u = URI.create("http://127.0.0.1:" + own.get(m).getAddress().getPort());
                urls.add(u);
                ((ObjectNode) copy.get("members").get(m)).put("api_url", u + "/patroni");
            }
            byte[] clusterBody = JSON.writeValueAsBytes(copy);
            for (HttpServer s : own) {
                s.createContext("/", ex -> {
                    try (ex) {
                        requests.incrementAndGet();
                        String p = ex.getRequestURI().getPath();
                        if (p.equals("/cluster")) clusterReads.incrementAndGet();
                        byte[] b = p.equals("/cluster") ? clusterBody : p.equals("/patroni") ? patroniBody : null;
                        if (b == null) {
                            ex.sendResponseHeaders(404, -1);
                            return;
                        }
                        ex.getResponseHeaders().set("Content-Type", "application/json");
                        // as Patroni (an HTTP/1.0 server) does: one request per connection
                        if (CLOSE) ex.getResponseHeaders().set("Connection", "close");
                        ex.sendResponseHeaders(200, b.length);
                        try (OutputStream o = ex.getResponseBody()) {
                            o.write(b);
                        }
                    }
                });
                s.setExecutor(pool);
                s.start();
                servers.add(s);
            }
            clusters.add(urls);
        }
    }

    List<List<URI>> clusters() {
        return clusters;
    }

    int members() {
        return servers.size();
    }

    long requests() {
        return requests.get();
    }

    /** GET /cluster requests: one per poll of a healthy cluster. */
    long clusterReads() {
        return clusterReads.get();
    }

    /** A bot config with one cluster per fake cluster, and an alerts section (poll every second, console channel). */
    String config(java.nio.file.Path stateDir, java.nio.file.Path passwordFile, java.nio.file.Path audit) {
        StringBuilder y = new StringBuilder("clusters:\n");
        for (int c = 0; c < clusters.size(); c++) {
            y.append("  - name: c").append(String.format("%04d", c)).append('\n')
                    .append("    patroni:\n      urls: [")
                    .append(String.join(", ", clusters.get(c).stream().map(URI::toString).toList())).append("]\n")
                    .append("      username: admin\n      password-file: ").append(passwordFile).append('\n');
        }
        y.append("access:\n  default-role: viewer\naudit:\n  path: ").append(audit).append('\n')
                .append("alerts:\n  poll-interval: 1s\n  state-dir: ").append(stateDir).append('\n')
                .append("  channels: {console: true}\n");
        return y.toString();
    }

    @Override
    public void close() {
        servers.forEach(s -> s.stop(0));
        pool.shutdownNow();
    }
}
