package dev.pgchatops.core.cmd;

import dev.pgchatops.config.Role;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.CommandRegistry;
import dev.pgchatops.core.Fixtures;
import dev.pgchatops.core.RecordingResponder;
import dev.pgchatops.core.TestClock;
import dev.pgchatops.core.UserFacingException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandsTest {
    private final CommandRegistry registry = new CommandRegistry();
    private final Bot bot;

    CommandsTest() {
        PatroniCommands.all(Follow.Limits.DEFAULT).forEach(registry::register);
        MetaCommands.all().forEach(registry::register);
        bot = Fixtures.bot(List.of(Fixtures.offlineCluster("main")), registry, new TestClock(), Duration.ofSeconds(60), new ArrayList<>());
    }

    private String run(dev.pgchatops.core.Identity who, String text) {
        RecordingResponder out = new RecordingResponder();
        bot.handle(Fixtures.req(who, text), out);
        return out.text();
    }

    @Test
    void rolesAndConfirmationOfEachPatroniCommand() {
        Map<String, String> specs = registry.all().stream().collect(Collectors.toMap(c -> c.spec().name(),
                c -> c.spec().role().label() + (c.spec().destructive() ? "+confirm" : "")));
        assertThat(specs).containsAllEntriesOf(Map.of(
                "cluster-list", "viewer", "history", "viewer", "show-config", "viewer",
                "switchover", "operator+confirm", "failover", "admin+confirm", "reinit", "operator+confirm",
                "restart", "operator+confirm", "reload", "operator", "pause", "admin+confirm", "resume", "admin"));
        assertThat(specs).containsEntry("flush-scheduled", "operator").containsEntry("help", "none").containsEntry("whoami", "none");
        assertThat(MetaCommands.roleLabel(registry.find("help").orElseThrow().spec())).isEqualTo("anyone");
        assertThat(MetaCommands.roleLabel(registry.find("pause").orElseThrow().spec())).isEqualTo("admin (confirm)");
    }

    @Test
    void registryRefusesDuplicates() {
        Command help = MetaCommands.all().get(0);
        assertThatThrownBy(() -> registry.register(help)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("command /help registered twice");
    }

    @Test
    void whoamiAndHelpWorkForEveryone() {
        assertThat(run(Fixtures.STRANGER, "/whoami")).isEqualTo("Who am I\nIdentity: discord:42\nName:     42\nRole:     none");
        String help = run(Fixtures.STRANGER, "/help");
        assertThat(help).startsWith("Commands (every command takes --cluster NAME)\n+")
                .contains("| /switchover [--candidate MEMBER] [--at TIME] ")
                .contains("| operator (confirm) |")
                .endsWith("You are discord:42 with role none.");
        assertThat(run(Fixtures.ALICE, "/help /switchover")).isEqualTo("""
                /switchover — hand the leader role to a healthy replica (planned)
                Usage:       /switchover [--candidate MEMBER] [--at TIME] [--cluster NAME]
                Role:        operator (confirm)
                --candidate: the replica to promote
                --at:        schedule it: ISO time (2026-11-24T22:00Z) or HH:MM UTC""");
        assertThat(run(Fixtures.ALICE, "/help swtchover")).isEqualTo("unknown command /swtchover. Did you mean /switchover? Type /help for all commands.");
    }

    @Test
    void failoverNeedsItsCandidate() {
        assertThat(registry.find("failover").orElseThrow().spec().usage()).isEqualTo("/failover --candidate MEMBER [--cluster NAME]");
        assertThat(run(Fixtures.ADMIN, "/failover")).isEqualTo("/failover needs --candidate MEMBER.\nUsage: /failover --candidate MEMBER [--cluster NAME]");
    }

    @Test
    void parseTime() throws UserFacingException {
        OffsetDateTime now = OffsetDateTime.parse("2026-11-24T23:00:00Z");
        assertThat(SwitchoverTime.parse("22:00", now).at()).isEqualTo(OffsetDateTime.parse("2026-11-25T22:00:00Z"));
        assertThat(SwitchoverTime.parse("23:30", now).at()).isEqualTo(OffsetDateTime.parse("2026-11-24T23:30:00Z"));
        assertThat(SwitchoverTime.parse("9:05", now).at()).isEqualTo(OffsetDateTime.parse("2026-11-25T09:05:00Z"));
        assertThat(SwitchoverTime.parse("2026-11-25T01:00Z", now).at()).isEqualTo(OffsetDateTime.parse("2026-11-25T01:00:00Z"));
        assertThatThrownBy(() -> SwitchoverTime.parse("2026-11-25T01:00:00+02:00", now)).as("exactly now is not the future")
                .isInstanceOf(UserFacingException.class).hasMessageStartingWith("--at 2026-11-25T01:00:00+02:00 is in the past");
        assertThatThrownBy(() -> SwitchoverTime.parse("2026-11-24T22:00Z", now)).isInstanceOf(UserFacingException.class)
                .hasMessageStartingWith("--at 2026-11-24T22:00Z is in the past");
        assertThatThrownBy(() -> SwitchoverTime.parse("25:00", now)).isInstanceOf(UserFacingException.class)
                .hasMessage("--at: cannot read \"25:00\" as a time; use HH:MM (UTC) or ISO like 2026-11-24T22:00:00Z.");
        assertThatThrownBy(() -> SwitchoverTime.parse("2026-11-25T01:00:00+02:00", now)).hasMessage(
                "--at 2026-11-25T01:00:00+02:00 is in the past (now 2026-11-25T01:00+02:00).");
        assertThatThrownBy(() -> SwitchoverTime.parse("tomorrow", now)).isInstanceOf(UserFacingException.class)
                .hasMessageStartingWith("--at: cannot read \"tomorrow\"");
    }

    @Test
    void aTimeWithoutZoneIsReadAsUtcAndTimesArePrintedWithoutFractions() throws UserFacingException {
        OffsetDateTime now = OffsetDateTime.parse("2026-11-24T23:00:07.123456789Z");
        SwitchoverTime t = SwitchoverTime.parse("2030-01-01T00:00:00", now);
        assertThat(t.at()).isEqualTo(OffsetDateTime.parse("2030-01-01T00:00:00Z"));
        assertThat(t.shown()).isEqualTo("2030-01-01T00:00Z (read as UTC)");
        assertThat(SwitchoverTime.parse("2030-01-01T06:30", now).shown()).isEqualTo("2030-01-01T06:30Z (read as UTC)");
        assertThat(SwitchoverTime.parse("2030-01-01T06:30:15.5+01:00", now).shown()).isEqualTo("2030-01-01T06:30:15+01:00");
        assertThat(SwitchoverTime.parse("2026-11-25T01:00Z", now).shown()).isEqualTo("2026-11-25T01:00Z");
        assertThatThrownBy(() -> SwitchoverTime.parse("2026-11-24T22:00Z", now))
                .hasMessage("--at 2026-11-24T22:00Z is in the past (now 2026-11-24T23:00:07Z).");
        assertThatThrownBy(() -> SwitchoverTime.parse("2020-01-01T00:00:00", now))
                .hasMessage("--at 2020-01-01T00:00:00 is in the past (now 2026-11-24T23:00:07Z; read as UTC).");
    }

    @Test
    void viewerCannotRunAnyWritingCommand() {
        for (String cmd : List.of("/switchover", "/failover --candidate node2", "/reinit node2", "/restart all", "/reload",
                "/pause", "/resume", "/flush-scheduled")) {
            String name = cmd.split(" ")[0].substring(1);
            Role needed = registry.find(name).orElseThrow().spec().role();
            assertThat(run(Fixtures.VIEWER, cmd)).as(cmd).startsWith("/" + name + " needs the " + needed.label() + " role; slack:UVIEW has viewer.");
        }
    }
}
