package dev.pgchatops.adapters.console;

import dev.pgchatops.config.AccessConfig;
import dev.pgchatops.config.ClusterConfig;
import dev.pgchatops.config.PatroniConfig;
import dev.pgchatops.config.Role;
import dev.pgchatops.config.Secret;
import dev.pgchatops.core.AccessControl;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.ClusterRuntime;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.CommandRegistry;
import dev.pgchatops.core.Identity;
import dev.pgchatops.core.Invocation;
import dev.pgchatops.core.Outcome;
import dev.pgchatops.core.confirm.Confirmations;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.patroni.PatroniClient;
import dev.pgchatops.core.reply.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The console on the chat core: the same transcript as before, printed from conversation posts and edits. */
class ConsoleAdapterTest {
    private final AtomicInteger runs = new AtomicInteger();
    private Bot bot;

    @AfterEach
    void close() {
        if (bot != null) bot.close();
    }

    private String session(String input) throws Exception {
        Command destroy = new Command() {
            @Override
            public CommandSpec spec() {
                return new CommandSpec("destroy", "test", Role.OPERATOR, true, List.of(), 0, List.of());
            }

            @Override
            public Outcome run(Invocation inv) {
                return Outcome.confirm("destroy everything on " + inv.cluster().name(), progress -> {
                    runs.incrementAndGet();
                    progress.line("step one");
                    progress.line("step two");
                    return Reply.success("destroyed " + inv.cluster().name());
                });
            }
        };
        PatroniConfig pc = new PatroniConfig(List.of(URI.create("http://127.0.0.1:9")), "u", new Secret("test", "p"),
                Duration.ofMillis(200), Duration.ofMillis(200));
        ClusterRuntime main = new ClusterRuntime(new ClusterConfig("main", pc, Optional.empty()), new PatroniClient("main", pc), Optional.empty());
        bot = new Bot(List.of(main), new CommandRegistry().register(destroy),
                new AccessControl(new AccessConfig(Role.NONE, Map.of("console:root", Role.ADMIN))),
                new Confirmations(Clock.systemUTC(), Duration.ofSeconds(120)), e -> { }, Clock.systemUTC());
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        new ConsoleAdapter(bot, Identity.of("console", "root"), new BufferedReader(new StringReader(input)), out, false).run();
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void confirmPrintsTheRunningLineEachProgressLineAndTheOutcome() throws Exception {
        String out = session("/destroy\nconfirm\n");
        assertThat(runs).hasValue(1);
        assertThat(out).startsWith("WARNING: Confirm /destroy on main\ndestroy everything on main\n");
        assertThat(out).contains("Type 'confirm' to run it or 'cancel' to drop it.\n"
                + "  … confirmed by root — running /destroy on main\n"
                + "  … step one\n"
                + "  … step two\n"
                + "destroyed main\nconfirmed by root — ");
        assertThat(out).doesNotContain("[Confirm]");
    }

    @Test
    void cancelPrintsOnlyWhatTheEditAdds() throws Exception {
        String out = session("/destroy\ncancel\n");
        assertThat(runs).hasValue(0);
        assertThat(out).endsWith("Type 'confirm' to run it or 'cancel' to drop it.\n"
                + "Cancelled /destroy on main (root). Nothing was changed.\n");
        assertThat(out.split("destroy everything on main", -1)).as("the prompt is not printed again").hasSize(2);
    }

    @Test
    void anythingElseCancelsWithAMessage() throws Exception {
        String out = session("/destroy\nmaybe\n");
        assertThat(runs).hasValue(0);
        assertThat(out).endsWith("Cancelled /destroy: expected 'confirm' or 'cancel', got \"maybe\". Nothing was changed;"
                + " run the command again if you meant it.\n");
    }
}
