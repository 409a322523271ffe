package dev.pgchatops.adapters.discord;

import dev.pgchatops.core.Command;
import dev.pgchatops.core.CommandRegistry;
import dev.pgchatops.core.parse.CommandSpec;
import net.dv8tion.jda.api.exceptions.ParsingException;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The core's commands as Discord slash commands, built from {@link CommandSpec#params()}: free text and times are
 * strings, switches booleans, CHOICE parameters strings with fixed choices (full/diff/incr), MEMBER and CLUSTER
 * strings with autocomplete from the live cluster. Discord wants required options first, so they are sorted so
 * (stable). {@link #words} turns the options of an interaction back into the words the core parses.
 */
final class SlashCommands {
    static final int DESCRIPTION = 100;

    private SlashCommands() {
    }

    static List<SlashCommandData> definitions(CommandRegistry registry) {
        List<SlashCommandData> out = new ArrayList<>();
        for (Command c : registry.all()) out.add(definition(c.spec()));
        return out;
    }

    static SlashCommandData definition(CommandSpec spec) {
        SlashCommandData d = Commands.slash(spec.name(), describe(spec.summary()))
                .setContexts(InteractionContextType.GUILD);
        List<CommandSpec.Param> params = new ArrayList<>(spec.params());
        params.sort(Comparator.comparing((CommandSpec.Param p) -> !p.required()));
        for (CommandSpec.Param p : params) d.addOptions(option(p));
        return d;
    }

    private static OptionData option(CommandSpec.Param p) {
        String help = describe(p.help() == null || p.help().isBlank() ? p.name() : p.help());
        return switch (p.type()) {
            case SWITCH -> new OptionData(OptionType.BOOLEAN, p.name(), help, p.required());
            case CHOICE -> {
                OptionData o = new OptionData(OptionType.STRING, p.name(), help, p.required());
                for (String c : p.choices()) o.addChoice(c, c);
                yield o;
            }
            case MEMBER, CLUSTER -> new OptionData(OptionType.STRING, p.name(), help, p.required(), true);
            case TEXT, TIME -> new OptionData(OptionType.STRING, p.name(), help, p.required());
        };
    }

    /** Discord's descriptions are 1–100 characters; a longer help is shortened here (it is metadata, not a reply). */
    static String describe(String s) {
        String t = s.strip();
        if (t.isEmpty()) return "-";
        return t.length() <= DESCRIPTION ? t : t.substring(0, DESCRIPTION - 1) + "…";
    }

    /**
     * The words for the core: positionals in order, flags as {@code --name=value} (a value can never be taken for a
     * flag), switches as {@code --name} when true. When a positional value starts with '-', the flags come first and
     * "--" ends the options, so it stays a positional. An option Discord sent without a value (or with null) counts as
     * not given, and a switch is set only by {@code true}: JDA throws on reading such values, and an exception here
     * would leave the interaction deferred and never answered.
     */
    static List<String> words(CommandSpec spec, Function<String, OptionMapping> options) {
        List<String> positionals = new ArrayList<>();
        List<String> flags = new ArrayList<>();
        int positional = 0;
        for (CommandSpec.Param p : spec.params()) {
            OptionMapping m = options.apply(p.name());
            boolean last = p.positional() && ++positional == spec.positionals().size();
            if (m == null) continue;
            if (p.type() == CommandSpec.ValueType.SWITCH) {
                if (on(m)) flags.add("--" + p.name());
                continue;
            }
            Optional<String> value = string(m);
            if (value.isEmpty()) continue;
            if (p.positional() && last && spec.variadic()) {
                // one option holds the list ("node1 node2"): Discord has no repeatable options
                for (String w : value.get().trim().split("[\\s,]+")) if (!w.isEmpty()) positionals.add(w);
            } else if (p.positional()) {
                positionals.add(value.get());
            } else {
                flags.add("--" + p.name() + "=" + value.get());
            }
        }
        List<String> out = new ArrayList<>();
        if (positionals.stream().anyMatch(w -> w.startsWith("-"))) {
            out.addAll(flags);
            out.add("--");
            out.addAll(positionals);
        } else {
            out.addAll(positionals);
            out.addAll(flags);
        }
        return out;
    }

    /** An option's value as text; empty when Discord sent the option without a value or with null. */
    static Optional<String> string(OptionMapping m) {
        try {
            return Optional.of(m.getAsString());
        } catch (ParsingException e) {
            return Optional.empty();
        }
    }

    /** A switch is set by a boolean true (or the text "true" in an option of another type); anything else is off. */
    static boolean on(OptionMapping m) {
        if (m.getType() == OptionType.BOOLEAN) {
            try {
                return m.getAsBoolean();
            } catch (ParsingException e) {
                // a value that is no boolean: read as text below
            }
        }
        return string(m).map(Boolean::parseBoolean).orElse(false);
    }
}
