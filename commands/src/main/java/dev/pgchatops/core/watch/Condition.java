package dev.pgchatops.core.watch;

import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Severity;

import java.util.List;

/**
 * A state of a cluster worth an alert, as one poll saw it. {@code key} is stable within the cluster
 * ({@code member-down:node2}, {@code leader-unreachable}); its {@code kind} is the part before ':'. {@code title}
 * names the kind and the members ("member-down on demo: node2 is not in /cluster"); {@code facts} are the details
 * (a change in them is posted into the alert's thread); {@code holdPolls} overrides how many polls in a row the state
 * must be seen before it fires (0: the configured damping).
 */
public record Condition(String key, Severity severity, String title, List<String> facts, List<Block.Button> buttons,
                        int holdPolls) {
    public Condition {
        facts = List.copyOf(facts);
        buttons = List.copyOf(buttons);
    }

    public Condition(String key, Severity severity, String title, List<String> facts) {
        this(key, severity, title, facts, List.of(), 0);
    }

    public Condition withButtons(List<Block.Button> b) {
        return new Condition(key, severity, title, facts, b, holdPolls);
    }

    public Condition holding(int polls) {
        return new Condition(key, severity, title, facts, buttons, polls);
    }

    public String kind() {
        int i = key.indexOf(':');
        return i < 0 ? key : key.substring(0, i);
    }
}
