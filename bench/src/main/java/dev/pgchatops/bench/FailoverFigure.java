package dev.pgchatops.bench;

import dev.pgchatops.config.AlertChannels;
import dev.pgchatops.config.AlertsConfig;
import dev.pgchatops.config.BotConfig;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.ClusterRuntime;
import dev.pgchatops.core.chat.ChannelSender;
import dev.pgchatops.core.chat.MessageRef;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.watch.ClusterWatch;
import dev.pgchatops.core.watch.Destination;
import dev.pgchatops.core.watch.StateStore;
import dev.pgchatops.core.watch.Watcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A real failover of the bench cluster ({@code scripts/local-cluster crash} of the leader: its Patroni killed, its
 * PostgreSQL frozen) under the real watcher (poll every 1 s, alerts to a recording sender): crash → "leader
 * unreachable" handed to the sender, and the first GET /cluster showing the new leader → the failover alert handed to
 * the sender; beside Patroni's own time from the crash to a new leader in GET /cluster (observed every 100 ms). Once
 * per run (it changes the cluster), so no alternation; the old leader is started again afterwards.
 */
final class FailoverFigure {
    private FailoverFigure() {
    }

    record Post(String title, long nanos) {
    }

    static void run(Bot bot, BotConfig config, Path script, Results out) throws Exception {
        ClusterRuntime rt = bot.clusters().values().iterator().next();
        String c = rt.name();
        await(Duration.ofSeconds(60), "a healthy cluster (a leader and every member running)", () -> healthy(rt));
        String old = rt.patroni().cluster().leader().orElseThrow().name();
        List<Post> posts = new CopyOnWriteArrayList<>();
        ChannelSender sender = new ChannelSender() {
            private final AtomicLong ids = new AtomicLong();

            @Override
            public MessageRef post(String channel, Reply reply) {
                posts.add(new Post(reply.title(), System.nanoTime()));
                return new MessageRef(channel, "m" + ids.incrementAndGet());
            }

            @Override
            public void update(MessageRef message, Reply reply) {
            }

            @Override
            public MessageRef replyInThread(MessageRef parent, Reply reply) {
                return new MessageRef(parent.channel(), "t" + ids.incrementAndGet());
            }
        };
        Path state = Files.createTempDirectory("pgchatops-bench-failover");
        AlertsConfig ac = AlertsConfig.defaults(state, new AlertChannels(true, List.of(), List.of()));
        AtomicLong patroniNewLeader = new AtomicLong();
        try (Watcher watcher = new Watcher(ac, List.of(rt), StateStore.memory(), Map.of("console", sender),
                List.of(new Destination("console", "alerts")), Clock.systemUTC())) {
            watcher.start();
            await(Duration.ofSeconds(10), "the watch's first poll", () -> watcher.store().read(st -> st.leaders.containsKey(c)));
            Thread observer = new Thread(() -> {
                while (patroniNewLeader.get() == 0 && !Thread.currentThread().isInterrupted()) {
                    try {
                        Optional<Member> l = rt.patroni().cluster().leader();
                        if (l.isPresent() && !l.get().name().equals(old)) patroniNewLeader.set(System.nanoTime());
                    } catch (Exception ignored) {
                        // keep polling
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-failover-observer");
            observer.setDaemon(true);
            long t0 = System.nanoTime();
            script(script, "crash", old);
            observer.start();
            try {
                await(Duration.ofSeconds(30), "the leader-unreachable alert", () -> find(posts, "leader-unreachable on " + c).isPresent());
                await(Duration.ofSeconds(90), "the failover alert", () -> find(posts, "failover on " + c).isPresent());
                await(Duration.ofSeconds(10), "Patroni's new leader (observer)", () -> patroniNewLeader.get() != 0);
                ClusterWatch.LeaderChange change = watcher.watches().get(0).lastLeaderChange().orElseThrow();
                double unreachable = (find(posts, "leader-unreachable on " + c).get().nanos() - t0) / 1e6;
                long alertAt = find(posts, "failover on " + c).get().nanos();
                double alertLatency = (alertAt - change.seenNanos()) / 1e6;
                double patroni = (patroniNewLeader.get() - t0) / 1e6;
                double crashToAlert = (alertAt - t0) / 1e6;
                out.put("alert_latency_ms", alertLatency);
                out.put("leader_unreachable_ms", unreachable);
                out.put("patroni_new_leader_ms", patroni);
                out.put("crash_to_failover_alert_ms", crashToAlert);
                double pollMs = ac.pollInterval().toMillis();
                out.row("failover alert after the first GET /cluster showing " + change.to(), Results.ms(alertLatency),
                        "poll interval " + Results.ms(pollMs), String.format("%.2f of a poll", alertLatency / pollMs),
                        "≤ one poll interval", alertLatency <= pollMs);
                out.row("crash of " + old + " → 'leader unreachable' alert", Results.ms(unreachable),
                        "Patroni's new leader " + Results.ms(patroni), String.format("%.0f ms earlier", patroni - unreachable),
                        "well before Patroni's", unreachable < patroni / 2);
                out.note(String.format("failover: crash → failover alert %.0f ms; Patroni's new leader observed by GET /cluster every 100 ms (ttl 10, loop_wait 2)", crashToAlert));
            } finally {
                observer.interrupt();
                script(script, "start", old);
            }
        } finally {
            try (var s = Files.walk(state)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static boolean healthy(ClusterRuntime rt) {
        try {
            var s = rt.patroni().cluster();
            return s.leader().isPresent() && s.members().stream().allMatch(Member::isRunning);
        } catch (Exception e) {
            return false;
        }
    }

    private static Optional<Post> find(List<Post> posts, String titlePart) {
        return posts.stream().filter(p -> p.title().contains(titlePart)).findFirst();
    }

    private static void await(Duration within, String what, BooleanSupplier ok) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("no " + what + " within " + within.toSeconds() + " s");
            Thread.sleep(20);
        }
    }

    private static void script(Path script, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(script.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of(System.getProperty("java.io.tmpdir"), "pgchatops-bench-local-cluster.log").toFile()))
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " did not finish within 120 s");
        }
        if (p.exitValue() != 0) throw new IllegalStateException(String.join(" ", cmd) + " exited " + p.exitValue());
    }
}
