package dev.pgchatops.bot;

import dev.pgchatops.adapters.ChatAdapter;
import dev.pgchatops.config.BotConfig;
import dev.pgchatops.core.Bot;

import java.util.ArrayList;
import java.util.List;

/** The chat adapters the configuration enables (a {@code slack:} or {@code discord:} section), not yet started. */
final class Adapters {
    private Adapters() {
    }

    static List<ChatAdapter> enabled(BotConfig config, Bot bot) {
        List<ChatAdapter> out = new ArrayList<>();
        // one line per adapter, e.g. config.slack().ifPresent(s -> out.add(new SlackAdapter(s, bot)));
        config.slack().ifPresent(s -> out.add(new dev.pgchatops.adapters.slack.SlackAdapter(s, config.access(), bot)));
        config.discord().ifPresent(d -> out.add(new dev.pgchatops.adapters.discord.DiscordAdapter(d, bot)));
        return out;
    }
}
