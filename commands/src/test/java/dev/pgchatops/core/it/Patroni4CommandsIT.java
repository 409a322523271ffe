package dev.pgchatops.core.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.pgchatops.core.Request;
import dev.pgchatops.core.confirm.PendingView;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /config-set, /config-unset, /cluster-list, /topology and /version on the real cluster — Patroni 3.0.2 or 4.0.7,
 * whichever scripts/test started — and /cluster-list compared cell by cell with that version's own patronictl.
 */
class Patroni4CommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    static LiveCluster live;

    @BeforeAll
    static void cluster() {
        live = LiveCluster.get();
    }

    @BeforeEach
    void healthy() {
        live.awaitHealthy();
    }

    private JsonNode config() {
        try {
            return live.patroni.dynamicConfig();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private boolean anyPending() {
        return live.state().members().stream().anyMatch(Member::pendingRestart);
    }

    @Test
    void configSetShowsTheDiffAndAppliesItAndARestartParameterBecomesPending() {
        long before = config().path("postgresql").path("parameters").path("max_connections").asLong();
        long next = before + 10;
        LiveCluster.Capture asked = new LiveCluster.Capture();
        Optional<PendingView> p = live.bot.handle(new Request(LiveCluster.user("operator"), "it",
                "/config-set postgresql.parameters.max_connections=" + next + " postgresql.parameters.work_mem=8MB"), asked);
        assertThat(p).as(asked.text()).isPresent();
        assertThat(asked.text()).contains("postgresql.parameters.max_connections: " + before + " → " + next)
                .contains("postgresql.parameters.work_mem: (not set) → \"8MB\"")
                .contains("Needs a restart of PostgreSQL on every member: max_connections");
        assertThat(config().path("postgresql").path("parameters").path("max_connections").asLong())
                .as("nothing changes before the confirmation").isEqualTo(before);
        try {
            LiveCluster.Capture done = new LiveCluster.Capture();
            live.bot.confirm(p.get().token(), LiveCluster.user("operator"), "it", done);
            assertThat(done.last().severity()).as(done.text()).isEqualTo(Severity.SUCCESS);
            assertThat(config().path("postgresql").path("parameters").path("max_connections").asLong()).isEqualTo(next);
            assertThat(config().path("postgresql").path("parameters").path("work_mem").asText()).isEqualTo("8MB");
            assertThat(done.text()).contains("Pending restart now on");
            LiveCluster.await(Duration.ofSeconds(30), "every member pending restart", () ->
                    live.state().members().stream().allMatch(Member::pendingRestart));
            assertThat(live.run("viewer", "/cluster-list").text()).contains("Pending restart");
        } finally {
            LiveCluster.Capture back = live.runConfirmed("operator", "/config-set postgresql.parameters.max_connections=" + before);
            assertThat(back.last().severity()).as(back.text()).isEqualTo(Severity.SUCCESS);
            LiveCluster.Capture unset = live.runConfirmed("operator", "/config-unset postgresql.parameters.work_mem");
            assertThat(unset.last().severity()).as(unset.text()).isEqualTo(Severity.SUCCESS);
        }
        assertThat(config().path("postgresql").path("parameters").has("work_mem")).isFalse();
        // back at the running value: Patroni clears the flag on its next loop
        LiveCluster.await(Duration.ofSeconds(30), "no pending restart after setting it back", () -> !anyPending());
    }

    @Test
    void aConcurrentChangeBetweenRequestAndConfirmIsRefusedWithTheNewDiff() throws Exception {
        long lag = config().path("maximum_lag_on_failover").asLong();
        LiveCluster.Capture asked = new LiveCluster.Capture();
        PendingView p = live.bot.handle(new Request(LiveCluster.user("operator"), "it",
                "/config-set maximum_lag_on_failover=" + (lag + 2)), asked).orElseThrow();
        // somebody else (patronictl edit-config, another bot) changes the same key meanwhile
        live.patroni.patchConfig(JsonNodeFactory.instance.objectNode().put("maximum_lag_on_failover", lag + 1));
        try {
            // Patroni answers the PATCH before every member's view of the DCS shows it: the change is "meanwhile"
            // once GET /config shows it (the bot's re-check asks the same member)
            LiveCluster.await(Duration.ofSeconds(10), "the concurrent change visible in GET /config",
                    () -> config().path("maximum_lag_on_failover").asLong() == lag + 1);
            LiveCluster.Capture done = new LiveCluster.Capture();
            live.bot.confirm(p.token(), LiveCluster.user("operator"), "it", done);
            assertThat(done.last().severity()).isEqualTo(Severity.ERROR);
            assertThat(done.text()).contains("changed since you asked; nothing was changed")
                    .contains("maximum_lag_on_failover: " + (lag + 1) + " → " + (lag + 2));
            assertThat(config().path("maximum_lag_on_failover").asLong()).isEqualTo(lag + 1);
        } finally {
            live.patroni.patchConfig(JsonNodeFactory.instance.objectNode().put("maximum_lag_on_failover", lag));
        }
    }

    @Test
    void badKeysAndValuesAreClearErrors() {
        assertThat(live.run("operator", "/config-set loop_wiat=3").text()).contains("unknown key 'loop_wiat'")
                .contains("Did you mean loop_wait?");
        assertThat(live.run("operator", "/config-set loop_wait=soon").text())
                .contains("loop_wait must be a whole number >= 0, not 'soon'");
        assertThat(live.run("operator", "/config-set postgresql.use_pg_rewind=maybe").text())
                .contains("postgresql.use_pg_rewind must be true or false");
        assertThat(live.run("operator", "/config-unset ttl=5").text()).contains("/config-unset takes keys only");
        assertThat(live.run("viewer", "/config-show").text()).contains("loop_wait: 2");
    }

    @Test
    void clusterListMatchesPatronictlListCellByCellWithTagsPendingRestartAndPause() {
        List<Member> replicas = live.replicas();
        String tagged = replicas.get(1).name();
        String upstream = replicas.get(0).name();
        long maxConn = config().path("postgresql").path("parameters").path("max_connections").asLong();
        live.script("tags", tagged, "nofailover=true", "noloadbalance=true", "replicatefrom=" + upstream);
        try {
            live.runConfirmed("operator", "/config-set postgresql.parameters.max_connections=" + (maxConn + 5));
            LiveCluster.await(Duration.ofSeconds(30), "pending restart everywhere", () ->
                    live.state().members().stream().allMatch(Member::pendingRestart));
            assertThat(live.runConfirmed("admin", "/pause").text()).contains("paused");

            // the same state seen by both: compare when two patronictl reads around the bot's agree
            LiveCluster.await(Duration.ofSeconds(60), "/cluster-list equal to patronictl list", () -> {
                JsonNode ctl1 = ctlList();
                Reply r = live.run("viewer", "/cluster-list").last();
                JsonNode ctl2 = ctlList();
                if (!ctl1.equals(ctl2)) return false;
                compare(ctl1, r);
                assertThat(r.plainText()).contains("Maintenance mode: on");
                return true;
            });
            // /topology: the same tree as patronictl topology
            List<String> tree = table(live.run("viewer", "/topology").last()).rows().stream().map(x -> x.get(0)).toList();
            assertThat(tree).containsExactlyElementsOf(ctlTopologyNames());
            assertThat(tree).contains("  + " + tagged);
        } finally {
            live.run("admin", "/resume");
            live.runConfirmed("operator", "/config-set postgresql.parameters.max_connections=" + maxConn);
            live.script("tags", tagged);
        }
        LiveCluster.await(Duration.ofSeconds(30), "no pending restart", () -> !anyPending());
    }

    @Test
    void versionNamesEachMembersPatroniAndPostgres() {
        Reply r = live.run("viewer", "/version").last();
        String major = System.getenv().getOrDefault("PGCHATOPS_IT_PATRONI", "3");
        for (List<String> row : table(r).rows()) {
            assertThat(row.get(1)).as(row.toString()).startsWith(major + ".");
            assertThat(row.get(2)).startsWith("15.");
        }
        assertThat(live.script("ctl", "version", live.clusterName())).contains(table(r).rows().get(0).get(1));
    }

    private static Block.Table table(Reply r) {
        return (Block.Table) r.blocks().stream().filter(b -> b instanceof Block.Table).findFirst().orElseThrow();
    }

    private JsonNode ctlList() {
        String out = live.script("ctl", "list", "-e", "-f", "json");
        try {
            return JSON.readTree(out.substring(out.indexOf('['), out.lastIndexOf(']') + 1));
        } catch (Exception e) {
            throw new AssertionError(out, e);
        }
    }

    /** The Member column of {@code patronictl topology}: "node1", "+ node2", "  + node3". */
    private List<String> ctlTopologyNames() {
        List<String> names = new ArrayList<>();
        for (String line : live.script("ctl", "topology").split("\n")) {
            if (!line.startsWith("| ") || line.startsWith("| Member")) continue;
            String cell = line.substring(2, line.indexOf(" |", 1));
            names.add(cell.replaceAll("\\s+$", ""));
        }
        return names;
    }

    /** Every cell patronictl shows, in the bot's table: same members, same values, same columns where present. */
    private static void compare(JsonNode ctl, Reply r) {
        Block.Table t = table(r);
        assertThat(t.rows()).hasSize(ctl.size());
        for (int i = 0; i < ctl.size(); i++) {
            JsonNode c = ctl.get(i);
            List<String> row = t.rows().get(i);
            Map<String, String> bot = new TreeMap<>();
            for (int k = 0; k < t.headers().size(); k++) bot.put(t.headers().get(k), row.get(k));
            for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String col = e.getKey();
                if (col.equals("Cluster")) continue;
                JsonNode v = e.getValue();
                assertThat(bot).as("column " + col + " of " + c).containsKey(col);
                if (col.equals("Tags")) {
                    List<String> kv = new ArrayList<>();
                    v.fields().forEachRemaining(x -> kv.add(x.getKey() + ": " + x.getValue().asText()));
                    assertThat(bot.get(col)).as(col + " of " + c.path("Member").asText()).isEqualTo(String.join(", ", kv));
                } else {
                    assertThat(bot.get(col)).as(col + " of " + c.path("Member").asText()).isEqualTo(v.asText());
                }
            }
            // and nothing the bot shows that patronictl leaves empty (patronictl's JSON drops empty cells)
            for (Map.Entry<String, String> e : bot.entrySet()) {
                if (!c.has(e.getKey()) && !e.getKey().equals("Note")) {
                    assertThat(e.getValue()).as(e.getKey() + " of " + c.path("Member").asText() + " (patronictl: empty)").isEmpty();
                }
            }
        }
    }
}
