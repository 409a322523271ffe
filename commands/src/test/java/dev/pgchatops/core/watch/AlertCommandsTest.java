package dev.pgchatops.core.watch;

import dev.pgchatops.config.AlertChannels;
import dev.pgchatops.config.AlertsConfig;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.ClusterRuntime;
import dev.pgchatops.core.CommandRegistry;
import dev.pgchatops.core.Fixtures;
import dev.pgchatops.core.RecordingResponder;
import dev.pgchatops.core.TestClock;
import dev.pgchatops.core.reply.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** /alerts, /silence, /unsilence, and alert buttons (run:…) going through RBAC as the clicker. */
class AlertCommandsTest {
    final TestClock clock = new TestClock();
    final List<ClusterRuntime> clusters = List.of(Fixtures.offlineCluster("demo"));
    final Watcher watcher = new Watcher(AlertsConfig.defaults(Path.of("/nonexistent"), new AlertChannels(true, List.of(), List.of())),
            clusters, StateStore.memory(), Map.of("console", new RecordingSender()),
            List.of(new Destination("console", "alerts")), clock);
    final Bot bot;

    AlertCommandsTest() {
        CommandRegistry r = new CommandRegistry();
        AlertCommands.all(() -> watcher).forEach(r::register);
        bot = Fixtures.bot(clusters, r, clock, Duration.ofMinutes(2), new ArrayList<>());
    }

    @AfterEach
    void tearDown() {
        bot.close();
        watcher.close();
    }

    RecordingResponder run(dev.pgchatops.core.Identity who, String line) {
        RecordingResponder c = new RecordingResponder();
        bot.handle(Fixtures.req(who, line), c);
        return c;
    }

    @Test
    void silenceButtonRunsAsTheClickerWithRbac() {
        String action = Bot.RUN_PREFIX + "/silence --cluster demo --alert member-down:node3 1h";
        RecordingResponder viewer = new RecordingResponder();
        bot.press(action, Fixtures.VIEWER, "#ops", viewer, "d1").join();
        assertThat(viewer.last().plainText()).contains("/silence needs the operator role");
        assertThat(watcher.silences()).isEmpty();

        RecordingResponder alice = new RecordingResponder();
        bot.press(action, Fixtures.ALICE, "#ops", alice, "d2").join();
        assertThat(alice.last().plainText()).startsWith("Silenced member-down:node3 on demo until 2026-11-24T13:00:00Z (1 h)");
        assertThat(watcher.silences()).singleElement().satisfies(s -> assertThat(s.by()).isEqualTo("console:alice"));
    }

    @Test
    void alertsListsActiveAlerts_unsilenceEndsSilences() {
        watcher.store().change(st -> new Tracker(1).observe(st, "demo", "patroni", List.of(new Condition("member-down:node3",
                Severity.ERROR, "member-down on demo: node3 is not in /cluster", List.of())), clock.instant()));
        clock.advance(Duration.ofMinutes(3));
        assertThat(run(Fixtures.VIEWER, "/alerts").last().plainText()).contains("1 active alert(s)", "member-down:node3", "3 min");
        assertThat(run(Fixtures.ALICE, "/silence 2h").last().plainText()).contains("Silenced all alerts until");
        assertThat(run(Fixtures.ALICE, "/silence soon").last().plainText()).contains("not a duration: \"soon\"; type e.g. 30m, 1h or 2d");
        assertThat(run(Fixtures.VIEWER, "/alerts").last().plainText()).contains("silenced", "Silenced: all alerts until");
        assertThat(run(Fixtures.ALICE, "/unsilence").last().plainText()).contains("Ended 1 silence(s): all alerts.");
        assertThat(watcher.silences()).isEmpty();
    }
}
