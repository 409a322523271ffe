package dev.pgchatops.core.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends one JSON object per line and flushes each line, so nothing is lost when the bot stops. A failed write
 * throws {@link AuditUnavailable}: destructive commands are then refused.
 */
public final class JsonlAuditLog implements AuditLog, Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path path;
    private final BufferedWriter out;

    public JsonlAuditLog(Path path) throws IOException {
        this.path = path;
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        this.out = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    public static String toJson(AuditEvent e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("time", e.time().toString());
        n.put("user", e.user());
        n.put("platform", e.platform());
        n.put("channel", e.channel());
        n.put("cluster", e.cluster());
        n.put("command", e.command());
        e.args().forEach(n.putArray("args")::add);
        if (e.args().isEmpty()) n.putArray("args");
        n.put("confirmation", e.confirmation());
        n.put("outcome", e.outcome());
        n.put("detail", e.detail());
        n.put("duration_ms", e.durationMs());
        return n.toString();
    }

    @Override
    public synchronized void record(AuditEvent e) {
        try {
            out.write(toJson(e));
            out.write('\n');
            out.flush();
        } catch (IOException ex) {
            throw new AuditUnavailable("cannot write the audit log " + path + " (audit.path): " + ex.getMessage(), ex);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
