package dev.pgchatops.core.pgbackrest;

import dev.pgchatops.core.reply.Severity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** User text never reaches the remote shell: everything but full|diff|incr is refused before any SSH call. */
class BackupInjectionTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "/backup full; touch /tmp/x",
            "/backup 'full; touch /tmp/x'",
            "/backup $(id)",
            "/backup \"$(id)\"",
            "/backup `id`",
            "/backup full`id`",
            "/backup --repo1-path=/",
            "/backup full --repo1-path=/",
            "/backup --type=full",
            "/backup full --config=/tmp/evil.conf",
            "/backup full diff",
            "/backup fulll",
            "/backup 'full'\\''; id'",
            "/backup ../../etc/passwd",
            "/backup full && id",
            "/backup full|id",
            "/backup --stanza=other full",
    })
    void refusedWithUsageAndNothingRuns(String line) {
        Harness h = new Harness();
        Harness.Capture c = h.run("alice", line);
        assertThat(c.last().severity()).isEqualTo(Severity.ERROR);
        assertThat(c.text()).contains("Usage: /backup [full|diff|incr]");
        assertThat(h.runner.calls).isEmpty();
        assertThat(h.locks.holder("demo", "demo")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/backup full\ntouch /tmp/x", "/backup full\r\nid", "/backup \u0000full", "/backup full\u001b[2J"})
    void controlCharactersAreRefusedAndNothingRuns(String line) {
        Harness h = new Harness();
        Harness.Capture c = h.run("alice", line);
        assertThat(c.last().severity()).isEqualTo(Severity.ERROR);
        assertThat(c.text()).contains("single line").contains("Usage: /backup [full|diff|incr]");
        assertThat(h.runner.calls).isEmpty();
    }

    @Test
    void theOnlyCommandLineIsBuiltFromValidatedValues() {
        Harness h = new Harness();
        h.runner.on("backup", FakeRunner.lines(0, Fixtures.FULL_BACKUP, List.of()))
                .on("info", FakeRunner.json(Fixtures.INFO_TWO_BACKUPS));
        h.run("alice", "/backup FULL");
        FakeRunner.Call call = h.runner.calls("backup").get(0);
        assertThat(call.argv()).containsExactly("pgbackrest", "--config=/etc/pgbackrest/node1.conf", "--stanza=demo",
                "--log-level-console=info", "--type=full", "backup");
        assertThat(call.commandLine()).isEqualTo("'pgbackrest' '--config=/etc/pgbackrest/node1.conf' '--stanza=demo'"
                + " '--log-level-console=info' '--type=full' 'backup'");
        assertThat(call.endpoint()).isEqualTo(new Endpoint("node1", "postgres", "10.0.0.11", 2222));
    }
}
