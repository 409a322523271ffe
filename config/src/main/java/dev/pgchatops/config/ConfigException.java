package dev.pgchatops.config;

import java.util.List;

/** The configuration is invalid; {@link #problems()} has one line per problem, each naming the key. */
public class ConfigException extends Exception {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(problems.size() + " configuration problem(s):\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
