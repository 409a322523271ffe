package dev.pgchatops.core;

import dev.pgchatops.config.Role;
import dev.pgchatops.core.parse.ParsedCommand;

import java.time.InstantSource;

/**
 * Everything a command needs for one run. {@code cluster} is null only for commands that do not
 * {@linkplain Command#needsCluster() need one} when none was picked.
 */
public record Invocation(Request request, ParsedCommand command, ClusterRuntime cluster, Role role, Progress progress,
                         InstantSource clock, CommandRegistry registry) {
}
