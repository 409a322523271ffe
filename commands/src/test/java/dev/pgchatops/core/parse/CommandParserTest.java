package dev.pgchatops.core.parse;

import dev.pgchatops.config.Role;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandParserTest {
    private static final CommandSpec SPEC = new CommandSpec("restore", "test", Role.OPERATOR, true,
            List.of("MEMBER", "MODE"), 1, List.of(
            CommandSpec.Flag.value("candidate", "MEMBER", "who"),
            CommandSpec.Flag.value("target-time", "TIME", "when"),
            CommandSpec.Flag.flag("force", "do it anyway")));
    private static final String USAGE = "/restore MEMBER [MODE] [--candidate MEMBER] [--target-time TIME] [--force] [--cluster NAME]";

    private static ParsedCommand parse(String... words) throws ParseException {
        return CommandParser.parse(SPEC, List.of(words));
    }

    private static String error(String... words) {
        try {
            CommandParser.parse(SPEC, List.of(words));
        } catch (ParseException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected " + List.of(words) + " to be refused");
    }

    @Test
    void usageLine() {
        assertThat(SPEC.usage()).isEqualTo(USAGE);
        assertThat(new CommandSpec("x", "", Role.VIEWER, false, List.of(), 0, List.of()).usage()).isEqualTo("/x [--cluster NAME]");
    }

    @Test
    void flagWithSeparateValue() throws ParseException {
        ParsedCommand p = parse("node1", "--candidate", "node2");
        assertThat(p.positionals()).containsExactly("node1");
        assertThat(p.flag("candidate")).contains("node2");
        assertThat(p.flag("force")).isEmpty();
        assertThat(p.has("force")).isFalse();
    }

    @Test
    void flagWithEqualsValue() throws ParseException {
        ParsedCommand p = parse("--candidate=node2", "node1", "--target-time=2026-11-24 22:00:00+00");
        assertThat(p.flag("candidate")).contains("node2");
        assertThat(p.flag("target-time")).contains("2026-11-24 22:00:00+00");
        assertThat(p.arg(0)).contains("node1");
        assertThat(p.arg(1)).isEmpty();
        assertThat(parse("n", "--candidate=a=b").flag("candidate")).as("only the first '=' splits").contains("a=b");
    }

    @Test
    void switchFlags() throws ParseException {
        ParsedCommand p = parse("node1", "--force", "full");
        assertThat(p.has("force")).isTrue();
        assertThat(p.flag("force")).contains("");
        assertThat(p.positionals()).as("a switch does not eat the next word").containsExactly("node1", "full");
        assertThat(error("node1", "--force=yes")).isEqualTo("--force takes no value.\nUsage: " + USAGE);
    }

    @Test
    void clusterFlagIsAcceptedByEveryCommand() throws ParseException {
        assertThat(parse("node1", "--cluster", "main").flag(CommandParser.CLUSTER_FLAG)).contains("main");
        assertThat(parse("node1", "--cluster=reporting").flag("cluster")).contains("reporting");
        assertThat(error("node1", "--cluster")).isEqualTo("--cluster needs a value (NAME).\nUsage: " + USAGE);
    }

    @Test
    void unknownFlagSuggestsClosestAndShowsUsage() {
        assertThat(error("node1", "--candiate", "x"))
                .isEqualTo("unknown option --candiate for /restore. Did you mean --candidate?\nUsage: " + USAGE);
        assertThat(error("node1", "--forse")).startsWith("unknown option --forse for /restore. Did you mean --force?");
        assertThat(error("node1", "--clust", "main")).as("prefix of --cluster")
                .startsWith("unknown option --clust for /restore. Did you mean --cluster?");
        assertThat(error("node1", "--target", "x")).as("prefix of a flag")
                .startsWith("unknown option --target for /restore. Did you mean --target-time?");
        assertThat(error("node1", "--zzzzzzzzzzzz")).isEqualTo("unknown option --zzzzzzzzzzzz for /restore.\nUsage: " + USAGE);
    }

    @Test
    void missingValue() {
        assertThat(error("node1", "--candidate")).isEqualTo("--candidate needs a value (MEMBER).\nUsage: " + USAGE);
        assertThat(error("node1", "--candidate", "--force")).as("the next flag is not a value")
                .isEqualTo("--candidate needs a value (MEMBER).\nUsage: " + USAGE);
        assertThat(error("node1", "--candidate=")).isEqualTo("--candidate needs a value (MEMBER).\nUsage: " + USAGE);
    }

    @Test
    void tooManyAndMissingPositionals() {
        assertThat(error("a", "b", "c")).isEqualTo("unexpected argument \"c\" for /restore.\nUsage: " + USAGE);
        assertThat(error()).isEqualTo("/restore needs MEMBER.\nUsage: " + USAGE);
        assertThat(error("--force")).isEqualTo("/restore needs MEMBER.\nUsage: " + USAGE);
        CommandSpec none = new CommandSpec("cluster-list", "", Role.VIEWER, false, List.of(), 0, List.of());
        assertThatThrownBy(() -> CommandParser.parse(none, List.of("extra"))).isInstanceOf(ParseException.class)
                .hasMessage("unexpected argument \"extra\" for /cluster-list.\nUsage: /cluster-list [--cluster NAME]");
    }

    @Test
    void requiredFlag() throws ParseException {
        CommandSpec spec = new CommandSpec("failover", "", Role.ADMIN, true, List.of(), 0,
                List.of(CommandSpec.Flag.required("candidate", "MEMBER", "who"), CommandSpec.Flag.flag("force", "")));
        assertThat(spec.usage()).isEqualTo("/failover --candidate MEMBER [--force] [--cluster NAME]");
        assertThatThrownBy(() -> CommandParser.parse(spec, List.of("--force"))).isInstanceOf(ParseException.class)
                .hasMessage("/failover needs --candidate MEMBER.\nUsage: /failover --candidate MEMBER [--force] [--cluster NAME]");
        assertThat(CommandParser.parse(spec, List.of("--candidate=node2")).flag("candidate")).contains("node2");
    }

    @Test
    void duplicateFlag() {
        assertThat(error("n", "--candidate", "a", "--candidate", "b")).isEqualTo("--candidate given twice.\nUsage: " + USAGE);
        assertThat(error("n", "--candidate=a", "--candidate=a")).isEqualTo("--candidate given twice.\nUsage: " + USAGE);
        assertThat(error("n", "--force", "--force")).isEqualTo("--force given twice.\nUsage: " + USAGE);
        assertThat(error("n", "--cluster", "a", "--cluster=b")).isEqualTo("--cluster given twice.\nUsage: " + USAGE);
    }

    @Test
    void argsForAuditAreSortedAndComplete() throws ParseException {
        ParsedCommand p = parse("node1", "--force", "--candidate", "node2", "--cluster=main");
        assertThat(p.argsForAudit()).containsExactly("node1", "--candidate=node2", "--cluster=main", "--force");
        assertThat(p.flags()).isEqualTo(Map.of("candidate", "node2", "cluster", "main", "force", ""));
    }

    @Test
    void closest() {
        assertThat(CommandParser.closest("swtichover", List.of("switchover", "failover"))).contains("switchover");
        assertThat(CommandParser.closest("clust", List.of("cluster-list", "history"))).contains("cluster-list");
        assertThat(CommandParser.closest("qqqqqq", List.of("switchover", "failover"))).isEmpty();
        assertThat(CommandParser.closest("x", List.of())).isEmpty();
    }
}
