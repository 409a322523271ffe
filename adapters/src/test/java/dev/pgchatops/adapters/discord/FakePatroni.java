package dev.pgchatops.adapters.discord;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** GET /cluster of a three-member Patroni cluster; {@link #hang()} makes it stall until closed. */
final class FakePatroni implements AutoCloseable {
    private final HttpServer http;
    private volatile CountDownLatch hang;

    FakePatroni() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-patroni");
            t.setDaemon(true);
            return t;
        }));
        http.createContext("/", ex -> {
            CountDownLatch h = hang;
            if (h != null) {
                try {
                    h.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] b;
            int status = 200;
            if (ex.getRequestURI().getPath().equals("/cluster")) {
                b = cluster().getBytes(StandardCharsets.UTF_8);
            } else {
                status = 404;
                b = "{}".getBytes(StandardCharsets.UTF_8);
            }
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        http.start();
    }

    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    void hang() {
        hang = new CountDownLatch(1);
    }

    private String cluster() {
        String api = url();
        return "{\"members\":["
                + "{\"name\":\"node1\",\"role\":\"leader\",\"state\":\"running\",\"api_url\":\"" + api + "/patroni\",\"host\":\"127.0.0.1\",\"port\":5432,\"timeline\":1},"
                + "{\"name\":\"node2\",\"role\":\"replica\",\"state\":\"streaming\",\"api_url\":\"" + api + "/patroni\",\"host\":\"127.0.0.1\",\"port\":5433,\"timeline\":1,\"lag\":0},"
                + "{\"name\":\"node3\",\"role\":\"replica\",\"state\":\"streaming\",\"api_url\":\"" + api + "/patroni\",\"host\":\"127.0.0.1\",\"port\":5434,\"timeline\":1,\"lag\":0}"
                + "],\"scope\":\"demo\"}";
    }

    @Override
    public void close() {
        CountDownLatch h = hang;
        if (h != null) h.countDown();
        http.stop(0);
    }
}
