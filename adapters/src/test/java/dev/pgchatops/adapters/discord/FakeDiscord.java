package dev.pgchatops.adapters.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small local Discord for the real JDA: a WebSocket gateway (HELLO, heartbeat ACKs, READY and GUILD_CREATE for one
 * guild with one text channel, then the INTERACTION_CREATE events a test injects) and the REST routes JDA calls
 * (users/@me, bulk command overwrite, interaction callbacks, webhook messages, channel messages, threads). Every
 * request is recorded; a test can make the next calls of a route answer 429 with Retry-After and Via.
 */
final class FakeDiscord implements AutoCloseable {
    static final String APP = "100000000000000001";
    static final String GUILD = "200000000000000002";
    static final String CHANNEL = "300000000000000003";
    static final String ALICE = "400000000000000004";
    static final String BOB = "400000000000000005";
    static final String CAROL = "400000000000000006";
    static final String OPERATOR_ROLE = "500000000000000007";
    /** VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS, READ_MESSAGE_HISTORY, CREATE_PUBLIC_THREADS, SEND_MESSAGES_IN_THREADS */
    static final long PERMS = (1L << 10) | (1L << 11) | (1L << 14) | (1L << 16) | (1L << 35) | (1L << 38);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "test-bot-token";

    record Call(String method, String path, String query, JsonNode body, int status) {
        @Override
        public String toString() {
            return method + " " + path + " -> " + status + " " + (body == null ? "" : body.toString());
        }
    }

    private final HttpServer http;
    private final Gateway gateway;
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, ObjectNode> messages = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger seq = new AtomicInteger();
    final CountDownLatch identified = new CountDownLatch(1);
    volatile boolean refuseToken;

