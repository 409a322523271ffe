package dev.pgchatops.bench;

import dev.pgchatops.config.BotConfig;
import dev.pgchatops.config.ConfigLoader;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.Bots;
import dev.pgchatops.core.cmd.Follow;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar pgchatops-bench.jar --config FILE --cluster-dir DIR --out bench/results.json}: measures each figure
 * beside its baseline in the same run on the same machine and prints a table; see scripts/bench.
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        for (String k : List.of("config", "cluster-dir", "out")) {
            if (!opts.containsKey(k)) {
                System.err.println("usage: Bench --config FILE --cluster-dir DIR --out FILE [--rounds N]");
                System.exit(2);
            }
        }
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "200"));
        BotConfig config = ConfigLoader.load(Path.of(opts.get("config")));
        Path dir = Path.of(opts.get("cluster-dir"));
        Results results = new Results(machine(), LocalDate.now(Clock.systemUTC()).toString());
        List<String> skipped = new ArrayList<>();
        try (Bot bot = Bots.create(config, e -> { }, Clock.systemUTC(), Follow.Limits.DEFAULT)) {
            ClusterListFigure.run(bot, config.clusters().get(0).patroni().urls().get(0), dir.resolve("node1/patroni.yml"),
                    rounds, results);
        }
        results.print(System.out);
        skipped.forEach(s -> System.out.println("not measured: " + s));
        results.save(Path.of(opts.get("out")));
        System.out.println("wrote " + opts.get("out"));
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + (Runtime.getRuntime().maxMemory() >> 20)
                + " MiB max heap, " + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java "
                + System.getProperty("java.version");
    }
}
