package dev.pgchatops.adapters.slack;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A local Socket Mode server: says hello to each connection, sends envelopes (slash_commands, interactive) and
 * records each ack by its envelope_id with the time it took. Java-WebSocket answers the client's pings itself.
 */
final class FakeSocketMode extends WebSocketServer {
    /** An ack: what the client sent back, and how long after the envelope went out. */
    record Ack(JsonObject json, Duration after) {
    }

    private final CountDownLatch connected = new CountDownLatch(1);
    private final CountDownLatch started = new CountDownLatch(1);
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<String, Ack> acks = new ConcurrentHashMap<>();
    private volatile WebSocket client;
    private final java.util.concurrent.atomic.AtomicInteger badFrames = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger opens = new java.util.concurrent.atomic.AtomicInteger();

    FakeSocketMode() {
        super(new InetSocketAddress("127.0.0.1", 0));
        setReuseAddr(true);
        setDaemon(true);
    }

    String url() {
        return "ws://127.0.0.1:" + getPort() + "/";
    }

    void startAndWait() throws InterruptedException {
        start();
        if (!started.await(10, TimeUnit.SECONDS)) throw new AssertionError("fake Socket Mode server did not start");
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        client = conn;
        opens.incrementAndGet();
        conn.send("{\"type\":\"hello\",\"num_connections\":1,\"debug_info\":{\"host\":\"fake\",\"approximate_connection_time\":3600},"
                + "\"connection_info\":{\"app_id\":\"A0001\"}}");
        connected.countDown();
    }

    void awaitConnected(Duration d) throws InterruptedException {
        if (!connected.await(d.toMillis(), TimeUnit.MILLISECONDS)) throw new AssertionError("Bolt did not connect to the fake Socket Mode server");
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        long now = System.nanoTime();
        JsonObject o;
        try {
            o = JsonParser.parseString(message).getAsJsonObject();
        } catch (RuntimeException e) {
            badFrames.incrementAndGet();   // the client sent something that is not a JSON object
            return;
        }
        if (o.has("envelope_id") && o.get("envelope_id").isJsonPrimitive()) {
            String id = o.get("envelope_id").getAsString();
            Long t = sentAt.get(id);
            acks.put(id, new Ack(o, Duration.ofNanos(t == null ? 0 : now - t)));
            synchronized (acks) {
                acks.notifyAll();
            }
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
    }

    /** Sends an envelope of {@code type} with {@code payload}; returns its envelope_id. */
    String send(String type, JsonObject payload) {
        String id = UUID.randomUUID().toString();
        JsonObject env = new JsonObject();
        env.addProperty("envelope_id", id);
        env.addProperty("type", type);
        env.addProperty("accepts_response_payload", type.equals("slash_commands"));
        env.addProperty("retry_attempt", 0);
        env.addProperty("retry_reason", "");
        env.add("payload", payload);
        sentAt.put(id, System.nanoTime());
        WebSocket c = client;
        if (c == null) throw new AssertionError("no Socket Mode client connected");
        c.send(env.toString());
        return id;
    }

    /** Sends {@code frame} as it is (a damaged or forged envelope); {@code envelopeId} is recorded as sent if given. */
    void sendRaw(String frame, String envelopeId) {
        if (envelopeId != null) sentAt.put(envelopeId, System.nanoTime());
        WebSocket c = client;
        if (c == null) throw new AssertionError("no Socket Mode client connected");
        c.send(frame);
    }

    /** Whether an ack for {@code envelopeId} arrived. */
    boolean acked(String envelopeId) {
        return acks.containsKey(envelopeId);
    }

    /** Acks received in all. */
    int ackCount() {
        return acks.size();
    }

    /** Frames from the client that were not JSON objects. */
    int badFrames() {
        return badFrames.get();
    }

    /** Connections the client opened (1 unless it reconnected). */
    int opens() {
        return opens.get();
    }

    Ack awaitAck(String envelopeId, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        synchronized (acks) {
            while (!acks.containsKey(envelopeId)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("no ack for envelope " + envelopeId + " within " + within);
                acks.wait(Math.max(1, left / 1_000_000));
            }
        }
        return acks.get(envelopeId);
    }
}
