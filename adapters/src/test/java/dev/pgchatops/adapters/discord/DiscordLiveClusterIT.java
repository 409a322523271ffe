package dev.pgchatops.adapters.discord;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pgchatops.config.BotConfig;
import dev.pgchatops.config.ConfigLoader;
import dev.pgchatops.config.DiscordConfig;
import dev.pgchatops.config.Secret;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.Bots;
import dev.pgchatops.core.cmd.Follow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.pgchatops.adapters.discord.FakeDiscord.ALICE;
import static dev.pgchatops.adapters.discord.FakeDiscord.APP;
import static dev.pgchatops.adapters.discord.FakeDiscord.GUILD;
import static dev.pgchatops.adapters.discord.FakeDiscord.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real JDA against the fake Discord, the real bot against the real local cluster (scripts/local-cluster; the
 * config comes from PGCHATOPS_IT_CONFIG): /cluster-list shows the live members, /reinit's member option
 * autocompletes them.
 */
class DiscordLiveClusterIT {
    FakeDiscord discord;
    Bot bot;
    DiscordAdapter adapter;
    List<String> members;

    @BeforeEach
    void start() throws Exception {
        String cfg = System.getenv("PGCHATOPS_IT_CONFIG");
        if (cfg == null || cfg.isBlank()) {
            if ("true".equals(System.getenv("CI"))) fail("PGCHATOPS_IT_CONFIG is not set: run the suite through scripts/test");
            assumeTrue(false, "no live cluster (run through scripts/test)");
        }
        BotConfig config = ConfigLoader.load(Path.of(cfg));
        bot = Bots.create(config, e -> { }, Clock.systemUTC(), Follow.Limits.DEFAULT);
        members = bot.clusters().values().iterator().next().patroni().cluster().memberNames();
        assertThat(members).hasSizeGreaterThanOrEqualTo(3);
        discord = new FakeDiscord();
        adapter = new DiscordAdapter(new DiscordConfig(new Secret("env DISCORD_TOKEN", FakeDiscord.TOKEN), Optional.of(GUILD),
                URI.create(discord.apiUrl()), URI.create(discord.gatewayUrl())), bot);
        adapter.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (adapter != null) adapter.close();
        if (bot != null) bot.close();
        if (discord != null) discord.close();
    }

    @Test
    void clusterListShowsTheLiveMembersInTheEditedOriginal() throws Exception {
        ObjectNode alice = FakeDiscord.member(ALICE, "alice");
        String id = discord.slash(alice, "cluster-list", Map.of());
        FakeDiscord.Call cb = discord.await("deferred callback", route("POST", "interactions/" + id + "/itoken-" + id + "/callback"));
        assertThat(cb.body().path("type").asInt()).isEqualTo(5);
        FakeDiscord.Call edit = discord.await("edit of @original", route("PATCH", "webhooks/" + APP + "/itoken-" + id + "/messages/@original"));
        String description = edit.body().path("embeds").get(0).path("description").asText();
        assertThat(description).contains(members).contains("Leader");
        assertThat(edit.body().path("embeds").get(0).path("title").asText()).startsWith("Cluster: ");
    }

    @Test
    void reinitMemberAutocompletesTheLiveMemberNames() throws Exception {
        ObjectNode alice = FakeDiscord.member(ALICE, "alice");
        String id = discord.autocomplete(alice, "reinit", "member", "");
        FakeDiscord.Call cb = discord.await("autocomplete answer", route("POST", "interactions/" + id + "/itoken-" + id + "/callback"));
        assertThat(cb.body().path("type").asInt()).isEqualTo(8);
        assertThat(cb.body().path("data").path("choices").findValuesAsText("value")).containsExactlyInAnyOrderElementsOf(members);
    }
}
