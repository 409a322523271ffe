package dev.pgchatops.core.parse;

import dev.pgchatops.config.Role;

import java.util.List;
import java.util.Optional;

/**
 * What a command accepts: its positional arguments (names for the usage line), its flags, the role it needs and
 * whether it must be confirmed. {@code --cluster} is accepted by every command and is not listed here.
 */
public record CommandSpec(String name, String summary, Role role, boolean destructive, List<String> positionals,
                          int requiredPositionals, List<Flag> flags) {
    public CommandSpec {
        positionals = List.copyOf(positionals);
        flags = List.copyOf(flags);
        if (requiredPositionals > positionals.size()) throw new IllegalArgumentException("more required than positionals");
    }

    /** A flag; {@code valueName} is null for a switch such as {@code --force}. */
    public record Flag(String name, String valueName, String help, boolean required) {
        public Flag(String name, String valueName, String help) {
            this(name, valueName, help, false);
        }

        /** A flag that must be given, e.g. {@code /failover --candidate MEMBER}. */
        public static Flag required(String name, String valueName, String help) {
            return new Flag(name, valueName, help, true);
        }

        public boolean takesValue() {
            return valueName != null;
        }

        public static Flag value(String name, String valueName, String help) {
            return new Flag(name, valueName, help);
        }

        public static Flag flag(String name, String help) {
            return new Flag(name, null, help);
        }
    }

    public Optional<Flag> flag(String name) {
        return flags.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** The usage line, e.g. {@code /switchover [--candidate MEMBER] [--at TIME] [--cluster NAME]}. */
    public String usage() {
        StringBuilder sb = new StringBuilder("/").append(name);
        for (int i = 0; i < positionals.size(); i++) {
            sb.append(' ').append(i < requiredPositionals ? positionals.get(i) : "[" + positionals.get(i) + "]");
        }
        for (Flag f : flags) {
            sb.append(f.required() ? " --" : " [--").append(f.name());
            if (f.takesValue()) sb.append(' ').append(f.valueName());
            if (!f.required()) sb.append(']');
        }
        return sb.append(" [--cluster NAME]").toString();
    }
}
