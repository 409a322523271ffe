package dev.pgchatops.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ConfigLoaderTest {
    private static final String PW = "pa55-w0rd-from-env";
    private static final Function<String, String> ENV = Map.of("PATRONI_PW", PW)::get;

    @TempDir
    Path tmp;

    /** A config that is valid except for what a test replaces. */
    private static String minimal(String patroniExtra) {
        return """
                clusters:
                  - name: main
                    patroni:
                      urls: [http://10.0.0.1:8008]
                %s
                audit:
                  path: /tmp/audit.jsonl
                """.formatted(patroniExtra.isEmpty() ? "" : patroniExtra.indent(6).stripTrailing());
    }

    private static List<String> problems(String yaml) {
        return problems(yaml, ENV);
    }

    private static List<String> problems(String yaml, Function<String, String> env) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, env));
        assertThat(e).as("expected the config to be rejected:\n%s", yaml).isNotNull();
        assertThat(e.getMessage()).startsWith(e.problems().size() + " configuration problem(s):");
        e.problems().forEach(p -> assertThat(e.getMessage()).contains(p));
        return e.problems();
    }

    // ---- valid configs ----------------------------------------------------------------------------------------

    @Test
    void fullConfigParsesIntoRecords() throws Exception {
        Path key = Files.writeString(tmp.resolve("id_ed25519"), "KEY");
        Path kh = Files.writeString(tmp.resolve("known_hosts"), "HOSTS");
        Path pwFile = Files.writeString(tmp.resolve("reporting.pw"), "  file-secret-42\n\n");
        String yaml = """
                clusters:
                  - name: main
                    patroni:
                      urls: [http://10.0.0.1:8008, "https://db2.example.com:8008/"]
                      username: patroni
                      password-env: PATRONI_PW
                      connect-timeout: 500ms
                      request-timeout: 5m
                    pgbackrest:
                      stanza: main-db
                      backup-standby: true
                      backup-timeout: 2h
                      binary: /usr/local/bin/pgbackrest
                      ssh:
                        user: postgres
                        private-key: %s
                        known-hosts: %s
                        connect-timeout: 2s
                        command-timeout: 90
                        max-connections: 4
                      members:
                        node1: {host: 10.0.0.11, port: 2222, config: /etc/pgbackrest/main.conf}
                        node2: {host: db2.example.com}
                  - name: reporting
                    patroni:
                      urls: [http://10.1.0.1:8008]
                      username: admin
                      password-file: %s
                access:
                  default-role: none
                  users:
                    console:alice: admin
                    slack:U0123: Operator
                    discord:99887766: viewer
                audit:
                  path: /var/log/pgchatops/audit.jsonl
                confirm:
                  timeout: 2s
                """.formatted(key, kh, pwFile);

        BotConfig c = ConfigLoader.parse(yaml, ENV);

        assertThat(c.clusters()).extracting(ClusterConfig::name).containsExactly("main", "reporting");
        ClusterConfig main = c.cluster("main").orElseThrow();
        PatroniConfig p = main.patroni();
        assertThat(p.urls()).containsExactly(URI.create("http://10.0.0.1:8008"), URI.create("https://db2.example.com:8008/"));
        assertThat(p.username()).isEqualTo("patroni");
        assertThat(p.password().reveal()).isEqualTo(PW);
        assertThat(p.password().source()).isEqualTo("env PATRONI_PW");
        assertThat(p.connectTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(p.requestTimeout()).isEqualTo(Duration.ofMinutes(5));

        PgBackRestConfig b = main.pgbackrest().orElseThrow();
        assertThat(b.stanza()).isEqualTo("main-db");
        assertThat(b.backupStandby()).isTrue();
        assertThat(b.backupTimeout()).isEqualTo(Duration.ofHours(2));
        assertThat(b.binary()).isEqualTo("/usr/local/bin/pgbackrest");
        assertThat(b.ssh()).isEqualTo(new SshConfig("postgres", key, kh, Duration.ofSeconds(2), Duration.ofSeconds(90), 4));
        assertThat(b.member("node1")).contains(new PgBackRestConfig.MemberEndpoint("10.0.0.11", 2222, Optional.of("/etc/pgbackrest/main.conf")));
        assertThat(b.member("node2")).contains(new PgBackRestConfig.MemberEndpoint("db2.example.com", 22, Optional.empty()));
        assertThat(b.member("node3")).isEmpty();

        ClusterConfig rep = c.cluster("reporting").orElseThrow();
        assertThat(rep.pgbackrest()).isEmpty();
        assertThat(rep.patroni().username()).isEqualTo("admin");
        assertThat(rep.patroni().password().reveal()).as("file secret is stripped").isEqualTo("file-secret-42");
        assertThat(rep.patroni().password().source()).isEqualTo("file " + pwFile);

        assertThat(c.access().defaultRole()).isEqualTo(Role.NONE);
        assertThat(c.access().users()).isEqualTo(Map.of("console:alice", Role.ADMIN, "slack:U0123", Role.OPERATOR,
                "discord:99887766", Role.VIEWER));
        assertThat(c.access().roleOf("slack:U0123")).isEqualTo(Role.OPERATOR);
        assertThat(c.access().roleOf("slack:UNKNOWN")).isEqualTo(Role.NONE);
        assertThat(c.audit().path()).isEqualTo(Path.of("/var/log/pgchatops/audit.jsonl"));
        assertThat(c.confirm().timeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void defaultsWhenOptionalKeysAreAbsent() throws Exception {
        List<String> envLookups = new ArrayList<>();
        BotConfig c = ConfigLoader.parse(minimal(""), v -> {
            envLookups.add(v);
            return null;
        });
        ClusterConfig main = c.clusters().get(0);
        assertThat(main.name()).isEqualTo("main");
        assertThat(main.patroni().username()).isNull();
        assertThat(main.patroni().password()).as("no username: no password needed").isNull();
        assertThat(main.patroni().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(main.patroni().requestTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(main.pgbackrest()).isEmpty();
        assertThat(c.access().defaultRole()).isEqualTo(Role.VIEWER);
        assertThat(c.access().users()).isEmpty();
        assertThat(c.confirm().timeout()).isEqualTo(ConfirmConfig.DEFAULT_TIMEOUT).isEqualTo(Duration.ofSeconds(120));
        assertThat(envLookups).isEmpty();
    }

    @Test
    void pgbackrestDefaults() throws Exception {
        Path key = Files.writeString(tmp.resolve("k"), "K");
        Path kh = Files.writeString(tmp.resolve("kh"), "H");
        String yaml = """
                clusters:
                  - name: main
                    patroni: {urls: [http://10.0.0.1:8008]}
                    pgbackrest:
                      stanza: main
                      ssh: {user: postgres, private-key: %s, known-hosts: %s}
                audit: {path: /tmp/a.jsonl}
                """.formatted(key, kh);
        PgBackRestConfig b = ConfigLoader.parse(yaml, ENV).clusters().get(0).pgbackrest().orElseThrow();
        assertThat(b.backupStandby()).isFalse();
        assertThat(b.binary()).isEqualTo("pgbackrest");
        assertThat(b.backupTimeout()).isEqualTo(Duration.ofHours(6));
        assertThat(b.members()).isEmpty();
        assertThat(b.ssh().connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(b.ssh().commandTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(b.ssh().maxConnections()).isEqualTo(16);
    }

    @Test
    void secretFromEnvUsesTheInjectedEnvironmentOnly() throws Exception {
        List<String> asked = new ArrayList<>();
        BotConfig c = ConfigLoader.parse(minimal("username: patroni\npassword-env: MY_OWN_VAR"), v -> {
            asked.add(v);
            return "value-" + v;
        });
        assertThat(asked).containsExactly("MY_OWN_VAR");
        assertThat(c.clusters().get(0).patroni().password().reveal()).isEqualTo("value-MY_OWN_VAR");
    }

    @Test
    void loadReadsTheFile() throws Exception {
        Path f = Files.writeString(tmp.resolve("bot.yaml"), minimal("username: patroni\npassword-env: PATRONI_PW"));
        BotConfig c = ConfigLoader.load(f, ENV);
        assertThat(c.clusters().get(0).patroni().password().reveal()).isEqualTo(PW);

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(tmp.resolve("nope.yaml"), ENV));
        assertThat(e.problems()).singleElement().asString().startsWith(tmp.resolve("nope.yaml") + ": cannot read config file");
    }

    @Test
    void secretToStringNeverShowsTheValue() throws Exception {
        Secret s = new Secret("env PATRONI_PW", "hunter2-very-secret");
        assertThat(s.toString()).doesNotContain("hunter2").contains("env PATRONI_PW");
        BotConfig c = ConfigLoader.parse(minimal("username: patroni\npassword-env: PATRONI_PW"), ENV);
        assertThat(c.toString()).as("records print their secrets via Secret.toString").doesNotContain(PW);
        assertThat(c.clusters().get(0).patroni().toString()).doesNotContain(PW).contains("Secret[env PATRONI_PW]");
    }

    @Test
    void durations() {
        assertThat(ConfigLoader.parseDuration("2s")).contains(Duration.ofSeconds(2));
        assertThat(ConfigLoader.parseDuration("500ms")).contains(Duration.ofMillis(500));
        assertThat(ConfigLoader.parseDuration("5m")).contains(Duration.ofMinutes(5));
        assertThat(ConfigLoader.parseDuration("1h")).contains(Duration.ofHours(1));
        assertThat(ConfigLoader.parseDuration("30")).as("bare number is seconds").contains(Duration.ofSeconds(30));
        assertThat(ConfigLoader.parseDuration(" 2 s ")).contains(Duration.ofSeconds(2));
        assertThat(ConfigLoader.parseDuration("5 minutes")).isEmpty();
        assertThat(ConfigLoader.parseDuration("-1s")).isEmpty();
        assertThat(ConfigLoader.parseDuration("1.5s")).isEmpty();
        assertThat(ConfigLoader.parseDuration("")).isEmpty();
        // Too big for a long, or for a Duration: reported, not thrown.
        assertThat(ConfigLoader.parseDuration("99999999999999999999999s")).isEmpty();
        assertThat(ConfigLoader.parseDuration("9223372036854775807h")).isEmpty();
    }

    // ---- one problem each -------------------------------------------------------------------------------------

    @Test
    void badUrlIsReportedWithItsKey() {
        List<String> p = problems("""
                clusters:
                  - name: main
                    patroni:
                      urls: [http://10.0.0.1:8008, "htp:/x", "10.0.0.3:8008"]
                audit: {path: /tmp/a.jsonl}
                """);
        assertThat(p).hasSize(2);
        assertThat(p.get(0)).startsWith("clusters[0].patroni.urls[1]: not a URL: \"htp:/x\"");
        assertThat(p.get(1)).startsWith("clusters[0].patroni.urls[2]: not a URL: \"10.0.0.3:8008\"");
    }

    @Test
    void urlsMustNotCarryCredentialsOrPaths() {
        List<String> p = problems("""
                clusters:
                  - name: main
                    patroni:
                      urls: ["http://admin:hunter2@10.0.0.1:8008", "http://10.0.0.2:8008/patroni", "http://10.0.0.3:8008?x=1", "http://10.0.0.4:8008/"]
                audit: {path: /tmp/a.jsonl}
                """);
        assertThat(p).containsExactly(
                "clusters[0].patroni.urls[0]: must not contain a user or password (use username and password-env)",
                "clusters[0].patroni.urls[1]: expected only scheme, host and port, e.g. http://10.0.0.1:8008",
                "clusters[0].patroni.urls[2]: expected only scheme, host and port, e.g. http://10.0.0.1:8008");
        assertThat(String.join("\n", p)).doesNotContain("hunter2");
    }

    @Test
    void missingClusters() {
        assertThat(problems("audit: {path: /tmp/a.jsonl}\n"))
                .containsExactly("clusters: required, a list with at least one cluster");
        assertThat(problems("clusters: []\naudit: {path: /tmp/a.jsonl}\n"))
                .containsExactly("clusters: required, a list with at least one cluster");
    }

    @Test
    void missingAuditAndUrls() {
        assertThat(problems("clusters:\n  - name: main\n    patroni: {username: x, password-env: PATRONI_PW}\n")).containsExactly(
                "clusters[0].patroni.urls: required, a list of Patroni REST URLs like http://10.0.0.1:8008",
                "audit.path: required, the file the audit log is appended to");
    }

    @Test
    void unknownKeyWithDidYouMean() {
        assertThat(problems(minimal("request-timout: 5s")))
                .containsExactly("clusters[0].patroni.request-timout: unknown key (did you mean 'request-timeout'?)");
        assertThat(problems(minimal("") + "confrim: {timeout: 5s}\n"))
                .containsExactly("confrim: unknown key (did you mean 'confirm'?)");
        assertThat(problems(minimal("") + "frobnicate: true\n")).as("no hint when nothing is close")
                .containsExactly("frobnicate: unknown key");
    }

    @Test
    void badRole() {
        assertThat(problems(minimal("") + "access:\n  default-role: root\n  users:\n    slack:U1: superuser\n    console:bob: operator\n"))
                .containsExactly(
                        "access.default-role: unknown role \"root\" (one of none, viewer, operator, admin)",
                        "access.users.slack:U1: unknown role \"superuser\" (one of none, viewer, operator, admin)");
        assertThat(problems(minimal("") + "access:\n  users:\n    irc:bob: admin\n")).containsExactly(
                "access.users.irc:bob: expected platform:id, e.g. console:alice, slack:U0123, discord:1234");
    }

    @Test
    void envVarNotSet() {
        assertThat(problems(minimal("username: patroni\npassword-env: NOT_THERE")))
                .containsExactly("clusters[0].patroni.password-env: environment variable NOT_THERE is not set");
        assertThat(problems(minimal("username: patroni\npassword-env: EMPTY"), Map.of("EMPTY", "")::get))
                .containsExactly("clusters[0].patroni.password-env: environment variable EMPTY is not set");
    }

    @Test
    void passwordRequiredWithUsernameAndOnlyOneSource() throws IOException {
        assertThat(problems(minimal("username: patroni"))).containsExactly(
                "clusters[0].patroni.password-env: required (or password-file): where the password comes from");
        Path f = Files.writeString(tmp.resolve("pw"), "x");
        assertThat(problems(minimal("username: patroni\npassword-env: PATRONI_PW\npassword-file: " + f)))
                .containsExactly("clusters[0].patroni: set only one of 'password-env' and 'password-file'");
        assertThat(problems(minimal("username: patroni\npassword-file: " + tmp.resolve("missing"))))
                .containsExactly("clusters[0].patroni.password-file: cannot read secret file " + tmp.resolve("missing")
                        + " (NoSuchFileException)");
    }

    @Test
    void badDuration() {
        assertThat(problems(minimal("request-timeout: 5 minutes"))).containsExactly(
                "clusters[0].patroni.request-timeout: not a duration: \"5 minutes\" (e.g. 500ms, 2s, 5m, 1h)");
        assertThat(problems(minimal("connect-timeout: 0s"))).as("zero is not a timeout").containsExactly(
                "clusters[0].patroni.connect-timeout: not a duration: \"0s\" (e.g. 500ms, 2s, 5m, 1h)");
        assertThat(problems(minimal("") + "confirm: {timeout: 99999999999999999999999s}\n")).containsExactly(
                "confirm.timeout: not a duration: \"99999999999999999999999s\" (e.g. 500ms, 2s, 5m, 1h)");
    }

    @Test
    void badStanzaName() throws IOException {
        Path key = Files.writeString(tmp.resolve("k"), "K");
        Path kh = Files.writeString(tmp.resolve("kh"), "H");
        String yaml = """
                clusters:
                  - name: main
                    patroni: {urls: [http://10.0.0.1:8008]}
                    pgbackrest:
                      stanza: "main;rm -rf /"
                      ssh: {user: postgres, private-key: %s, known-hosts: %s}
                audit: {path: /tmp/a.jsonl}
                """.formatted(key, kh);
        assertThat(problems(yaml)).containsExactly(
                "clusters[0].pgbackrest.stanza: \"main;rm -rf /\" is not a valid name (letters, digits, '_', '.', '-'; at most 63)");
    }

    @Test
    void unsafeBinaryAndMemberValues() throws IOException {
        Path key = Files.writeString(tmp.resolve("k"), "K");
        String yaml = """
                clusters:
                  - name: main
                    patroni: {urls: [http://10.0.0.1:8008]}
                    pgbackrest:
                      stanza: main
                      binary: "pgbackrest; id"
                      ssh: {user: postgres, private-key: %s, known-hosts: %s}
                      members:
                        node1: {host: "10.0.0.1 -oProxyCommand=x", port: 70000}
                audit: {path: /tmp/a.jsonl}
                """.formatted(key, tmp.resolve("no_known_hosts"));
        assertThat(problems(yaml)).containsExactly(
                "clusters[0].pgbackrest.binary: \"pgbackrest; id\" must be an absolute path of letters, digits, '_', '.', '-', '/'",
                "clusters[0].pgbackrest.ssh.known-hosts: file not found or not readable: " + tmp.resolve("no_known_hosts"),
                "clusters[0].pgbackrest.members.node1.host: not a host name or address: \"10.0.0.1 -oProxyCommand=x\"",
                "clusters[0].pgbackrest.members.node1.port: expected a whole number from 1 to 65535, got \"70000\"");
    }

    @Test
    void duplicateClusterName() {
        assertThat(problems("""
                clusters:
                  - {name: main, patroni: {urls: [http://10.0.0.1:8008]}}
                  - {name: main, patroni: {urls: [http://10.0.0.2:8008]}}
                audit: {path: /tmp/a.jsonl}
                """)).containsExactly("clusters[1].name: duplicate cluster name \"main\"");
    }

    @Test
    void notYaml() {
        assertThat(problems("clusters: [unclosed\n")).singleElement().asString().startsWith("config is not valid YAML");
        assertThat(problems("just a string\n"))
                .containsExactly("config: expected a YAML mapping with 'clusters', 'access' and 'audit'");
    }

    @Test
    void severalProblemsAreReportedTogether() {
        String yaml = """
                clusters:
                  - name: "bad name!"
                    patroni:
                      urls: ["htp:/x"]
                      username: patroni
                      password-env: NOT_SET
                      request-timeout: soon
                      conect-timeout: 2s
                access:
                  default-role: god
                audit:
                  path: /tmp/a.jsonl
                """;
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, ENV));
        assertThat(e.problems()).hasSize(6);
        assertThat(e.getMessage()).startsWith("6 configuration problem(s):\n  ");
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("clusters[0].name: \"bad name!\" is not a valid name"))
                .anySatisfy(p -> assertThat(p).startsWith("clusters[0].patroni.urls[0]: not a URL: \"htp:/x\""))
                .contains("clusters[0].patroni.password-env: environment variable NOT_SET is not set",
                        "clusters[0].patroni.request-timeout: not a duration: \"soon\" (e.g. 500ms, 2s, 5m, 1h)",
                        "clusters[0].patroni.conect-timeout: unknown key (did you mean 'connect-timeout'?)",
                        "access.default-role: unknown role \"god\" (one of none, viewer, operator, admin)");
    }

    @Test
    void problemListIsImmutable() {
        ConfigException e = new ConfigException(new ArrayList<>(List.of("a: b")));
        assertThatThrownBy(() -> e.problems().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void levenshtein() {
        assertThat(ConfigLoader.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(ConfigLoader.distance("", "abc")).isEqualTo(3);
        assertThat(ConfigLoader.distance("same", "same")).isZero();
    }

    @Test
    void roles() {
        assertThat(Role.parse(" Admin ")).contains(Role.ADMIN);
        assertThat(Role.parse("root")).isEmpty();
        assertThat(Role.parse(null)).isEmpty();
        assertThat(Role.ADMIN.atLeast(Role.OPERATOR)).isTrue();
        assertThat(Role.OPERATOR.atLeast(Role.OPERATOR)).isTrue();
        assertThat(Role.VIEWER.atLeast(Role.OPERATOR)).isFalse();
        assertThat(Role.NONE.atLeast(Role.VIEWER)).isFalse();
    }
}
