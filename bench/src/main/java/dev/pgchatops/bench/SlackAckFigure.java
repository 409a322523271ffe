package dev.pgchatops.bench;

import com.sun.net.httpserver.HttpServer;
import dev.pgchatops.adapters.slack.SlackAdapter;
import dev.pgchatops.config.BotConfig;
import dev.pgchatops.config.Secret;
import dev.pgchatops.config.SlackConfig;
import dev.pgchatops.core.Bot;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ack latency of the real Slack adapter in HTTP mode (real Bolt, signature checks, its Web API on {@link FakeSlackApi}):
 * 100 concurrent signed {@code /cluster-list} requests, repeated; beside the same requests against a bare JDK
 * HttpServer (same pool size and backlog as the adapter's) that answers 200 at once. The clock runs from writing a
 * request on an already open connection to the first byte of its answer ({@link AckClient}). Alternating adapter, bare, adapter, bare …; after each adapter batch the bot's
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
            // the baseline goes through the same JDK HttpServer with the same pool and backlog as the adapter's transport
            HttpServer bare = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), SlackAdapter.HTTP_BACKLOG);
            ExecutorService barePool = Executors.newFixedThreadPool(SlackAdapter.HTTP_THREADS);
            bare.createContext("/", ex -> {
                try (ex) {
                    ex.getRequestBody().readAllBytes();
                    ex.sendResponseHeaders(200, -1);
                }
            });
            bare.setExecutor(barePool);
            bare.start();
            try {
                adapter.start();
                URI slack = URI.create("http://127.0.0.1:" + port + "/slack/events");
                URI plain = URI.create("http://127.0.0.1:" + bare.getAddress().getPort() + "/slack/events");
                batch(slack, api, concurrent); // warm-up of both, not counted
                api.awaitQuiet(300, 60_000);
                batch(plain, api, concurrent);
                Stats a = new Stats();
                Stats b = new Stats();
                int undrained = 0;
                for (int r = 0; r < reps; r++) {
                    batch(slack, api, concurrent).forEach(a::add);
                    if (!api.awaitQuiet(300, 60_000)) undrained++;
                    batch(plain, api, concurrent).forEach(b::add);
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
            }
        }
    }

    /**
     * {@code n} signed slash commands at once, each on its own connection opened beforehand; each one's time from
     * writing the request to the first byte of the answer (see {@link AckClient}).
     */
    private static List<Long> batch(URI target, FakeSlackApi api, int n) throws Exception {
        List<AckClient.Req> reqs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = TRIGGERS.incrementAndGet();
            Signed s = Signed.slash(SECRET, "/cluster-list", "", "C" + (1000 + i), "UBENCH" + i, api.responseUrl("r" + k), "bench-" + k);
            reqs.add(AckClient.Req.post(target, List.of(new String[]{"Content-Type", "application/x-www-form-urlencoded"},
                    new String[]{"X-Slack-Request-Timestamp", s.timestamp()}, new String[]{"X-Slack-Signature", s.signature()}), s.body()));
        }
        return AckClient.batch(target, reqs, 30_000);
    }
}
