package dev.pgchatops.bench;

import com.sun.net.httpserver.HttpServer;
import dev.pgchatops.adapters.slack.SlackAdapter;
import dev.pgchatops.config.BotConfig;
import dev.pgchatops.config.Secret;
import dev.pgchatops.config.SlackConfig;
import dev.pgchatops.core.Bot;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ack latency of the real Slack adapter in HTTP mode (real Bolt, signature checks, its Web API on {@link FakeSlackApi}):
 * 100 concurrent signed {@code /cluster-list} requests, repeated; beside the same requests against a bare JDK
 * HttpServer that answers 200 at once. Alternating adapter, bare, adapter, bare …; after each adapter batch the bot's
 * work (Patroni calls, posts) drains before the next batch.
 */
final class SlackAckFigure {
    static final String SECRET = "bench-signing-secret";
    private static final AtomicInteger TRIGGERS = new AtomicInteger();

    private SlackAckFigure() {
    }

    static void run(Bot bot, BotConfig config, int concurrent, int reps, Results out) throws Exception {
        try (FakeSlackApi api = new FakeSlackApi()) {
            int port = Ports.free();
            SlackConfig sc = new SlackConfig(SlackConfig.Mode.HTTP, new Secret("bench", FakeSlackApi.BOT_TOKEN), Optional.empty(),
                    Optional.of(new Secret("bench", SECRET)), port, URI.create(api.apiUrl()));
            SlackAdapter adapter = new SlackAdapter(sc, config.access(), bot);
            HttpServer bare = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            ExecutorService barePool = Executors.newFixedThreadPool(4);
            bare.createContext("/", ex -> {
                try (ex) {
                    ex.getRequestBody().readAllBytes();
                    ex.sendResponseHeaders(200, -1);
                }
            });
            bare.setExecutor(barePool);
            bare.start();
            ExecutorService clients = Executors.newFixedThreadPool(concurrent);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                    .executor(Executors.newFixedThreadPool(4)).build();
            try {
                adapter.start();
                URI slack = URI.create("http://127.0.0.1:" + port + "/slack/events");
                URI plain = URI.create("http://127.0.0.1:" + bare.getAddress().getPort() + "/slack/events");
                batch(http, clients, slack, api, concurrent); // warm-up of both, not counted
                api.awaitQuiet(300, 60_000);
                batch(http, clients, plain, api, concurrent);
                Stats a = new Stats();
                Stats b = new Stats();
                int undrained = 0;
                for (int r = 0; r < reps; r++) {
                    batch(http, clients, slack, api, concurrent).forEach(a::add);
                    if (!api.awaitQuiet(300, 60_000)) undrained++;
                    batch(http, clients, plain, api, concurrent).forEach(b::add);
                }
                out.put("slack_ack_p50_ms", a.median());
                out.put("slack_ack_p99_ms", a.p99());
                out.put("slack_ack_max_ms", a.percentile(100));
                out.put("slack_bare_http_p50_ms", b.median());
                out.put("slack_bare_http_p99_ms", b.p99());
                String n = concurrent + " concurrent × " + reps;
                out.row("Slack HTTP-mode ack p50 (" + n + ")", Results.ms(a.median()), "bare HttpServer " + Results.ms(b.median()),
                        String.format("%.1f×", a.median() / b.median()), "-", true);
                out.row("Slack HTTP-mode ack p99 (" + n + ")", Results.ms(a.p99()), "bare HttpServer " + Results.ms(b.p99()),
                        String.format("%.1f×", a.p99() / b.p99()), "p99 < 50 ms", a.p99() < 50);
                out.note("slack: calls the bot made to the fake Web API during the figure: " + api.counts());
                if (undrained > 0) out.note("slack: the bot's posts after " + undrained + " batch(es) had not drained within 60 s");
            } finally {
                adapter.close();
                bare.stop(0);
                barePool.shutdownNow();
                clients.shutdownNow();
            }
        }
    }

    /** {@code n} signed slash commands at once (released together); each one's time from send to the HTTP answer. */
    private static List<Long> batch(HttpClient http, ExecutorService clients, URI target, FakeSlackApi api, int n) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Long>> fs = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = TRIGGERS.incrementAndGet();
            Signed s = Signed.slash(SECRET, "/cluster-list", "", "C" + (1000 + i), "UBENCH" + i, api.responseUrl("r" + k), "bench-" + k);
            HttpRequest req = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Slack-Request-Timestamp", s.timestamp()).header("X-Slack-Signature", s.signature())
                    .POST(HttpRequest.BodyPublishers.ofString(s.body())).build();
            fs.add(clients.submit(() -> {
                go.await();
                long t0 = System.nanoTime();
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                long t = System.nanoTime() - t0;
                if (r.statusCode() != 200) throw new IllegalStateException("POST " + target + ": HTTP " + r.statusCode() + " " + r.body());
                return t;
            }));
        }
        go.countDown();
        List<Long> out = new java.util.ArrayList<>();
        for (Future<Long> f : fs) out.add(f.get());
        return out;
    }
}
