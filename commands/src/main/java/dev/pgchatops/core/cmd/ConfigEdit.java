package dev.pgchatops.core.cmd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pgchatops.config.Closest;
import dev.pgchatops.core.UserFacingException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Changes to Patroni's dynamic configuration by dotted keys ({@code loop_wait=5},
 * {@code postgresql.parameters.max_connections=200}): parsed and checked, compared with the current GET /config
 * ({@link #diff}) and turned into the PATCH body of exactly what changes ({@link #patch}). Values are YAML scalars of
 * the core schema: whole numbers, decimals, {@code true}/{@code false}, everything else text ({@code '200'} in
 * quotes stays text). No objects or lists: one key at a time.
 */
public final class ConfigEdit {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,62}");
    private static final Pattern PG_PARAM = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?");
    private static final Pattern INT = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9]+\\.[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");

    /** Patroni's dynamic configuration keys (top level), with the type Patroni expects. */
    static final Map<String, Kind> TOP = Map.ofEntries(Map.entry("ttl", Kind.INT), Map.entry("loop_wait", Kind.INT),
            Map.entry("retry_timeout", Kind.INT), Map.entry("maximum_lag_on_failover", Kind.INT),
            Map.entry("maximum_lag_on_syncnode", Kind.INT), Map.entry("max_timelines_history", Kind.INT),
            Map.entry("primary_start_timeout", Kind.INT), Map.entry("primary_stop_timeout", Kind.INT),
            Map.entry("master_start_timeout", Kind.INT), Map.entry("master_stop_timeout", Kind.INT),
            Map.entry("synchronous_mode", Kind.ANY), Map.entry("synchronous_mode_strict", Kind.BOOL),
            Map.entry("synchronous_node_count", Kind.INT), Map.entry("failsafe_mode", Kind.BOOL),
            Map.entry("check_timeline", Kind.BOOL), Map.entry("member_slots_ttl", Kind.ANY),
            Map.entry("postgresql", Kind.OBJECT), Map.entry("standby_cluster", Kind.OBJECT),
            Map.entry("slots", Kind.OBJECT), Map.entry("ignore_slots", Kind.ANY));
    /** Keys under {@code postgresql}. */
    static final Map<String, Kind> POSTGRESQL = Map.of("use_pg_rewind", Kind.BOOL, "use_slots", Kind.BOOL,
            "parameters", Kind.OBJECT, "recovery_conf", Kind.OBJECT,
            "remove_data_directory_on_rewind_failure", Kind.BOOL,
            "remove_data_directory_on_diverged_timelines", Kind.BOOL, "pg_hba", Kind.LIST, "pg_ident", Kind.LIST);
    /**
     * PostgreSQL 15 parameters of context {@code postmaster}: a change is applied only by a restart (Patroni then
     * marks the members "pending restart").
     */
    static final Set<String> NEEDS_RESTART = Set.of("archive_mode", "autovacuum_freeze_max_age",
            "autovacuum_max_workers", "autovacuum_multixact_freeze_max_age", "bonjour", "bonjour_name", "cluster_name",
            "config_file", "data_directory", "data_sync_retry", "dynamic_shared_memory_type", "event_source",
            "external_pid_file", "hba_file", "hot_standby", "huge_pages", "huge_page_size", "ident_file",
            "ignore_invalid_pages", "jit_provider", "listen_addresses", "logging_collector", "max_connections",
            "max_files_per_process", "max_locks_per_transaction", "max_logical_replication_workers",
            "max_pred_locks_per_transaction", "max_prepared_transactions", "max_replication_slots",
            "max_wal_senders", "max_worker_processes", "min_dynamic_shared_memory", "old_snapshot_threshold", "port",
            "recovery_target", "recovery_target_action", "recovery_target_inclusive", "recovery_target_lsn",
            "recovery_target_name", "recovery_target_time", "recovery_target_timeline", "recovery_target_xid",
            "reserved_connections", "shared_buffers", "shared_memory_type", "shared_preload_libraries",
            "superuser_reserved_connections", "track_activity_query_size", "track_commit_timestamp",
            "unix_socket_directories", "unix_socket_group", "unix_socket_permissions", "wal_buffers", "wal_decode_buffer_size",
            "wal_level", "wal_log_hints");

    enum Kind { INT, BOOL, ANY, OBJECT, LIST }

    /** A dotted key as typed and its path into the configuration. */
    public record Key(String typed, List<String> path) {
        public String leaf() {
            return path.get(path.size() - 1);
        }

        boolean isPgParameter() {
            return path.size() == 3 && path.get(0).equals("postgresql") && path.get(1).equals("parameters");
        }

        public boolean needsRestart() {
            return isPgParameter() && NEEDS_RESTART.contains(leaf().toLowerCase(Locale.ROOT));
        }
    }

    /** One change: {@code value} empty means remove the key. */
    public record Change(Key key, Optional<JsonNode> value) {
    }

    /** One line of a diff: the old value (empty = not set) and the new one (empty = removed). */
    public record Line(Key key, Optional<JsonNode> old, Optional<JsonNode> now) {
        public boolean changes() {
            return !old.equals(now);
        }
    }

    private ConfigEdit() {
    }

    /** {@code KEY=VALUE} words of /config-set. */
    public static List<Change> assignments(List<String> words) throws UserFacingException {
        List<Change> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new UserFacingException("'" + abbreviate(w) + "' is not KEY=VALUE; e.g. /config-set loop_wait=5 "
                        + "postgresql.parameters.max_connections=200 (quote a value with spaces)");
            }
            Key k = key(w.substring(0, eq));
            if (seen.contains(String.join(".", k.path()))) throw new UserFacingException(k.typed() + " is given twice");
            seen.add(String.join(".", k.path()));
            out.add(new Change(k, Optional.of(value(k, w.substring(eq + 1)))));
        }
        return out;
    }

    /** KEY words of /config-unset. */
    public static List<Change> removals(List<String> words) throws UserFacingException {
        List<Change> out = new ArrayList<>();
        for (String w : words) {
            if (w.contains("=")) {
                throw new UserFacingException("/config-unset takes keys only, not '" + abbreviate(w) + "'; to set a value "
                        + "type /config-set " + abbreviate(w));
            }
            out.add(new Change(key(w), Optional.empty()));
        }
        return out;
    }

    /** Parses and checks a dotted key against Patroni's dynamic configuration keys. */
    public static Key key(String typed) throws UserFacingException {
        String t = typed.trim();
        if (t.isEmpty()) throw new UserFacingException("empty key; e.g. loop_wait or postgresql.parameters.work_mem");
        List<String> path = new ArrayList<>();
        // postgresql.parameters.NAME: NAME is one PostgreSQL parameter, which may itself hold one dot (pg_stat_statements.max)
        if (t.startsWith("postgresql.parameters.") || t.startsWith("postgresql.recovery_conf.")) {
            int second = t.indexOf('.', "postgresql.".length());
            path.add("postgresql");
            path.add(t.substring("postgresql.".length(), second));
            String name = t.substring(second + 1);
            if (!PG_PARAM.matcher(name).matches()) {
                throw new UserFacingException("'" + abbreviate(name) + "' is not a PostgreSQL parameter name (key "
                        + abbreviate(t) + ")");
            }
            path.add(name);
            return new Key(t, List.copyOf(path));
        }
        for (String seg : t.split("\\.", -1)) {
            if (!SEGMENT.matcher(seg).matches()) {
                throw new UserFacingException("'" + abbreviate(t) + "' is not a configuration key (dotted names of letters, "
                        + "digits and _, e.g. postgresql.parameters.max_connections)");
            }
            path.add(seg);
        }
        String top = path.get(0);
        if (top.equals("pause")) {
            throw new UserFacingException("pause is maintenance mode: use /pause and /resume");
        }
        Kind kind = TOP.get(top);
        if (kind == null) {
            throw new UserFacingException("unknown key '" + abbreviate(top) + "' in Patroni's dynamic configuration."
                    + Closest.match(top, TOP.keySet().stream().sorted().toList()).map(c -> " Did you mean " + c + "?").orElse("")
                    + " Keys: " + String.join(", ", TOP.keySet().stream().sorted().toList()));
        }
        if (top.equals("postgresql")) {
            if (path.size() == 1) throw new UserFacingException("postgresql is a section; name a key in it, e.g. postgresql.use_pg_rewind");
            Kind sub = POSTGRESQL.get(path.get(1));
            if (sub == null) {
                throw new UserFacingException("unknown key 'postgresql." + abbreviate(path.get(1)) + "'."
                        + Closest.match(path.get(1), POSTGRESQL.keySet().stream().sorted().toList())
                        .map(c -> " Did you mean postgresql." + c + "?").orElse("")
                        + " Keys under postgresql: " + String.join(", ", POSTGRESQL.keySet().stream().sorted().toList()));
            }
            if (sub == Kind.LIST) {
                throw new UserFacingException("postgresql." + path.get(1) + " is a list; the bot changes single values only "
                        + "(edit it with patronictl edit-config)");
            }
            if (sub == Kind.OBJECT) {
                throw new UserFacingException("postgresql." + path.get(1) + " is a section; name a key in it, e.g. postgresql."
                        + path.get(1) + "." + (path.get(1).equals("parameters") ? "max_connections" : "restore_command"));
            }
            if (path.size() > 2) throw new UserFacingException("postgresql." + path.get(1) + " is a single value, not a section");
        } else if (kind != Kind.OBJECT && path.size() > 1) {
            throw new UserFacingException(top + " is a single value, not a section; type " + top + "=VALUE");
        } else if (kind == Kind.OBJECT && path.size() == 1) {
            throw new UserFacingException(top + " is a section; name a key in it, e.g. " + top + ".NAME");
        }
        return new Key(t, List.copyOf(path));
    }

    /** The typed value: a YAML scalar of the core schema, checked against the key's type. */
    public static JsonNode value(Key k, String raw) throws UserFacingException {
        String v = raw.trim();
        JsonNode n;
        if (v.length() >= 2 && (v.startsWith("'") && v.endsWith("'") || v.startsWith("\"") && v.endsWith("\""))) {
            n = F.textNode(v.substring(1, v.length() - 1));
        } else if (v.isEmpty()) {
            throw new UserFacingException(k.typed() + " needs a value (to remove the key: /config-unset " + k.typed() + ")");
        } else if (v.equals("null") || v.equals("~") || v.equalsIgnoreCase("null")) {
            throw new UserFacingException("to remove " + k.typed() + " type /config-unset " + k.typed());
        } else if (v.startsWith("{") || v.startsWith("[")) {
            throw new UserFacingException(k.typed() + ": objects and lists are not accepted; set one key at a time, e.g. "
                    + k.typed() + ".NAME=VALUE");
        } else if (INT.matcher(v).matches()) {
            n = F.numberNode(new java.math.BigInteger(v));
            if (n.canConvertToLong()) n = F.numberNode(n.asLong());
        } else if (DECIMAL.matcher(v).matches()) {
            n = F.numberNode(new BigDecimal(v));
        } else if (v.equals("true") || v.equals("True") || v.equals("TRUE")) {
            n = F.booleanNode(true);
        } else if (v.equals("false") || v.equals("False") || v.equals("FALSE")) {
            n = F.booleanNode(false);
        } else {
            n = F.textNode(v);
        }
        Kind kind = kindOf(k);
        if (kind == Kind.INT && !(n.isIntegralNumber() && n.asLong() >= 0)) {
            throw new UserFacingException(k.typed() + " must be a whole number >= 0, not '" + abbreviate(raw) + "'");
        }
        if (kind == Kind.BOOL && !n.isBoolean()) {
            throw new UserFacingException(k.typed() + " must be true or false, not '" + abbreviate(raw) + "'");
        }
        return n;
    }

    static Kind kindOf(Key k) {
        if (k.path().size() == 1) return TOP.getOrDefault(k.path().get(0), Kind.ANY);
        if (k.path().get(0).equals("postgresql") && k.path().size() == 2) return POSTGRESQL.getOrDefault(k.path().get(1), Kind.ANY);
        return Kind.ANY;
    }

    /** Every change against {@code current}, in the order given; unchanged values included (see {@link Line#changes}). */
    public static List<Line> diff(JsonNode current, List<Change> changes) {
        List<Line> out = new ArrayList<>();
        for (Change c : changes) out.add(new Line(c.key(), at(current, c.key().path()), c.value().map(ConfigEdit::normal)));
        return out;
    }

    /** The value at {@code path}, empty when missing or null. */
    static Optional<JsonNode> at(JsonNode root, List<String> path) {
        JsonNode n = root;
        for (String p : path) {
            if (n == null || !n.isObject()) return Optional.empty();
            n = n.get(p);
        }
        return n == null || n.isNull() ? Optional.empty() : Optional.of(normal(n));
    }

    /** Numbers compare by value (Patroni may send 5 where 5.0 was typed). */
    private static JsonNode normal(JsonNode n) {
        if (n.isIntegralNumber() && n.canConvertToLong()) return F.numberNode(n.asLong());
        if (n.isFloatingPointNumber()) {
            BigDecimal d = n.decimalValue().stripTrailingZeros();
            return d.scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0 ? F.numberNode(d.longValue()) : F.numberNode(d);
        }
        return n;
    }

    /** The PATCH /config body of the lines that change: nested objects, null for a removal. */
    public static ObjectNode patch(List<Line> lines) {
        ObjectNode root = F.objectNode();
        for (Line l : lines) {
            if (!l.changes()) continue;
            ObjectNode o = root;
            List<String> p = l.key().path();
            for (int i = 0; i < p.size() - 1; i++) o = o.has(p.get(i)) ? (ObjectNode) o.get(p.get(i)) : o.putObject(p.get(i));
            if (l.now().isPresent()) o.set(p.get(p.size() - 1), l.now().get());
            else o.putNull(p.get(p.size() - 1));
        }
        return root;
    }

    /** One line of the diff as shown: {@code loop_wait: 2 → 5}, secrets as {@code [redacted]}. */
    public static String render(Line l) {
        return String.join(".", l.key().path()) + ": " + shown(l.key(), l.old()) + " → " + shown(l.key(), l.now())
                + (l.changes() ? "" : " (unchanged)");
    }

    static String shown(Key k, Optional<JsonNode> v) {
        if (v.isEmpty()) return "(not set)";
        ObjectNode probe = F.objectNode();
        probe.set(k.leaf(), v.get());
        SecretRedactor.Result r = SecretRedactor.redact(probe);
        JsonNode shown = r.redacted().get(k.leaf());
        return shown.isTextual() ? "\"" + shown.asText() + "\"" : shown.toString();
    }

    /**
     * Patroni's rule {@code loop_wait + 2 * retry_timeout <= ttl} for the configuration after the change; a warning,
     * or empty.
     */
    public static Optional<String> timingWarning(JsonNode current, List<Line> lines) {
        long ttl = value(current, lines, "ttl", 30), loop = value(current, lines, "loop_wait", 10),
                retry = value(current, lines, "retry_timeout", 10);
        if (loop + 2 * retry <= ttl) return Optional.empty();
        return Optional.of("loop_wait + 2 × retry_timeout = " + (loop + 2 * retry) + " s exceeds ttl " + ttl
                + " s afterwards: Patroni may lose the leader key on a slow DCS");
    }

    private static long value(JsonNode current, List<Line> lines, String key, long dflt) {
        for (Line l : lines) {
            if (l.key().path().equals(List.of(key))) return l.now().map(JsonNode::asLong).orElse(dflt);
        }
        return at(current, List.of(key)).map(JsonNode::asLong).orElse(dflt);
    }

    private static String abbreviate(String s) {
        return dev.pgchatops.core.Texts.abbreviate(s, dev.pgchatops.core.parse.CommandParser.ECHO);
    }
}
