package dev.pgchatops.bench;

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
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local Discord for the real JDA: a WebSocket gateway (HELLO, heartbeat ACKs, READY with one guild and one text
 * channel, then the INTERACTION_CREATE events the bench sends) and the REST routes JDA calls (users/@me, bulk command
 * overwrite, interaction callbacks, webhook and channel messages). It notes when each interaction was sent and when
 * its callback (the defer) arrived.
 */
final class FakeDiscord implements AutoCloseable {
    static final String APP = "100000000000000001";
    static final String GUILD = "200000000000000002";
    static final String CHANNEL = "300000000000000003";
    static final String USER = "400000000000000004";
    static final String TOKEN = "bench-discord-token";
    static final long PERMS = (1L << 10) | (1L << 11) | (1L << 14) | (1L << 16) | (1L << 35) | (1L << 38);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer http;
    private final ExecutorService pool;
    private final Gateway gateway;
    private final Map<String, Long> sent = new ConcurrentHashMap<>();
    private final Map<String, Long> deferred = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger seq = new AtomicInteger();
    private final AtomicLong restCalls = new AtomicLong();
    private final AtomicLong lastRest = new AtomicLong(System.nanoTime());
    final CountDownLatch identified = new CountDownLatch(1);

    FakeDiscord() throws Exception {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        pool = Executors.newCachedThreadPool(r -> { // as many as needed: the fake must never be what the bot waits for
            Thread t = new Thread(r, "fake-discord-rest");
            t.setDaemon(true);
            return t;
        });
        http.createContext("/api/v10/", this::handle);
        http.setExecutor(pool);
        http.start();
        gateway = new Gateway();
        gateway.setReuseAddr(true);
        gateway.start();
        if (!gateway.started.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("fake gateway did not start");
    }

    String apiUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/api/v10/";
    }

    String gatewayUrl() {
        return "ws://127.0.0.1:" + gateway.getPort() + "/";
    }

    /** Nanos from sending INTERACTION_CREATE {@code id} to its callback, or -1 while none came. */
    long ackNanos(String id) {
        Long s = sent.get(id);
        Long d = deferred.get(id);
        return s == null || d == null ? -1 : d - s;
    }

