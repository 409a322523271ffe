package dev.pgchatops.core;

import dev.pgchatops.config.ClusterConfig;
import dev.pgchatops.config.PatroniConfig;
import dev.pgchatops.config.PgBackRestConfig;
import dev.pgchatops.config.SshConfig;
import dev.pgchatops.core.cmd.Follow;
import dev.pgchatops.core.patroni.PatroniClient;
import dev.pgchatops.core.pgbackrest.PgBackRestService;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class BotsTest {
    @Test
    void startupWarnsAboutPgBackRestMembersPatroniDoesNotKnow() throws Exception {
        try (FakeHttpServer patroni = FakeHttpServer.start().json("GET", "/cluster", PatroniJson.cluster("node1", 1))) {
            PatroniConfig pc = Fixtures.patroniConfig(List.of(patroni.uri()), Duration.ofMillis(500), Duration.ofSeconds(2));
            SshConfig ssh = new SshConfig("postgres", Path.of("/nonexistent/key"), Path.of("/nonexistent/known_hosts"),
                    Duration.ofSeconds(1), Duration.ofSeconds(5), 2);
            PgBackRestConfig pb = new PgBackRestConfig("demo", false, ssh, Map.of(
                    "node1", new PgBackRestConfig.MemberEndpoint("127.0.0.1", 2222, Optional.empty()),
                    "node9", new PgBackRestConfig.MemberEndpoint("127.0.0.1", 2222, Optional.empty())),
                    Duration.ofHours(1), "pgbackrest");
            ClusterConfig cc = new ClusterConfig("main", pc, Optional.of(pb));
            PatroniClient client = new PatroniClient("main", pc);
            ClusterRuntime rt = new ClusterRuntime(cc, client, Optional.of(PgBackRestService.create(cc, pb, client)));
            try (Bot bot = Fixtures.bot(List.of(rt, Fixtures.offlineCluster("down")), Bots.registry(Follow.Limits.DEFAULT),
                    new TestClock(), Duration.ofSeconds(60), new CopyOnWriteArrayList<>())) {
                assertThat(Bots.startupWarnings(bot)).containsExactly("cluster main: pgbackrest.members.node9: no such member"
                        + " in cluster main (members: node1, node2, node3)");
            }
        }
    }
}