    FakeDiscord() throws Exception {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/api/v10/", this::handle);
        http.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fake-discord-http");
            t.setDaemon(true);
            return t;
        }));
        http.start();
        gateway = new Gateway();
        gateway.setReuseAddr(true);
        gateway.start();
        if (!gateway.started.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("gateway did not start");
    }

    String apiUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/api/v10/";
    }

    String gatewayUrl() {
        return "ws://127.0.0.1:" + gateway.getPort() + "/";
    }

    @Override
    public void close() throws Exception {
        http.stop(0);
        gateway.stop(1000);
    }

    // ---- what a test does ----------------------------------------------------------------------------------------

    /** The next {@code times} calls of {@code method} on a path matching {@code pathRegex} answer 429. */
    void rateLimitNext(String method, String pathRegex, int times) {
        failures.put(method + " " + pathRegex, new AtomicInteger(times));
    }

    List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Waits (with a deadline) until a recorded call matches; returns it. */
    Call await(String what, Predicate<Call> p) throws InterruptedException {
        return awaitCount(what, p, 1).get(0);
    }

    List<Call> awaitCount(String what, Predicate<Call> p, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        synchronized (calls) {
            while (true) {
                List<Call> m = calls.stream().filter(p).toList();
                if (m.size() >= n) return m;
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("no " + what + " within 20 s; calls:\n" + String.join("\n", calls.stream().map(Call::toString).toList()));
                calls.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    ObjectNode message(String id) {
        return messages.get(id);
    }

    static Predicate<Call> route(String method, String pathRegex) {
        Pattern pt = Pattern.compile(pathRegex);
        return c -> c.method.equals(method) && pt.matcher(c.path).matches() && c.status < 300;
    }

    /** Sends a dispatch event to JDA. */
    void dispatch(String type, ObjectNode d) {
        ObjectNode o = JSON.createObjectNode().put("op", 0).put("t", type).put("s", seq.incrementAndGet());
        o.set("d", d);
        gateway.broadcast(o.toString());
    }

    static ObjectNode user(String id, String name) {
        return JSON.createObjectNode().put("id", id).put("username", name).put("discriminator", "0")
                .put("global_name", name).putNull("avatar");
    }

    static ObjectNode member(String id, String name, String... roles) {
        ObjectNode m = JSON.createObjectNode();
        m.set("user", user(id, name));
        ArrayNode r = m.putArray("roles");
        for (String x : roles) r.add(x);
        m.put("joined_at", "2026-01-01T00:00:00.000000+00:00").put("deaf", false).put("mute", false).put("flags", 0)
                .put("pending", false).put("permissions", String.valueOf(PERMS));
        return m;
    }

    private static ObjectNode interactionBase(String id, int type, ObjectNode member) {
        ObjectNode d = JSON.createObjectNode().put("id", id).put("application_id", APP).put("type", type)
                .put("token", "itoken-" + id).put("version", 1).put("channel_id", CHANNEL).put("guild_id", GUILD)
                .put("locale", "en-US").put("guild_locale", "en-US").put("context", 0).put("app_permissions", String.valueOf(PERMS));
        d.set("channel", channel());
        d.putObject("guild").put("id", GUILD).put("locale", "en-US").putArray("features");
        d.set("member", member);
        d.putObject("authorizing_integration_owners").put("0", GUILD);
        d.putArray("entitlements");
        return d;
    }

    /** A snowflake of now (JDA tells an interaction's age from its id: the token lives 15 minutes). */
    String nextId() {
        return String.valueOf(((System.currentTimeMillis() - 1420070400000L) << 22) | (ids.incrementAndGet() & 0x3FFFFF));
    }

    /** A slash command by {@code member}; options as name → value (strings or booleans). Returns the interaction id. */
    String slash(ObjectNode member, String command, Map<String, Object> options) {
        String id = nextId();
        ObjectNode d = interactionBase(id, 2, member);
        ObjectNode data = d.putObject("data").put("id", "600000000000000" + String.format("%03d", Math.abs(command.hashCode()) % 1000)).put("name", command).put("type", 1);
        ArrayNode opts = data.putArray("options");
        options.forEach((k, v) -> {
            ObjectNode o = opts.addObject().put("name", k);
            if (v instanceof Boolean b) o.put("type", 5).put("value", b);
            else o.put("type", 3).put("value", String.valueOf(v));
        });
        dispatch("INTERACTION_CREATE", d);
        return id;
    }

    String autocomplete(ObjectNode member, String command, String option, String typed) {
        String id = nextId();
        ObjectNode d = interactionBase(id, 4, member);
        ObjectNode data = d.putObject("data").put("id", "600000000000000" + String.format("%03d", Math.abs(command.hashCode()) % 1000)).put("name", command).put("type", 1);
        data.putArray("options").addObject().put("name", option).put("type", 3).put("value", typed).put("focused", true);
        dispatch("INTERACTION_CREATE", d);
        return id;
    }

    /** A click on a button of the message {@code messageId} (as this fake stored it). */
    String click(ObjectNode member, String messageId, String customId) {
        String id = nextId();
        ObjectNode d = interactionBase(id, 3, member);
        d.putObject("data").put("custom_id", customId).put("component_type", 2);
        ObjectNode m = messages.get(messageId);
        if (m == null) throw new AssertionError("no message " + messageId);
        d.set("message", m.deepCopy());
        dispatch("INTERACTION_CREATE", d);
        return id;
    }

    static ObjectNode channel() {
        ObjectNode c = JSON.createObjectNode().put("id", CHANNEL).put("type", 0).put("name", "db-ops").put("guild_id", GUILD)
                .put("position", 0).put("nsfw", false).putNull("parent_id").putNull("topic").put("rate_limit_per_user", 0)
                .put("permissions", String.valueOf(PERMS));
        c.putArray("permission_overwrites");
        return c;
    }

    // ---- REST --------------------------------------------------------------------------------------------------

    private static final Pattern WEBHOOK_MSG = Pattern.compile("webhooks/(\\d+)/([^/]+)/messages/([^/]+)");
    private static final Pattern WEBHOOK = Pattern.compile("webhooks/(\\d+)/([^/]+)");
    private static final Pattern CHANNEL_MSGS = Pattern.compile("channels/(\\d+)/messages");
    private static final Pattern CHANNEL_MSG = Pattern.compile("channels/(\\d+)/messages/(\\d+)");
    private static final Pattern THREAD_FROM = Pattern.compile("channels/(\\d+)/messages/(\\d+)/threads");

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath().substring("/api/v10/".length());
        String method = ex.getRequestMethod();
        JsonNode body = readBody(ex);
        int status = 200;
        String out = "";
        Outage failing = failing(method, path);
        try {
            if (failing != null && !failing.applied()) {
                status = failing.answer(ex);
                out = failing.body();
                return;
            }
            for (Map.Entry<String, AtomicInteger> f : failures.entrySet()) {
                String[] mk = f.getKey().split(" ", 2);
                if (mk[0].equals(method) && path.matches(mk[1]) && f.getValue().getAndDecrement() > 0) {
                    ex.getResponseHeaders().add("Retry-After", "1");
                    ex.getResponseHeaders().add("Via", "1.1 google");
                    ex.getResponseHeaders().add("X-RateLimit-Scope", "user");
                    status = 429;
                    out = "{\"message\":\"You are being rate limited.\",\"retry_after\":1.0,\"global\":false}";
                    return;
                }
            }
            if (!("Bot " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization")) && !path.startsWith("webhooks/")
                    && !path.startsWith("interactions/") || refuseToken) {
                status = 401;
                out = "{\"message\":\"401: Unauthorized\",\"code\":0}";
                return;
            }
            Matcher m;
            if (method.equals("GET") && path.equals("users/@me")) {
                out = botUser().put("bot", true).put("verified", true).put("mfa_enabled", false).put("flags", 0).toString();
            } else if (method.equals("PUT") && path.matches("applications/\\d+(/guilds/\\d+)?/commands")) {
                ArrayNode arr = JSON.createArrayNode();
                for (JsonNode c : body) {
                    ObjectNode o = ((ObjectNode) c.deepCopy()).put("id", nextId()).put("application_id", APP).put("version", "1");
                    if (!o.has("type")) o.put("type", 1);
                    arr.add(o);
                }
                out = arr.toString();
            } else if (method.equals("POST") && path.matches("interactions/\\d+/[^/]+/callback")) {
                status = 204;
            } else if ((m = WEBHOOK_MSG.matcher(path)).matches()) {
                String key = "wh:" + m.group(2) + ":" + m.group(3);
                if (method.equals("DELETE")) {
                    status = 204;
                } else if (method.equals("PATCH")) {
                    String id = m.group(3).equals("@original") ? messages.computeIfAbsent(key, k -> stub(nextId())).get("id").asText() : m.group(3);
                    out = store(id, body, true).toString();
                    messages.put(key, messages.get(id));
                } else {
                    out = messages.getOrDefault(key, stub(nextId())).toString();
                }
            } else if ((m = WEBHOOK.matcher(path)).matches() && method.equals("POST")) {
                out = store(nextId(), body, true).toString();
            } else if ((m = THREAD_FROM.matcher(path)).matches() && method.equals("POST")) {
                out = thread(m.group(2), m.group(1), body.path("name").asText("thread")).toString();
                status = 201;
            } else if ((m = CHANNEL_MSG.matcher(path)).matches()) {
                if (method.equals("DELETE")) status = 204;
                else out = store(m.group(2), body, false).put("channel_id", m.group(1)).toString();
            } else if ((m = CHANNEL_MSGS.matcher(path)).matches() && method.equals("POST")) {
                String known = enforcedNonce(m.group(1), body);
                out = store(known != null ? known : nextId(), known != null ? null : body, false).put("channel_id", m.group(1)).toString();
                if (known == null) noteNonce(m.group(1), body, out);
            } else {
                status = 404;
                out = "{\"message\":\"Unknown route " + path + "\",\"code\":0}";
            }
        } catch (RuntimeException e) {
            status = 500;
            out = "{\"message\":\"fake: " + e + "\"}";
        } finally {
            if (failing != null && failing.applied() && status < 300) {   // done, but the answer says otherwise
                status = failing.answer(ex);
                out = failing.body();
            }
            Call call = new Call(method, path, ex.getRequestURI().getQuery(), body, status);
            byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
            if (status != 204) ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
            if (status != 204) ex.getResponseBody().write(bytes);
            ex.close();
            synchronized (calls) {
                calls.add(call);
                calls.notifyAll();
            }
        }
    }

    private ObjectNode botUser() {
        return user(APP, "pgchatops").put("bot", true);
    }

    private ObjectNode stub(String id) {
        ObjectNode m = JSON.createObjectNode().put("id", id).put("channel_id", CHANNEL).put("type", 0).put("content", "")
                .put("timestamp", "2026-12-01T00:00:00.000000+00:00").putNull("edited_timestamp").put("tts", false)
                .put("mention_everyone", false).put("pinned", false).put("flags", 0);
        m.set("author", botUser());
        m.putArray("mentions");
        m.putArray("mention_roles");
        m.putArray("attachments");
        m.putArray("embeds");
        m.putArray("components");
        return m;
    }

    private ObjectNode store(String id, JsonNode body, boolean webhook) {
        ObjectNode m = messages.computeIfAbsent(id, this::stub);
        synchronized (m) {
            if (body != null && body.has("embeds")) {
                ArrayNode embeds = m.putArray("embeds");
                for (JsonNode e : body.get("embeds")) embeds.add(((ObjectNode) e.deepCopy()).put("type", "rich"));
            }
            if (body != null && body.has("components")) m.set("components", body.get("components"));
            if (body != null && body.has("content")) m.put("content", body.get("content").asText());
            if (body != null && body.has("flags")) m.put("flags", body.get("flags").asInt());
            if (webhook) m.put("webhook_id", APP).put("application_id", APP);
            return m.deepCopy();
        }
    }

    private ObjectNode thread(String id, String parent, String name) {
        ObjectNode t = JSON.createObjectNode().put("id", id).put("type", 11).put("guild_id", GUILD).put("parent_id", parent)
                .put("name", name).put("owner_id", APP).put("message_count", 0).put("member_count", 1)
                .put("rate_limit_per_user", 0).put("flags", 0).put("total_message_sent", 0);
        t.putObject("thread_metadata").put("archived", false).put("auto_archive_duration", 1440)
                .put("archive_timestamp", "2026-12-01T00:00:00.000000+00:00").put("locked", false).put("invitable", true)
                .put("create_timestamp", "2026-12-01T00:00:00.000000+00:00");
        t.putArray("applied_tags");
        return t;
    }

    private static JsonNode readBody(HttpExchange ex) throws IOException {
        byte[] raw;
        try (InputStream in = ex.getRequestBody()) {
            raw = in.readAllBytes();
        }
        if (raw.length == 0) return null;
        String type = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"));
        String text = new String(raw, StandardCharsets.UTF_8);
        if (type.startsWith("multipart/form-data")) {
            String boundary = type.substring(type.indexOf("boundary=") + 9);
            for (String part : text.split("--" + Pattern.quote(boundary))) {
                if (part.contains("name=\"payload_json\"")) {
                    int i = part.indexOf("\r\n\r\n");
                    text = part.substring(i + 4).strip();
                    break;
                }
            }
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    // ---- gateway -------------------------------------------------------------------------------------------------

    private final class Gateway extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);

        Gateway() {
            super(new InetSocketAddress("127.0.0.1", 0));
        }

        @Override
        public void onStart() {
            started.countDown();
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            conn.send("{\"op\":10,\"d\":{\"heartbeat_interval\":41250}}");
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            JsonNode n;
            try {
                n = JSON.readTree(message);
            } catch (IOException e) {
                return;
            }
            int op = n.path("op").asInt();
            if (op == 1) {
                conn.send("{\"op\":11}");
            } else if (op == 2) {
                ObjectNode d = JSON.createObjectNode().put("v", 10).put("session_id", "fake-session")
                        .put("resume_gateway_url", gatewayUrl());
                d.set("user", botUser());
                d.putArray("guilds").addObject().put("id", GUILD).put("unavailable", true);
                d.putArray("private_channels");
                d.putObject("application").put("id", APP).put("flags", 0);
                ObjectNode ready = JSON.createObjectNode().put("op", 0).put("t", "READY").put("s", seq.incrementAndGet());
                ready.set("d", d);
                conn.send(ready.toString());
                ObjectNode gc = JSON.createObjectNode().put("op", 0).put("t", "GUILD_CREATE").put("s", seq.incrementAndGet());
                gc.set("d", guild());
                conn.send(gc.toString());
                identified.countDown();
            }
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
        }
    }

    private ObjectNode guild() {
        ObjectNode g = JSON.createObjectNode().put("id", GUILD).put("name", "ops").put("owner_id", ALICE)
                .put("unavailable", false).put("member_count", 3).put("large", false).put("preferred_locale", "en-US")
                .put("premium_tier", 0).put("mfa_level", 0).put("verification_level", 0).put("nsfw_level", 0)
                .put("premium_progress_bar_enabled", false).put("afk_timeout", 300).put("default_message_notifications", 0).put("explicit_content_filter", 0).put("joined_at", "2026-01-01T00:00:00.000000+00:00");
        ArrayNode roles = g.putArray("roles");
        roles.add(role(GUILD, "@everyone", 0, PERMS));
        roles.add(role(OPERATOR_ROLE, "db-operators", 1, 0));
        g.putArray("channels").add(channel());
        g.putArray("threads");
        g.putArray("guild_scheduled_events");
        g.putArray("emojis");
        g.putArray("stickers");
        g.putArray("voice_states");
        g.putArray("presences");
        g.putArray("features");
        ObjectNode self = JSON.createObjectNode();
        self.set("user", botUser());
        self.putArray("roles");
        self.put("joined_at", "2026-01-01T00:00:00.000000+00:00").put("deaf", false).put("mute", false).put("flags", 0);
        g.putArray("members").add(self);
        return g;
    }

    private static ObjectNode role(String id, String name, int position, long perms) {
        return JSON.createObjectNode().put("id", id).put("name", name).put("position", position)
                .put("permissions", String.valueOf(perms)).put("managed", false).put("hoist", false).put("color", 0)
                .put("mentionable", false).put("flags", 0);
    }

    // ---- outages (DiscordOutageTest) -----------------------------------------------------------------------------

    /** REST calls whose "METHOD path" matches {@code route} answer {@code status}; {@code applied}: done all the same. */
    record Outage(Pattern route, int status, String retryAfter, boolean applied) {
        int answer(HttpExchange ex) {
            if (retryAfter != null) {
                ex.getResponseHeaders().add("Retry-After", retryAfter);
                ex.getResponseHeaders().add("Via", "1.1 google");
                ex.getResponseHeaders().add("X-RateLimit-Scope", "user");
            }
            return status;
        }

        String body() {
            return status == 429 ? "{\"message\":\"You are being rate limited.\",\"retry_after\":" + retryAfter + ",\"global\":false}"
                    : "{\"message\":\"" + status + ": fake outage\",\"code\":0}";
        }
    }

    private volatile Outage outage;
    private final Map<String, String> nonces = new ConcurrentHashMap<>();

    /**
     * From now on, REST calls matching {@code route} (a regex on "METHOD path", e.g. "(PATCH|POST) webhooks/.*")
     * answer {@code status} (429: with {@code retryAfter} seconds), until {@link #endOutage()}. With {@code applied}
     * the call is carried out before the error is answered (a 500 after the message was created).
     */
    void outage(String route, int status, String retryAfter, boolean applied) {
        outage = new Outage(Pattern.compile(route), status, retryAfter, applied);
    }

    void endOutage() {
        outage = null;
    }

    boolean inOutage() {
        return outage != null;
    }

    private Outage failing(String method, String path) {
        Outage o = outage;
        return o != null && o.route().matcher(method + " " + path).matches() ? o : null;
    }

    /** Discord's enforce_nonce: the id of the message this channel already has with this nonce, or null. */
    private String enforcedNonce(String channel, JsonNode body) {
        if (body == null || !body.path("enforce_nonce").asBoolean(false) || !body.hasNonNull("nonce")) return null;
        return nonces.get(channel + "/" + body.get("nonce").asText());
    }

    private void noteNonce(String channel, JsonNode body, String created) {
        if (body == null || !body.hasNonNull("nonce")) return;
        try {
            nonces.put(channel + "/" + body.get("nonce").asText(), JSON.readTree(created).path("id").asText());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The accepted calls (status < 300) matching {@code p}. */
    List<Call> accepted(Predicate<Call> p) {
        return calls().stream().filter(c -> c.status() < 300).filter(p).toList();
    }

    /** How many messages (not webhook aliases) hold {@code text} in an embed. */
    long storedWith(String text) {
        return messages.entrySet().stream().filter(e -> !e.getKey().startsWith("wh:"))
                .filter(e -> e.getValue().path("embeds").toString().contains(text)).count();
    }

    // ---- added for DiscordPayloadFuzzTest ---------------------------------------------------------------------------

    /** Sends one text frame to JDA exactly as given (the fuzz test's damaged or random frames). */
    void sendRaw(String frame) {
        gateway.broadcast(frame);
    }

    /** The calls recorded from index {@code from} on (a test reads the record incrementally). */
    List<Call> callsSince(int from) {
        synchronized (calls) {
            return from >= calls.size() ? List.of() : List.copyOf(calls.subList(from, calls.size()));
        }
    }
}
