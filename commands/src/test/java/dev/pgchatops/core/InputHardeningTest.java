package dev.pgchatops.core;

import dev.pgchatops.config.Role;
import dev.pgchatops.core.audit.AuditEvent;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.parse.CommandSpec.Param;
import dev.pgchatops.core.parse.CommandSpec.ValueType;
import dev.pgchatops.core.reply.Reply;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.pgchatops.core.Fixtures.VIEWER;
import static dev.pgchatops.core.Fixtures.req;
import static org.assertj.core.api.Assertions.assertThat;

/** Hostile and sloppy input: long lines, NULs, dashes, case, escapes; what is echoed and audited stays small. */
class InputHardeningTest {
    private final TestClock clock = new TestClock();
    private final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    private final FakeCommand status = new FakeCommand(FakeCommand.spec("cluster-list", Role.VIEWER, false),
            inv -> Outcome.done(Reply.info("arg=" + inv.command().arg(0).orElse("-") + " force=" + inv.command().has("force"))));
    private final Bot bot = Fixtures.bot(List.of(Fixtures.offlineCluster("main")), new CommandRegistry().register(status),
            clock, Duration.ofSeconds(120), audit);

    private String answer(String line) {
        RecordingResponder out = new RecordingResponder();
        bot.handle(req(VIEWER, line), out);
        return out.text();
    }

    @Test
    void overlongLinesAreRefusedBeforeTokenizingAndAuditedSmall() {
        String huge = "/cluster-list " + "x".repeat(100_000);
        assertThat(answer(huge)).isEqualTo("that command is 100014 characters long; the limit is 4000. Nothing was run."
                + " Type a shorter command (/help lists them).");
        assertThat(status.runs).hasValue(0);
        assertThat(audit).singleElement().satisfies(e -> assertThat(JsonLength.of(e)).isLessThan(2_000));
        assertThat(answer("/cluster-list " + "y".repeat(3_000))).as("under the limit it runs").startsWith("arg=yyy");
    }

    @Test
    void echoedValuesAreAbbreviated() {
        String member = "n".repeat(100_000 / 40);
        String a = answer("/cluster-list a " + member);
        assertThat(a).startsWith("unexpected argument \"nnnn").contains("…").hasSizeLessThan(400);
        assertThat(answer("/" + "z".repeat(3000))).hasSizeLessThan(300);
        RecordingResponder out = new RecordingResponder();
        bot.handle(req(VIEWER, "/cluster-list --cluster " + "q".repeat(3000)), out);
        assertThat(out.text()).startsWith("no cluster named 'qqq").hasSizeLessThan(200);
        assertThat(audit).allSatisfy(e -> assertThat(JsonLength.of(e)).isLessThan(2_000));
    }

    @Test
    void nulAndOtherControlCharactersAreRefusedWithTheUsage() {
        assertThat(answer("/cluster-list\u0000")).startsWith("a command must be a single line without control characters (found U+0000)")
                .contains("Usage: /cluster-list");
        assertThat(status.runs).hasValue(0);
        assertThat(answer("/cluster-list node2\\")).startsWith("a backslash at the end of the line escapes nothing")
                .contains("Usage: /cluster-list");
    }

    @Test
    void doubleDashEndsOptionsAndShortOptionsAreExplained() {
        assertThat(answer("/cluster-list -- node2")).isEqualTo("arg=node2 force=false");
        assertThat(answer("/cluster-list -- --weird")).isEqualTo("arg=--weird force=false");
        assertThat(answer("/cluster-list -f node2")).startsWith("unknown option -f for /cluster-list. Did you mean --force?")
                .contains("Usage: /cluster-list");
        assertThat(answer("/cluster-list -xyz")).contains("Options start with two dashes").contains("put -- before it");
    }

    @Test
    void commandNamesIgnoreCase() {
        assertThat(answer("/CLUSTER-LIST")).isEqualTo("arg=- force=false");
        assertThat(answer("/Cluster-Lst")).startsWith("unknown command /cluster-lst. Did you mean /cluster-list?");
    }

    @Test
    void specsExposeTypedParametersForNativeCommands() {
        CommandSpec reinit = new CommandSpec("reinit", "r", Role.OPERATOR, true, List.of("MEMBER"), 1,
                List.of(CommandSpec.Flag.flag("force", "f")));
        assertThat(reinit.params()).containsExactly(
                new Param("member", true, ValueType.MEMBER, true, List.of(), "MEMBER"),
                new Param("force", false, ValueType.SWITCH, false, List.of(), "f"),
                new Param("cluster", false, ValueType.CLUSTER, false, List.of(), "the cluster (needed when several are configured)"));
        CommandSpec backup = new CommandSpec("backup", "b", Role.OPERATOR, false, List.of("full|diff|incr"), 0, List.of());
        assertThat(backup.params().get(0)).isEqualTo(new Param("type", true, ValueType.CHOICE, false, List.of("full", "diff", "incr"), "full|diff|incr"));
        CommandSpec restart = new CommandSpec("restart", "r", Role.OPERATOR, true, List.of("MEMBER|all"), 1,
                List.of(CommandSpec.Flag.value("at", "TIME", "when"), CommandSpec.Flag.required("candidate", "MEMBER", "c")));
        assertThat(restart.params()).extracting(Param::name, Param::type, Param::required, Param::choices).containsExactly(
                org.assertj.core.groups.Tuple.tuple("member", ValueType.MEMBER, true, List.of("all")),
                org.assertj.core.groups.Tuple.tuple("at", ValueType.TIME, false, List.of()),
                org.assertj.core.groups.Tuple.tuple("candidate", ValueType.MEMBER, true, List.of()),
                org.assertj.core.groups.Tuple.tuple("cluster", ValueType.CLUSTER, false, List.of()));
    }

    /** The size of an audit event's JSON line. */
    static final class JsonLength {
        static int of(AuditEvent e) {
            return text(e).length();
        }

        static String text(AuditEvent e) {
            return dev.pgchatops.core.audit.JsonlAuditLog.toJson(e);
        }
    }

    @Test
    void typedSecretsNeverReachTheAuditLog() {
        answer("/cluster-list \"standby_cluster.primary_conninfo=host=db1 user=rep password=hunter2\"");
        answer("/cluster-list \"postgresql.parameters.ssl_passphrase_command=echo hunter3\"");
        answer("/cluster-list --candidate=\"https://admin:hunter4@db\"");
        assertThat(audit).hasSize(3);
        assertThat(audit).allSatisfy(e -> assertThat(String.join(" ", e.args())).doesNotContain("hunter"));
        assertThat(JsonLength.text(audit.get(0))).as("details (first lines of replies) are redacted too").doesNotContain("hunter");
        assertThat(audit.get(1).args().get(0)).isEqualTo("postgresql.parameters.ssl_passphrase_command=[redacted]");
        assertThat(audit.get(0).args().get(0)).isEqualTo("standby_cluster.primary_conninfo=host=db1 user=rep password=[redacted]");
    }
}
