package dev.pgchatops.config;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * The Discord adapter: the bot token, the guild to register commands in (instantly; global commands otherwise), and
 * the REST and gateway bases (Discord's own by default; a proxy or a test's fake otherwise).
 */
public record DiscordConfig(Secret token, Optional<String> guildId, URI apiUrl, URI gatewayUrl) {
    public static final URI DEFAULT_API_URL = URI.create("https://discord.com/api/v10/");
    public static final URI DEFAULT_GATEWAY_URL = URI.create("wss://gateway.discord.gg/");

    public DiscordConfig {
        Objects.requireNonNull(token);
        Objects.requireNonNull(guildId);
        Objects.requireNonNull(apiUrl);
        Objects.requireNonNull(gatewayUrl);
    }
}
