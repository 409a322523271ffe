package dev.pgchatops.adapters.slack;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.pgchatops.adapters.FuzzInputs;
import dev.pgchatops.config.SlackConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Socket Mode envelope fuzz (issue 19): 10 000 generated frames through the real Bolt Socket Mode client (Java-
 * WebSocket backend) from {@link FakeSocketMode} — valid and forged slash commands and clicks, events, truncated and
 * byte-flipped JSON, wrong types, missing envelope_id, huge payloads, unknown types. No exception escapes our code,
 * every well-formed envelope with an id is acked, nothing destructive runs, the client stays on its one connection
 * and the bot keeps answering.
 */
class SlackSocketModeFuzzTest {
    private static final Gson GSON = new Gson();
    static final int FRAMES = 10_000;
    private static final String[] TYPES = {"slash_commands", "interactive", "events_api"};

    /** A frame and, when it must be acked, its envelope_id. */
    private record Frame(String json, String mustAck, String kind) {
    }

    private static Frame generate(Random r, SlackHarness h) {
        String id = UUID.randomUUID().toString();
        String type = TYPES[r.nextInt(TYPES.length)];
        String[] cmds = {"/ping", "/secret", "/danger", "/pg", "/nope", FuzzInputs.text(r)};
        String cmd = cmds[r.nextInt(cmds.length)];
        // Bolt answers a command or event the app has no handler for with 404 and sends no ack; Slack sends only
        // the manifest's commands and the app subscribes to no events, so those are counted, not required acked
        boolean handled = type.equals("interactive") || type.equals("slash_commands")
                && List.of("/ping", "/secret", "/danger", "/pg").contains(cmd);
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("envelope_id", id);
        env.put("type", type);
        env.put("accepts_response_payload", type.equals("slash_commands"));
        env.put("retry_attempt", 0);
        env.put("retry_reason", "");
        JsonObject payload;
        if (type.equals("slash_commands")) {
            payload = h.slashCommand(cmd, FuzzInputs.text(r),
                    r.nextInt(10) == 0 ? FuzzInputs.text(r) : "UALICE", FuzzInputs.text(r), "f" + r.nextInt(50));
        } else if (type.equals("interactive")) {
            String[] actions = {"confirm:" + UUID.randomUUID(), "cancel:forged", "run:" + FuzzInputs.text(r), FuzzInputs.text(r)};
            payload = h.click(actions[r.nextInt(actions.length)], "1700000000.000001", r.nextInt(10) == 0 ? "" : "UALICE",
                    FuzzInputs.text(r), "f" + r.nextInt(50));
        } else {
            payload = new JsonObject();
            payload.addProperty("type", "event_callback");
            payload.addProperty("event_id", "Ev" + r.nextInt(1000));
            JsonObject ev = new JsonObject();
            ev.addProperty("type", r.nextBoolean() ? "app_mention" : FuzzInputs.text(r));
            ev.addProperty("text", FuzzInputs.text(r));
            payload.add("event", ev);
        }
        int kind = r.nextInt(10);
        switch (kind) {
            case 0 -> { // huge payload
                payload.addProperty("text", "z".repeat(200_000 + r.nextInt(300_000)));
                env.put("payload", payload);
                return new Frame(GSON.toJson(env), handled ? id : null, "huge");
            }
            case 1 -> { // a field of the wrong type
                String[] keys = {"envelope_id", "type", "payload", "accepts_response_payload", "retry_attempt"};
                String k = keys[r.nextInt(keys.length)];
                env.put("payload", payload);
                env.put(k, FuzzInputs.wrongValue(r));
                return new Frame(GSON.toJson(env), null, "wrong-type:" + k);
            }
            case 2 -> { // no envelope_id
                env.remove("envelope_id");
                env.put("payload", payload);
                return new Frame(GSON.toJson(env), null, "no-id");
            }
            case 3 -> { // damaged JSON
                env.put("payload", payload);
                String s = GSON.toJson(env);
                String d = FuzzInputs.damage(r, s);
                return new Frame(d, d.equals(s) && handled ? id : null, "damaged");
            }
            case 4 -> { // random bytes or text
                return new Frame(r.nextBoolean() ? FuzzInputs.bytes(r, 400) : FuzzInputs.text(r), null, "garbage");
            }
            case 5 -> { // payload fields of wrong types
                for (String k : List.of("user_id", "text", "command", "channel_id", "user", "actions", "container")) {
                    if (r.nextInt(3) == 0) payload.add(k, GSON.toJsonTree(FuzzInputs.wrongValue(r)));
                }
                env.put("payload", payload);
                return new Frame(GSON.toJson(env), null, "payload-types");
            }
            case 6 -> { // unknown type with an id
                env.put("type", FuzzInputs.text(r));
                env.put("payload", payload);
                return new Frame(GSON.toJson(env), null, "unknown-type");
            }
            default -> {
                env.put("payload", payload);
                return new Frame(GSON.toJson(env), handled ? id : null, handled ? "valid" : "unhandled");
            }
        }
    }

