package dev.pgchatops.adapters.slack;

import dev.pgchatops.core.run.DaemonThreads;
import com.slack.api.bolt.App;
import dev.pgchatops.adapters.AckGate;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.util.QueryStringParser;
import com.slack.api.bolt.util.SlackRequestParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * HTTP mode: {@code POST /slack/events} on the configured port (the JDK's HTTP server, a bounded pool). Every request's
 * signature is checked first ({@link SlackSignatureCheck}); a missing, wrong or stale one is answered 401 and never
 * reaches Bolt, and it is reported to {@code onRefused} (audit). Signed requests are parsed by Bolt's own
 * {@link SlackRequestParser} and run by the {@link App} (whose RequestVerification middleware checks them again).
 * A signed body Bolt cannot parse is refused (400); bodies over 1 MiB are refused (413); other paths 404; other
 * methods 405.
 */
final class SlackHttpTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SlackHttpTransport.class);
    static final String PATH = "/slack/events";
    static final int MAX_BODY = 1 << 20;
    /**
     * Threads that read, check and ack requests. An ack takes well under a millisecond of CPU, but on a busy host a
     * thread can be preempted in the middle of one: with 4, a burst of 100 queued behind the preempted few
     * (bench: p50 13 ms → 6–8 ms with 16).
     */
    static final int THREADS = 16;
    /** Connections the kernel may hold before the server accepts them. */
    static final int BACKLOG = 256;

    /** A refused request: why, and what it claimed to be (user id, command), for the audit. */
    interface Refused {
        void refused(String why, String claimedUser, String claimedCommand, String remote);
    }

    private final App app;
    private final SlackRequestParser parser;
    private final SlackSignatureCheck check;
    private final Refused onRefused;
    private final HttpServer server;
    private final ThreadPoolExecutor pool;
    private final AckGate gate;

    SlackHttpTransport(App app, String signingSecret, InetSocketAddress bind, Refused onRefused) throws IOException {
        this(app, signingSecret, bind, onRefused, null);
    }

    /** {@code gate} (may be null): told when each exchange starts and when its answer is written. */
    SlackHttpTransport(App app, String signingSecret, InetSocketAddress bind, Refused onRefused, AckGate gate) throws IOException {
        this.gate = gate;
        this.app = app;
        this.parser = new SlackRequestParser(app.config());
        this.check = new SlackSignatureCheck(signingSecret);
        this.onRefused = onRefused;
        this.pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024),
                DaemonThreads.numbered("slack-http"));
        this.server = HttpServer.create(bind, BACKLOG);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    /** One exchange (package-private so the fuzz test can drive it without a socket per input). */
    void handle(HttpExchange ex) throws IOException {
        if (gate != null) gate.acking();
        try {
            exchange(ex);
        } finally {
            if (gate != null) gate.acked(); // the answer is written: work handed over meanwhile may start
        }
    }

    private void exchange(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestURI().getPath().equals(PATH)) {
                send(ex, 404, "text/plain", "not found");
                return;
            }
            if (!ex.getRequestMethod().equals("POST")) {
                ex.getResponseHeaders().add("Allow", "POST");
                send(ex, 405, "text/plain", "POST only");
                return;
            }
            byte[] raw = readBounded(ex.getRequestBody());
            if (raw == null) {
                send(ex, 413, "text/plain", "request body too large");
                return;
            }
            String body = new String(raw, StandardCharsets.UTF_8);
            String ts = ex.getRequestHeaders().getFirst("X-Slack-Request-Timestamp");
            String sig = ex.getRequestHeaders().getFirst("X-Slack-Signature");
            Optional<String> refusal = check.refusal(ts, sig, body, System.currentTimeMillis());
            if (refusal.isPresent()) {
                String remote = String.valueOf(ex.getRemoteAddress());
                LOG.warn("refused an unsigned or badly signed request from {}: {}", remote, refusal.get());
                try {
                    Map<String, String> form = form(body);
                    onRefused.refused(refusal.get(), form.getOrDefault("user_id", ""), form.getOrDefault("command", ""), remote);
                } catch (RuntimeException e) {
                    LOG.error("could not audit a refused request: {}", e.toString());
                }
                send(ex, 401, "application/json", "{\"error\":\"invalid request\"}");
                return;
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), new ArrayList<>(v)));
            SlackRequestParser.HttpRequest raw2 = SlackRequestParser.HttpRequest.builder()
                    .requestUri(PATH)
                    .queryString(QueryStringParser.toMap(ex.getRequestURI().getRawQuery()))
                    .headers(new RequestHeaders(headers))
                    .requestBody(body)
                    .remoteAddress(ex.getRemoteAddress().getAddress().getHostAddress())
                    .build();
            com.slack.api.bolt.request.Request<?> req;
            try {
                req = parser.parse(raw2);
            } catch (RuntimeException e) {
                // signed, but not a payload Bolt can read (damaged JSON, a field of the wrong type): say so, run nothing
                LOG.warn("refused a signed but malformed request from {}: {}", ex.getRemoteAddress(), e.toString());
                send(ex, 400, "text/plain", "malformed Slack request");
                return;
            }
            Response resp;
            try {
                resp = app.run(req);
            } catch (Exception e) {
                LOG.error("Bolt failed on a request", e);
                send(ex, 500, "text/plain", "internal error");
                return;
            }
            if (resp.getHeaders() != null) {
                resp.getHeaders().forEach((k, v) -> v.forEach(x -> ex.getResponseHeaders().add(k, x)));
            }
            String ct = resp.getContentType() == null ? "text/plain; charset=utf-8" : resp.getContentType();
            send(ex, resp.getStatusCode(), ct, resp.getBody() == null ? "" : resp.getBody());
        }
    }

    private static byte[] readBounded(InputStream in) throws IOException {
        byte[] b = in.readNBytes(MAX_BODY + 1);
        return b.length > MAX_BODY ? null : b;
    }

    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        }
    }

    /** A form-encoded body's fields (only to say in the audit what a refused request claimed). */
    static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String kv : body.split("&")) {
            int i = kv.indexOf('=');
            if (i <= 0) continue;
            try {
                out.putIfAbsent(URLDecoder.decode(kv.substring(0, i), StandardCharsets.UTF_8),
                        URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // not form-encoded: nothing to report
            }
        }
        return out;
    }
}
