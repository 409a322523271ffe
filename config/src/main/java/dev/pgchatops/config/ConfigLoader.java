package dev.pgchatops.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the YAML configuration and validates all of it at once: every problem is reported with the key it is about,
 * e.g. {@code clusters[0].patroni.urls[1]: not a URL: "htp:/x"}. Secrets are read from environment variables or
 * files named in the config, never from the config itself. The generic readers are in {@link Values}; this class
 * knows the sections.
 */
public final class ConfigLoader {
    /** Names that end up on a pgBackRest command line or in member lookups: letters, digits, '_', '.', '-'. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final List<String> ROOT_KEYS = List.of("clusters", "access", "audit", "confirm", "executor", "slack",
            "discord", "alerts");
    /** Sections a later version reads; until then an error rather than silently ignored. */
    private static final Map<String, String> NOT_BUILT = Map.of();
    private static final String ROLES = "one of none, viewer, operator, admin";
    private static final Duration DEFAULT_CONNECT = Duration.ofSeconds(2);
    private static final Duration DEFAULT_REQUEST = Duration.ofSeconds(15);

    private final Function<String, String> env;
    private final Values values;

    private ConfigLoader(Function<String, String> env, List<String> problems) {
        this.env = env;
        this.values = new Values(problems);
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
        List<String> problems = new ArrayList<>();
        try (JsonParser p = new YAMLFactory().createParser(yaml)) {
            root = new ObjectMapper().readTree(p);
            if (p.nextToken() != null) {
                // readTree stops after the first document: a second one would be silently ignored.
                problems.add("config: a second YAML document (from line " + p.currentTokenLocation().getLineNr()
                        + ") would be ignored; keep everything in one document");
            }
        } catch (JsonProcessingException e) {
            String loc = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new ConfigException(List.of("config is not valid YAML" + loc + ": " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException(List.of("config is not valid YAML: " + e.getMessage())); // not thrown for a String
        }
        problems.addAll(0, DuplicateKeys.find(yaml));
        BotConfig config = new ConfigLoader(env, problems).root(root);
        if (!problems.isEmpty()) throw new ConfigException(problems);
        return config;
    }


    private BotConfig root(JsonNode root) {
        if (root == null || !root.isObject()) {
            values.problem("config: expected a YAML mapping with 'clusters', 'access' and 'audit'");
            return null;
        }
        root.fieldNames().forEachRemaining(k -> {
            if (NOT_BUILT.containsKey(k)) {
                values.problem(k + ": not supported by this version yet (" + NOT_BUILT.get(k) + "); remove the section");
            }
        });
        ObjectNode rest = ((ObjectNode) root).deepCopy();
        rest.remove(NOT_BUILT.keySet());
        values.known(rest, "", ROOT_KEYS);

        List<ClusterConfig> clusters = clusters(root.get("clusters"));
        AccessConfig access = access(root.get("access"), "access");
        AuditConfig audit = audit(root);
        ConfirmConfig confirm = confirm(root);
        ExecutorConfig executor = executor(root);
        Optional<SlackConfig> slack = slack(root);
        Optional<DiscordConfig> discord = discord(root);
        Optional<AlertsConfig> alerts = new AlertsSection(values).read(root, root.has("slack"), root.has("discord"));
        return new BotConfig(clusters, access, audit, confirm, executor, slack, discord, alerts);
    }

    private Optional<SlackConfig> slack(JsonNode root) {
        ObjectNode n = values.mapping(root, "", "slack", "a mapping with 'mode', 'bot-token-env' and 'app-token-env' or 'signing-secret-env'");
        if (n == null) return Optional.empty();
        String p = "slack";
        values.known(n, p, List.of("mode", "bot-token-env", "bot-token-file", "app-token-env", "app-token-file",
                "signing-secret-env", "signing-secret-file", "http", "api-url"));
        String m = n.has("mode") ? values.string(n, p, "mode", true) : "socket";
        SlackConfig.Mode mode = null;
        if ("socket".equals(m)) mode = SlackConfig.Mode.SOCKET;
        else if ("http".equals(m)) mode = SlackConfig.Mode.HTTP;
        else if (m != null) values.problem(p + ".mode: unknown mode \"" + m + "\" (socket or http)");
        Secret bot = secret(n, p, "bot-token", true, "the bot token (xoxb-…)");
        Optional<Secret> app = Optional.ofNullable(secret(n, p, "app-token", mode == SlackConfig.Mode.SOCKET,
                "the app-level token (xapp-…, scope connections:write) for socket mode"));
        Optional<Secret> signing = Optional.ofNullable(secret(n, p, "signing-secret", mode == SlackConfig.Mode.HTTP,
                "the signing secret for http mode"));
        int port = SlackConfig.DEFAULT_HTTP_PORT;
        ObjectNode http = values.mapping(n, p, "http", "a mapping with 'port'");
        if (http != null) {
            values.known(http, p + ".http", List.of("port"));
            port = values.integer(http, p + ".http", "port", 1, 65535, SlackConfig.DEFAULT_HTTP_PORT);
        }
        URI api = apiBase(n, p, "api-url", SlackConfig.DEFAULT_API_URL, List.of("https", "http"));
        if (mode == null || bot == null || api == null || (mode == SlackConfig.Mode.SOCKET && app.isEmpty())
                || (mode == SlackConfig.Mode.HTTP && signing.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new SlackConfig(mode, bot, app, signing, port, api));
    }

    private Optional<DiscordConfig> discord(JsonNode root) {
        ObjectNode n = values.mapping(root, "", "discord", "a mapping with 'token-env'");
        if (n == null) return Optional.empty();
        String p = "discord";
        values.known(n, p, List.of("token-env", "token-file", "guild-id", "api-url", "gateway-url"));
        Secret token = secret(n, p, "token", true, "the bot token");
        Optional<String> guild = Optional.empty();
        if (n.has("guild-id")) {
            String g = values.scalar(n.get("guild-id"), p + ".guild-id", "a guild id (digits, in quotes)");
            if (g != null && !g.matches("\\d{15,21}")) {
                values.problem(p + ".guild-id: not a Discord guild id (15–21 digits, in quotes): \"" + g + "\"");
            } else if (g != null) {
                guild = Optional.of(g);
            }
        }
        URI api = apiBase(n, p, "api-url", DiscordConfig.DEFAULT_API_URL, List.of("https", "http"));
        URI gateway = apiBase(n, p, "gateway-url", DiscordConfig.DEFAULT_GATEWAY_URL, List.of("wss", "ws"));
        if (token == null || api == null || gateway == null) return Optional.empty();
        return Optional.of(new DiscordConfig(token, guild, api, gateway));
    }

    /** A base URL with a path (Slack's and Discord's APIs), made to end with '/' so relative routes resolve under it. */
    private URI apiBase(ObjectNode n, String path, String key, URI def, List<String> schemes) {
        if (!n.has(key)) return def;
        String s = values.string(n, path, key, true);
        if (s == null) return null;
        URI u;
        try {
            u = new URI(s);
        } catch (java.net.URISyntaxException e) {
            u = null;
        }
        if (u == null || u.getScheme() == null || !schemes.contains(u.getScheme()) || u.getHost() == null) {
            values.problem(path + "." + key + ": not a URL: \"" + s + "\" (expected " + schemes.get(0) + "://HOST/…)");
            return null;
        }
        if (u.getRawUserInfo() != null) {
            values.problem(path + "." + key + ": must not contain a user or password");
            return null;
        }
        if (u.getPort() == 0 || u.getPort() > 65535) {
            values.problem(path + "." + key + ": port must be 1 to 65535, got " + u.getPort());
            return null;
        }
        return s.endsWith("/") ? u : URI.create(s + "/");
    }

    private List<ClusterConfig> clusters(JsonNode cl) {
        List<ClusterConfig> clusters = new ArrayList<>();
        if (cl == null || !cl.isArray() || cl.isEmpty()) {
            values.problem("clusters: required, a list with at least one cluster");
            return clusters;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < cl.size(); i++) {
            ClusterConfig c = cluster(cl.get(i), "clusters[" + i + "]");
            if (c != null) {
                if (!names.add(c.name())) values.problem("clusters[" + i + "].name: duplicate cluster name \"" + c.name() + "\"");
                clusters.add(c);
            }
        }
        return clusters;
    }

    private AuditConfig audit(JsonNode root) {
        JsonNode au = root.get("audit");
        if (au == null || au.isNull()) {
            values.problem("audit.path: required, the file the audit log is appended to");
            return null;
        }
        ObjectNode n = values.mapping(root, "", "audit", "a mapping with 'path'");
        if (n == null) return null;
        values.known(n, "audit", List.of("path"));
        String p = values.string(n, "audit", "path", true);
        return p == null ? null : new AuditConfig(Path.of(p));
    }

    private ConfirmConfig confirm(JsonNode root) {
        ObjectNode n = values.mapping(root, "", "confirm", "a mapping with 'timeout' and 'max-open-per-user'");
        if (n == null) return new ConfirmConfig(ConfirmConfig.DEFAULT_TIMEOUT);
        values.known(n, "confirm", List.of("timeout", "max-open-per-user"));
        return new ConfirmConfig(values.duration(n, "confirm", "timeout", ConfirmConfig.DEFAULT_TIMEOUT),
                values.integer(n, "confirm", "max-open-per-user", 1, ConfirmConfig.MAX_OPEN_PER_USER_LIMIT,
                        ConfirmConfig.DEFAULT_MAX_OPEN_PER_USER));
    }

    private ExecutorConfig executor(JsonNode root) {
        ObjectNode n = values.mapping(root, "", "executor", "a mapping with 'threads'");
        if (n == null) return new ExecutorConfig(ExecutorConfig.DEFAULT_THREADS);
        values.known(n, "executor", List.of("threads"));
        return new ExecutorConfig(values.integer(n, "executor", "threads", 1, ExecutorConfig.MAX_THREADS,
                ExecutorConfig.DEFAULT_THREADS));
    }

    private ClusterConfig cluster(JsonNode n, String path) {
        if (!n.isObject()) {
            values.problem(path + ": expected a mapping with 'name' and 'patroni', got " + Values.describe(n));
            return null;
        }
        values.known(n, path, List.of("name", "patroni", "pgbackrest"));
        String name = values.name(n, path, "name", true);
        PatroniConfig patroni = patroni(n.get("patroni"), path + ".patroni");
        Optional<PgBackRestConfig> pgbr = Optional.empty();
        if (n.has("pgbackrest")) pgbr = Optional.ofNullable(pgbackrest(n.get("pgbackrest"), path + ".pgbackrest"));
        if (name == null || patroni == null) return null;
        return new ClusterConfig(name, patroni, pgbr);
    }

    private PatroniConfig patroni(JsonNode n, String path) {
        if (n == null || !n.isObject()) {
            values.problem(path + ": required, a mapping with 'urls', 'username' and 'password-env' or 'password-file'");
            return null;
        }
        values.known(n, path, List.of("urls", "username", "password-env", "password-file", "connect-timeout", "request-timeout"));
        List<URI> urls = new ArrayList<>();
        JsonNode u = n.get("urls");
        if (u == null || !u.isArray() || u.isEmpty()) {
            values.problem(path + ".urls: required, a list of Patroni REST URLs like http://10.0.0.1:8008");
        } else {
            for (int i = 0; i < u.size(); i++) {
                URI uri = BaseUrl.check(values, u.get(i), path + ".urls[" + i + "]");
                if (uri != null) urls.add(uri);
            }
        }
        String username = values.string(n, path, "username", false);
        Secret password = secret(n, path, "password", username != null);
        Duration connect = values.duration(n, path, "connect-timeout", DEFAULT_CONNECT);
        Duration request = values.duration(n, path, "request-timeout", DEFAULT_REQUEST);
        return new PatroniConfig(urls, username, password, connect, request);
    }

    private PgBackRestConfig pgbackrest(JsonNode n, String path) {
        if (!n.isObject()) {
            values.problem(path + ": expected a mapping with 'stanza', 'ssh' and 'members', got " + Values.describe(n));
            return null;
        }
        values.known(n, path, List.of("stanza", "backup-standby", "ssh", "members", "backup-timeout", "binary", "schedule"));
        String stanza = values.name(n, path, "stanza", true);
        boolean standby = values.bool(n, path, "backup-standby", false);
        Duration backupTimeout = values.duration(n, path, "backup-timeout", Duration.ofHours(6));
        String binary = n.has("binary") ? values.safePath(n, path, "binary") : "pgbackrest";
        SshConfig ssh = ssh(n.get("ssh"), path + ".ssh");
        Map<String, PgBackRestConfig.MemberEndpoint> members = members(n.get("members"), path + ".members");
        Optional<BackupSchedule> schedule = new AlertsSection(values).schedule(n, path);
        if (stanza == null || ssh == null) return null;
        return new PgBackRestConfig(stanza, standby, ssh, members, backupTimeout, binary, schedule);
    }

    private SshConfig ssh(JsonNode s, String sp) {
        if (s == null || !s.isObject()) {
            values.problem(sp + ": required, a mapping with 'user', 'private-key' and 'known-hosts'");
            return null;
        }
        values.known(s, sp, List.of("user", "private-key", "known-hosts", "connect-timeout", "command-timeout", "max-connections"));
        String user = values.name(s, sp, "user", true);
        Path key = values.file(s, sp, "private-key");
        Path kh = values.file(s, sp, "known-hosts");
        Duration ct = values.duration(s, sp, "connect-timeout", Duration.ofSeconds(5));
        Duration cmd = values.duration(s, sp, "command-timeout", Duration.ofSeconds(60));
        int max = values.integer(s, sp, "max-connections", 1, 1000, 16);
        return new SshConfig(user, key, kh, ct, cmd, max);
    }

    private Map<String, PgBackRestConfig.MemberEndpoint> members(JsonNode m, String path) {
        Map<String, PgBackRestConfig.MemberEndpoint> members = new LinkedHashMap<>();
        if (m == null || m.isNull()) return members;
        if (!m.isObject()) {
            values.problem(path + ": expected a mapping of member name to {host, port, config}, got " + Values.describe(m));
            return members;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String mp = path + "." + e.getKey();
            if (!NAME.matcher(e.getKey()).matches()) {
                values.problem(mp + ": not a valid member name (letters, digits, '_', '.', '-')");
                continue;
            }
            JsonNode me = e.getValue();
            if (!me.isObject()) {
                values.problem(mp + ": expected {host, port, config}, got " + Values.describe(me));
                continue;
            }
            values.known(me, mp, List.of("host", "port", "config"));
            String host = values.string(me, mp, "host", true);
            if (host != null && !host.matches("[A-Za-z0-9.:\\[\\]-]+")) {
                values.problem(mp + ".host: not a host name or address: \"" + host + "\"");
            }
            int port = values.integer(me, mp, "port", 1, 65535, 22);
            Optional<String> conf = me.has("config") ? Optional.ofNullable(values.safePath(me, mp, "config")) : Optional.empty();
            if (host != null) members.put(e.getKey(), new PgBackRestConfig.MemberEndpoint(host, port, conf));
        }
        return members;
    }

    private AccessConfig access(JsonNode n, String path) {
        Role def = Role.VIEWER;
        Map<String, Role> users = new LinkedHashMap<>();
        if (n == null || n.isNull()) return new AccessConfig(def, users);
        if (!n.isObject()) {
            values.problem(path + ": expected a mapping with 'default-role' and 'users', got " + Values.describe(n));
            return new AccessConfig(def, users);
        }
        values.known(n, path, List.of("default-role", "users", "slack-groups", "discord-roles"));
        if (n.has("default-role")) def = role(n.get("default-role"), path + ".default-role").orElse(def);
        JsonNode u = n.get("users");
        if (u != null && !u.isNull()) {
            if (!u.isObject()) values.problem(path + ".users: expected a mapping of platform:id to role, got " + Values.describe(u));
            else for (Iterator<Map.Entry<String, JsonNode>> it = u.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                if (!key.matches("(console|slack|discord):[^\\s]+")) {
                    values.problem(path + ".users." + key + ": expected platform:id, e.g. console:alice, slack:U0123, discord:1234");
                    continue;
                }
                role(e.getValue(), path + ".users." + key).ifPresent(r -> users.put(key, r));
            }
        }
        Map<String, Role> groups = idRoles(n, path, "slack-groups", "[A-Z0-9]{5,20}", "a Slack user group id like S0123ABCD");
        Map<String, Role> droles = idRoles(n, path, "discord-roles", "\\d{15,21}", "a Discord role id (digits, in quotes)");
        return new AccessConfig(def, users, groups, droles);
    }

    private Map<String, Role> idRoles(JsonNode n, String path, String key, String idPattern, String what) {
        Map<String, Role> out = new LinkedHashMap<>();
        JsonNode g = n.get(key);
        if (g == null || g.isNull()) return out;
        if (!g.isObject()) {
            values.problem(path + "." + key + ": expected a mapping of id to role, got " + Values.describe(g));
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = g.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().matches(idPattern)) {
                values.problem(path + "." + key + "." + e.getKey() + ": not " + what);
                continue;
            }
            role(e.getValue(), path + "." + key + "." + e.getKey()).ifPresent(r -> out.put(e.getKey(), r));
        }
        return out;
    }

    private Optional<Role> role(JsonNode v, String at) {
        String r = values.scalar(v, at, ROLES);
        if (r == null) return Optional.empty();
        Optional<Role> role = Role.parse(r);
        if (role.isEmpty()) values.problem(at + ": unknown role \"" + r + "\" (" + ROLES + ")");
        return role;
    }

    private Secret secret(JsonNode n, String path, String key, boolean required) {
        return secret(n, path, key, required, "where the password comes from");
    }

    private Secret secret(JsonNode n, String path, String key, boolean required, String what) {
        String envKey = key + "-env";
        String fileKey = key + "-file";
        if (n.has(envKey) && n.has(fileKey)) {
            values.problem(path + ": set only one of '" + envKey + "' and '" + fileKey + "'");
            return null;
        }
        if (n.has(envKey)) {
            String var = values.string(n, path, envKey, true);
            if (var == null) return null;
            String value = env.apply(var);
            if (value == null || value.isEmpty()) {
                values.problem(path + "." + envKey + ": environment variable " + var + " is not set");
                return null;
            }
            return new Secret("env " + var, value);
        }
        if (n.has(fileKey)) {
            String f = values.string(n, path, fileKey, true);
            if (f == null) return null;
            try {
                return new Secret("file " + f, Files.readString(Path.of(f)).strip());
            } catch (IOException e) {
                values.problem(path + "." + fileKey + ": cannot read secret file " + f + " (" + e.getClass().getSimpleName() + ")");
                return null;
            }
        }
        if (required) values.problem(path + "." + envKey + ": required (or " + fileKey + "): " + what);
        return null;
    }
}
