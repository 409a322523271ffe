package dev.pgchatops.core.patroni;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgchatops.core.cmd.ClusterList;
import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterListRenderingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** GET /cluster of Patroni 3.x: 5 MiB + a bit of lag, 1.5 MiB, exactly 0, "unknown", paused. */
    private static final String SAMPLE = """
            {
              "members": [
                {"name": "node1", "role": "leader", "state": "running", "api_url": "http://10.0.0.1:8008/patroni",
                 "host": "10.0.0.1", "port": 5432, "timeline": 3, "lag": 0},
                {"name": "node2", "role": "replica", "state": "streaming", "api_url": "http://10.0.0.2:8008/patroni",
                 "host": "10.0.0.2", "port": 5432, "timeline": 3, "lag": 5642880},
                {"name": "node3", "role": "sync_standby", "state": "streaming", "api_url": "http://10.0.0.3:8008/patroni",
                 "host": "10.0.0.3", "port": 5433, "timeline": 3, "lag": 1572864},
                {"name": "node4", "role": "replica", "state": "streaming", "host": "10.0.0.4", "port": 5432,
                 "timeline": 3, "lag": 524287},
                {"name": "node5", "role": "replica", "state": "stopped", "host": "10.0.0.5", "port": 5432, "lag": "unknown"}
              ],
              "pause": true,
              "scope": "main"
            }
            """;

    private static ClusterState parse(String json) throws Exception {
        return PatroniClient.parseCluster(JSON.readTree(json));
    }

    @Test
    void parsesMembers() throws Exception {
        ClusterState s = parse(SAMPLE);
        assertThat(s.paused()).isTrue();
        assertThat(s.memberNames()).containsExactly("node1", "node2", "node3", "node4", "node5");
        assertThat(s.leader().map(Member::name)).contains("node1");
        Member n2 = s.member("node2").orElseThrow();
        assertThat(n2).isEqualTo(new Member("node2", MemberRole.REPLICA, "streaming", URI.create("http://10.0.0.2:8008/patroni"),
                "10.0.0.2", 5432, OptionalLong.of(3), OptionalLong.of(5642880), false, false, Optional.empty()));
        assertThat(n2.isRunning()).isTrue();
        Member n5 = s.member("node5").orElseThrow();
        assertThat(n5.lagUnknown()).isTrue();
        assertThat(n5.lagBytes()).isEmpty();
        assertThat(n5.timeline()).isEmpty();
        assertThat(n5.apiUrl()).isNull();
        assertThat(n5.isRunning()).isFalse();
        assertThat(s.scheduledSwitchover()).isEmpty();
    }

    @Test
    void rendersLikePatronictlList() throws Exception {
        Reply r = ClusterList.render("main", parse(SAMPLE));
        assertThat(r.severity()).as("a stopped member is a warning").isEqualTo(Severity.WARNING);
        assertThat(r.plainText()).isEqualTo("""
                Cluster: main
                +--------+---------------+--------------+-----------+----+-----------+
                | Member | Host          | Role         | State     | TL | Lag in MB |
                +--------+---------------+--------------+-----------+----+-----------+
                | node1  | 10.0.0.1:5432 | Leader       | running   | 3  |           |
                | node2  | 10.0.0.2:5432 | Replica      | streaming | 3  | 5         |
                | node3  | 10.0.0.3:5433 | Sync Standby | streaming | 3  | 2         |
                | node4  | 10.0.0.4:5432 | Replica      | streaming | 3  | 0         |
                | node5  | 10.0.0.5:5432 | Replica      | stopped   |    | unknown   |
                +--------+---------------+--------------+-----------+----+-----------+
                Maintenance mode: on""");
    }

    @Test
    void lagIsRoundedMegabytesAndEmptyForTheLeader() throws Exception {
        ClusterState s = parse(SAMPLE);
        List<List<String>> rows = table(ClusterList.render("main", s)).rows();
        assertThat(rows).extracting(row -> row.get(5)).containsExactly("", "5", "2", "0", "unknown");
    }

    @Test
    void pendingRestartColumnOnlyWhenNeeded() throws Exception {
        Block.Table plain = table(ClusterList.render("main", parse(SAMPLE)));
        assertThat(plain.headers()).containsExactly("Member", "Host", "Role", "State", "TL", "Lag in MB");

        String withPending = SAMPLE.replace("\"lag\": 5642880}", "\"lag\": 5642880, \"pending_restart\": true}");
        Block.Table t = table(ClusterList.render("main", parse(withPending)));
        assertThat(t.headers()).containsExactly("Member", "Host", "Role", "State", "TL", "Lag in MB", "Pending restart");
        assertThat(t.rows()).extracting(row -> row.get(6)).containsExactly("", "*", "", "", "");
    }

    @Test
    void healthyRunningClusterIsInfoWithoutMaintenanceLine() throws Exception {
        String json = """
                {"members": [
                  {"name": "a", "role": "master", "state": "running", "host": "h1", "port": 5432, "timeline": 7},
                  {"name": "b", "role": "replica", "state": "running", "host": "h2", "port": 5432, "timeline": 7, "lag": 0,
                   "scheduled_restart": {"schedule": "2026-11-25T02:00:00+00:00", "postmaster_start_time": "x"}}
                ],
                "scheduled_switchover": {"at": "2026-11-24T22:00:00+00:00", "from": "a", "to": "b"}}
                """;
        Reply r = ClusterList.render("main", parse(json));
        assertThat(r.severity()).isEqualTo(Severity.INFO);
        String text = r.plainText();
        assertThat(text).doesNotContain("Maintenance mode").doesNotContain("No leader").doesNotContain("Pending restart");
        assertThat(table(r).headers()).last().isEqualTo("Scheduled restart");
        assertThat(table(r).rows().get(1)).last().isEqualTo("2026-11-25T02:00:00+00:00");
        assertThat(text).contains("Switchover scheduled at: 2026-11-24T22:00:00+00:00\n                    from: a\n"
                + "                      to: b");
    }

    @Test
    void noLeaderIsAWarning() throws Exception {
        String json = """
                {"members": [{"name": "a", "role": "replica", "state": "running", "host": "h", "port": 5432, "timeline": 2}]}
                """;
        Reply r = ClusterList.render("main", parse(json));
        assertThat(r.severity()).isEqualTo(Severity.WARNING);
        assertThat(r.plainText()).endsWith("No leader!");
    }

    @Test
    void roleNormalisation() throws Exception {
        for (String leader : List.of("master", "primary", "leader", "Leader", "PRIMARY")) {
            assertThat(MemberRole.parse(leader)).as(leader).isEqualTo(MemberRole.LEADER);
        }
        assertThat(MemberRole.parse("standby_leader")).isEqualTo(MemberRole.STANDBY_LEADER);
        assertThat(MemberRole.STANDBY_LEADER.isLeader()).isTrue();
        assertThat(MemberRole.parse("sync_standby").label()).isEqualTo("Sync Standby");
        assertThat(MemberRole.parse("quorum_standby").label()).isEqualTo("Quorum Standby");
        assertThat(MemberRole.parse("replica").isLeader()).isFalse();
        assertThat(MemberRole.parse("witch")).isEqualTo(MemberRole.UNKNOWN);
        assertThat(MemberRole.parse(null)).isEqualTo(MemberRole.UNKNOWN);

        // Patroni 3 (master) and 4 (primary) render the same.
        String p3 = "{\"members\":[{\"name\":\"a\",\"role\":\"master\",\"state\":\"running\",\"host\":\"h\",\"port\":5432,\"timeline\":1}]}";
        String p4 = p3.replace("master", "primary");
        assertThat(ClusterList.render("m", parse(p3)).plainText())
                .isEqualTo(ClusterList.render("m", parse(p4)).plainText()).contains("| Leader |");
    }

    @Test
    void notAClusterAnswer() {
        assertThatThrownBy(() -> parse("{\"error\": \"x\"}")).isInstanceOf(PatroniException.BadResponse.class)
                .hasMessage("GET /cluster did not return members");
        assertThatThrownBy(() -> parse("[]")).isInstanceOf(PatroniException.BadResponse.class);
    }

    private static Block.Table table(Reply r) {
        return r.blocks().stream().filter(b -> b instanceof Block.Table).map(b -> (Block.Table) b).findFirst().orElseThrow();
    }
}
