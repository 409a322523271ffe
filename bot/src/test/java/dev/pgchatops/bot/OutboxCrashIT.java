package dev.pgchatops.bot;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox across a real {@code kill -9}: the bot process (the shaded jar, `serve` with the Slack adapter in HTTP
 * mode and the watch) fires an alert while Slack answers 500, is killed hard with the alert still undelivered, and
 * delivers it exactly once after it is started again — no second fire, nothing lost. Needs no cluster: the alert is
 * "no Patroni endpoint reachable" for a cluster whose only URL refuses connections.
 */
class OutboxCrashIT {
    private HttpServer slack;
    private final List<Process> processes = new ArrayList<>();
    /** The text of every chat.postMessage Slack accepted. */
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failing = new AtomicBoolean(true);

    @TempDir
    Path tmp;

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        if (slack != null) slack.stop(0);
    }

    private void startFakeSlack() throws IOException {
        slack = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        slack.createContext("/api/", ex -> {
            String method = ex.getRequestURI().getPath().substring("/api/".length());
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String answer;
            int code = 200;
            if (method.equals("auth.test")) {
                answer = "{\"ok\":true,\"url\":\"https://fake.slack.com/\",\"team\":\"t\",\"user\":\"pgchatops\",\"team_id\":\"T1\",\"user_id\":\"UBOT\",\"bot_id\":\"B1\"}";
            } else if (method.equals("chat.postMessage")) {
                String text = URLDecoder.decode(body, StandardCharsets.UTF_8);
                if (failing.get()) {
                    refused.add(text);
                    code = 500;
                    answer = "{\"ok\":false,\"error\":\"internal_error\"}";
                } else {
                    accepted.add(text);
                    answer = "{\"ok\":true,\"channel\":\"C0ALERTS\",\"ts\":\"1700000000." + String.format("%06d", accepted.size()) + "\"}";
                }
            } else {
                answer = "{\"ok\":true}";
            }
            byte[] b = answer.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(code, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        slack.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process serve(Path config) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JarRunner.jar().toString(), "serve", "--config", config.toString());
        pb.environment().putAll(Map.of("SLACK_BOT_TOKEN", "xoxb-test", "SLACK_SIGNING_SECRET", "secret"));
        pb.redirectErrorStream(true).redirectOutput(tmp.resolve("serve-" + processes.size() + ".log").toFile());
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private static void await(Duration limit, String what, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(50); // polling interval of a bounded wait, not a wait in itself
        }
    }

    private long accepted(String kind) {
        return accepted.stream().filter(t -> t.contains(kind)).count();
    }

    @Test
    void anAlertPendingAtAKill9IsDeliveredOnceAfterTheRestart() throws Exception {
        startFakeSlack();
        Path state = tmp.resolve("state");
        Path config = JarRunner.write("""
                clusters:
                  - name: lost
                    patroni:
                      urls: [http://127.0.0.1:%d]
                      connect-timeout: 200ms
                      request-timeout: 500ms
                audit:
                  path: %s
                slack:
                  mode: http
                  bot-token-env: SLACK_BOT_TOKEN
                  signing-secret-env: SLACK_SIGNING_SECRET
                  http: {port: %d}
                  api-url: http://127.0.0.1:%d/api/
                alerts:
                  poll-interval: 200ms
                  state-dir: %s
                  damping-polls: 1
                  channels: {slack: [C0ALERTS]}
                """.formatted(freePort(), tmp.resolve("audit.jsonl"), freePort(), slack.getAddress().getPort(), state));

        Process first = serve(config);
        await(Duration.ofSeconds(60), "the no-endpoint alert to be tried (and refused with 500)",
                () -> refused.stream().anyMatch(t -> t.contains("no-endpoint")));
        assertThat(accepted).isEmpty();
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String saved = Files.readString(state.resolve("watch-state.json"));
        assertThat(saved).as("the undelivered alert is in the persisted outbox").contains("no-endpoint");

        failing.set(false);
        Process second = serve(config);
        await(Duration.ofSeconds(60), "the alert to be delivered after the restart", () -> accepted("no-endpoint") > 0);
        await(Duration.ofSeconds(30), "the outbox to be empty", () -> {
            try {
                return !Files.readString(state.resolve("watch-state.json")).replaceAll("\\s", "").contains("\"outbox\":[{");
            } catch (IOException e) {
                return false;
            }
        });
        assertThat(accepted("no-endpoint")).as("delivered exactly once, not fired again").isEqualTo(1);
        assertThat(second.isAlive()).isTrue();
    }
}
