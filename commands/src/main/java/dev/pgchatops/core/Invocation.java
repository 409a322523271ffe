package dev.pgchatops.core;

import dev.pgchatops.config.Role;
import dev.pgchatops.core.parse.ParsedCommand;

import java.time.InstantSource;

/** Everything a command needs for one run. */
public record Invocation(Request request, ParsedCommand command, ClusterRuntime cluster, Role role, Progress progress,
                         InstantSource clock, CommandRegistry registry) {
}
