package dev.pgchatops.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class JsonlAuditLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T = Instant.parse("2026-11-24T12:34:56.789Z");

    @TempDir
    Path tmp;

    private static AuditEvent event(String command, String outcome) {
        return new AuditEvent(T, "slack:U0123", "slack", "#ops", "main", command, List.of("--candidate=node2", "--force"),
                "confirmed abc123 by slack:U0123", outcome, "Switched over main: node1 → node2", 1234);
    }

    private static List<JsonNode> read(Path p) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) out.add(JSON.readTree(line));
        return out;
    }

    @Test
    void writesOneJsonObjectPerLineWithAllFields() throws Exception {
        Path p = tmp.resolve("sub/dir/audit.jsonl");
        try (JsonlAuditLog log = new JsonlAuditLog(p)) {
            log.record(event("switchover", "ok"));
            // Flushed per line: readable before close.
            assertThat(Files.readAllLines(p)).hasSize(1);
            log.record(new AuditEvent(T, "console:alice", "console", "", "", "help", List.of(), "", "refused",
                    "line one\nline \"two\"", 0));
        }
        List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2);
        List<JsonNode> events = read(p);
        JsonNode e = events.get(0);
        Set<String> names = new HashSet<>();
        e.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("time", "user", "platform", "channel", "cluster", "command", "args",
                "confirmation", "outcome", "detail", "duration_ms");
        assertThat(e.get("time").asText()).isEqualTo("2026-11-24T12:34:56.789Z");
        assertThat(e.get("user").asText()).isEqualTo("slack:U0123");
        assertThat(e.get("platform").asText()).isEqualTo("slack");
        assertThat(e.get("channel").asText()).isEqualTo("#ops");
        assertThat(e.get("cluster").asText()).isEqualTo("main");
        assertThat(e.get("command").asText()).isEqualTo("switchover");
        assertThat(e.get("args").isArray()).isTrue();
        assertThat(e.get("args")).extracting(JsonNode::asText).containsExactly("--candidate=node2", "--force");
        assertThat(e.get("confirmation").asText()).isEqualTo("confirmed abc123 by slack:U0123");
        assertThat(e.get("outcome").asText()).isEqualTo("ok");
        assertThat(e.get("detail").asText()).isEqualTo("Switched over main: node1 → node2");
        assertThat(e.get("duration_ms").isIntegralNumber()).isTrue();
        assertThat(e.get("duration_ms").asLong()).isEqualTo(1234);

        JsonNode second = events.get(1);
        assertThat(second.get("args").isArray()).isTrue();
        assertThat(second.get("args")).isEmpty();
        assertThat(second.get("detail").asText()).as("escaped, still one line").isEqualTo("line one\nline \"two\"");
    }

    @Test
    void appendsAcrossInstances() throws Exception {
        Path p = tmp.resolve("audit.jsonl");
        try (JsonlAuditLog log = new JsonlAuditLog(p)) {
            log.record(event("pause", "pending"));
        }
        try (JsonlAuditLog log = new JsonlAuditLog(p)) {
            log.record(event("pause", "ok"));
            log.record(event("resume", "ok"));
        }
        assertThat(read(p)).extracting(n -> n.get("command").asText() + ":" + n.get("outcome").asText())
                .containsExactly("pause:pending", "pause:ok", "resume:ok");
    }

    @Test
    void concurrentWritersNeverInterleaveLines() throws Exception {
        Path p = tmp.resolve("audit.jsonl");
        int threads = 8;
        int each = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        try (JsonlAuditLog log = new JsonlAuditLog(p)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                fs.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < each; i++) log.record(event("cmd-" + id + "-" + i, "ok"));
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get(20, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        List<JsonNode> events = read(p);
        assertThat(events).hasSize(threads * each);
        assertThat(events).extracting(n -> n.get("command").asText()).doesNotHaveDuplicates();
    }

    @Test
    void toJsonIsASingleLine() {
        String s = JsonlAuditLog.toJson(new AuditEvent(T, "u", "p", "c", "k", "x", List.of("a\nb"), "", "error", "x\ny\r\n", 5));
        assertThat(s).doesNotContain("\n").doesNotContain("\r").startsWith("{\"time\":\"2026-11-24T12:34:56.789Z\"");
    }
}
