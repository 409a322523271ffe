package dev.pgchatops.bench;

import dev.pgchatops.core.Bot;
import dev.pgchatops.core.Identity;
import dev.pgchatops.core.Request;
import dev.pgchatops.core.chat.Conversation;
import dev.pgchatops.core.chat.MessageRef;
import dev.pgchatops.core.reply.Reply;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * /cluster-list through the warm core, beside a raw keep-alive GET /cluster to the same member and {@code patronictl
 * list} as a process, alternating A B C A B C … so load and caches affect all alike.
 */
final class ClusterListFigure {
    private static final Conversation SINK = new Conversation() {
        @Override
        public MessageRef post(Reply reply) {
            if (!reply.plainText().contains("Cluster:")) throw new IllegalStateException("unexpected reply: " + reply.plainText());
            return new MessageRef("bench", "1");
        }

        @Override
        public void update(MessageRef message, Reply reply) {
        }
    };

    static void run(Bot bot, URI patroni, Path patroniYml, int rounds, Results out) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest get = HttpRequest.newBuilder(patroni.resolve("/cluster")).timeout(Duration.ofSeconds(5)).GET().build();
        Identity who = Identity.of("console", "bench");
        for (int i = 0; i < 30; i++) { // warm both paths
            bot.handle(new Request(who, "bench", "/cluster-list"), SINK);
            http.send(get, HttpResponse.BodyHandlers.ofString());
        }
        Stats core = new Stats();
        Stats raw = new Stats();
        Stats ctl = new Stats();
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            bot.handle(new Request(who, "bench", "/cluster-list"), SINK);
            core.add(System.nanoTime() - t0);
            t0 = System.nanoTime();
            HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("GET /cluster: HTTP " + r.statusCode());
            raw.add(System.nanoTime() - t0);
            if (i % 10 == 0) ctl.add(patronictl(patroniYml));
        }
        out.put("cluster_list_core_ms", core.median());
        out.put("cluster_list_core_p99_ms", core.p99());
        out.put("raw_get_cluster_ms", raw.median());
        out.put("patronictl_list_ms", ctl.median());
        double overRaw = core.median() - raw.median();
        out.row("/cluster-list through the core (median of " + core.count() + ")", Results.ms(core.median()),
                "raw GET /cluster " + Results.ms(raw.median()), String.format("+%.2f ms", overRaw), "≤ raw + 2 ms",
                overRaw <= 2.0);
        double speedup = ctl.median() / core.median();
        out.row("/cluster-list vs patronictl list (median of " + ctl.count() + ")", Results.ms(core.median()),
                "patronictl " + Results.ms(ctl.median()), String.format("%.0f× faster", speedup), "≥ 100× faster",
                speedup >= 100);
    }

    private static long patronictl(Path yml) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("/usr/bin/patronictl", "-c", yml.toString(), "list").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("patronictl list did not finish within 30 s");
        }
        if (p.exitValue() != 0) throw new IllegalStateException("patronictl list exited " + p.exitValue());
        return System.nanoTime() - t0;
    }
}
