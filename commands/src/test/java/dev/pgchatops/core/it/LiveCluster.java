package dev.pgchatops.core.it;

import dev.pgchatops.config.BotConfig;
import dev.pgchatops.config.ConfigException;
import dev.pgchatops.config.ConfigLoader;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.Bots;
import dev.pgchatops.core.Identity;
import dev.pgchatops.core.Request;
import dev.pgchatops.core.RecordingResponder;
import dev.pgchatops.core.audit.AuditEvent;
import dev.pgchatops.core.cmd.Follow;
import dev.pgchatops.core.confirm.Pending;
import dev.pgchatops.core.confirm.PendingView;
import dev.pgchatops.core.patroni.ClusterState;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.patroni.PatroniClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real local cluster started by {@code scripts/local-cluster} (scripts/test exports PGCHATOPS_IT_CONFIG,
 * PGCHATOPS_IT_CLUSTER_DIR and PGCHATOPS_IT_SCRIPT). Under CI a missing cluster fails the tests instead of skipping.
 */
public final class LiveCluster {
    public final BotConfig config;
    public final Path dir;
    public final Path script;
    public final List<AuditEvent> audit = Collections.synchronizedList(new ArrayList<>());
    public final Bot bot;
    public final PatroniClient patroni;
    /** How long integration tests let commands follow an action (a bit tighter than the defaults, faster polling). */
    public static final Follow.Limits LIMITS = new Follow.Limits(Duration.ofSeconds(90), Duration.ofMinutes(5),
            Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofMillis(500));

    private LiveCluster(BotConfig config, Path dir, Path script) {
        this.config = config;
        this.dir = dir;
        this.script = script;
        this.bot = Bots.create(config, audit::add, Clock.systemUTC(), LIMITS);
        this.patroni = bot.clusters().values().iterator().next().patroni();
    }

    public static LiveCluster get() {
        String cfg = System.getenv("PGCHATOPS_IT_CONFIG");
        if (cfg == null || cfg.isBlank()) {
            if (System.getenv("CI") != null) fail("PGCHATOPS_IT_CONFIG is not set: run the suite through scripts/test");
            assumeTrue(false, "no live cluster (run through scripts/test)");
        }
        try {
            return new LiveCluster(ConfigLoader.load(Path.of(cfg)), Path.of(System.getenv("PGCHATOPS_IT_CLUSTER_DIR")),
                    Path.of(System.getenv("PGCHATOPS_IT_SCRIPT")));
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    public String clusterName() {
        return config.clusters().get(0).name();
    }

    /** Replies and progress lines of one exchange; {@link #text()} is the last reply. */
    public static class Capture extends RecordingResponder {
        @Override
        public String text() {
            return last().plainText();
        }
    }

    public static Identity user(String name) {
        return Identity.of("console", name);
    }

    /** Runs a command as {@code user} and returns what it answered. */
    public Capture run(String user, String line) {
        Capture c = new Capture();
        bot.handle(new Request(user(user), "it", line), c);
        return c;
    }

    /** Runs a destructive command and confirms it as the same user; returns the confirmation's replies. */
    public Capture runConfirmed(String user, String line) {
        Capture c = new Capture();
        Optional<PendingView> p = bot.handle(new Request(user(user), "it", line), c);
        if (p.isEmpty()) throw new AssertionError("expected a confirmation for '" + line + "', got: " + c.text());
        Capture done = new Capture();
        bot.confirm(p.get().token(), user(user), "it", done);
        return done;
    }

    public ClusterState state() {
        try {
            return patroni.cluster();
        } catch (Exception e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    public Member leader() {
        return state().leader().orElseThrow(() -> new AssertionError("no leader"));
    }

    public List<Member> replicas() {
        return state().members().stream().filter(m -> !m.role().isLeader()).toList();
    }

    /** Polls until the condition holds or fails after the deadline. */
    public static void await(Duration limit, String what, BooleanSupplier cond) {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            try {
                if (cond.getAsBoolean()) return;
            } catch (RuntimeException | AssertionError ignored) {
                // not yet
            }
            try {
                Thread.onSpinWait();
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        fail("timed out after " + limit.toSeconds() + " s waiting for " + what);
    }

    /** Waits until all three members run, one leads, and the replicas stream on the leader's timeline. */
    public void awaitHealthy() {
        await(Duration.ofSeconds(120), "a healthy cluster", () -> {
            ClusterState s = state();
            Optional<Member> l = s.leader();
            return l.isPresent() && s.members().size() == 3 && s.members().stream().allMatch(m -> m.isRunning()
                    && m.timeline().isPresent() && m.timeline().getAsLong() == l.get().timeline().getAsLong());
        });
    }

    /** Runs {@code scripts/local-cluster ARGS...} with this cluster's environment; fails on a non-zero exit. */
    public String script(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(script.toString());
        cmd.addAll(List.of(args));
        Map<String, String> env = new java.util.HashMap<>();
        env.put("PGCHATOPS_CLUSTER_DIR", dir.toString());
        if (System.getenv("PGCHATOPS_PORT_BASE") != null) env.put("PGCHATOPS_PORT_BASE", System.getenv("PGCHATOPS_PORT_BASE"));
        return exec(cmd, env, Duration.ofMinutes(3));
    }

    /** Runs a command, waits at most {@code limit}, fails on a non-zero exit; returns stdout and stderr. */
    /** psql as postgres on {@code m} (through the cluster's socket dir), one statement, tuples only. */
    public List<String> psqlCommand(dev.pgchatops.core.patroni.Member m, String sql) {
        return List.of("runuser", "-u", "postgres", "--", "env", "-u", "PGPASSWORD", "psql",
                "-h", dir.resolve("sock").toString(), "-p", String.valueOf(m.port()), "-d", "postgres",
                "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql);
    }

    public String psql(dev.pgchatops.core.patroni.Member m, String sql) {
        return exec(psqlCommand(m, sql), Map.of(), Duration.ofSeconds(30)).trim();
    }

    /**
     * A background writer on {@code m}: its backend keeps committing after a crash freezes the postmaster, so the
     * old leader's WAL runs past the point where the new leader's timeline forks off (it cannot follow without
     * pg_rewind).
     */
    public Process writer(dev.pgchatops.core.patroni.Member m, String table) throws java.io.IOException {
        return new ProcessBuilder(psqlCommand(m, "do $$ begin for i in 1..4000 loop insert into " + table
                + " default values; commit; perform pg_sleep(0.02); end loop; end $$")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    public static String exec(List<String> cmd, Map<String, String> env, Duration limit) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            java.util.concurrent.CompletableFuture<String> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "<" + e + ">";
                }
            });
            if (!p.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish within " + limit.toSeconds() + " s");
            }
            String text = out.join();
            if (p.exitValue() != 0) throw new AssertionError(String.join(" ", cmd) + " failed (" + p.exitValue() + "):\n" + text);
            return text;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public Path patroniLog(String member) {
        return dir.resolve(member).resolve("patroni.log");
    }

    public String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
