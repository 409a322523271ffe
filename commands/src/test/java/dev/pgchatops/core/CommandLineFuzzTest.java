package dev.pgchatops.core;

import dev.pgchatops.core.audit.AuditEvent;
import dev.pgchatops.core.cmd.Follow;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 100 000 generated command lines (random bytes and unicode, huge inputs, quotes, escapes, flags, real command names)
 * through the whole dispatch path with every real command's spec: no exception escapes, every answer is either a
 * clear refusal/usage error or the command ran with arguments its spec allows.
 */
class CommandLineFuzzTest {
    private static final int INPUTS = 100_000;

    @Test
    void noInputMakesTheBotThrowOrAnswerWithAnInternalError() {
        CommandRegistry real = Bots.registry(Follow.Limits.DEFAULT);
        CommandRegistry registry = new CommandRegistry();
        AtomicInteger ran = new AtomicInteger();
        List<String> names = new ArrayList<>();
        for (Command c : real.all()) {
            names.add(c.spec().name());
            // The real spec (so parsing and RBAC are real), a body that only checks what the parser let through.
            registry.register(new FakeCommand(c.spec(), inv -> {
                ran.incrementAndGet();
                if (!c.spec().variadic()) {
                    assertThat(inv.command().positionals().size()).isLessThanOrEqualTo(c.spec().positionals().size());
                }
                assertThat(inv.command().positionals().size()).isGreaterThanOrEqualTo(c.spec().requiredPositionals());
                inv.command().flags().keySet().forEach(f -> assertThat(f.equals("cluster") || c.spec().flag(f).isPresent()).isTrue());
                return Outcome.done(Reply.success("ran " + c.spec().name()));
            }));
        }
        List<AuditEvent> audit = new CopyOnWriteArrayList<>();
        Bot bot = Fixtures.bot(List.of(Fixtures.offlineCluster("main")), registry, new TestClock(), Duration.ofSeconds(60),
                audit);
        Random r = new Random(20261201);
        int errors = 0;
        for (int i = 0; i < INPUTS; i++) {
            String line = generate(r, names);
            RecordingResponder out = new RecordingResponder();
            bot.handle(req(i, line), out);
            assertThat(out.replies).as("exactly one answer to %s", shown(line)).hasSize(1);
            Reply reply = out.replies.get(0);
            String text = reply.plainText();
            assertThat(text).as(shown(line)).doesNotContain("Internal error").doesNotContain("Exception");
            assertThat(text.length()).as("answers stay small: %s", shown(line)).isLessThan(6_000);
            if (reply.severity() == Severity.ERROR) {
                errors++;
                assertThat(reply.isPrivate()).as("a refusal or usage error goes only to the user: %s", shown(line)).isTrue();
            } else {
                assertThat(text).as(shown(line)).matches("(?s)(ran [a-z-]+|Type /help to see the commands\\.|Confirm .*)");
            }
            audit.clear();
        }
        assertThat(ran.get()).as("the generator also makes valid commands").isGreaterThan(INPUTS / 20);
        assertThat(errors).as("and plenty of invalid ones").isGreaterThan(INPUTS / 5);
        bot.close();
    }

    private static Request req(int i, String line) {
        return new Request(i % 3 == 0 ? Fixtures.ADMIN : i % 3 == 1 ? Fixtures.ALICE : Fixtures.STRANGER, "#fuzz", line);
    }

    private static String shown(String line) {
        return '"' + Texts.abbreviate(line.replaceAll("\\p{Cntrl}", "?"), 120) + '"';
    }

    private static final String[] PIECES = {"--", "-", "--cluster", "--cluster=main", "--candidate", "--force", "--at",
            "node1", "node2", "all", "full", "diff", "incr", "\"", "'", "\\", "\\\"", "=", " ", "  ", "\t", "$(id)", "`id`",
            ";", "|", "&&", "\u0000", "\n", "\u202e", "é", "🐘", "ｆｕｌｌ", "--pending", "--help", "-f", "22:00",
            "2030-01-01T00:00:00", "x".repeat(70)};

    static String generate(Random r, List<String> names) {
        int kind = r.nextInt(10);
        StringBuilder sb = new StringBuilder();
        if (kind == 0) {
            int n = r.nextInt(64);
            for (int i = 0; i < n; i++) sb.append((char) r.nextInt(0x3000));
            return sb.toString();
        }
        if (kind == 1 && r.nextInt(20) == 0) return "/" + names.get(r.nextInt(names.size())) + " " + "y".repeat(3_000 + r.nextInt(10_000));
        if (r.nextInt(4) != 0) sb.append('/');
        String name = names.get(r.nextInt(names.size()));
        if (r.nextInt(8) == 0) name = name.toUpperCase();
        if (r.nextInt(10) == 0) name = name.substring(0, Math.max(1, name.length() - 1));
        sb.append(name);
        int words = r.nextInt(6);
        for (int i = 0; i < words; i++) {
            sb.append(r.nextInt(5) == 0 ? "" : " ");
            sb.append(PIECES[r.nextInt(PIECES.length)]);
        }
        return sb.toString();
    }
}
