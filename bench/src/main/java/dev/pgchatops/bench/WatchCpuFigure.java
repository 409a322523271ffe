package dev.pgchatops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
import java.util.concurrent.TimeUnit;

/**
 * The watcher polling about 1000 members every second: {@link PatroniFleet} (in this process) replays the bench
 * cluster's real GET /cluster and GET /patroni JSON for {@code clusters} fake 3-member clusters; a child JVM
 * ({@link WatchLoad}) runs the real watcher on them and measures its own CPU over a window and its heap after a GC;
 * beside an idle child JVM and beside a child that only makes the same number of bare {@code java.net.http} GET /cluster
 * requests (the transport's own cost, per request). Alternating watch, bare, idle, watch, bare, idle …
 */
final class WatchCpuFigure {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int WARMUP_S = 10;
    static final int WINDOW_S = 20;

    private WatchCpuFigure() {
    }

    static void run(Path benchJar, URI realMember, int clusters, int rounds, Results out) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        JsonNode cluster = JSON.readTree(get(http, realMember.resolve("/cluster")));
        String leaderApi = null;
        for (JsonNode m : cluster.path("members")) if (m.path("role").asText().equals("leader")) leaderApi = m.path("api_url").asText();
        if (leaderApi == null) throw new IllegalStateException("the bench cluster has no leader to copy GET /patroni from");
        JsonNode patroni = JSON.readTree(get(http, URI.create(leaderApi)));
        Path tmp = Files.createTempDirectory("pgchatops-bench-watch");
        try (PatroniFleet fleet = new PatroniFleet(cluster, patroni, clusters)) {
            Path pw = Files.writeString(tmp.resolve("patroni-password"), "bench\n");
            Path cfg = Files.writeString(tmp.resolve("watch.yml"), fleet.config(Files.createDirectories(tmp.resolve("state")), pw,
                    tmp.resolve("audit.jsonl")));
            List<double[]> watch = new ArrayList<>();
            List<double[]> idle = new ArrayList<>();
            List<double[]> bare = new ArrayList<>();
            List<Double> bareRates = new ArrayList<>();
            List<Double> rates = new ArrayList<>();
            List<Double> pollRates = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                long req0 = fleet.requests();
                long polls0 = fleet.clusterReads();
                long t0 = System.nanoTime();
                watch.add(child(benchJar, List.of("--config", cfg.toString())));
                double s = (System.nanoTime() - t0) / 1e9;
                rates.add((fleet.requests() - req0) / s);
                pollRates.add((fleet.clusterReads() - polls0) / s);
                long bare0 = fleet.clusterReads();
                long tb = System.nanoTime();
                bare.add(child(benchJar, List.of("--bare-http", "true", "--config", cfg.toString())));
                bareRates.add((fleet.clusterReads() - bare0) / ((System.nanoTime() - tb) / 1e9));
                idle.add(child(benchJar, List.of("--idle")));
            }
            double cpu = median(watch, 0);
            double heap = median(watch, 1);
            double idleCpu = median(idle, 0);
            double idleHeap = median(idle, 1);
            out.put("watch_cpu_pct_1000", cpu);
            out.put("watch_heap_mb_1000", heap);
            out.put("watch_members", fleet.members());
            out.put("idle_jvm_cpu_pct", idleCpu);
            out.put("idle_jvm_heap_mb", idleHeap);
            double bareCpu = median(bare, 0);
            double bareRate = bareRates.stream().mapToDouble(d -> d).average().orElse(0);
            double bareMsPerGet = cpuMsPer(bareCpu, bareRate);
            out.put("watch_bare_http_cpu_pct", bareCpu);
            out.put("watch_bare_http_cpu_ms_per_get", bareMsPerGet);
            double rate = rates.stream().mapToDouble(d -> d).average().orElse(0);
            double pollRate = pollRates.stream().mapToDouble(d -> d).average().orElse(0);
            out.put("watch_fake_requests_per_s", rate);
            out.put("watch_polls_per_cluster_per_s", pollRate / clusters);
            // what one poll costs, whatever rate the machine allowed (a loaded box polls less often, spending less)
            double msPerPoll = cpuMsPer(cpu, pollRate);
            out.put("watch_cpu_ms_per_poll", msPerPoll);
            String what = fleet.members() + " members (" + clusters + " clusters) polled every 1 s, median of " + rounds;
            out.row("watch CPU, " + what, String.format("%.1f %% of one core", cpu), String.format("idle JVM %.2f %%", idleCpu),
                    String.format("+%.1f points", cpu - idleCpu), "< 10 % of one core", cpu < 10);
            out.row("watch CPU per poll, " + what, String.format("%.2f ms", msPerPoll),
                    String.format("bare java.net.http GET %.2f ms", bareMsPerGet), String.format("%.1f×", msPerPoll / bareMsPerGet), "-", true);
            out.row("watch heap after GC, " + what, String.format("%.1f MB", heap), String.format("idle JVM %.1f MB", idleHeap),
                    String.format("%.1f×", heap / idleHeap), "-", true);
            out.note(String.format("watch: the fake members (one connection per request, as Patroni's HTTP/1.0 server) answered %.0f"
                    + " requests/s over the watch child's life (a healthy poll is one GET /cluster to the leader), i.e. %.2f polls per"
                    + " cluster per second where 1 is configured, %.2f ms of CPU per poll; state in alerts.state-dir as in serve;"
                    + " %d s warm-up, %d s window", rate, pollRate / clusters, msPerPoll,
                    WARMUP_S, WINDOW_S));
        } finally {
            try (var s = Files.walk(tmp)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Milliseconds of CPU per operation: {@code cpuPct} % of one core spent on {@code perSecond} operations a second. */
    private static double cpuMsPer(double cpuPct, double perSecond) {
        return cpuPct / 100.0 * 1000.0 / Math.max(1e-9, perSecond);
    }

    private static String get(HttpClient http, URI u) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException("GET " + u + ": HTTP " + r.statusCode());
        return r.body();
    }

    private static double median(List<double[]> xs, int i) {
        List<Double> v = new ArrayList<>();
        for (double[] x : xs) v.add(x[i]);
        java.util.Collections.sort(v);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    /** Runs {@link WatchLoad} in a child JVM; its cpu % and heap MB. */
    private static double[] child(Path benchJar, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java()));
        String extra = System.getProperty("bench.child-jvm-args", "");
        if (!extra.isBlank()) cmd.addAll(List.of(extra.strip().split("\\s+")));
        cmd.addAll(List.of("-cp", benchJar.toString(), WatchLoad.class.getName(),
                "--warmup", String.valueOf(WARMUP_S), "--window", String.valueOf(WINDOW_S)));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(Path.of(System.getProperty("java.io.tmpdir"), "pgchatops-bench-watch-child.log").toFile())).start();
        String result = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) if (line.startsWith("RESULT ")) result = line;
        }
        if (!p.waitFor(WARMUP_S + WINDOW_S + 60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the watch child did not end");
        }
        if (result == null) throw new IllegalStateException("the watch child " + args + " exited " + p.exitValue() + " without a RESULT line");
        double cpu = Double.NaN;
        double heap = Double.NaN;
        for (String kv : result.substring(7).split(" ")) {
            String[] x = kv.split("=");
            if (x[0].equals("cpu_pct")) cpu = Double.parseDouble(x[1]);
            if (x[0].equals("heap_mb")) heap = Double.parseDouble(x[1]);
        }
        return new double[]{cpu, heap};
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
