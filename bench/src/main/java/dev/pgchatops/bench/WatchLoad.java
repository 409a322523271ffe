package dev.pgchatops.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.pgchatops.config.AlertsConfig;
import dev.pgchatops.config.BotConfig;
import dev.pgchatops.config.ConfigLoader;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.Bots;
import dev.pgchatops.core.chat.ChannelSender;
import dev.pgchatops.core.chat.MessageRef;
import dev.pgchatops.core.cmd.Follow;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.watch.StateStore;
import dev.pgchatops.core.watch.Watcher;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The measured process of the watch figure (a child JVM, so nothing else counts): {@code --config FILE} starts the
 * real {@link Watcher} on every cluster of the config, {@code --idle} does nothing (the baseline); the state is kept in {@code alerts.state-dir} as in {@code serve}
 * ({@code --memory-state true}: in memory). After
 * {@code --warmup} seconds it measures its own CPU time over {@code --window} seconds and its heap after a GC, and
 * prints {@code RESULT cpu_pct=… heap_mb=… posts=…}.
 */
public final class WatchLoad {
    static {
        dev.pgchatops.core.run.CommonPool.atLeastTwo(); // as Main does: no thread per async task on 2 cores
    }

    private WatchLoad() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--idle")) o.put("idle", "true");
            else if (i + 1 < args.length) o.put(args[i].substring(2), args[++i]);
        }
        long warmup = Long.parseLong(o.getOrDefault("warmup", "10"));
        long window = Long.parseLong(o.getOrDefault("window", "20"));
        AtomicLong posts = new AtomicLong();
        Bot bot = null;
        Watcher w = null;
        java.util.concurrent.ScheduledExecutorService bare = null;
        if (o.containsKey("bare-http")) {
            // the transport alone: one java.net.http GET /cluster per cluster per second (built as PatroniClient's
            // client, body read as a string), nothing else: the floor the watcher's poll stands on
            BotConfig config = ConfigLoader.load(Path.of(o.get("config")));
            java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                    .connectTimeout(java.time.Duration.ofSeconds(2)).version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
            bare = java.util.concurrent.Executors.newScheduledThreadPool(16, r -> {
                Thread t = new Thread(r, "bare-http");
                t.setDaemon(true);
                return t;
            });
            java.util.Random rnd = new java.util.Random(1);
            for (var c : config.clusters()) {
                java.net.URI u = java.net.URI.create(c.patroni().urls().get(0).toString().replaceAll("/+$", "") + "/cluster");
                bare.scheduleAtFixedRate(() -> {
                    try {
                        http.send(java.net.http.HttpRequest.newBuilder(u).timeout(java.time.Duration.ofSeconds(2)).GET().build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString());
                        posts.incrementAndGet();
                    } catch (Exception e) {
                        // counted as not done
                    }
                }, rnd.nextInt(1000), 1000, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        } else if (!o.containsKey("idle")) {
            BotConfig config = ConfigLoader.load(Path.of(o.get("config")));
            AlertsConfig ac = config.alerts().orElseThrow(() -> new IllegalArgumentException("the config has no alerts: section"));
            bot = Bots.create(config, e -> { }, Clock.systemUTC(), Follow.Limits.DEFAULT);
            ChannelSender discard = new ChannelSender() {
                @Override
                public MessageRef post(String channel, Reply reply) {
                    posts.incrementAndGet();
                    return new MessageRef(channel, "m" + posts.get());
                }

                @Override
                public void update(MessageRef message, Reply reply) {
                }

                @Override
                public MessageRef replyInThread(MessageRef parent, Reply reply) {
                    return new MessageRef(parent.channel(), "t" + posts.incrementAndGet());
                }
            };
            // the state store serve uses (alerts.state-dir, written on every change), so this is what production costs
            StateStore store = o.containsKey("memory-state") ? StateStore.memory() : Watcher.openState(ac);
            w = new Watcher(ac, bot.clusters().values(), store, Map.of("console", discard),
                    Watcher.destinations(ac), Clock.systemUTC());
            w.start();
        }
        System.out.println("STARTED");
        System.out.flush();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Thread.sleep(warmup * 1000);
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep(window * 1000);
        long cpu = os.getProcessCpuTime() - cpu0;
        long wall = System.nanoTime() - t0;
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        System.gc();
        double heapMb = mem.getHeapMemoryUsage().getUsed() / 1048576.0;
        System.out.printf(java.util.Locale.ROOT, "RESULT cpu_pct=%.3f heap_mb=%.3f posts=%d threads=%d%n", 100.0 * cpu / wall, heapMb,
                posts.get(), Thread.activeCount());
        System.out.flush();
        if (bare != null) bare.shutdownNow();
        if (w != null) w.close();
        if (bot != null) bot.close();
        System.exit(0);
    }
}
