package dev.pgchatops.core.reply;

import java.util.List;

/** One part of a reply. Adapters render each kind natively (Block Kit, embeds, plain text). */
public sealed interface Block {
    record Text(String text) implements Block {
    }

    /** A table; {@code rows} have as many cells as {@code headers}. */
    record Table(List<String> headers, List<List<String>> rows) implements Block {
        public Table {
            headers = List.copyOf(headers);
            rows = rows.stream().map(List::copyOf).toList();
            for (List<String> r : rows) {
                if (r.size() != headers.size()) {
                    throw new IllegalArgumentException("row has " + r.size() + " cells, table has " + headers.size() + " columns: " + r);
                }
            }
        }
    }

    record Fields(List<Field> fields) implements Block {
        public Fields {
            fields = List.copyOf(fields);
        }
    }

    record Field(String name, String value) {
    }

    /** Buttons; {@link Button#action()} is what the adapter sends back when pressed (e.g. {@code confirm:TOKEN}). */
    record Buttons(List<Button> buttons) implements Block {
        public Buttons {
            buttons = List.copyOf(buttons);
        }
    }

    record Button(String action, String label, Style style) {
    }

    enum Style { PRIMARY, DANGER, DEFAULT }
}
