package dev.pgchatops.bot;

import dev.pgchatops.adapters.console.ConsoleAdapter;
import dev.pgchatops.adapters.slack.SlackManifest;
import dev.pgchatops.adapters.console.ConsoleSender;
import dev.pgchatops.core.chat.ChannelSender;
import dev.pgchatops.core.watch.AlertBook;
import dev.pgchatops.core.watch.Destination;
import dev.pgchatops.core.watch.StateStore;
import dev.pgchatops.core.watch.Watcher;
import dev.pgchatops.config.BotConfig;
import dev.pgchatops.config.ConfigException;
import dev.pgchatops.config.ConfigLoader;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.Bots;
import dev.pgchatops.core.Identity;
import dev.pgchatops.core.audit.JsonlAuditLog;
import dev.pgchatops.core.cmd.Follow;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * {@code pgchatops console --config FILE [--user NAME]} and {@code pgchatops serve --config FILE}.
 * Exit codes: 0 ok, 2 bad usage or bad configuration, 1 runtime failure.
 */
public final class Main {
    static {
        // before anything touches CompletableFuture: on 1–2 cores its async tasks would each start a thread
        dev.pgchatops.core.run.CommonPool.atLeastTwo();
    }

    static final String USAGE = """
            usage: pgchatops console --config FILE [--user NAME]   commands on stdin, replies on stdout
                   pgchatops serve --config FILE                   run the chat adapters and the alert watch of the config
                   pgchatops slack-manifest [--request-url URL]    print the Slack app manifest (Socket Mode;
                                                                   with URL: HTTP mode, requests to URL)
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    static int run(String[] args, java.io.InputStream stdin, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String mode = args[0];
        Map<String, String> opts = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String key;
            String value;
            if (a.startsWith("--") && a.contains("=")) {
                key = a.substring(2, a.indexOf('='));
                value = a.substring(a.indexOf('=') + 1);
            } else if (a.startsWith("--") && i + 1 < args.length) {
                key = a.substring(2);
                value = args[++i];
            } else {
                problems.add("unexpected argument: " + a);
                continue;
            }
            if (!key.equals("config") && !(key.equals("user") && mode.equals("console"))
                    && !(key.equals("request-url") && mode.equals("slack-manifest"))) {
                problems.add("unknown option --" + key + " for " + mode);
            } else {
                opts.put(key, value);
            }
        }
        if (!mode.equals("console") && !mode.equals("serve") && !mode.equals("slack-manifest")) problems.add("unknown mode '" + mode + "'");
        if (!opts.containsKey("config") && !mode.equals("slack-manifest")) problems.add("--config FILE is required");
        if (!problems.isEmpty()) {
            problems.forEach(p -> err.println("pgchatops: " + p));
            err.print(USAGE);
            return 2;
        }
        if (mode.equals("slack-manifest")) {
            // the registry does not depend on the config: --config is accepted and ignored
            out.print(SlackManifest.yaml(Bots.registry(Follow.Limits.DEFAULT), opts.get("request-url")));
            out.flush();
            return 0;
        }
        BotConfig config;
        try {
            config = ConfigLoader.load(Path.of(opts.get("config")));
        } catch (ConfigException e) {
            err.println("pgchatops: refusing to start, " + opts.get("config") + " has " + e.problems().size() + " problem(s):");
            e.problems().forEach(p -> err.println("  " + p));
            return 2;
        }
        JsonlAuditLog audit;
        try {
            audit = new JsonlAuditLog(config.audit().path());
        } catch (IOException e) {
            err.println("pgchatops: refusing to start: audit.path: cannot open " + config.audit().path() + " for appending ("
                    + e.getClass().getSimpleName() + ")");
            return 2;
        }
        java.util.concurrent.atomic.AtomicReference<AlertBook> alertBook = new java.util.concurrent.atomic.AtomicReference<>();
        Bot bot = Bots.create(config, audit, Clock.systemUTC(), Follow.Limits.DEFAULT, alertBook::get);
        Thread warnings = new Thread(() -> Bots.startupWarnings(bot).forEach(w -> err.println("pgchatops: warning: " + w)),
                "pgchatops-config-check");
        warnings.setDaemon(true);
        warnings.start();
        try (audit) {
            if (mode.equals("console")) {
                String name = opts.getOrDefault("user", System.getProperty("user.name", "unknown"));
                Identity user = Identity.of("console", name);
                BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
                new ConsoleAdapter(bot, user, in, out, System.console() != null).run();
                return 0;
            }
            CountDownLatch stop = new CountDownLatch(1);
            CountDownLatch closed = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.countDown();
                try {
                    closed.await(10, java.util.concurrent.TimeUnit.SECONDS); // let the adapters say goodbye
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "pgchatops-shutdown"));
            try {
                Optional<Serve.WatchStarter> watch = config.alerts().map(ac -> senders -> {
                    List<String> missing = new ArrayList<>();
                    for (Destination d : Watcher.destinations(ac)) {
                        if (!senders.containsKey(d.sender())) missing.add("alerts.channels." + d.sender() + ": no running "
                                + d.sender() + " adapter to post to " + d.channel());
                    }
                    if (!missing.isEmpty()) throw new IllegalStateException(String.join("; ", missing));
                    StateStore store = Watcher.openState(ac);
                    Watcher w = new Watcher(ac, bot.clusters().values(), store, senders, Watcher.destinations(ac), Clock.systemUTC());
                    alertBook.set(w);
                    w.start();
                    return w;
                });
                Map<String, ChannelSender> console = config.alerts().filter(a -> a.channels().console())
                        .map(a -> Map.<String, ChannelSender>of(Destination.CONSOLE, new ConsoleSender(out))).orElse(Map.of());
                return Serve.run(Adapters.enabled(config, bot), opts.get("config"), err, stop, watch, console);
            } finally {
                closed.countDown();
            }
        } catch (IOException e) {
            err.println("pgchatops: " + e.getMessage());
            return 1;
        } finally {
            bot.close();
        }
    }
}
