package dev.pgchatops.core.parse;

import dev.pgchatops.config.Closest;
import dev.pgchatops.core.Texts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Checks the words after the command name against a {@link CommandSpec}. */
public final class CommandParser {
    public static final String CLUSTER_FLAG = "cluster";

    private CommandParser() {
    }

    public static ParsedCommand parse(CommandSpec spec, List<String> words) throws ParseException {
        List<String> pos = new ArrayList<>();
        Map<String, String> flags = new LinkedHashMap<>();
        boolean optionsEnded = false;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (optionsEnded) {
                pos.add(w);
            } else if (w.equals("--")) {
                optionsEnded = true; // everything after "--" is an argument, even if it starts with dashes
            } else if (w.startsWith("-") && !w.startsWith("--") && w.length() > 1) {
                throw new ParseException(shortOption(spec, w));
            } else if (w.startsWith("--") && w.length() > 2) {
                String name = w.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                CommandSpec.Flag flag;
                if (name.equals(CLUSTER_FLAG)) {
                    flag = CommandSpec.Flag.value(CLUSTER_FLAG, "NAME", "cluster");
                } else {
                    Optional<CommandSpec.Flag> f = spec.flag(name);
                    if (f.isEmpty()) {
                        List<String> names = new ArrayList<>(spec.flags().stream().map(CommandSpec.Flag::name).toList());
                        names.add(CLUSTER_FLAG);
                        String hint = closest(name, names).map(c -> " Did you mean --" + c + "?").orElse("");
                        throw new ParseException("unknown option --" + Texts.abbreviate(name, ECHO) + " for /" + spec.name() + "." + hint
                                + "\nUsage: " + spec.usage());
                    }
                    flag = f.get();
                }
                if (flags.containsKey(name)) {
                    throw new ParseException("--" + name + " given twice.\nUsage: " + spec.usage());
                }
                if (flag.takesValue()) {
                    if (value == null) {
                        if (i + 1 >= words.size() || words.get(i + 1).startsWith("--")) {
                            throw new ParseException("--" + name + " needs a value (" + flag.valueName() + ").\nUsage: " + spec.usage());
                        }
                        value = words.get(++i);
                    }
                    if (value.isEmpty()) throw new ParseException("--" + name + " needs a value (" + flag.valueName() + ").\nUsage: " + spec.usage());
                } else if (value != null) {
                    throw new ParseException("--" + name + " takes no value.\nUsage: " + spec.usage());
                } else {
                    value = "";
                }
                flags.put(name, value);
            } else {
                pos.add(w);
            }
        }
        if (pos.size() > spec.positionals().size() && !spec.variadic()) {
            String extra = pos.get(spec.positionals().size());
            throw new ParseException("unexpected argument \"" + Texts.abbreviate(extra, ECHO) + "\" for /" + spec.name()
                    + (pos.size() == spec.positionals().size() + 1 ? "" : " (and " + (pos.size() - spec.positionals().size() - 1) + " more)")
                    + ".\nUsage: " + spec.usage());
        }
        if (pos.size() < spec.requiredPositionals()) {
            String what = spec.positionals().get(pos.size());
            if (what.endsWith(CommandSpec.VARIADIC)) what = what.substring(0, what.length() - CommandSpec.VARIADIC.length()) + " (one or more)";
            throw new ParseException("/" + spec.name() + " needs " + what + ".\nUsage: " + spec.usage());
        }
        for (CommandSpec.Flag f : spec.flags()) {
            if (f.required() && !flags.containsKey(f.name())) {
                throw new ParseException("/" + spec.name() + " needs --" + f.name() + " " + f.valueName() + ".\nUsage: " + spec.usage());
            }
        }
        return new ParsedCommand(spec, pos, flags);
    }

    /**
     * {@code -f}: options have two dashes. Names the long option it probably means (the only one starting with that
     * letter), or says how to pass an argument that starts with a dash.
     */
    private static String shortOption(CommandSpec spec, String w) {
        String letters = w.substring(1);
        List<String> names = new ArrayList<>(spec.flags().stream().map(CommandSpec.Flag::name).toList());
        names.add(CLUSTER_FLAG);
        List<String> match = names.stream().filter(n -> letters.length() == 1 && n.startsWith(letters)).toList();
        String hint = match.size() == 1 ? " Did you mean --" + match.get(0) + "?"
                : " Options start with two dashes (" + String.join(", ", names.stream().map(n -> "--" + n).toList())
                + "); to pass an argument that starts with a dash, put -- before it.";
        return "unknown option " + Texts.abbreviate(w, ECHO) + " for /" + spec.name() + "." + hint + "\nUsage: " + spec.usage();
    }

    /** How much of a user-typed value an error message echoes. */
    public static final int ECHO = 60;

    public static Optional<String> closest(String word, List<String> candidates) {
        return Closest.match(word, candidates);
    }
}
