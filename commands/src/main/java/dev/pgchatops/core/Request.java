package dev.pgchatops.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One command from a user in a channel: a typed line ({@code /switchover --candidate node2}) or, where the platform
 * delivers typed options (Discord), a command name with its words already split. {@code deliveryId} is the
 * platform's id of this delivery (Slack envelope/event id, Discord interaction id): the same id again runs nothing.
 */
public record Request(Identity user, String channel, Input input, Optional<String> deliveryId) {
    public Request {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(deliveryId, "deliveryId");
        if (channel == null) channel = "";
    }

    /** A typed line without a delivery id (the console, tests). */
    public Request(Identity user, String channel, String text) {
        this(user, channel, new Input.Line(text == null ? "" : text), Optional.empty());
    }

    public static Request line(Identity user, String channel, String text, String deliveryId) {
        return new Request(user, channel, new Input.Line(text == null ? "" : text), Optional.ofNullable(deliveryId));
    }

    public static Request typed(Identity user, String channel, String command, List<String> words, String deliveryId) {
        return new Request(user, channel, new Input.Typed(command, words), Optional.ofNullable(deliveryId));
    }

    /** What the user sent, as one line (for messages and the audit log). */
    public String text() {
        return input.text();
    }

    /** A command as the platform delivered it. */
    public sealed interface Input {
        String text();

        /** A line as typed; the bot splits it into words (quotes, escapes). */
        record Line(String text) implements Input {
            public Line {
                Objects.requireNonNull(text, "text");
            }
        }

        /** A command name and its words, already split (typed options); no tokenizing, no quoting. */
        record Typed(String command, List<String> words) implements Input {
            public Typed {
                Objects.requireNonNull(command, "command");
                words = List.copyOf(words);
            }

            @Override
            public String text() {
                return "/" + command + (words.isEmpty() ? "" : " " + String.join(" ", words));
            }
        }
    }
}
