package dev.pgchatops.core.pgbackrest;

import dev.pgchatops.config.BotConfig;
import dev.pgchatops.config.ClusterConfig;
import dev.pgchatops.config.PgBackRestConfig;
import dev.pgchatops.config.SshConfig;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.Bots;
import dev.pgchatops.core.ClusterRuntime;
import dev.pgchatops.core.Identity;
import dev.pgchatops.core.Request;
import dev.pgchatops.core.chat.Conversation;
import dev.pgchatops.core.chat.MessageRef;
import dev.pgchatops.core.chat.ProgressBudget;
import dev.pgchatops.core.chat.ProgressUpdate;
import dev.pgchatops.core.it.LiveCluster;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.reply.Reply;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

/** Helpers for the pgBackRest integration tests on the real local cluster. */
final class ItSupport {
    private ItSupport() {
    }

    static PgBackRestService service(Bot bot) {
        ClusterRuntime rt = bot.clusters().values().iterator().next();
        return rt.pgbackrest().orElseThrow(() -> new AssertionError("the IT config has no pgbackrest section"));
    }

    /** The labels pgBackRest lists now (through the bot's own service, on any member). */
    static List<String> labels(Bot bot) {
        try {
            return service(bot).info().info().backups().stream().map(StanzaInfo.BackupSet::label).toList();
        } catch (Exception e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** The live config with the first cluster's pgbackrest section changed. */
    static BotConfig withPgBackRest(BotConfig base, UnaryOperator<PgBackRestConfig> change) {
        List<ClusterConfig> cs = new ArrayList<>(base.clusters());
        ClusterConfig c = cs.get(0);
        cs.set(0, new ClusterConfig(c.name(), c.patroni(), c.pgbackrest().map(change)));
        return new BotConfig(cs, base.access(), base.audit(), base.confirm());
    }

    static PgBackRestConfig withSsh(PgBackRestConfig p, UnaryOperator<SshConfig> change) {
        return new PgBackRestConfig(p.stanza(), p.backupStandby(), change.apply(p.ssh()), p.members(), p.backupTimeout(), p.binary());
    }

    static SshConfig knownHosts(SshConfig s, java.nio.file.Path file) {
        return new SshConfig(s.user(), s.privateKey(), file, s.connectTimeout(), s.commandTimeout(), s.maxConnections());
    }

    static Bot bot(BotConfig config) {
        return Bots.create(config, e -> {
        }, Clock.systemUTC(), LiveCluster.LIMITS);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Replies and progress of one exchange, with a latch on the first progress line. */
    static final class Watch implements Conversation {
        final List<Reply> replies = Collections.synchronizedList(new ArrayList<>());
        final List<String> progress = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch firstProgress = new CountDownLatch(1);
        final CountDownLatch replied = new CountDownLatch(1);

        @Override
        public MessageRef post(Reply reply) {
            replies.add(reply);
            replied.countDown();
            return new MessageRef("it", "m" + replies.size());
        }

        @Override
        public void update(MessageRef message, Reply reply) {
            replies.add(reply);
            replied.countDown();
        }

        @Override
        public MessageRef progress(MessageRef message, ProgressUpdate update) {
            progress.addAll(update.newLines());
            if (!update.newLines().isEmpty()) firstProgress.countDown();
            return message != null ? message : new MessageRef("it", "progress");
        }

        @Override
        public ProgressBudget budget() {
            return ProgressBudget.TERMINAL;
        }

        Reply last() {
            if (replies.isEmpty()) throw new AssertionError("no reply");
            return replies.get(replies.size() - 1);
        }

        String text() {
            return last().plainText();
        }
    }

    static Watch run(Bot bot, String user, String line) {
        Watch w = new Watch();
        bot.handle(new Request(LiveCluster.user(user), "it", line), w);
        return w;
    }

    static Identity user(String name) {
        return LiveCluster.user(name);
    }

    /** Runs SQL with psql as postgres over the cluster's unix socket on {@code m}; returns trimmed stdout. */
    static String psql(LiveCluster lc, Member m, String sql) {
        List<String> cmd = List.of("runuser", "-u", "postgres", "--", "env", "-u", "PGPASSWORD", "psql",
                "-h", lc.dir.resolve("sock").toString(), "-p", String.valueOf(m.port()), "-d", "postgres",
                "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql);
        return LiveCluster.exec(cmd, java.util.Map.of(), Duration.ofSeconds(30)).trim();
    }

    static String exec(List<String> cmd) {
        return LiveCluster.exec(cmd, java.util.Map.of(), Duration.ofSeconds(30));
    }
}
