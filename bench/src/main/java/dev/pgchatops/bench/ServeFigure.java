package dev.pgchatops.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code java -jar bot/target/pgchatops.jar serve} with Slack (HTTP mode, its Web API on {@link FakeSlackApi}) and
 * Discord (on {@link FakeDiscord}) until it prints "pgchatops: ready"; then a warm-up (signed slash commands and
 * Discord interactions running /cluster-list on the bench cluster) and its RSS from /proc. Beside a hello-world JVM
 * ({@link Hello}) started the same way. Alternating serve, hello, serve, hello …
 */
final class ServeFigure {
    private static final AtomicInteger TRIGGERS = new AtomicInteger();
    static final int WARMUP_REQUESTS = 50;

    private ServeFigure() {
    }

    static void run(Path botJar, Path benchJar, Path clusterConfig, int rounds, Results out) throws Exception {
        if (!Files.isRegularFile(botJar)) throw new IllegalStateException(botJar + " is not built");
        Path tmp = Files.createTempDirectory("pgchatops-bench-serve");
        try (FakeSlackApi slack = new FakeSlackApi(); FakeDiscord discord = new FakeDiscord()) {
            Files.writeString(tmp.resolve("slack-bot-token"), FakeSlackApi.BOT_TOKEN + "\n");
            Files.writeString(tmp.resolve("slack-signing-secret"), SlackAckFigure.SECRET + "\n");
            Files.writeString(tmp.resolve("discord-token"), FakeDiscord.TOKEN + "\n");
            Stats serveMs = new Stats();
            Stats helloMs = new Stats();
            List<Double> serveRss = new ArrayList<>();
            List<Double> helloRss = new ArrayList<>();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            for (int r = 0; r < rounds; r++) {
                int port = Ports.free();
                Path cfg = tmp.resolve("serve.yml");
                Files.writeString(cfg, Files.readString(clusterConfig) + "slack:\n  mode: http\n"
                        + "  bot-token-file: " + tmp.resolve("slack-bot-token") + "\n"
                        + "  signing-secret-file: " + tmp.resolve("slack-signing-secret") + "\n"
                        + "  http: {port: " + port + "}\n  api-url: " + slack.apiUrl() + "\n"
                        + "discord:\n  token-file: " + tmp.resolve("discord-token") + "\n  guild-id: \"" + FakeDiscord.GUILD + "\"\n"
                        + "  api-url: " + discord.apiUrl() + "\n  gateway-url: " + discord.gatewayUrl() + "\n");
                double[] s = start(List.of(WatchCpuFigure.java(), "-jar", botJar.toString(), "serve", "--config", cfg.toString()),
                        "pgchatops: ready", () -> warmUp(http, port, slack, discord));
                serveMs.add((long) (s[0] * 1_000_000));
                serveRss.add(s[1]);
                double[] h = start(List.of(WatchCpuFigure.java(), "-cp", benchJar.toString(), Hello.class.getName()), "hello: ready",
                        () -> { });
                helloMs.add((long) (h[0] * 1_000_000));
                helloRss.add(h[1]);
            }
            double ready = serveMs.median();
            double rss = median(serveRss);
            out.put("start_to_ready_ms", ready);
            out.put("rss_mb", rss);
            out.put("hello_jvm_start_ms", helloMs.median());
            out.put("hello_jvm_rss_mb", median(helloRss));
            String n = "median of " + rounds;
            out.row("serve (Slack + Discord on fakes) start → ready (" + n + ")", Results.ms(ready),
                    "hello JVM " + Results.ms(helloMs.median()), String.format("%.1f×", ready / helloMs.median()), "≤ 3000 ms", ready <= 3000);
            out.row("serve RSS after " + WARMUP_REQUESTS + " Slack + " + WARMUP_REQUESTS + " Discord commands (" + n + ")",
                    String.format("%.0f MB", rss), String.format("hello JVM %.0f MB", median(helloRss)),
                    String.format("%.1f×", rss / median(helloRss)), "≤ 256 MB", rss <= 256);
            out.note("serve: default JVM options (no -Xmx: max heap is a quarter of RAM here); RSS = VmRSS from /proc/PID/status");
        } finally {
            try (var s = Files.walk(tmp)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    interface WarmUp {
        void run() throws Exception;
    }

    /** Starts {@code cmd}, waits for {@code readyLine} on stderr (ms since start), warms up, reads VmRSS (MB), stops it. */
    private static double[] start(List<String> cmd, String readyLine, WarmUp warmUp) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            CompletableFuture<Long> ready = new CompletableFuture<>();
            List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.contains(readyLine)) ready.complete(System.nanoTime());
                        if (seen.size() < 200) seen.add(line);
                    }
                } catch (java.io.IOException e) {
                    // process gone
                }
                ready.completeExceptionally(new IllegalStateException("no '" + readyLine + "' from " + cmd + "; it said: "
                        + String.join(" | ", seen)));
            }, "bench-stderr");
            reader.setDaemon(true);
            reader.start();
            long readyMs = (ready.get(60, TimeUnit.SECONDS) - t0) / 1_000_000;
            warmUp.run();
            Thread.sleep(2000); // settle after warm-up before reading RSS
            double rss = rssMb(p.pid());
            return new double[]{readyMs, rss};
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void warmUp(HttpClient http, int port, FakeSlackApi slack, FakeDiscord discord) throws Exception {
        URI target = URI.create("http://127.0.0.1:" + port + "/slack/events");
        List<CompletableFuture<HttpResponse<String>>> fs = new ArrayList<>();
        for (int i = 0; i < WARMUP_REQUESTS; i++) {
            int k = TRIGGERS.incrementAndGet();
            Signed s = Signed.slash(SlackAckFigure.SECRET, "/cluster-list", "", "C" + (2000 + i), "USERVE" + i,
                    slack.responseUrl("s" + k), "serve-" + k);
            fs.add(http.sendAsync(HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Slack-Request-Timestamp", s.timestamp()).header("X-Slack-Signature", s.signature())
                    .POST(HttpRequest.BodyPublishers.ofString(s.body())).build(), HttpResponse.BodyHandlers.ofString()));
            discord.slash("cluster-list");
        }
        for (var f : fs) {
            HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
            if (r.statusCode() != 200) throw new IllegalStateException("warm-up slash command: HTTP " + r.statusCode() + " " + r.body());
        }
        slack.awaitQuiet(500, 60_000);
        discord.awaitQuiet(500, 60_000);
    }

    static double rssMb(long pid) throws java.io.IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("\\D", "")) / 1024.0;
        }
        throw new IllegalStateException("no VmRSS for pid " + pid);
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        java.util.Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
