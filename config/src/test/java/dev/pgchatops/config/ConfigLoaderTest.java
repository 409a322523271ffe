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
    void credentialsInABadUrlAreNeverEchoed() {
        List<String> p = problems(minimal("").replace("[http://10.0.0.1:8008]",
                "[\"htp://admin:hunter2@10.0.0.1:8008\", \"http://admin:hunter2@h:99999999999\"]"));
        assertThat(p).containsExactly(
                "clusters[0].patroni.urls[0]: not a URL: \"htp://***@10.0.0.1:8008\" (expected http://HOST:PORT or https://HOST:PORT)",
                "clusters[0].patroni.urls[1]: must not contain a user or password (use username and password-env)");
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
    void aSecondYamlDocumentIsNotSilentlyIgnored() throws Exception {
        assertThat(ConfigLoader.parse("---\n" + minimal(""), ENV).clusters()).as("a leading --- is fine").hasSize(1);
        assertThat(ConfigLoader.parse("---\n" + minimal("") + "...\n", ENV).clusters()).as("so is a closing ...").hasSize(1);
        assertThat(problems(minimal("") + "---\naccess: {default-role: admin}\n"))
                .containsExactly("config: a second YAML document (from line 9) would be ignored; keep everything in one document");
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
    void roles() {
        assertThat(Role.parse(" Admin ")).contains(Role.ADMIN);
        assertThat(Role.parse("root")).isEmpty();
        assertThat(Role.parse(null)).isEmpty();
        assertThat(Role.ADMIN.atLeast(Role.OPERATOR)).isTrue();
        assertThat(Role.OPERATOR.atLeast(Role.OPERATOR)).isTrue();
        assertThat(Role.VIEWER.atLeast(Role.OPERATOR)).isFalse();
        assertThat(Role.NONE.atLeast(Role.VIEWER)).isFalse();
    }

    // ---- hardening: duplicate keys ----------------------------------------------------------------------------

    @Test
    void duplicateKeyAnywhereIsAnErrorNamingThePathAndBothLines() {
        String yaml = """
                clusters:
                  - name: main
                    patroni:
                      urls: [http://10.0.0.1:8008]
                      connect-timeout: 2s
                      connect-timeout: 3s
                    pgbackrest:
                      members:
                        node1: {host: 10.0.0.1, host: 10.0.0.2}
                audit:
                  path: /tmp/a.jsonl
                access:
                  default-role: none
                  users: {console:alice: admin}
                  default-role: admin
                """;
        assertThat(problems(yaml)).startsWith(
                "clusters[0].patroni.connect-timeout: duplicate key (lines 5 and 6); keep one",
                "clusters[0].pgbackrest.members.node1.host: duplicate key (lines 9 and 9); keep one",
                "access.default-role: duplicate key (lines 13 and 15); keep one");
    }

    @Test
    void duplicateTopLevelSectionAndUserAndThreeTimes() {
        String yaml = """
                clusters:
                  - {name: main, patroni: {urls: [http://10.0.0.1:8008]}}
                audit: {path: /tmp/a.jsonl}
                access:
                  users:
                    slack:U1: viewer
                    slack:U1: admin
                audit: {path: /tmp/b.jsonl}
                audit: {path: /tmp/c.jsonl}
                """;
        assertThat(problems(yaml)).containsExactly(
                "access.users.slack:U1: duplicate key (lines 6 and 7); keep one",
                "audit: duplicate key (lines 3, 8 and 9); keep one");
    }

    @Test
    void sameKeyInDifferentMappingsOrListItemsIsFine() throws Exception {
        BotConfig c = ConfigLoader.parse("""
                clusters:
                  - name: a
                    patroni: {urls: [http://10.0.0.1:8008]}
                  - name: b
                    patroni: {urls: [http://10.0.0.2:8008]}
                audit: {path: /tmp/a.jsonl}
                """, ENV);
        assertThat(c.clusters()).extracting(ClusterConfig::name).containsExactly("a", "b");
    }

    @Test
    void duplicateKeyInsideTheSecondListItemNamesItsIndex() {
        assertThat(problems("""
                clusters:
                  - name: a
                    patroni: {urls: [http://10.0.0.1:8008]}
                  - name: b
                    patroni: {urls: [http://10.0.0.2:8008]}
                    name: c
                audit: {path: /tmp/a.jsonl}
                """)).startsWith("clusters[1].name: duplicate key (lines 4 and 6); keep one");
    }

    // ---- hardening: ports --------------------------------------------------------------------------------------

    @Test
    void patroniUrlPortsMustBeInRange() {
        List<String> p = problems(minimal("").replace("[http://10.0.0.1:8008]",
                "[\"http://127.0.0.1:99999\", \"http://127.0.0.1:0\", \"http://h:99999999999\", \"http://h:\", \"http://[::1]:8008\", \"http://h:65535\"]"));
        assertThat(p).containsExactly(
                "clusters[0].patroni.urls[0]: port must be 1 to 65535, got \"99999\" in \"http://127.0.0.1:99999\"",
                "clusters[0].patroni.urls[1]: port must be 1 to 65535, got \"0\" in \"http://127.0.0.1:0\"",
                "clusters[0].patroni.urls[2]: port must be 1 to 65535, got \"99999999999\" in \"http://h:99999999999\"",
                "clusters[0].patroni.urls[3]: port must be 1 to 65535, got \"\" in \"http://h:\"");
    }

    @Test
    void memberPortMustBeInRange() throws IOException {
        Path key = Files.writeString(tmp.resolve("k"), "K");
        String yaml = """
                clusters:
                  - name: main
                    patroni: {urls: [http://10.0.0.1:8008]}
                    pgbackrest:
                      stanza: main
                      ssh: {user: postgres, private-key: %1$s, known-hosts: %1$s}
                      members:
                        node1: {host: 10.0.0.1, port: 0}
                        node2: {host: 10.0.0.2, port: -22}
                        node3: {host: 10.0.0.3, port: [22]}
                audit: {path: /tmp/a.jsonl}
                """.formatted(key);
        assertThat(problems(yaml)).containsExactly(
                "clusters[0].pgbackrest.members.node1.port: expected a whole number from 1 to 65535, got \"0\"",
                "clusters[0].pgbackrest.members.node2.port: expected a whole number from 1 to 65535, got \"-22\"",
                "clusters[0].pgbackrest.members.node3.port: expected a whole number from 1 to 65535, got a list");
    }

    // ---- hardening: durations and other scalars ----------------------------------------------------------------

    @Test
    void zeroAndNegativeDurationsMustBePositive() {
        assertThat(problems(minimal("") + "confirm: {timeout: 0s}\n"))
                .containsExactly("confirm.timeout: must be a positive duration, got \"0s\"");
        assertThat(problems(minimal("connect-timeout: -5s\nrequest-timeout: 0")))
                .containsExactly("clusters[0].patroni.connect-timeout: must be a positive duration, got \"-5s\"",
                        "clusters[0].patroni.request-timeout: must be a positive duration, got \"0\"");
    }

    @Test
    void listOrMappingWhereAScalarIsExpectedSaysWhatWasGiven() throws IOException {
        assertThat(problems(minimal("connect-timeout: [2s]\nrequest-timeout: {s: 2}\nusername: [a, b]")))
                .containsExactly("clusters[0].patroni.username: expected a single value, got a list",
                        "clusters[0].patroni.connect-timeout: expected a duration like 2s or 5m, got a list",
                        "clusters[0].patroni.request-timeout: expected a duration like 2s or 5m, got a mapping");
        assertThat(problems(minimal("").replace("[http://10.0.0.1:8008]", "[{host: x}]")))
                .containsExactly("clusters[0].patroni.urls[0]: expected a URL like http://10.0.0.1:8008, got a mapping");
        assertThat(problems(minimal("") + "access: {default-role: [admin], users: {slack:U1: {role: admin}}}\n"))
                .containsExactly("access.default-role: expected one of none, viewer, operator, admin, got a list",
                        "access.users.slack:U1: expected one of none, viewer, operator, admin, got a mapping");
        Path key = Files.writeString(tmp.resolve("k"), "K");
        assertThat(problems("""
                clusters:
                  - name: main
                    patroni: {urls: [http://10.0.0.1:8008]}
                    pgbackrest:
                      stanza: main
                      backup-standby: [true]
                      ssh: {user: postgres, private-key: %1$s, known-hosts: %1$s, max-connections: {n: 4}}
                audit: {path: /tmp/a.jsonl}
                """.formatted(key))).containsExactly(
                "clusters[0].pgbackrest.backup-standby: expected true or false, got a list",
                "clusters[0].pgbackrest.ssh.max-connections: expected a whole number from 1 to 1000, got a mapping");
    }

    @Test
    void sectionThatIsNotAMappingIsReported() {
        assertThat(problems(minimal("") + "confirm: 5s\n"))
                .containsExactly("confirm: expected a mapping with 'timeout' and 'max-open-per-user', got \"5s\"");
        assertThat(problems(minimal("") + "executor: [8]\n"))
                .containsExactly("executor: expected a mapping with 'threads', got a list");
    }

    // ---- hardening: sections that are not built yet ------------------------------------------------------------

    @Test
    void alertsSectionWithTheKeysOfTheIssue() throws Exception {
        Function<String, String> env = Map.of("PATRONI_PW", PW, "SLACK_BOT_TOKEN", "xoxb-1", "SLACK_APP_TOKEN", "xapp-1",
                "DISCORD_TOKEN", "d")::get;
        BotConfig c = ConfigLoader.parse(minimal("") + """
                slack:
                  bot-token-env: SLACK_BOT_TOKEN
                  app-token-env: SLACK_APP_TOKEN
                discord:
                  token-env: DISCORD_TOKEN
                alerts:
                  poll-interval: 1s
                  state-dir: /var/lib/pgchatops
                  lag-threshold-mb: 16
                  lag-grace: 30s
                  backup-max-age: {full: 8d, any: 26h}
                  channels: {console: true, slack: [C0123], discord: ["1234"]}
                """, env);
        AlertsConfig a = c.alerts().orElseThrow();
        assertThat(a.pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(a.stateDir()).isEqualTo(Path.of("/var/lib/pgchatops"));
        assertThat(a.lagThresholdMb()).isEqualTo(16);
        assertThat(a.lagGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(a.backupMaxAgeFull()).isEqualTo(Duration.ofDays(8));
        assertThat(a.backupMaxAgeAny()).isEqualTo(Duration.ofHours(26));
        assertThat(a.channels()).isEqualTo(new AlertChannels(true, List.of("C0123"), List.of("1234")));
        assertThat(a.dampingPolls()).isEqualTo(AlertsConfig.DEFAULT_DAMPING);
    }

    @Test
    void alertsProblemsNameTheirKeys() {
        assertThat(problems(minimal("") + """
                alerts:
                  state-dir: relative/dir
                  lag-grace: 0s
                  backup-max-age: {full: 8 days}
                  channels: {slack: [C0123], discord: [abc]}
                  pol-interval: 1s
                """)).containsExactlyInAnyOrder(
                "alerts.pol-interval: unknown key (did you mean 'poll-interval'?)",
                "alerts.state-dir: must be an absolute directory, got \"relative/dir\"",
                "alerts.lag-grace: must be a positive duration, got \"0s\"",
                "alerts.backup-max-age.full: not a duration: \"8 days\" (e.g. 500ms, 2s, 5m, 1h)",
                "alerts.channels.discord[0]: not a Discord channel id (digits, in quotes): \"abc\"",
                "alerts.channels.slack: lists Slack channels, but there is no slack: section to post with");
        assertThat(problems(minimal("") + "alerts:\n  state-dir: /x\n  channels: {console: false}\n")).containsExactly(
                "alerts.channels: no channel to post alerts to; set console: true or list slack/discord channel ids");
    }

    @Test
    void backupScheduleIsCheckedCronPerType() throws Exception {
        Path key = Files.writeString(tmp.resolve("k"), "KEY");
        String pb = """
                pgbackrest:
                  stanza: main
                  ssh: {user: postgres, private-key: %s, known-hosts: %s}
                  schedule: %s
                """;
        String ok = minimal("").replace("audit:", pb.formatted(key, key, "{full: \"0 1 * * 0\", diff: \"0 1 * * 1-6\"}").indent(4) + "audit:");
        BotConfig c = ConfigLoader.parse(ok, ENV);
        assertThat(c.clusters().get(0).pgbackrest().orElseThrow().schedule().orElseThrow().cron())
                .containsEntry("full", "0 1 * * 0").containsEntry("diff", "0 1 * * 1-6").hasSize(2);
        String bad = minimal("").replace("audit:", pb.formatted(key, key, "{full: \"0 25 * * 0\", weekly: \"0 1 * * 1\"}").indent(4) + "audit:");
        List<String> p = problems(bad);
        assertThat(p).anyMatch(x -> x.startsWith("clusters[0].pgbackrest.schedule.full: not a cron expression (minute hour day-of-month month day-of-week, UTC): \"0 25 * * 0\""));
        assertThat(p).contains("clusters[0].pgbackrest.schedule.weekly: unknown key");
    }

    @Test
    void slackSection() throws Exception {
        Function<String, String> env = Map.of("PATRONI_PW", PW, "SLACK_BOT_TOKEN", "xoxb-1", "SLACK_APP_TOKEN", "xapp-1",
                "SLACK_SIGNING_SECRET", "sig")::get;
        BotConfig socket = ConfigLoader.parse(minimal("") + "slack:\n  bot-token-env: SLACK_BOT_TOKEN\n  app-token-env: SLACK_APP_TOKEN\n", env);
        SlackConfig s = socket.slack().orElseThrow();
        assertThat(s.mode()).isEqualTo(SlackConfig.Mode.SOCKET);
        assertThat(s.botToken().reveal()).isEqualTo("xoxb-1");
        assertThat(s.apiUrl()).hasToString("https://slack.com/api/");
        assertThat(s.httpPort()).isEqualTo(3000);

        BotConfig http = ConfigLoader.parse(minimal("") + """
                slack:
                  mode: http
                  bot-token-env: SLACK_BOT_TOKEN
                  signing-secret-env: SLACK_SIGNING_SECRET
                  http: {port: 3100}
                  api-url: http://127.0.0.1:9999/api
                """, env);
        assertThat(http.slack().orElseThrow().httpPort()).isEqualTo(3100);
        assertThat(http.slack().orElseThrow().apiUrl()).as("a trailing slash is added").hasToString("http://127.0.0.1:9999/api/");
        assertThat(http.slack().orElseThrow().signingSecret().orElseThrow().reveal()).isEqualTo("sig");

        assertThat(problems(minimal("") + "slack:\n  bot-token-env: SLACK_BOT_TOKEN\n", env)).containsExactly(
                "slack.app-token-env: required (or app-token-file): the app-level token (xapp-…, scope connections:write) for socket mode");
        assertThat(problems(minimal("") + "slack:\n  mode: http\n  bot-token-env: NOPE\n  http: {port: 70000}\n  api-url: ftp://x\n", env))
                .containsExactly("slack.bot-token-env: environment variable NOPE is not set",
                        "slack.signing-secret-env: required (or signing-secret-file): the signing secret for http mode",
                        "slack.http.port: expected a whole number from 1 to 65535, got \"70000\"",
                        "slack.api-url: not a URL: \"ftp://x\" (expected https://HOST/…)");
        assertThat(problems(minimal("") + "slack:\n  mode: rtm\n  bot-token-env: SLACK_BOT_TOKEN\n", env))
                .containsExactly("slack.mode: unknown mode \"rtm\" (socket or http)");
    }

    @Test
    void discordSectionAndPlatformRoles() throws Exception {
        Function<String, String> env = Map.of("PATRONI_PW", PW, "DISCORD_TOKEN", "tok")::get;
        BotConfig c = ConfigLoader.parse(minimal("") + """
                discord:
                  token-env: DISCORD_TOKEN
                  guild-id: "123456789012345678"
                  gateway-url: ws://127.0.0.1:7000
                access:
                  slack-groups: {S0123ABCD: operator}
                  discord-roles: {"223456789012345678": admin}
                """, env);
        DiscordConfig d = c.discord().orElseThrow();
        assertThat(d.token().reveal()).isEqualTo("tok");
        assertThat(d.guildId()).contains("123456789012345678");
        assertThat(d.apiUrl()).hasToString("https://discord.com/api/v10/");
        assertThat(d.gatewayUrl()).hasToString("ws://127.0.0.1:7000/");
        assertThat(c.access().slackGroups()).containsEntry("S0123ABCD", Role.OPERATOR);
        assertThat(c.access().discordRoles()).containsEntry("223456789012345678", Role.ADMIN);

        assertThat(problems(minimal("") + "discord:\n  guild-id: 12ab\n  gateway-url: https://x/\n"
                + "access:\n  discord-roles: {x1: admin}\n  slack-groups: {S0123ABCD: root}\n", env)).containsExactlyInAnyOrder(
                "discord.token-env: required (or token-file): the bot token",
                "discord.guild-id: not a Discord guild id (15–21 digits, in quotes): \"12ab\"",
                "discord.gateway-url: not a URL: \"https://x/\" (expected wss://HOST/…)",
                "access.slack-groups.S0123ABCD: unknown role \"root\" (one of none, viewer, operator, admin)",
                "access.discord-roles.x1: not a Discord role id (digits, in quotes)");
    }

    // ---- new keys ------------------------------------------------------------------------------------------------

    @Test
    void executorAndConfirmLimits() throws Exception {
        BotConfig d = ConfigLoader.parse(minimal(""), ENV);
        assertThat(d.executor()).isEqualTo(new ExecutorConfig(ExecutorConfig.DEFAULT_THREADS));
        assertThat(ExecutorConfig.DEFAULT_THREADS).isEqualTo(8);
        assertThat(d.confirm().maxOpenPerUser()).isEqualTo(ConfirmConfig.DEFAULT_MAX_OPEN_PER_USER).isEqualTo(5);

        BotConfig c = ConfigLoader.parse(minimal("") + "executor: {threads: 64}\nconfirm: {max-open-per-user: 1}\n", ENV);
        assertThat(c.executor().threads()).isEqualTo(64);
        assertThat(c.confirm()).isEqualTo(new ConfirmConfig(ConfirmConfig.DEFAULT_TIMEOUT, 1));

        assertThat(problems(minimal("") + "executor: {threads: 0}\nconfirm: {max-open-per-user: 101}\n")).containsExactly(
                "confirm.max-open-per-user: expected a whole number from 1 to 100, got \"101\"",
                "executor.threads: expected a whole number from 1 to 64, got \"0\"");
        assertThat(problems(minimal("") + "executor: {thread: 4}\n"))
                .containsExactly("executor.thread: unknown key (did you mean 'threads'?)");
    }

    @Test
    void compatibilityConstructorsUseTheDefaults() {
        ConfirmConfig confirm = new ConfirmConfig(Duration.ofSeconds(3));
        assertThat(confirm.maxOpenPerUser()).isEqualTo(ConfirmConfig.DEFAULT_MAX_OPEN_PER_USER);
        BotConfig b = new BotConfig(List.of(), new AccessConfig(Role.VIEWER, Map.of()), new AuditConfig(Path.of("/tmp/a")), confirm);
        assertThat(b.executor()).isEqualTo(new ExecutorConfig(ExecutorConfig.DEFAULT_THREADS));
    }
}
