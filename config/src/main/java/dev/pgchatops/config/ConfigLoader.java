package dev.pgchatops.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the YAML configuration and validates all of it at once: every problem is reported with the key it is about,
 * e.g. {@code clusters[0].patroni.urls[1]: not a URL: "htp:/x"}. Secrets are read from environment variables or
 * files named in the config, never from the config itself.
 */
public final class ConfigLoader {
    /** Names that end up on a pgBackRest command line or in member lookups: letters, digits, '_', '.', '-'. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9_./-]+");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
    private static final Duration DEFAULT_CONNECT = Duration.ofSeconds(2);
    private static final Duration DEFAULT_REQUEST = Duration.ofSeconds(15);

    private final Function<String, String> env;
    private final List<String> problems = new ArrayList<>();

    private ConfigLoader(Function<String, String> env) {
        this.env = env;
    }

    public static BotConfig load(Path file) throws ConfigException {
        return load(file, System::getenv);
    }

    public static BotConfig load(Path file, Function<String, String> env) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read config file: " + e.getMessage()));
        }
        return parse(text, env);
    }

    public static BotConfig parse(String yaml, Function<String, String> env) throws ConfigException {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (JsonProcessingException e) {
            String loc = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new ConfigException(List.of("config is not valid YAML" + loc + ": " + e.getOriginalMessage()));
        }
        ConfigLoader loader = new ConfigLoader(env);
        BotConfig config = loader.root(root);
        if (!loader.problems.isEmpty()) throw new ConfigException(loader.problems);
        return config;
    }

    private BotConfig root(JsonNode root) {
        if (root == null || !root.isObject()) {
            problems.add("config: expected a YAML mapping with 'clusters', 'access' and 'audit'");
            return null;
        }
        known(root, "", "clusters", "access", "audit", "confirm", "slack", "discord", "alerts");
        List<ClusterConfig> clusters = new ArrayList<>();
        JsonNode cl = root.get("clusters");
        if (cl == null || !cl.isArray() || cl.isEmpty()) {
            problems.add("clusters: required, a list with at least one cluster");
        } else {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < cl.size(); i++) {
                ClusterConfig c = cluster(cl.get(i), "clusters[" + i + "]");
                if (c != null) {
                    if (!names.add(c.name())) problems.add("clusters[" + i + "].name: duplicate cluster name \"" + c.name() + "\"");
                    clusters.add(c);
                }
            }
        }
        AccessConfig access = access(root.get("access"), "access");
        AuditConfig audit = null;
        JsonNode au = root.get("audit");
        if (au == null || !au.isObject()) {
            problems.add("audit.path: required, the file the audit log is appended to");
        } else {
            known(au, "audit", "path");
            String p = string(au, "audit", "path", true);
            if (p != null) audit = new AuditConfig(Path.of(p));
        }
        Duration confirmTimeout = ConfirmConfig.DEFAULT_TIMEOUT;
        JsonNode co = root.get("confirm");
        if (co != null) {
            known(co, "confirm", "timeout");
            confirmTimeout = duration(co, "confirm", "timeout", ConfirmConfig.DEFAULT_TIMEOUT);
        }
        return new BotConfig(clusters, access, audit, new ConfirmConfig(confirmTimeout));
    }

    private ClusterConfig cluster(JsonNode n, String path) {
        if (!n.isObject()) {
            problems.add(path + ": expected a mapping with 'name' and 'patroni'");
            return null;
        }
        known(n, path, "name", "patroni", "pgbackrest");
        String name = name(n, path, "name", true);
        PatroniConfig patroni = patroni(n.get("patroni"), path + ".patroni");
        Optional<PgBackRestConfig> pgbr = Optional.empty();
        if (n.has("pgbackrest")) pgbr = Optional.ofNullable(pgbackrest(n.get("pgbackrest"), path + ".pgbackrest"));
        if (name == null || patroni == null) return null;
        return new ClusterConfig(name, patroni, pgbr);
    }

    private PatroniConfig patroni(JsonNode n, String path) {
        if (n == null || !n.isObject()) {
            problems.add(path + ": required, a mapping with 'urls', 'username' and 'password-env' or 'password-file'");
            return null;
        }
        known(n, path, "urls", "username", "password-env", "password-file", "connect-timeout", "request-timeout");
        List<URI> urls = new ArrayList<>();
        JsonNode u = n.get("urls");
        if (u == null || !u.isArray() || u.isEmpty()) {
            problems.add(path + ".urls: required, a list of Patroni REST URLs like http://10.0.0.1:8008");
        } else {
            for (int i = 0; i < u.size(); i++) {
                String p = path + ".urls[" + i + "]";
                String s = u.get(i).asText("");
                URI uri = url(s);
                if (uri == null) problems.add(p + ": not a URL: \"" + s + "\" (expected http://HOST:PORT or https://HOST:PORT)");
                else if (uri.getRawUserInfo() != null) problems.add(p + ": must not contain a user or password (use username and password-env)");
                else if (uri.getRawQuery() != null || uri.getRawFragment() != null
                        || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
                    problems.add(p + ": expected only scheme, host and port, e.g. http://10.0.0.1:8008");
                } else urls.add(uri);
            }
        }
        String username = string(n, path, "username", false);
        Secret password = secret(n, path, "password", username != null);
        Duration connect = duration(n, path, "connect-timeout", DEFAULT_CONNECT);
        Duration request = duration(n, path, "request-timeout", DEFAULT_REQUEST);
        return new PatroniConfig(urls, username, password, connect, request);
    }

    private PgBackRestConfig pgbackrest(JsonNode n, String path) {
        if (!n.isObject()) {
            problems.add(path + ": expected a mapping with 'stanza', 'ssh' and 'members'");
            return null;
        }
        known(n, path, "stanza", "backup-standby", "ssh", "members", "backup-timeout", "binary");
        String stanza = name(n, path, "stanza", true);
        boolean standby = bool(n, path, "backup-standby", false);
        Duration backupTimeout = duration(n, path, "backup-timeout", Duration.ofHours(6));
        String binary = n.has("binary") ? safePath(n, path, "binary") : "pgbackrest";
        SshConfig ssh = null;
        JsonNode s = n.get("ssh");
        String sp = path + ".ssh";
        if (s == null || !s.isObject()) {
            problems.add(sp + ": required, a mapping with 'user', 'private-key' and 'known-hosts'");
        } else {
            known(s, sp, "user", "private-key", "known-hosts", "connect-timeout", "command-timeout", "max-connections");
            String user = name(s, sp, "user", true);
            Path key = file(s, sp, "private-key");
            Path kh = file(s, sp, "known-hosts");
            Duration ct = duration(s, sp, "connect-timeout", Duration.ofSeconds(5));
            Duration cmd = duration(s, sp, "command-timeout", Duration.ofSeconds(60));
            int max = s.has("max-connections") ? integer(s, sp, "max-connections", 1, 1000) : 16;
            ssh = new SshConfig(user, key, kh, ct, cmd, max);
        }
        Map<String, PgBackRestConfig.MemberEndpoint> members = new LinkedHashMap<>();
        JsonNode m = n.get("members");
        if (m != null) {
            if (!m.isObject()) problems.add(path + ".members: expected a mapping of member name to {host, port, config}");
            else {
                for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String mp = path + ".members." + e.getKey();
                    if (!NAME.matcher(e.getKey()).matches()) {
                        problems.add(mp + ": not a valid member name (letters, digits, '_', '.', '-')");
                        continue;
                    }
                    JsonNode me = e.getValue();
                    if (!me.isObject()) {
                        problems.add(mp + ": expected {host, port, config}");
                        continue;
                    }
                    known(me, mp, "host", "port", "config");
                    String host = string(me, mp, "host", true);
                    if (host != null && !host.matches("[A-Za-z0-9.:\\[\\]-]+")) {
                        problems.add(mp + ".host: not a host name or address: \"" + host + "\"");
                    }
                    int port = me.has("port") ? integer(me, mp, "port", 1, 65535) : 22;
                    Optional<String> conf = me.has("config") ? Optional.ofNullable(safePath(me, mp, "config")) : Optional.empty();
                    if (host != null) members.put(e.getKey(), new PgBackRestConfig.MemberEndpoint(host, port, conf));
                }
            }
        }
        if (stanza == null || ssh == null) return null;
        return new PgBackRestConfig(stanza, standby, ssh, members, backupTimeout, binary);
    }

    private AccessConfig access(JsonNode n, String path) {
        Role def = Role.VIEWER;
        Map<String, Role> users = new LinkedHashMap<>();
        if (n == null) return new AccessConfig(def, users);
        if (!n.isObject()) {
            problems.add(path + ": expected a mapping with 'default-role' and 'users'");
            return new AccessConfig(def, users);
        }
        known(n, path, "default-role", "users");
        if (n.has("default-role")) {
            String r = n.get("default-role").asText();
            Optional<Role> role = Role.parse(r);
            if (role.isEmpty()) problems.add(path + ".default-role: unknown role \"" + r + "\" (one of none, viewer, operator, admin)");
            else def = role.get();
        }
        JsonNode u = n.get("users");
        if (u != null) {
            if (!u.isObject()) problems.add(path + ".users: expected a mapping of platform:id to role");
            else for (Iterator<Map.Entry<String, JsonNode>> it = u.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                if (!key.matches("(console|slack|discord):[^\\s]+")) {
                    problems.add(path + ".users." + key + ": expected platform:id, e.g. console:alice, slack:U0123, discord:1234");
                    continue;
                }
                Optional<Role> role = Role.parse(e.getValue().asText());
                if (role.isEmpty()) problems.add(path + ".users." + key + ": unknown role \"" + e.getValue().asText() + "\" (one of none, viewer, operator, admin)");
                else users.put(key, role.get());
            }
        }
        return new AccessConfig(def, users);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private void known(JsonNode n, String path, String... keys) {
        if (!(n instanceof ObjectNode)) return;
        Set<String> allowed = Set.of(keys);
        n.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                String at = path.isEmpty() ? k : path + "." + k;
                String hint = closest(k, keys).map(c -> " (did you mean '" + c + "'?)").orElse("");
                problems.add(at + ": unknown key" + hint);
            }
        });
    }

    static Optional<String> closest(String word, String... candidates) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return best != null && bestD <= Math.max(2, word.length() / 3) ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private String string(JsonNode n, String path, String key, boolean required) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            if (required) problems.add(path + "." + key + ": required");
            return null;
        }
        if (!v.isValueNode()) {
            problems.add(path + "." + key + ": expected a single value");
            return null;
        }
        return v.asText().trim();
    }

    private String name(JsonNode n, String path, String key, boolean required) {
        String s = string(n, path, key, required);
        if (s != null && !NAME.matcher(s).matches()) {
            problems.add(path + "." + key + ": \"" + s + "\" is not a valid name (letters, digits, '_', '.', '-'; at most 63)");
            return null;
        }
        return s;
    }

    private String safePath(JsonNode n, String path, String key) {
        String s = string(n, path, key, true);
        if (s != null && !SAFE_PATH.matcher(s).matches()) {
            problems.add(path + "." + key + ": \"" + s + "\" must be an absolute path of letters, digits, '_', '.', '-', '/'");
            return null;
        }
        return s;
    }

    private Path file(JsonNode n, String path, String key) {
        String s = string(n, path, key, true);
        if (s == null) return null;
        Path p = Path.of(s);
        if (!Files.isReadable(p)) problems.add(path + "." + key + ": file not found or not readable: " + s);
        return p;
    }

    private boolean bool(JsonNode n, String path, String key, boolean def) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return def;
        if (v.isBoolean()) return v.asBoolean();
        problems.add(path + "." + key + ": expected true or false, got \"" + v.asText() + "\"");
        return def;
    }

    private int integer(JsonNode n, String path, String key, int min, int max) {
        JsonNode v = n.get(key);
        if (v != null && v.canConvertToInt() && v.isIntegralNumber() && v.asInt() >= min && v.asInt() <= max) return v.asInt();
        problems.add(path + "." + key + ": expected a whole number from " + min + " to " + max + ", got \"" + (v == null ? "" : v.asText()) + "\"");
        return min;
    }

    private Duration duration(JsonNode n, String path, String key, Duration def) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return def;
        Optional<Duration> d = parseDuration(v.asText());
        if (d.isEmpty() || d.get().isZero()) {
            problems.add(path + "." + key + ": not a duration: \"" + v.asText() + "\" (e.g. 500ms, 2s, 5m, 1h)");
            return def;
        }
        return d.get();
    }

    public static Optional<Duration> parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) return Optional.empty();
        String unit = m.group(2) == null ? "s" : m.group(2);
        try {
            long v = Long.parseLong(m.group(1));
            return Optional.of(switch (unit) {
                case "ms" -> Duration.ofMillis(v);
                case "m" -> Duration.ofMinutes(v);
                case "h" -> Duration.ofHours(v);
                default -> Duration.ofSeconds(v);
            });
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty(); // too big to be a sensible duration: reported as "not a duration"
        }
    }

    private Secret secret(JsonNode n, String path, String key, boolean required) {
        String envKey = key + "-env";
        String fileKey = key + "-file";
        if (n.has(envKey) && n.has(fileKey)) {
            problems.add(path + ": set only one of '" + envKey + "' and '" + fileKey + "'");
            return null;
        }
        if (n.has(envKey)) {
            String var = string(n, path, envKey, true);
            if (var == null) return null;
            String value = env.apply(var);
            if (value == null || value.isEmpty()) {
                problems.add(path + "." + envKey + ": environment variable " + var + " is not set");
                return null;
            }
            return new Secret("env " + var, value);
        }
        if (n.has(fileKey)) {
            String f = string(n, path, fileKey, true);
            if (f == null) return null;
            try {
                return new Secret("file " + f, Files.readString(Path.of(f)).strip());
            } catch (IOException e) {
                problems.add(path + "." + fileKey + ": cannot read secret file " + f + " (" + e.getClass().getSimpleName() + ")");
                return null;
            }
        }
        if (required) problems.add(path + "." + envKey + ": required (or " + fileKey + "): where the password comes from");
        return null;
    }

    private static URI url(String s) {
        try {
            URI u = new URI(s);
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) return null;
            if (u.getHost() == null) return null;
            return u;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
