package dev.pgchatops.core.pgbackrest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the output of {@code pgbackrest --output=json info}. */
public final class InfoParser {
    private static final ObjectMapper JSON = new ObjectMapper();

    private InfoParser() {
    }

    /** The stanza named {@code stanza} from the info JSON; a parse failure or a missing stanza is an exception. */
    public static StanzaInfo parse(String json, String stanza) throws BadInfo {
        JsonNode root;
        String text = json == null ? "" : json.trim();
        int start = text.indexOf('[');
        if (start < 0) throw new BadInfo("pgBackRest info did not print JSON: " + abbreviate(text));
        try {
            root = JSON.readTree(text.substring(start));
        } catch (JsonProcessingException e) {
            throw new BadInfo("pgBackRest info printed invalid JSON (" + e.getOriginalMessage() + "): " + abbreviate(text));
        }
        if (!root.isArray()) throw new BadInfo("pgBackRest info JSON is not a list of stanzas: " + abbreviate(text));
        for (JsonNode s : root) {
            if (stanza.equals(s.path("name").asText())) return stanza(s);
        }
        throw new BadInfo("pgBackRest info has no stanza '" + stanza + "' (found: " + names(root) + ")");
    }

    static StanzaInfo stanza(JsonNode s) {
        JsonNode status = s.path("status");
        List<StanzaInfo.BackupSet> backups = new ArrayList<>();
        for (JsonNode b : s.path("backup")) backups.add(backup(b));
        Optional<String> min = Optional.empty();
        Optional<String> max = Optional.empty();
        // one entry per database version/system id; the last is the current one
        for (JsonNode a : s.path("archive")) {
            min = text(a, "min");
            max = text(a, "max");
        }
        return new StanzaInfo(s.path("name").asText(), status.path("code").asInt(99),
                status.path("message").asText(""), status.path("lock").path("backup").path("held").asBoolean(false),
                backups, min, max);
    }

    static StanzaInfo.BackupSet backup(JsonNode b) {
        JsonNode ts = b.path("timestamp");
        JsonNode info = b.path("info");
        return new StanzaInfo.BackupSet(b.path("label").asText(), b.path("type").asText(),
                Instant.ofEpochSecond(ts.path("start").asLong()), Instant.ofEpochSecond(ts.path("stop").asLong()),
                info.path("size").asLong(), info.path("delta").asLong(),
                info.path("repository").path("size").asLong(), info.path("repository").path("delta").asLong(),
                b.path("archive").path("start").asText(""), b.path("archive").path("stop").asText(""),
                b.path("lsn").path("start").asText(""), b.path("lsn").path("stop").asText(""),
                text(b, "prior"));
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? Optional.empty() : Optional.of(v.asText());
    }

    private static String names(JsonNode root) {
        List<String> out = new ArrayList<>();
        root.forEach(s -> out.add(s.path("name").asText("?")));
        return out.isEmpty() ? "none" : String.join(", ", out);
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }

    /** The info output could not be read. */
    public static final class BadInfo extends Exception {
        public BadInfo(String message) {
            super(message);
        }
    }
}
