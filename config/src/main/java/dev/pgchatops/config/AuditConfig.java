package dev.pgchatops.config;

import java.nio.file.Path;

public record AuditConfig(Path path) {
}
