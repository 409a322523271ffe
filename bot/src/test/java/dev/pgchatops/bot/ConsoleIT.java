package dev.pgchatops.bot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The console adapter end to end: the real jar, driven through stdin, against the real local cluster. */
class ConsoleIT {
    static Path config;
    static URI patroni;

    @BeforeAll
    static void cluster() throws Exception {
        String cfg = System.getenv("PGCHATOPS_IT_CONFIG");
        if (cfg == null) {
            if (System.getenv("CI") != null) fail("PGCHATOPS_IT_CONFIG is not set: run the suite through scripts/test");
            assumeTrue(false, "no live cluster (run through scripts/test)");
        }
        config = Path.of(cfg);
        Matcher m = Pattern.compile("urls: \\[(http://[^,\\]]+)").matcher(Files.readString(config));
        assertThat(m.find()).isTrue();
        patroni = URI.create(m.group(1));
    }

    static JsonNode clusterJson() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(patroni.resolve("/cluster"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body());
    }

    static String leader() throws Exception {
        for (JsonNode m : clusterJson().get("members")) if (m.get("role").asText().equals("leader")) return m.get("name").asText();
        throw new AssertionError("no leader");
    }

    static List<String> runningReplicas() throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode m : clusterJson().get("members")) {
            if (!m.get("role").asText().equals("leader") && m.get("state").asText().matches("running|streaming")) {
                out.add(m.get("name").asText());
            }
        }
        return out;
    }

    static void awaitTwoReplicas() throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < end) {
            try {
                if (runningReplicas().size() == 2) return;
            } catch (Exception ignored) {
                // cluster busy
            }
            Thread.sleep(250);
        }
        fail("cluster not healthy within 120 s");
    }

    @Test
    void aUserListsTheClusterSwitchesTheLeaderWithAConfirmationAndBack() throws Exception {
        awaitTwoReplicas();
        String original = leader();
        String target = runningReplicas().get(0);
        long auditBefore = Files.exists(auditPath()) ? Files.readAllLines(auditPath()).size() : 0;
        String script = String.join("\n",
                "/cluster-list",
                "/switchover --candidate " + target,
                "confirm",
                "/cluster-list",
                "");
        JarRunner.Result r = JarRunner.run(script, Map.of(), "console", "--config", config.toString(), "--user", "admin");
        assertThat(r.exit()).as(r.stderr()).isZero();
        String out = r.stdout();
        assertThat(out).contains("Cluster: ").contains("| Member | Host").contains("Lag in MB");
        assertThat(out).contains("leader " + original + " → " + target).contains("Type 'confirm' to run it or 'cancel' to drop it.");
        assertThat(out).contains("Switched over").contains(original + " → " + target).contains("confirmed by admin");
        assertThat(out).doesNotContain("Exception").doesNotContain("ERROR");
        assertThat(leader()).isEqualTo(target);

        awaitTwoReplicas();
        JarRunner.Result back = JarRunner.run("/switchover --candidate=" + original + "\nyes\nyes\n", Map.of(),
                "console", "--config", config.toString(), "--user", "admin");
        assertThat(back.exit()).as(back.stderr()).isZero();
        assertThat(back.stdout()).doesNotContain("ERROR").contains(target + " → " + original).contains("Switched over")
                .contains("Nothing is waiting for a confirmation");
        assertThat(leader()).isEqualTo(original);

        List<String> audit = Files.readAllLines(auditPath());
        List<String> mine = audit.subList((int) auditBefore, audit.size());
        assertThat(mine).anyMatch(l -> l.contains("\"user\":\"console:admin\"") && l.contains("\"command\":\"switchover\"")
                && l.contains("\"confirmation\":\"confirmed ") && l.contains("\"outcome\":\"ok\""));
        assertThat(mine).allMatch(l -> l.startsWith("{") && l.contains("\"duration_ms\":"));
    }

    @Test
    void anythingButConfirmCancelsAndBadInputGetsHelp() throws Exception {
        awaitTwoReplicas();
        String leader = leader();
        String script = String.join("\n",
                "/switchover",
                "/cluster-list",
                "/restart node9",
                "/reinit",
                "/swtchover",
                "/pause",
                "no",
                "");
        JarRunner.Result r = JarRunner.run(script, Map.of(), "console", "--config", config.toString(), "--user", "admin");
        assertThat(r.exit()).isZero();
        assertThat(r.stdout())
                .contains("Cancelled /switchover: expected 'confirm' or 'cancel', got \"/cluster-list\". Nothing was changed")
                .contains("no member 'node9' in ")
                .contains("/reinit needs MEMBER (one or more).\nUsage: /reinit MEMBER... [--force] [--wait] [--cluster NAME]")
                .contains("Did you mean /switchover?")
                .contains("Cancelled /pause")
                .doesNotContain("Exception");
        assertThat(leader()).isEqualTo(leader);
    }

    @Test
    void aViewerIsRefused() throws Exception {
        JarRunner.Result r = JarRunner.run("/switchover\n/whoami\n", Map.of(), "console", "--config", config.toString(),
                "--user", "viewer");
        assertThat(r.stdout()).contains("/switchover needs the operator role; console:viewer has viewer")
                .contains("Identity: console:viewer");
    }

    static Path auditPath() throws Exception {
        Matcher m = Pattern.compile("audit:\\s*\\n\\s*path:\\s*(\\S+)").matcher(Files.readString(config));
        assertThat(m.find()).isTrue();
        return Path.of(m.group(1));
    }
}
