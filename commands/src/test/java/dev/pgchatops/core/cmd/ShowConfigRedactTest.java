package dev.pgchatops.core.cmd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgchatops.config.Role;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.CommandRegistry;
import dev.pgchatops.core.FakeHttpServer;
import dev.pgchatops.core.Fixtures;
import dev.pgchatops.core.RecordingResponder;
import dev.pgchatops.core.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ShowConfigRedactTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A Patroni dynamic configuration with secrets at several depths, in objects and in lists. */
    private static final String CONFIG = """
            {
              "loop_wait": 10,
              "ttl": 30,
              "postgresql": {
                "use_pg_rewind": true,
                "parameters": {"max_connections": 100, "ssl_key_file": "/etc/ssl/key.pem"},
                "authentication": {
                  "superuser": {"username": "postgres", "password": "super-pw-1"},
                  "replication": {"username": "replicator", "password": "repl-pw-2"},
                  "rewind": {"username": "rewind", "Password": "rewind-pw-3"}
                },
                "pg_hba": ["host replication replicator 0.0.0.0/0 md5"]
              },
              "standby_cluster": {"host": "10.9.9.9", "port": 5432},
              "slots": [{"name": "s1", "api_token": "tok-4"}, {"name": "s2", "client_secret": "sec-5"}],
              "tags": {"private_key_passphrase": "pass-6", "nofailover": false},
              "tokens": ["tok-7", "tok-8"],
              "secrets": {"a": "sec-9", "b": {"c": "sec-10"}},
              "pgpass": "/tmp/pgpass-11",
              "password": null
            }
            """;
    private static final List<String> SECRETS = List.of("super-pw-1", "repl-pw-2", "rewind-pw-3", "tok-4", "sec-5", "pass-6",
            "tok-7", "tok-8", "sec-9", "sec-10", "pgpass-11");

    @Test
    void redactsSecretValuesAtAnyDepth() throws Exception {
        JsonNode n = SecretRedactor.redact(JSON.readTree(CONFIG)).redacted();
        String out = n.toString();
        for (String s : SECRETS) assertThat(out).as("leaks %s", s).doesNotContain(s);

        assertThat(n.at("/postgresql/authentication/superuser/password").asText()).isEqualTo("[redacted]");
        assertThat(n.at("/postgresql/authentication/rewind/Password").asText()).as("case-insensitive").isEqualTo("[redacted]");
        assertThat(n.at("/slots/0/api_token").asText()).isEqualTo("[redacted]");
        assertThat(n.at("/slots/1/client_secret").asText()).isEqualTo("[redacted]");
        assertThat(n.at("/tags/private_key_passphrase").asText()).isEqualTo("[redacted]");
        assertThat(n.at("/password").asText()).isEqualTo("[redacted]");
    }

    @Test
    void keepsEverythingElse() throws Exception {
        JsonNode n = SecretRedactor.redact(JSON.readTree(CONFIG)).redacted();
        assertThat(n.at("/loop_wait").asInt()).isEqualTo(10);
        assertThat(n.at("/postgresql/authentication/superuser/username").asText()).isEqualTo("postgres");
        assertThat(n.at("/postgresql/parameters/max_connections").asInt()).isEqualTo(100);
        assertThat(n.at("/postgresql/parameters/ssl_key_file").asText()).isEqualTo("/etc/ssl/key.pem");
        assertThat(n.at("/postgresql/pg_hba/0").asText()).isEqualTo("host replication replicator 0.0.0.0/0 md5");
        assertThat(n.at("/postgresql/use_pg_rewind").asBoolean()).isTrue();
        assertThat(n.at("/slots/0/name").asText()).isEqualTo("s1");
        assertThat(n.at("/tags/nofailover").isBoolean()).isTrue();
        assertThat(n.at("/standby_cluster/host").asText()).isEqualTo("10.9.9.9");
    }

    @Test
    void redactsTopLevelArraysAndLeavesScalarsAlone() throws Exception {
        JsonNode arr = SecretRedactor.redact(JSON.readTree("[{\"password\": \"x1\"}, [{\"token\": \"x2\"}]]")).redacted();
        assertThat(arr.toString()).doesNotContain("x1").doesNotContain("x2");
        assertThat(SecretRedactor.redact(JSON.readTree("\"plain\"")).redacted().asText()).isEqualTo("plain");
        assertThat(SecretRedactor.redact(null).redacted()).isNull();
    }

    @Test
    void showConfigCommandNeverShowsSecrets() throws Exception {
        try (FakeHttpServer s = FakeHttpServer.start().json("GET", "/config", CONFIG)) {
            CommandRegistry r = new CommandRegistry();
            PatroniCommands.all(Follow.Limits.DEFAULT).forEach(r::register);
            Bot bot = Fixtures.bot(List.of(Fixtures.cluster("main", s.uri())), r, new TestClock(), Duration.ofSeconds(60),
                    new ArrayList<>());
            RecordingResponder out = new RecordingResponder();
            bot.handle(Fixtures.req(Fixtures.VIEWER, "/show-config"), out);
            String text = out.text();
            assertThat(text).startsWith("Dynamic configuration of main\n").contains("loop_wait: 10")
                    .contains("username: \"postgres\"").contains("[redacted]").endsWith("\n12 values redacted.");
            for (String secret : SECRETS) assertThat(text).doesNotContain(secret);
            assertThat(r.find("show-config").orElseThrow().spec().role()).isEqualTo(Role.VIEWER);
        }
    }

    private static String inline(String s) {
        return SecretRedactor.redactText(s).redacted().asText();
    }

    @Test
    void passwordsInsideConninfoStringsAreRedacted() {
        org.assertj.core.api.Assertions.assertThat(inline(
                "host=10.0.0.1 port=5432 user=replicator password=s3cr3t sslmode=require"))
                .isEqualTo("host=10.0.0.1 port=5432 user=replicator password=[redacted] sslmode=require");
        org.assertj.core.api.Assertions.assertThat(inline("password = 'a b c' x=1"))
                .isEqualTo("password = [redacted] x=1");
    }

    @Test
    void pgBackRestOptionsUrlsKeysAndListElementsAreRedacted() throws Exception {
        JsonNode cfg = new ObjectMapper().readTree("""
                {"postgresql": {"recovery_conf": {"restore_command":
                    "pgbackrest --repo1-cipher-pass=abc123 --repo1-s3-key=AKIA1 --repo1-s3-key-secret=zzz9 --stanza=demo archive-get %f %p"},
                  "parameters": {"primary_conninfo": "postgresql://replicator:pw77@10.0.0.1:5432/postgres"},
                  "pg_hba": ["host all all 0.0.0.0/0 md5", "hostssl replication u 10.0.0.0/8 password=oops9"],
                  "cipher-pass": "plain8", "repo1-s3-key": "k3y"}}
                """);
        String out = SecretRedactor.redact(cfg).redacted().toString();
        assertThat(out).doesNotContain("abc123", "AKIA1", "zzz9", "pw77", "oops9", "plain8", "k3y")
                .contains("\"restore_command\":\"[redacted]\"", "postgresql://replicator:[redacted]@10.0.0.1:5432/postgres",
                        "host all all 0.0.0.0/0 md5");
    }
}
