package dev.pgchatops.core;

import dev.pgchatops.core.parse.CommandParser;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The commands the bot knows, by name. */
public final class CommandRegistry {
    private final Map<String, Command> commands = new LinkedHashMap<>();

    public CommandRegistry register(Command c) {
        if (commands.putIfAbsent(c.spec().name(), c) != null) {
            throw new IllegalArgumentException("command /" + c.spec().name() + " registered twice");
        }
        return this;
    }

    public Optional<Command> find(String name) {
        return Optional.ofNullable(commands.get(name));
    }

    public Optional<String> closest(String name) {
        return CommandParser.closest(name, List.copyOf(commands.keySet()));
    }

    public Collection<Command> all() {
        return List.copyOf(commands.values());
    }
}
