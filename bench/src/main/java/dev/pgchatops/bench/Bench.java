package dev.pgchatops.bench;

import dev.pgchatops.config.BotConfig;
import dev.pgchatops.config.ConfigLoader;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.Bots;
import dev.pgchatops.core.cmd.Follow;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code java -jar pgchatops-bench.jar --config FILE --cluster-dir DIR --script scripts/local-cluster --bot-jar JAR
 * --out bench/results.json [--rounds N] [--only a,b]}: measures each figure beside its baseline in the same run on the
 * same machine and prints a table; see scripts/bench. A figure that fails is printed as "not measured: why".
 * The failover comes last: it crashes the bench cluster's leader.
 */
public final class Bench {
    static {
        dev.pgchatops.core.run.CommonPool.atLeastTwo(); // as Main does: no thread per async task on 2 cores
    }

    private Bench() {
    }

    /** One figure; throws when it cannot be measured (then it is reported as not measured, with the reason). */
    @FunctionalInterface
    interface Figure {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        for (String k : List.of("config", "cluster-dir", "out", "script", "bot-jar")) {
            if (!opts.containsKey(k)) {
                System.err.println("usage: Bench --config FILE --cluster-dir DIR --script LOCAL_CLUSTER --bot-jar JAR --out FILE"
                        + " [--rounds N] [--only cluster-list,slack,discord,watch,serve,failover]");
                System.exit(2);
            }
        }
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "200"));
        Set<String> only = opts.containsKey("only") ? Set.of(opts.get("only").split(",")) : Set.of();
        BotConfig config = ConfigLoader.load(Path.of(opts.get("config")));
        Path dir = Path.of(opts.get("cluster-dir"));
        Path script = Path.of(opts.get("script"));
        Path botJar = Path.of(opts.get("bot-jar"));
        Path benchJar = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Results results = new Results(machine(), LocalDate.now(Clock.systemUTC()).toString());
        try (Bot bot = Bots.create(config, e -> { }, Clock.systemUTC(), Follow.Limits.DEFAULT)) {
            figure(only, "cluster-list", results, List.of("cluster_list_core_ms", "raw_get_cluster_ms", "patronictl_list_ms"),
                    () -> ClusterListFigure.run(bot, config.clusters().get(0).patroni().urls().get(0),
                            dir.resolve("node1/patroni.yml"), rounds, results));
            figure(only, "slack", results, List.of("slack_ack_p50_ms", "slack_ack_p99_ms"),
                    () -> SlackAckFigure.run(bot, config, 100, 10, results));
            figure(only, "discord", results, List.of("discord_ack_p99_ms"),
                    () -> DiscordAckFigure.run(bot, 100, 10, results));
            figure(only, "watch", results, List.of("watch_cpu_pct_1000", "watch_heap_mb_1000"),
                    () -> WatchCpuFigure.run(benchJar, config.clusters().get(0).patroni().urls().get(0), 334, 2, results));
            figure(only, "serve", results, List.of("start_to_ready_ms", "rss_mb"),
                    () -> ServeFigure.run(botJar, benchJar, Path.of(opts.get("config")), 3, results));
            figure(only, "failover", results, List.of("alert_latency_ms", "leader_unreachable_ms"),
                    () -> FailoverFigure.run(bot, config, script, results));
        }
        results.print(System.out);
        results.save(Path.of(opts.get("out")));
        System.out.println("wrote " + opts.get("out"));
        System.out.flush();
        System.exit(0); // JDA's and the HTTP clients' threads must not keep the bench (and scripts/bench's cluster) alive
    }

    private static void figure(Set<String> only, String name, Results results, List<String> keys, Figure f) {
        if (!only.isEmpty() && !only.contains(name)) return;
        long t0 = System.nanoTime();
        System.err.println("bench: measuring " + name);
        try {
            f.run();
        } catch (Exception | Error e) {
            e.printStackTrace(System.err);
            for (String k : keys) results.notMeasured(k, name + " failed: " + e);
        }
        System.err.printf("bench: %s took %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = java.nio.file.Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse(cpu);
        } catch (java.io.IOException e) {
            // not Linux: leave it unknown
        }
        long memMb = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() >> 20;
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + memMb + " MiB RAM, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch")
                + ", Java " + System.getProperty("java.version");
    }
}
