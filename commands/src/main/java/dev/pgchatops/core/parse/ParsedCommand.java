package dev.pgchatops.core.parse;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A command line after parsing and checking against its {@link CommandSpec}. */
public record ParsedCommand(CommandSpec spec, List<String> positionals, Map<String, String> flags) {
    public ParsedCommand {
        positionals = List.copyOf(positionals);
        flags = Map.copyOf(flags);
    }

    public Optional<String> arg(int i) {
        return i < positionals.size() ? Optional.of(positionals.get(i)) : Optional.empty();
    }

    public Optional<String> flag(String name) {
        return Optional.ofNullable(flags.get(name));
    }

    public boolean has(String name) {
        return flags.containsKey(name);
    }

    /** The arguments as typed (for the audit log). */
    public List<String> argsForAudit() {
        List<String> out = new java.util.ArrayList<>(positionals);
        flags.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.add(e.getValue().isEmpty() ? "--" + e.getKey() : "--" + e.getKey() + "=" + e.getValue()));
        return out;
    }
}
