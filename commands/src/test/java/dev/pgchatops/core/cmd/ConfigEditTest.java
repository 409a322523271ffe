package dev.pgchatops.core.cmd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgchatops.core.UserFacingException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keys, typed values, the diff and the PATCH body of /config-set and /config-unset. */
class ConfigEditTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode config() throws Exception {
        return JSON.readTree("""
                {"ttl": 30, "loop_wait": 10, "retry_timeout": 10,
                 "postgresql": {"use_pg_rewind": true, "parameters": {"max_connections": 100, "work_mem": "4MB",
                   "archive_command": "pgbackrest --stanza=demo archive-push %p", "ssl_key_file": "/etc/key"}},
                 "standby_cluster": {"primary_conninfo": "host=x password=hunter2"}}""");
    }

    @Test
    void valuesAreTypedAsYamlScalars() throws Exception {
        List<ConfigEdit.Change> c = ConfigEdit.assignments(List.of("loop_wait=5", "postgresql.parameters.max_connections=200",
                "postgresql.parameters.archive_command=pgbackrest --stanza=demo archive-push %p",
                "postgresql.use_pg_rewind=false", "postgresql.parameters.random_page_cost=1.1",
                "postgresql.parameters.work_mem='200'", "postgresql.parameters.pg_stat_statements.max=5000"));
        assertThat(c.get(0).value().orElseThrow().isIntegralNumber()).isTrue();
        assertThat(c.get(1).value().orElseThrow().asLong()).isEqualTo(200);
        assertThat(c.get(2).value().orElseThrow().asText()).isEqualTo("pgbackrest --stanza=demo archive-push %p");
        assertThat(c.get(3).value().orElseThrow().isBoolean()).isTrue();
        assertThat(c.get(4).value().orElseThrow().isFloatingPointNumber()).isTrue();
        assertThat(c.get(5).value().orElseThrow().isTextual()).as("quoted stays text").isTrue();
        assertThat(c.get(6).key().path()).containsExactly("postgresql", "parameters", "pg_stat_statements.max");
    }

    @Test
    void badKeysAndValuesNameWhatIsWrong() {
        assertThatThrownBy(() -> ConfigEdit.assignments(List.of("loop_wiat=5"))).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("unknown key 'loop_wiat'").hasMessageContaining("Did you mean loop_wait?");
        assertThatThrownBy(() -> ConfigEdit.assignments(List.of("loop_wait=five")))
                .hasMessage("loop_wait must be a whole number >= 0, not 'five'");
        assertThatThrownBy(() -> ConfigEdit.assignments(List.of("postgresql.use_pg_rewind=yes")))
                .hasMessage("postgresql.use_pg_rewind must be true or false, not 'yes'");
        assertThatThrownBy(() -> ConfigEdit.assignments(List.of("postgresql.paramters.x=1")))
                .hasMessageContaining("unknown key 'postgresql.paramters'").hasMessageContaining("Did you mean postgresql.parameters?");
        assertThatThrownBy(() -> ConfigEdit.assignments(List.of("postgresql.pg_hba=x")))
                .hasMessageContaining("is a list");
        assertThatThrownBy(() -> ConfigEdit.assignments(List.of("loop_wait"))).hasMessageContaining("is not KEY=VALUE");
        assertThatThrownBy(() -> ConfigEdit.assignments(List.of("pause=true"))).hasMessageContaining("/pause and /resume");
        assertThatThrownBy(() -> ConfigEdit.assignments(List.of("postgresql.parameters={a: 1}")))
                .hasMessageContaining("is a section");
        assertThatThrownBy(() -> ConfigEdit.assignments(List.of("slots.x={a: 1}")))
                .hasMessageContaining("objects and lists are not accepted");
        assertThatThrownBy(() -> ConfigEdit.assignments(List.of("loop_wait=5", "loop_wait=6"))).hasMessage("loop_wait is given twice");
        assertThatThrownBy(() -> ConfigEdit.assignments(List.of("postgresql.parameters.bad;name=1")))
                .hasMessageContaining("is not a PostgreSQL parameter name");
        assertThatThrownBy(() -> ConfigEdit.removals(List.of("loop_wait=5"))).hasMessageContaining("/config-set loop_wait=5");
        assertThatThrownBy(() -> ConfigEdit.assignments(List.of("ttl=null"))).hasMessageContaining("/config-unset ttl");
    }

    @Test
    void diffShowsOldAndNewWithSecretsRedactedAndPatchHoldsOnlyWhatChanges() throws Exception {
        List<ConfigEdit.Line> d = ConfigEdit.diff(config(), ConfigEdit.assignments(List.of("loop_wait=5",
                "postgresql.parameters.max_connections=100", "postgresql.parameters.max_connections_x=1",
                "standby_cluster.primary_conninfo=host=y password=s3cret", "postgresql.parameters.ssl_key_file=/etc/new")));
        assertThat(d.stream().map(ConfigEdit::render).toList()).containsExactly(
                "loop_wait: 10 → 5",
                "postgresql.parameters.max_connections: 100 → 100 (unchanged)",
                "postgresql.parameters.max_connections_x: (not set) → 1",
                "standby_cluster.primary_conninfo: \"host=x password=[redacted]\" → \"host=y password=[redacted]\"",
                "postgresql.parameters.ssl_key_file: \"/etc/key\" → \"/etc/new\"");
        assertThat(ConfigEdit.patch(d).toString()).isEqualTo("{\"loop_wait\":5,\"postgresql\":{\"parameters\":"
                + "{\"max_connections_x\":1,\"ssl_key_file\":\"/etc/new\"}},\"standby_cluster\":{\"primary_conninfo\":"
                + "\"host=y password=s3cret\"}}");
        List<ConfigEdit.Line> unset = ConfigEdit.diff(config(), ConfigEdit.removals(List.of("postgresql.parameters.work_mem")));
        assertThat(ConfigEdit.render(unset.get(0))).isEqualTo("postgresql.parameters.work_mem: \"4MB\" → (not set)");
        assertThat(ConfigEdit.patch(unset).toString()).isEqualTo("{\"postgresql\":{\"parameters\":{\"work_mem\":null}}}");
    }

    @Test
    void restartAndTimingRules() throws Exception {
        assertThat(ConfigEdit.key("postgresql.parameters.max_connections").needsRestart()).isTrue();
        assertThat(ConfigEdit.key("postgresql.parameters.shared_buffers").needsRestart()).isTrue();
        assertThat(ConfigEdit.key("postgresql.parameters.work_mem").needsRestart()).isFalse();
        assertThat(ConfigEdit.key("loop_wait").needsRestart()).isFalse();
        assertThat(ConfigEdit.timingWarning(config(), ConfigEdit.diff(config(), ConfigEdit.assignments(List.of("loop_wait=20")))))
                .hasValueSatisfying(w -> assertThat(w).contains("exceeds ttl 30"));
        assertThat(ConfigEdit.timingWarning(config(), ConfigEdit.diff(config(), ConfigEdit.assignments(List.of("loop_wait=5")))))
                .isEmpty();
    }
}
