package dev.pgchatops.core.watch;

import dev.pgchatops.core.FakeHttpServer;
import dev.pgchatops.core.Fixtures;
import dev.pgchatops.core.patroni.PatroniClient;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Three fake Patroni REST servers node1..node3 sharing one scripted GET /cluster; a member marked down drops its
 * connections (GET /patroni and /cluster on it fail like a killed Patroni). Members are set as JSON fragments.
 */
final class FakeCluster implements AutoCloseable {
    final List<FakeHttpServer> servers = new ArrayList<>();
    final Map<String, Boolean> down = new ConcurrentHashMap<>();
    private volatile String clusterJson = "{\"members\":[]}";
    private volatile String historyJson = "[]";

    FakeCluster() throws IOException {
        for (int i = 1; i <= 3; i++) {
            String name = "node" + i;
            FakeHttpServer s = FakeHttpServer.start();
            s.on("GET", "/cluster", r -> down.getOrDefault(name, false) ? null : FakeHttpServer.Response.json(clusterJson));
            s.on("GET", "/history", r -> down.getOrDefault(name, false) ? null : FakeHttpServer.Response.json(historyJson));
            s.on("GET", "/patroni", r -> down.getOrDefault(name, false) ? null
                    : FakeHttpServer.Response.json("{\"state\":\"running\",\"role\":\"replica\"}"));
            servers.add(s);
        }
    }

    URI api(String name) {
        return servers.get(Integer.parseInt(name.substring(4)) - 1).uri();
    }

    PatroniClient client() {
        return Fixtures.patroni("demo", Duration.ofSeconds(2), servers.get(0).uri(), servers.get(1).uri(), servers.get(2).uri());
    }

    /** A member: name, role, state, timeline, lag bytes (null: none), pending restart. */
    String member(String name, String role, String state, int timeline, Long lag, boolean pendingRestart) {
        return "{\"name\":\"" + name + "\",\"role\":\"" + role + "\",\"state\":\"" + state + "\",\"api_url\":\"" + api(name)
                + "/patroni\",\"host\":\"127.0.0.1\",\"port\":5432,\"timeline\":" + timeline
                + (lag == null ? "" : ",\"lag\":" + lag) + (pendingRestart ? ",\"pending_restart\":true" : "") + "}";
    }

    String leader(String name, int tl) {
        return member(name, "leader", "running", tl, null, false);
    }

    String replica(String name, int tl) {
        return member(name, "replica", "streaming", tl, 0L, false);
    }

    FakeCluster members(boolean paused, String... members) {
        clusterJson = "{\"members\":[" + String.join(",", members) + "]" + (paused ? ",\"pause\":true" : "") + "}";
        return this;
    }

    FakeCluster members(String... members) {
        return members(false, members);
    }

    FakeCluster healthy(String leader, int tl) {
        List<String> ms = new ArrayList<>();
        for (String n : List.of("node1", "node2", "node3")) ms.add(n.equals(leader) ? leader(n, tl) : replica(n, tl));
        return members(ms.toArray(String[]::new));
    }

    FakeCluster history(String json) {
        historyJson = json;
        return this;
    }

    FakeCluster down(String name, boolean d) {
        down.put(name, d);
        return this;
    }

    @Override
    public void close() {
        servers.forEach(FakeHttpServer::close);
    }
}