    private static void awaitAck(SlackHarness h, String id, Frame f) throws InterruptedException {
        try {
            h.socket.awaitAck(id, Duration.ofSeconds(20));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + f.kind() + " " + SlackPayloadFuzzTest.shown(f.json()), e);
        }
    }

    @Test
    void tenThousandEnvelopesThroughTheRealSocketModeClient() throws Exception {
        try (FuzzInputs.EscapedExceptions log = new FuzzInputs.EscapedExceptions("dev.pgchatops.adapters.slack",
                "com.slack.api", "dev.pgchatops.core", "org.java_websocket");
             Silenced bolt = new Silenced("com.slack.api.socket_mode.SocketModeClient", "com.slack.api.methods.impl.TeamIdCache");
             SlackHarness h = new SlackHarness(SlackConfig.Mode.SOCKET, Duration.ofSeconds(30))) {
            h.releaseSlow.countDown();
            h.progressGo.countDown();
            h.progressEnd.countDown();
            Random r = new Random(19);
            List<String> mustAck = new ArrayList<>();
            Map<String, Frame> byId = new java.util.HashMap<>();
            Map<String, Integer> kinds = new TreeMap<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < FRAMES; i++) {
                Frame f = generate(r, h);
                kinds.merge(f.kind().replaceAll(":.*", ""), 1, Integer::sum);
                h.socket.sendRaw(f.json(), f.mustAck());
                if (f.mustAck() != null) {
                    mustAck.add(f.mustAck());
                    byId.put(f.mustAck(), f);
                }
                if (i % 200 == 199) {
                    // keep the bot's bounded queues from overflowing: wait for the acks of this batch
                    for (String id : mustAck.subList(Math.max(0, mustAck.size() - 50), mustAck.size())) {
                        awaitAck(h, id, byId.get(id));
                    }
                    SlackPayloadFuzzTest.awaitInFlight(h, 100);
                }
            }
            for (String id : mustAck) awaitAck(h, id, byId.get(id));
            SlackPayloadFuzzTest.awaitInFlight(h, 0);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("[fuzz] Slack Socket Mode: %d frames (%s) in %d ms; %d well-formed acked of %d acks in all; "
                    + "%d Web API calls%n", FRAMES, kinds, ms, mustAck.size(), h.socket.ackCount(), h.slack.calls().size());
            assertThat(mustAck.stream().filter(id -> !h.socket.acked(id))).as("well-formed envelopes not acked").isEmpty();
            assertThat(log.escaped()).as("exceptions that escaped our code").isEmpty();
            assertThat(h.dangerRuns).as("nothing destructive ran without a confirmation").hasValue(0);
            assertThat(h.socket.badFrames()).as("frames from the client that are not JSON").isZero();
            assertThat(h.socket.opens()).as("the client stayed on its connection").isEqualTo(1);
            for (FakeSlack.Call c : h.slack.calls()) {
                assertThat(String.valueOf(c.param("text")) + c.blockText()).doesNotContain("Internal error");
            }
            String env = h.socket.send("slash_commands", h.slashCommand("/ping", "", "UALICE", "alice", "after"));
            h.socket.awaitAck(env, Duration.ofSeconds(5));
            h.slack.await("chat.postMessage", c -> c.nanos() - t0 > 0 && String.valueOf(c.param("text")).contains("pong")
                    && c.params().isEmpty() == false, Duration.ofSeconds(20));
        }
    }

    /**
     * Bolt logs every frame it cannot parse at ERROR with a stack trace (thousands here): its Socket Mode client's
     * logger is turned off while the fuzz runs. None of those traces pass through our code — they fail in Bolt's
     * own Gson parsing before any handler of ours is called; an exception from our handlers would be logged by
     * {@code com.slack.api.bolt} loggers, which {@link FuzzInputs.EscapedExceptions} still sees.
     */
    private static final class Silenced implements AutoCloseable {
        private final List<ch.qos.logback.classic.Logger> loggers = new ArrayList<>();
        private final List<ch.qos.logback.classic.Level> levels = new ArrayList<>();

        Silenced(String... names) {
            for (String n : names) {
                ch.qos.logback.classic.Logger l = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(n);
                loggers.add(l);
                levels.add(l.getLevel());
                l.setLevel(ch.qos.logback.classic.Level.OFF);
            }
        }

        @Override
        public void close() {
            for (int i = 0; i < loggers.size(); i++) loggers.get(i).setLevel(levels.get(i));
        }
    }
}
