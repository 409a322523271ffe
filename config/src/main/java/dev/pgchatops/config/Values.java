package dev.pgchatops.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads typed values out of YAML nodes. Nothing throws: every problem is added to the shared list with the key it is
 * about, and the reader returns the default (or null) so that the rest of the file is still checked.
 */
final class Values {
    private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9_./-]+");
    private static final String DURATION_EXAMPLES = "(e.g. 500ms, 2s, 5m, 1h)";

    private final List<String> problems;

    Values(List<String> problems) {
        this.problems = problems;
    }

    void problem(String problem) {
        problems.add(problem);
    }

    /** {@code path.key}, or {@code key} at the top level. */
    static String at(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** What was given, for "got ...": {@code a list}, {@code a mapping}, {@code nothing} or the quoted scalar. */
    static String describe(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return "nothing";
        if (v.isArray()) return "a list";
        if (v.isObject()) return "a mapping";
        return "\"" + v.asText() + "\"";
    }

    /** Reports every key of mapping {@code n} that is not in {@code keys}, with the closest known key as a hint. */
    void known(JsonNode n, String path, Collection<String> keys) {
        if (!(n instanceof ObjectNode)) return;
        n.fieldNames().forEachRemaining(k -> {
            if (!keys.contains(k)) {
                String hint = Closest.match(k, keys).map(c -> " (did you mean '" + c + "'?)").orElse("");
                problems.add(at(path, k) + ": unknown key" + hint);
            }
        });
    }

    /** The mapping under {@code key}; null when absent, empty, or (reported) not a mapping. */
    ObjectNode mapping(JsonNode n, String path, String key, String expected) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return null;
        if (v instanceof ObjectNode o) return o;
        problems.add(at(path, key) + ": expected " + expected + ", got " + describe(v));
        return null;
    }

    /** The text of a single value (a list item, a mapping's value); null and reported when it is a list or mapping. */
    String scalar(JsonNode v, String at, String expected) {
        if (v != null && v.isValueNode() && !v.isNull()) return v.asText().trim();
        problems.add(at + ": expected " + expected + ", got " + describe(v));
        return null;
    }

    String string(JsonNode n, String path, String key, boolean required) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            if (required) problems.add(at(path, key) + ": required");
            return null;
        }
        return scalar(v, at(path, key), "a single value");
    }

    String name(JsonNode n, String path, String key, boolean required) {
        String s = string(n, path, key, required);
        if (s != null && !ConfigLoader.NAME.matcher(s).matches()) {
            problems.add(at(path, key) + ": \"" + s + "\" is not a valid name (letters, digits, '_', '.', '-'; at most 63)");
            return null;
        }
        return s;
    }

    String safePath(JsonNode n, String path, String key) {
        String s = string(n, path, key, true);
        if (s != null && !SAFE_PATH.matcher(s).matches()) {
            problems.add(at(path, key) + ": \"" + s + "\" must be an absolute path of letters, digits, '_', '.', '-', '/'");
            return null;
        }
        return s;
    }

    Path file(JsonNode n, String path, String key) {
        String s = string(n, path, key, true);
        if (s == null) return null;
        Path p = Path.of(s);
        if (!Files.isReadable(p)) problems.add(at(path, key) + ": file not found or not readable: " + s);
        return p;
    }

    boolean bool(JsonNode n, String path, String key, boolean def) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return def;
        if (v.isBoolean()) return v.asBoolean();
        problems.add(at(path, key) + ": expected true or false, got " + describe(v));
        return def;
    }

    int integer(JsonNode n, String path, String key, int min, int max, int def) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return def;
        if (v.isIntegralNumber() && v.canConvertToInt() && v.asInt() >= min && v.asInt() <= max) return v.asInt();
        problems.add(at(path, key) + ": expected a whole number from " + min + " to " + max + ", got " + describe(v));
        return def;
    }

    /** A positive duration; zero and negative ones are "must be positive", lists and mappings say what they are. */
    Duration duration(JsonNode n, String path, String key, Duration def) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return def;
        if (!v.isValueNode()) {
            problems.add(at(path, key) + ": expected a duration like 2s or 5m, got " + describe(v));
            return def;
        }
        Optional<Duration> d = Durations.parse(v.asText());
        if (d.isEmpty()) {
            problems.add(at(path, key) + ": not a duration: \"" + v.asText() + "\" " + DURATION_EXAMPLES);
            return def;
        }
        if (d.get().isZero() || d.get().isNegative()) {
            problems.add(at(path, key) + ": must be a positive duration, got \"" + v.asText() + "\"");
            return def;
        }
        return d.get();
    }
}
