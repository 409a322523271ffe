package dev.pgchatops.config;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * The Slack adapter: {@code mode} socket (app-level token, no public URL) or http ({@code POST /slack/events} on
 * {@code httpPort}, signed with the signing secret). {@code apiUrl} is Slack's Web API base (a proxy, GovSlack or a
 * test's fake), with its trailing slash.
 */
public record SlackConfig(Mode mode, Secret botToken, Optional<Secret> appToken, Optional<Secret> signingSecret,
                          int httpPort, URI apiUrl) {
    public static final URI DEFAULT_API_URL = URI.create("https://slack.com/api/");
    public static final int DEFAULT_HTTP_PORT = 3000;

    public enum Mode { SOCKET, HTTP }

    public SlackConfig {
        Objects.requireNonNull(mode);
        Objects.requireNonNull(botToken);
        Objects.requireNonNull(apiUrl);
        if (mode == Mode.SOCKET && appToken.isEmpty()) throw new IllegalArgumentException("socket mode needs an app token");
        if (mode == Mode.HTTP && signingSecret.isEmpty()) throw new IllegalArgumentException("http mode needs a signing secret");
    }
}
