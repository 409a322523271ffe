package dev.pgchatops.adapters.slack;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.slack.api.app_backend.SlackSignature;
import dev.pgchatops.adapters.FuzzInputs;
import dev.pgchatops.config.SlackConfig;
import dev.pgchatops.core.audit.AuditEvent;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 100 000 generated Slack requests through the real HTTP mode entry point ({@link SlackHttpTransport#handle}, then
 * Bolt's parser and App, then the adapter's handlers and the bot): slash commands with hostile text and damaged
 * fields, block_actions payloads with truncated or retyped JSON, Events API bodies, random bytes, huge bodies;
 * most signed with the right secret (so they get past the signature and reach the parsers), some not. No exception
 * escapes, every request gets exactly one status (never 500), a bad signature is always 401, and every answer the bot
 * posts afterwards is a clear message or a command's result. A sample also goes over the real socket.
 */
class SlackPayloadFuzzTest {
    private static final int INPUTS = 100_000;
    private static final Set<Integer> CLEAR = Set.of(200, 400, 401, 404, 405, 413);
    private static final Gson GSON = new Gson();

    private record Input(String body, String contentType, String ts, String sig, boolean badSignature) {
    }

    @Test
    void noGeneratedRequestBreaksTheHttpEntryPoint() throws Exception {
        try (FuzzInputs.EscapedExceptions log = new FuzzInputs.EscapedExceptions("dev.pgchatops.adapters.slack",
                "com.slack.api", "dev.pgchatops.core");
             SlackHarness h = new SlackHarness(SlackConfig.Mode.HTTP, Duration.ofSeconds(30))) {
            h.releaseSlow.countDown();
            h.progressGo.countDown();
            h.progressEnd.countDown();
            SlackHttpTransport transport = h.adapter.httpTransport();
            Random r = new Random(20261219);
            Map<Integer, AtomicInteger> statuses = new TreeMap<>();
            int refusedExpected = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < INPUTS; i++) {
                Input in = generate(r, h);
                FakeExchange ex = new FakeExchange(r.nextInt(200) == 0 ? "PUT" : "POST", "/slack/events",
                        in.body.getBytes(StandardCharsets.UTF_8))
                        .header("Content-Type", in.contentType).header("X-Slack-Request-Timestamp", in.ts)
                        .header("X-Slack-Signature", in.sig);
                try {
                    transport.handle(ex);
                } catch (Throwable e) {
                    throw new AssertionError("an exception escaped the HTTP entry point for " + shown(in.body), e);
                }
                assertThat(ex.statusSent()).as("exactly one status for %s", shown(in.body)).isEqualTo(1);
                assertThat(ex.closed()).isTrue();
                int status = ex.status();
                statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
                assertThat(CLEAR).as("status %d (%s) for %s", status, ex.responseBody(), shown(in.body)).contains(status);
                boolean tooBig = in.body.getBytes(StandardCharsets.UTF_8).length > SlackHttpTransport.MAX_BODY;
                if (ex.getRequestMethod().equals("POST") && !tooBig) {
                    assertThat(status == 401).as("401 exactly when the signature is bad: %s", shown(in.body)).isEqualTo(in.badSignature);
                    if (in.badSignature) refusedExpected++;
                }
                assertThat(ex.responseBody()).as(shown(in.body)).doesNotContain("Exception").doesNotContain("Internal error")
                        .doesNotContain("\tat ");
                // keep the work the bot has in hand bounded (as Slack's own pacing would)
                if (h.adapter.inFlight() > 200) awaitInFlight(h, 50);
            }
            long loopMs = (System.nanoTime() - t0) / 1_000_000;
            awaitInFlight(h, 0);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("[fuzz] Slack HTTP: %d inputs in %d ms (%d ms until the last was acked); statuses %s; %d answers posted%n", INPUTS, ms, loopMs, statuses,
                    h.slack.calls().size());

            assertThat(log.escaped()).as("exceptions that escaped our handlers").isEmpty();
            assertThat(h.dangerRuns.get()).as("nothing destructive ran without a real confirmation").isZero();
            long refusedAudited = h.audit.stream().filter(e -> e.user().equals("slack:unverified")).count();
            assertThat(refusedAudited).as("every refused signature is audited").isEqualTo(refusedExpected);
            for (AuditEvent e : h.audit) {
                assertThat(e.detail() == null ? "" : e.detail()).doesNotContain("Internal error").doesNotContain("Exception");
            }
            List<FakeSlack.Call> posted = h.slack.calls();
            assertThat(posted.size()).as("the generator makes valid commands too").isGreaterThan(INPUTS / 100);
            for (FakeSlack.Call c : posted) {
                String text = String.valueOf(c.param("text")) + " " + c.blockText();
                assertThat(text).as("%s", c).doesNotContain("Internal error").doesNotContain("Exception");
            }
            assertStillServes(h);
        }
    }

    /** A sample of the same generator over the real HTTP listener (the JDK server in front of the same handler). */
    @Test
    void aSampleOverTheRealSocketGetsTheSameClearAnswers() throws Exception {
        try (FuzzInputs.EscapedExceptions log = new FuzzInputs.EscapedExceptions("dev.pgchatops.adapters.slack",
                "com.slack.api", "dev.pgchatops.core");
             SlackHarness h = new SlackHarness(SlackConfig.Mode.HTTP, Duration.ofSeconds(30))) {
            h.releaseSlow.countDown();
            h.progressGo.countDown();
            h.progressEnd.countDown();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Random r = new Random(7);
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            for (int i = 0; i < 1_000; i++) {
                Input in = generate(r, h);
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.adapter.httpPort() + "/slack/events"))
                        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(in.body));
                if (in.contentType != null) b.header("Content-Type", in.contentType);
                if (in.ts != null) b.header("X-Slack-Request-Timestamp", in.ts);
                if (in.sig != null) b.header("X-Slack-Signature", in.sig);
                HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                statuses.computeIfAbsent(resp.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                assertThat(CLEAR).as("status %d for %s", resp.statusCode(), shown(in.body)).contains(resp.statusCode());
                if (h.adapter.inFlight() > 200) awaitInFlight(h, 50);
            }
            awaitInFlight(h, 0);
            System.out.printf("[fuzz] Slack HTTP over the socket: 1000 inputs; statuses %s%n", new TreeMap<>(statuses));
            assertThat(log.escaped()).isEmpty();
            assertStillServes(h);
        }
    }

    static void assertStillServes(SlackHarness h) throws Exception {
        String body = SlackHttpModeTest.form(h.slashCommand("/ping", "", "UALICE", "alice", "after-fuzz"));
        String ts = String.valueOf(System.currentTimeMillis() / 1000);
        FakeExchange ex = new FakeExchange("POST", "/slack/events", body.getBytes(StandardCharsets.UTF_8))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Slack-Request-Timestamp", ts)
                .header("X-Slack-Signature", new SlackSignature.Generator(SlackHarness.SIGNING_SECRET).generate(ts, body));
        h.adapter.httpTransport().handle(ex);
        assertThat(ex.status()).isEqualTo(200);
        h.slack.await("chat.postMessage", c -> String.valueOf(c.param("text")).contains("pong"), Duration.ofSeconds(20));
    }

    static void awaitInFlight(SlackHarness h, int atMost) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (h.adapter.inFlight() > atMost) {
            if (System.nanoTime() > deadline) throw new AssertionError("the bot is stuck with " + h.adapter.inFlight() + " in hand");
            Thread.onSpinWait();
        }
    }

    static String shown(String body) {
        String s = body.length() > 160 ? body.substring(0, 160) + "…(" + body.length() + " chars)" : body;
        return '"' + s.replaceAll("\\p{Cntrl}", "?") + '"';
    }

    private static final String[] COMMANDS = {"/pg", "/ping", "/secret", "/danger", "/slow", "/progress", "/help", "/whoami",
            "/pg"};
    private static final String[] UNKNOWN = {"/nope", "/PING", "pg", "", "/ping-", "/pg pg"};

    private Input generate(Random r, SlackHarness h) {
        String body;
        String type = "application/x-www-form-urlencoded";
        // about 3 % of the inputs reach the bot as a command or click (each answer is a Web API call to the fake);
        // the rest stop at the signature check, Bolt's parser or its routing, which is what is fuzzed here
        int kind = r.nextInt(40);
        if (kind < 8) {
            boolean known = kind == 0;
            String command = known ? COMMANDS[r.nextInt(COMMANDS.length)]
                    : r.nextBoolean() ? UNKNOWN[r.nextInt(UNKNOWN.length)] : "/" + FuzzInputs.text(r);
            JsonObject p = h.slashCommand(command, FuzzInputs.text(r), r.nextInt(4) == 0 ? FuzzInputs.text(r) : "UALICE", "alice", "fz");
            mutate(r, p, known && r.nextBoolean() ? 0 : 1 + r.nextInt(3));
            body = form(r, p);
        } else if (kind < 18) {
            String action = switch (r.nextInt(kind == 8 ? 1 : 4)) {
                case 0 -> "confirm:" + Long.toHexString(r.nextLong());
                case 1 -> "cancel:" + FuzzInputs.text(r).replaceAll("[A-Za-z0-9_-]", "");
                case 2 -> FuzzInputs.text(r);
                default -> "run:" + FuzzInputs.text(r);
            };
            JsonObject p = h.click(action, r.nextBoolean() ? "1700000000.000100" : FuzzInputs.text(r), "UALICE", "alice", "fz");
            mutate(r, p, r.nextInt(4));
            String json = FuzzInputs.damage(r, p.toString());
            body = "payload=" + (r.nextInt(10) == 0 ? json : URLEncoder.encode(json, StandardCharsets.UTF_8));
        } else if (kind < 24) {
            type = "application/json";
            JsonObject e = new JsonObject();
            e.addProperty("type", r.nextBoolean() ? "url_verification" : r.nextBoolean() ? "event_callback" : FuzzInputs.text(r));
            e.addProperty("challenge", FuzzInputs.text(r));
            e.addProperty("token", "legacy-verification-token");
            JsonObject ev = new JsonObject();
            ev.addProperty("type", r.nextBoolean() ? "app_mention" : FuzzInputs.text(r));
            ev.addProperty("text", FuzzInputs.text(r));
            e.add("event", ev);
            body = FuzzInputs.damage(r, e.toString());
        } else if (kind < 28) {
            body = FuzzInputs.bytes(r, 512);
            type = r.nextBoolean() ? null : FuzzInputs.text(r).replaceAll("[^ -~]", "").strip();
        } else if (kind < 36) {
            StringJoiner j = new StringJoiner("&");
            int n = r.nextInt(8);
            for (int i = 0; i < n; i++) j.add(FuzzInputs.text(r).replace("&", "") + "=" + FuzzInputs.text(r));
            body = j.toString();
        } else {
            body = r.nextInt(100) == 0 ? "text=" + "z".repeat(SlackHttpTransport.MAX_BODY + r.nextInt(1000))
                    : "command=%2Fpg&text=" + URLEncoder.encode(FuzzInputs.text(r), StandardCharsets.UTF_8) + "%";
        }
        String ts = String.valueOf(System.currentTimeMillis() / 1000);
        int sigKind = r.nextInt(10);
        return switch (sigKind) {
            case 0 -> switch (r.nextInt(5)) {
                case 0 -> new Input(body, type, null, null, true);
                case 1 -> new Input(body, type, ts, "v0=" + Long.toHexString(r.nextLong()), true);
                case 2 -> {
                    String stale = String.valueOf(System.currentTimeMillis() / 1000 - 301 - r.nextInt(100_000));
                    yield new Input(body, type, stale, sign(stale, body), true);
                }
                case 3 -> new Input(body, type, FuzzInputs.text(r).replaceAll("[^ -~]", ""), sign(ts, body), true);
                default -> new Input(body, type, ts, new SlackSignature.Generator("another").generate(ts, body), true);
            };
            default -> new Input(body, type, ts, sign(ts, body), false);
        };
    }

    private static String sign(String ts, String body) {
        return new SlackSignature.Generator(SlackHarness.SIGNING_SECRET).generate(ts, body);
    }

    /** Damages {@code n} fields: removed, emptied, hostile text, or a value of another type. */
    private static void mutate(Random r, JsonObject p, int n) {
        List<String> keys = new ArrayList<>(p.keySet());
        for (int i = 0; i < n && !keys.isEmpty(); i++) {
            String k = keys.get(r.nextInt(keys.size()));
            switch (r.nextInt(4)) {
                case 0 -> p.remove(k);
                case 1 -> p.addProperty(k, "");
                case 2 -> p.addProperty(k, FuzzInputs.text(r));
                default -> p.add(k, GSON.toJsonTree(FuzzInputs.wrongValue(r)));
            }
        }
    }

    private static String form(Random r, JsonObject p) {
        StringJoiner j = new StringJoiner("&");
        for (var e : p.entrySet()) {
            String v = e.getValue().isJsonPrimitive() ? e.getValue().getAsString() : e.getValue().toString();
            j.add(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
            if (r.nextInt(50) == 0) j.add(e.getKey() + "=" + FuzzInputs.text(r)); // duplicated, not encoded
        }
        return j.toString();
    }
}
