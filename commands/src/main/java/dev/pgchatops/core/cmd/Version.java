package dev.pgchatops.core.cmd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgchatops.config.Role;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.Invocation;
import dev.pgchatops.core.Outcome;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.patroni.ClusterState;
import dev.pgchatops.core.patroni.Deadline;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.patroni.PatroniClient;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/** /version: the bot's version and each member's Patroni and PostgreSQL version (GET /patroni, asked in parallel). */
public final class Version implements Command {
    @Override
    public CommandSpec spec() {
        return new CommandSpec("version", "the bot's version and each member's Patroni and PostgreSQL version",
                Role.VIEWER, false, List.of(), 0, List.of());
    }

    @Override
    public Outcome run(Invocation inv) throws UserFacingException {
        PatroniClient p = inv.cluster().patroni();
        ClusterState s = p.cluster();
        Deadline d = Deadline.after(p.connectTimeout().plus(p.requestTimeout()).plus(Duration.ofSeconds(1)));
        List<CompletableFuture<List<String>>> rows = new ArrayList<>();
        for (Member m : s.members()) rows.add(CompletableFuture.supplyAsync(() -> row(p, m, d)));
        List<List<String>> table = rows.stream().map(CompletableFuture::join).toList();
        boolean missing = table.stream().anyMatch(r -> r.get(1).startsWith("?"));
        return Outcome.done(Reply.builder(missing ? Severity.WARNING : Severity.INFO, "Versions on " + inv.cluster().name())
                .text("pgchatops " + botVersion())
                .table(List.of("Member", "Patroni", "PostgreSQL"), table).build());
    }

    static List<String> row(PatroniClient p, Member m, Deadline d) {
        try {
            JsonNode n = p.memberStatus(m, d);
            return List.of(m.name(), n.path("patroni").path("version").asText("?"), postgres(n.path("server_version").asLong(0)));
        } catch (UserFacingException e) {
            return List.of(m.name(), "? (" + e.getMessage() + ")", "?");
        }
    }

    /** 150018 → "15.18", 90624 → "9.6.24", 0 → "?" (PostgreSQL down). */
    static String postgres(long v) {
        if (v <= 0) return "?";
        if (v >= 100000) return (v / 10000) + "." + (v % 10000);
        return (v / 10000) + "." + (v / 100 % 100) + "." + (v % 100);
    }

    /** From the jar's Maven metadata; "development build" when run from classes. */
    static String botVersion() {
        try (InputStream in = Version.class.getResourceAsStream("/META-INF/maven/dev.pgchatops/pgchatops-commands/pom.properties")) {
            if (in != null) {
                Properties pr = new Properties();
                pr.load(in);
                return pr.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            return "unknown";
        }
        String impl = Version.class.getPackage().getImplementationVersion();
        return impl != null ? impl : "development build";
    }
}
