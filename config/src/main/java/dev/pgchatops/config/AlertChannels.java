package dev.pgchatops.config;

import java.util.List;

/**
 * {@code alerts.channels}: where alerts go. {@code console: true} prints each alert as one line on stdout;
 * {@code slack} and {@code discord} list channel ids of the adapters configured in the same file.
 */
public record AlertChannels(boolean console, List<String> slack, List<String> discord) {
    public AlertChannels {
        slack = List.copyOf(slack);
        discord = List.copyOf(discord);
    }

    public boolean isEmpty() {
        return !console && slack.isEmpty() && discord.isEmpty();
    }
}
