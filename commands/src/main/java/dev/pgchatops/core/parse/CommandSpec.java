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

    /** What kind of value a parameter takes; adapters build native options and autocomplete from it. */
    public enum ValueType {
        /** free text */ TEXT,
        /** a switch without a value, e.g. {@code --force} */ SWITCH,
        /** a member name of the cluster (autocomplete from the live cluster); {@link Param#choices()} lists extra literals such as {@code all} */ MEMBER,
        /** a configured cluster name */ CLUSTER,
        /** a time, e.g. {@code 22:00} or an ISO instant */ TIME,
        /** one of {@link Param#choices()} */ CHOICE
    }

    /**
     * One parameter of a command as an adapter needs it: positionals first (in order), then the flags, then
     * {@code --cluster}. {@code name} is lower-case (Discord option names are).
     */
    public record Param(String name, boolean positional, ValueType type, boolean required, List<String> choices,
                        String help) {
        public Param {
            choices = List.copyOf(choices);
        }
    }

    /** Every parameter with its type, whether it is required, its choices (see {@link Param}). */
    public List<Param> params() {
        List<Param> out = new java.util.ArrayList<>();
        for (int i = 0; i < positionals.size(); i++) {
            String p = positionals.get(i);
            if (p.endsWith(VARIADIC)) p = p.substring(0, p.length() - VARIADIC.length());
            List<String> alts = List.of(p.split("\\|"));
            boolean upper = alts.get(0).equals(alts.get(0).toUpperCase(java.util.Locale.ROOT));
            // option names for the platforms: letters, digits, '-' and '_' only ("KEY=VALUE" -> "keyvalue")
            String name = upper ? alts.get(0).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_-]", "") : "type";
            ValueType t = typeOf(alts.get(0));
            List<String> choices = alts.stream().filter(a -> !a.equals(a.toUpperCase(java.util.Locale.ROOT))).toList();
            if (t == ValueType.TEXT && !choices.isEmpty() && !upper) t = ValueType.CHOICE;
            out.add(new Param(name, true, t, i < requiredPositionals, choices, p));
        }
        for (Flag f : flags) {
            out.add(new Param(f.name(), false, f.takesValue() ? typeOf(f.valueName()) : ValueType.SWITCH, f.required(),
                    List.of(), f.help()));
        }
        out.add(new Param(CommandParser.CLUSTER_FLAG, false, ValueType.CLUSTER, false, List.of(),
                "the cluster (needed when several are configured)"));
        return out;
    }

    private static ValueType typeOf(String valueName) {
        return switch (valueName) {
            case "MEMBER" -> ValueType.MEMBER;
            case "TIME" -> ValueType.TIME;
            case "CLUSTER" -> ValueType.CLUSTER;
            default -> ValueType.TEXT;
        };
    }

    /** The last positional ends with "..." ({@code MEMBER...}, {@code KEY=VALUE...}): it takes one or more words. */
    public boolean variadic() {
        return !positionals.isEmpty() && positionals.get(positionals.size() - 1).endsWith(VARIADIC);
    }

    /** The suffix of a positional that takes the rest of the words. */
    public static final String VARIADIC = "...";

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
