package dev.pgchatops.adapters.slack;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A local fake of Slack's Web API (what the real Bolt client calls under {@code slack.api-url}) and of interaction
 * response_urls ({@code /respond/ID}). Records every call; answers auth.test / apps.connections.open for the tokens
 * it knows; can be told to answer the next calls of a method with 429 + Retry-After or a 5xx.
 */
final class FakeSlack implements AutoCloseable {
    static final String BOT_TOKEN = "xoxb-test-bot-token";
    static final String APP_TOKEN = "xapp-test-app-token";

    /** One recorded call: the method (or response_url:ID), its form/JSON fields, when it arrived. */
    record Call(String method, Map<String, String> params, JsonObject json, long nanos) {
        String param(String name) {
            if (params.containsKey(name)) return params.get(name);
            if (json != null && json.has(name) && !json.get(name).isJsonNull()) {
                return json.get(name).isJsonPrimitive() ? json.get(name).getAsString() : json.get(name).toString();
            }
            return null;
        }

        JsonArray blocks() {
            String b = param("blocks");
            return b == null ? new JsonArray() : JsonParser.parseString(b).getAsJsonArray();
        }

        /** All text of the blocks, for assertions. */
        String blockText() {
            return blocks().toString();
        }
    }

    private record Failure(int status, String retryAfter) {
    }

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Failure>> failures = new ConcurrentHashMap<>();
    private final Map<String, List<String>> groups = new ConcurrentHashMap<>();
    private final AtomicLong ts = new AtomicLong(1);
    volatile String socketUrl = "ws://127.0.0.1:1/";
    /** Until this System.nanoTime(), every call but auth.test / apps.connections.open gets {@link #outageStatus}. */
    private volatile long outageUntil = System.nanoTime();
    private volatile int outageStatus;
    private volatile String outageRetryAfter;

    FakeSlack() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "fake-slack");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    String apiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
    }

    String responseUrl(String id) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/respond/" + id;
    }

    void group(String id, String... users) {
        groups.put(id, List.of(users));
    }

    /** The next {@code times} calls of {@code method} get {@code status} (429 with Retry-After {@code retryAfter}). */
    void failNext(String method, int times, int status, String retryAfter) {
        Deque<Failure> q = failures.computeIfAbsent(method, k -> new ConcurrentLinkedDeque<>());
        for (int i = 0; i < times; i++) q.add(new Failure(status, retryAfter));
    }

    /**
     * An outage: from now on, for {@code length}, every Web API call and response_url post (but auth.test and
     * apps.connections.open) is answered {@code status} (429 with Retry-After {@code retryAfter}).
     */
    void outage(Duration length, int status, String retryAfter) {
        outageStatus = status;
        outageRetryAfter = retryAfter;
        outageUntil = System.nanoTime() + length.toNanos();
    }

    /** Whether an outage started with {@link #outage} is still on. */
    boolean inOutage() {
        return System.nanoTime() - outageUntil < 0;
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    /** Waits (polling, with a deadline) until a call matches; returns it. */
    Call await(String method, Predicate<Call> p, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            for (Call c : calls) if (c.method().equals(method) && p.test(c)) return c;
            Thread.onSpinWait();
            try {
                synchronized (calls) {
                    calls.wait(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no " + method + " call matching within " + within + "; calls: " + describe());
    }

    String describe() {
        StringBuilder sb = new StringBuilder();
        for (Call c : calls) {
            sb.append("\n  ").append(c.method()).append(' ').append(c.params().keySet())
                    .append(" text=").append(abbrev(c.param("text")));
        }
        return sb.toString();
    }

    private static String abbrev(String s) {
        return s == null ? null : s.length() < 200 ? s : s.substring(0, 200) + "…";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
            Map<String, String> params = new LinkedHashMap<>();
            JsonObject json = null;
            String type = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"));
            if (type.startsWith("application/json")) {
                json = JsonParser.parseString(body).getAsJsonObject();
            } else {
                for (String kv : body.split("&")) {
                    int i = kv.indexOf('=');
                    if (i > 0) params.put(URLDecoder.decode(kv.substring(0, i), StandardCharsets.UTF_8),
                            URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
                }
            }
            if (token == null) token = params.get("token");
            String method = path.startsWith("/api/") ? path.substring(5) : path.startsWith("/respond/")
                    ? "response_url:" + path.substring(9) : path;
            Call call = new Call(method, Map.copyOf(params), json, System.nanoTime());
            calls.add(call);
            synchronized (calls) {
                calls.notifyAll();
            }
            Deque<Failure> q = failures.get(method.startsWith("response_url:") ? "response_url" : method);
            Failure f = q == null ? null : q.poll();
            if (f == null && inOutage() && !method.equals("auth.test") && !method.equals("apps.connections.open")) {
                f = new Failure(outageStatus, outageRetryAfter);
            }
            if (f != null) {
                if (f.retryAfter() != null) ex.getResponseHeaders().add("Retry-After", f.retryAfter());
                send(ex, f.status(), f.status() == 429 ? "{\"ok\":false,\"error\":\"ratelimited\"}" : "upstream trouble");
                return;
            }
            if (method.startsWith("response_url:")) {
                send(ex, 200, "ok");
                return;
            }
            send(ex, 200, answer(method, token, call).toString());
        }
    }

    private JsonObject answer(String method, String token, Call call) {
        JsonObject o = new JsonObject();
        o.addProperty("ok", true);
        switch (method) {
            case "auth.test" -> {
                if (!BOT_TOKEN.equals(token)) return error("invalid_auth");
                o.addProperty("user", "pgchatops");
                o.addProperty("user_id", "UBOT");
                o.addProperty("bot_id", "BBOT");
                o.addProperty("team", "Test Team");
                o.addProperty("team_id", "T0001");
                o.addProperty("url", "https://test.slack.com/");
            }
            case "apps.connections.open" -> {
                if (!APP_TOKEN.equals(token)) return error("invalid_auth");
                o.addProperty("url", socketUrl);
            }
            case "chat.postMessage" -> {
                if (!BOT_TOKEN.equals(token)) return error("invalid_auth");
                String channel = call.param("channel");
                if ("CNOTIN".equals(channel)) return error("not_in_channel");
                o.addProperty("channel", channel);
                o.addProperty("ts", "1700000000." + String.format("%06d", ts.getAndIncrement()));
            }
            case "chat.update", "chat.delete" -> {
                o.addProperty("channel", call.param("channel"));
                o.addProperty("ts", call.param("ts"));
            }
            case "chat.postEphemeral" -> o.addProperty("message_ts", "1700000000." + String.format("%06d", ts.getAndIncrement()));
            case "usergroups.users.list" -> {
                List<String> users = groups.get(call.param("usergroup"));
                if (users == null) return error("no_such_subteam");
                JsonArray a = new JsonArray();
                users.forEach(a::add);
                o.add("users", a);
            }
            default -> {
                return error("unknown_method");
            }
        }
        return o;
    }

    private static JsonObject error(String e) {
        JsonObject o = new JsonObject();
        o.addProperty("ok", false);
        o.addProperty("error", e);
        return o;
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", body.startsWith("{") ? "application/json; charset=utf-8" : "text/plain");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    static List<String> texts(List<Call> calls) {
        List<String> out = new ArrayList<>();
        for (Call c : calls) out.add(c.param("text"));
        return out;
    }
}
