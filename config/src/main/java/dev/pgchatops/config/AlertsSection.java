package dev.pgchatops.config;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the {@code alerts:} section and {@code pgbackrest.schedule}; problems go to the shared list with their keys. */
final class AlertsSection {
    static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final Values values;

    AlertsSection(Values values) {
        this.values = values;
    }

    Optional<AlertsConfig> read(JsonNode root, boolean slackConfigured, boolean discordConfigured) {
        ObjectNode n = values.mapping(root, "", "alerts", "a mapping with 'state-dir' and 'channels'");
        if (n == null) return Optional.empty();
        String p = "alerts";
        values.known(n, p, List.of("poll-interval", "state-dir", "lag-threshold-mb", "lag-grace", "backup-max-age",
                "channels", "damping-polls", "paused-threshold", "info-interval", "check-interval"));
        Duration poll = values.duration(n, p, "poll-interval", AlertsConfig.DEFAULT_POLL);
        if (poll.compareTo(Duration.ofMillis(100)) < 0) {
            values.problem(p + ".poll-interval: at least 100ms, got " + n.get("poll-interval").asText());
        }
        String dir = values.string(n, p, "state-dir", true);
        Path stateDir = null;
        if (dir != null) {
            stateDir = Path.of(dir);
            if (!stateDir.isAbsolute()) {
                values.problem(p + ".state-dir: must be an absolute directory, got \"" + dir + "\"");
                stateDir = null;
            }
        }
        int lagMb = values.integer(n, p, "lag-threshold-mb", 1, 1_000_000, AlertsConfig.DEFAULT_LAG_MB);
        Duration lagGrace = values.duration(n, p, "lag-grace", AlertsConfig.DEFAULT_LAG_GRACE);
        Duration full = AlertsConfig.DEFAULT_FULL_AGE;
        Duration any = AlertsConfig.DEFAULT_ANY_AGE;
        ObjectNode age = values.mapping(n, p, "backup-max-age", "a mapping like {full: 8d, any: 26h}");
        if (age != null) {
            values.known(age, p + ".backup-max-age", List.of("full", "any"));
            full = values.duration(age, p + ".backup-max-age", "full", full);
            any = values.duration(age, p + ".backup-max-age", "any", any);
        }
        int damping = values.integer(n, p, "damping-polls", 1, 100, AlertsConfig.DEFAULT_DAMPING);
        Duration paused = values.duration(n, p, "paused-threshold", AlertsConfig.DEFAULT_PAUSED);
        Duration info = values.duration(n, p, "info-interval", AlertsConfig.DEFAULT_INFO);
        Duration check = values.duration(n, p, "check-interval", AlertsConfig.DEFAULT_CHECK);
        AlertChannels channels = channels(n, p + ".channels", slackConfigured, discordConfigured);
        if (stateDir == null || channels == null) return Optional.empty();
        return Optional.of(new AlertsConfig(poll, stateDir, lagMb, lagGrace, full, any, channels, damping, paused, info, check));
    }

    private AlertChannels channels(ObjectNode n, String p, boolean slackConfigured, boolean discordConfigured) {
        ObjectNode c = values.mapping(n, "alerts", "channels", "a mapping like {console: true, slack: [C0123], discord: [\"1234\"]}");
        if (c == null) {
            if (!n.has("channels")) values.problem(p + ": required, e.g. {console: true, slack: [C0123], discord: [\"1234\"]}");
            return null;
        }
        values.known(c, p, List.of("console", "slack", "discord"));
        boolean console = values.bool(c, p, "console", false);
        List<String> slack = ids(c, p, "slack", "[A-Z0-9]{2,20}", "a Slack channel id like C0123ABCD");
        List<String> discord = ids(c, p, "discord", "\\d{1,21}", "a Discord channel id (digits, in quotes)");
        if (!slack.isEmpty() && !slackConfigured) {
            values.problem(p + ".slack: lists Slack channels, but there is no slack: section to post with");
        }
        if (!discord.isEmpty() && !discordConfigured) {
            values.problem(p + ".discord: lists Discord channels, but there is no discord: section to post with");
        }
        AlertChannels out = new AlertChannels(console, slack, discord);
        if (out.isEmpty()) {
            values.problem(p + ": no channel to post alerts to; set console: true or list slack/discord channel ids");
            return null;
        }
        return out;
    }

    private List<String> ids(ObjectNode c, String p, String key, String pattern, String what) {
        List<String> out = new ArrayList<>();
        JsonNode v = c.get(key);
        if (v == null || v.isNull()) return out;
        if (!v.isArray()) {
            values.problem(p + "." + key + ": expected a list of channel ids, got " + Values.describe(v));
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            String s = values.scalar(v.get(i), p + "." + key + "[" + i + "]", what);
            if (s == null) continue;
            if (!s.matches(pattern)) values.problem(p + "." + key + "[" + i + "]: not " + what + ": \"" + s + "\"");
            else if (!out.contains(s)) out.add(s);
        }
        return out;
    }

    /** {@code pgbackrest.schedule: {full: "0 1 * * 0", diff: "0 1 * * 1-6"}}: five-field cron expressions, UTC. */
    Optional<BackupSchedule> schedule(JsonNode pgbackrest, String path) {
        ObjectNode s = values.mapping(pgbackrest, path, "schedule", "a mapping like {full: \"0 1 * * 0\", diff: \"0 1 * * 1-6\"}");
        if (s == null) return Optional.empty();
        String p = path + ".schedule";
        values.known(s, p, BackupSchedule.TYPES);
        Map<String, String> cron = new LinkedHashMap<>();
        for (String type : BackupSchedule.TYPES) {
            if (!s.has(type)) continue;
            String expr = values.scalar(s.get(type), p + "." + type, "a cron expression like \"0 1 * * 0\"");
            if (expr == null) continue;
            try {
                CRON.parse(expr).validate();
                cron.put(type, expr);
            } catch (IllegalArgumentException e) {
                values.problem(p + "." + type + ": not a cron expression (minute hour day-of-month month day-of-week, UTC): \""
                        + expr + "\" (" + e.getMessage() + ")");
            }
        }
        return cron.isEmpty() ? Optional.empty() : Optional.of(new BackupSchedule(cron));
    }
}
