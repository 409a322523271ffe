package dev.pgchatops.config;

import java.nio.file.Path;
import java.time.Duration;

public record SshConfig(String user, Path privateKey, Path knownHosts, Duration connectTimeout,
                        Duration commandTimeout, int maxConnections) {
}
