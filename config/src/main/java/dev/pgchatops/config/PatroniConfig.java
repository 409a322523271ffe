package dev.pgchatops.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

public record PatroniConfig(List<URI> urls, String username, Secret password, Duration connectTimeout,
                            Duration requestTimeout) {
    public PatroniConfig {
        urls = List.copyOf(urls);
    }
}