    /** Waits until no REST call came for {@code quietMs}, at most {@code maxMs}. */
    boolean awaitQuiet(long quietMs, long maxMs) throws InterruptedException {
        long deadline = System.nanoTime() + maxMs * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (System.nanoTime() - lastRest.get() >= quietMs * 1_000_000) return true;
            Thread.sleep(20);
        }
        return false;
    }

    private String nextId() {
        return String.valueOf(((System.currentTimeMillis() - 1420070400000L) << 22) | (ids.incrementAndGet() & 0x3FFFFF));
    }

    /** Sends a slash command {@code /name} (no options) by the bench user; returns the interaction id. */
    String slash(String name) {
        String id = nextId();
        ObjectNode d = JSON.createObjectNode().put("id", id).put("application_id", APP).put("type", 2)
                .put("token", "itoken-" + id).put("version", 1).put("channel_id", CHANNEL).put("guild_id", GUILD)
                .put("locale", "en-US").put("guild_locale", "en-US").put("context", 0).put("app_permissions", String.valueOf(PERMS));
        d.set("channel", channel());
        d.putObject("guild").put("id", GUILD).put("locale", "en-US").putArray("features");
        d.set("member", member());
        d.putObject("authorizing_integration_owners").put("0", GUILD);
        d.putArray("entitlements");
        d.putObject("data").put("id", "600000000000000001").put("name", name).put("type", 1).putArray("options");
        ObjectNode o = JSON.createObjectNode().put("op", 0).put("t", "INTERACTION_CREATE").put("s", seq.incrementAndGet());
        o.set("d", d);
        String frame = o.toString();
        sent.put(id, System.nanoTime());
        gateway.broadcast(frame);
        return id;
    }

    private static ObjectNode user(String id, String name) {
        return JSON.createObjectNode().put("id", id).put("username", name).put("discriminator", "0")
                .put("global_name", name).putNull("avatar");
    }

    private static ObjectNode member() {
        ObjectNode m = JSON.createObjectNode();
        m.set("user", user(USER, "bench"));
        m.putArray("roles");
        m.put("joined_at", "2026-01-01T00:00:00.000000+00:00").put("deaf", false).put("mute", false).put("flags", 0)
                .put("pending", false).put("permissions", String.valueOf(PERMS));
        return m;
    }

    private static ObjectNode channel() {
        ObjectNode c = JSON.createObjectNode().put("id", CHANNEL).put("type", 0).put("name", "db-ops").put("guild_id", GUILD)
                .put("position", 0).put("nsfw", false).putNull("parent_id").putNull("topic").put("rate_limit_per_user", 0)
                .put("permissions", String.valueOf(PERMS));
        c.putArray("permission_overwrites");
        return c;
    }

    private ObjectNode botUser() {
        return user(APP, "pgchatops").put("bot", true);
    }

    private ObjectNode message(String id) {
        ObjectNode m = JSON.createObjectNode().put("id", id).put("channel_id", CHANNEL).put("type", 0).put("content", "")
                .put("timestamp", "2026-12-01T00:00:00.000000+00:00").putNull("edited_timestamp").put("tts", false)
                .put("mention_everyone", false).put("pinned", false).put("flags", 0)
                .put("webhook_id", APP).put("application_id", APP);
        m.set("author", botUser());
        m.putArray("mentions");
        m.putArray("mention_roles");
        m.putArray("attachments");
        m.putArray("embeds");
        m.putArray("components");
        return m;
    }

    private void handle(HttpExchange ex) throws IOException {
        long now = System.nanoTime();
        String path = ex.getRequestURI().getPath().substring("/api/v10/".length());
        String method = ex.getRequestMethod();
        byte[] raw = ex.getRequestBody().readAllBytes();
        int status = 200;
        String out;
        if (method.equals("POST") && path.matches("interactions/\\d+/[^/]+/callback")) {
            deferred.putIfAbsent(path.split("/")[1], now);
            status = 204;
            out = "";
        } else if (method.equals("GET") && path.equals("users/@me")) {
            out = botUser().put("verified", true).put("mfa_enabled", false).put("flags", 0).toString();
        } else if (method.equals("PUT") && path.matches("applications/\\d+(/guilds/\\d+)?/commands")) {
            ArrayNode arr = JSON.createArrayNode();
            for (JsonNode c : JSON.readTree(raw)) {
                ObjectNode o = ((ObjectNode) c.deepCopy()).put("id", nextId()).put("application_id", APP).put("version", "1");
                if (!o.has("type")) o.put("type", 1);
                arr.add(o);
            }
            out = arr.toString();
        } else if (path.startsWith("webhooks/") || path.startsWith("channels/")) {
            if (method.equals("DELETE")) {
                status = 204;
                out = "";
            } else {
                out = message(nextId()).toString();
            }
        } else {
            status = 404;
            out = "{\"message\":\"Unknown route " + path + "\",\"code\":0}";
        }
        byte[] b = out.getBytes(StandardCharsets.UTF_8);
        if (status != 204) ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, status == 204 ? -1 : b.length);
        if (status != 204) ex.getResponseBody().write(b);
        ex.close();
        restCalls.incrementAndGet();
        lastRest.set(System.nanoTime());
    }

    @Override
    public void close() throws Exception {
        http.stop(0);
        pool.shutdownNow();
        gateway.stop(1000);
    }

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
                ObjectNode d = JSON.createObjectNode().put("v", 10).put("session_id", "bench-session")
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
        ObjectNode g = JSON.createObjectNode().put("id", GUILD).put("name", "ops").put("owner_id", USER)
                .put("unavailable", false).put("member_count", 2).put("large", false).put("preferred_locale", "en-US")
                .put("premium_tier", 0).put("mfa_level", 0).put("verification_level", 0).put("nsfw_level", 0)
                .put("premium_progress_bar_enabled", false).put("afk_timeout", 300).put("default_message_notifications", 0)
                .put("explicit_content_filter", 0).put("joined_at", "2026-01-01T00:00:00.000000+00:00");
        ArrayNode roles = g.putArray("roles");
        roles.add(JSON.createObjectNode().put("id", GUILD).put("name", "@everyone").put("position", 0)
                .put("permissions", String.valueOf(PERMS)).put("managed", false).put("hoist", false).put("color", 0)
                .put("mentionable", false).put("flags", 0));
        g.putArray("channels").add(channel());
        for (String k : new String[]{"threads", "guild_scheduled_events", "emojis", "stickers", "voice_states", "presences", "features"}) {
            g.putArray(k);
        }
        ObjectNode self = JSON.createObjectNode();
        self.set("user", botUser());
        self.putArray("roles");
        self.put("joined_at", "2026-01-01T00:00:00.000000+00:00").put("deaf", false).put("mute", false).put("flags", 0);
        g.putArray("members").add(self);
        return g;
    }
}
