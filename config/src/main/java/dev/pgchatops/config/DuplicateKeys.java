package dev.pgchatops.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds keys given twice in one mapping, at any depth and inside list items. A YAML reader keeps the last value
 * silently (a second {@code default-role: admin} wins), so the loader reports each as
 * {@code access.default-role: duplicate key (lines 12 and 14); keep one}. Jackson's own duplicate detection names
 * only one location, hence this walk over the parser's tokens.
 */
final class DuplicateKeys {
    private DuplicateKeys() {
    }

    /** One problem per duplicated key, ordered by the line of its second occurrence; empty for invalid YAML. */
    static List<String> find(String yaml) {
        record Found(int secondLine, String problem) {
        }
        List<Found> found = new ArrayList<>();
        Deque<Frame> stack = new ArrayDeque<>();
        try (JsonParser p = new YAMLFactory().createParser(yaml)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                Frame top = stack.peek();
                switch (t) {
                    case FIELD_NAME -> top.key(p.currentName(), p.currentTokenLocation().getLineNr());
                    case START_OBJECT -> stack.push(new Frame(childPath(top), true));
                    case START_ARRAY -> stack.push(new Frame(childPath(top), false));
                    case END_OBJECT, END_ARRAY -> {
                        Frame done = stack.pop();
                        done.lines.forEach((key, lines) -> {
                            if (lines.size() > 1) {
                                found.add(new Found(lines.get(1), done.at(key) + ": duplicate key (lines " + list(lines) + "); keep one"));
                            }
                        });
                    }
                    default -> childPath(top); // a scalar: counts as a list item
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of(); // not valid YAML: the YAML reader reports it with its line
        }
        return found.stream().sorted(Comparator.comparingInt(Found::secondLine)).map(Found::problem).toList();
    }

    /** The path of the value that starts now inside {@code parent} (null at the root); advances a list's index. */
    private static String childPath(Frame parent) {
        if (parent == null) return "";
        if (parent.mapping) return parent.at(parent.key);
        parent.index++;
        return parent.path + "[" + parent.index + "]";
    }

    private static String list(List<Integer> lines) {
        List<String> s = lines.stream().map(String::valueOf).toList();
        return String.join(", ", s.subList(0, s.size() - 1)) + " and " + s.get(s.size() - 1);
    }

    /** An open mapping (its keys and their lines) or list (the index of its current item). */
    private static final class Frame {
        final String path;
        final boolean mapping;
        final Map<String, List<Integer>> lines = new LinkedHashMap<>();
        String key;
        int index = -1;

        Frame(String path, boolean mapping) {
            this.path = path;
            this.mapping = mapping;
        }

        void key(String name, int line) {
            key = name;
            lines.computeIfAbsent(name, k -> new ArrayList<>()).add(line);
        }

        String at(String k) {
            return path.isEmpty() ? k : path + "." + k;
        }
    }
}
