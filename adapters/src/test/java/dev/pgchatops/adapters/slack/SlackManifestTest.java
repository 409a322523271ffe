package dev.pgchatops.adapters.slack;

import dev.pgchatops.core.Bots;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.CommandRegistry;
import dev.pgchatops.core.cmd.Follow;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SlackManifestTest {
    private final CommandRegistry registry = Bots.registry(Follow.Limits.DEFAULT);

    @Test
    void committedManifestIsTheOneTheRegistryGives() throws Exception {
        Path committed = Path.of("..", "manifest.yml");
        String expected = SlackManifest.yaml(registry, null);
        assertThat(Files.readString(committed))
                .as("manifest.yml differs from the command registry: regenerate it with"
                        + " `java -jar bot/target/pgchatops.jar slack-manifest > manifest.yml`")
                .isEqualTo(expected);
    }

    @Test
    void everyCommandIsASlashCommandWithDescriptionAndUsage() {
        String y = SlackManifest.yaml(registry, null);
        assertThat(y).contains("    - command: /pg\n");
        for (Command c : registry.all()) {
            assertThat(y).contains("    - command: /" + c.spec().name() + "\n");
        }
        assertThat(y).contains("usage_hint: \"MEMBER... [--force] [--wait] [--cluster NAME]\"")
                .contains("  interactivity:\n    is_enabled: true\n")
                .contains("socket_mode_enabled: true")
                .contains("      - commands\n      - chat:write\n      - usergroups:read\n")
                .doesNotContain("url:");
        // Slack refuses descriptions over 100 characters
        y.lines().filter(l -> l.contains("description:")).forEach(l -> assertThat(l.length()).isLessThan(120));
    }

    @Test
    void httpModePointsCommandsAndInteractivityAtTheRequestUrl() {
        String y = SlackManifest.yaml(registry, "https://bot.example.com/slack/events");
        assertThat(y).contains("      url: \"https://bot.example.com/slack/events\"")
                .contains("    request_url: \"https://bot.example.com/slack/events\"")
                .contains("socket_mode_enabled: false");
        assertThat(y.split("url: \"https://bot.example.com/slack/events\"", -1)).hasSize(registry.all().size() + 1 + 1 + 1);
    }
}
