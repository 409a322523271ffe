package dev.pgchatops.adapters.slack;

import dev.pgchatops.core.Command;
import dev.pgchatops.core.CommandRegistry;
import dev.pgchatops.core.parse.CommandSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The Slack app manifest generated from the command registry: bot scopes, {@code /pg} and every command as a slash
 * command with description and usage hint, interactivity on, Socket Mode on. With a request URL (HTTP mode) every
 * command and the interactivity point there and Socket Mode is off. {@code manifest.yml} at the repository root is
 * this output ({@code pgchatops slack-manifest}); a test fails when they differ.
 */
public final class SlackManifest {
    /** chat:write posts and edits; commands for slash commands; usergroups:read for access.slack-groups. */
    public static final List<String> BOT_SCOPES = List.of("commands", "chat:write", "usergroups:read");
    static final int DESCRIPTION_MAX = 100;
    static final int HINT_MAX = 100;

    private SlackManifest() {
    }

    public static String yaml(CommandRegistry registry, String requestUrl) {
        boolean http = requestUrl != null && !requestUrl.isBlank();
        StringBuilder y = new StringBuilder();
        y.append("# Slack app manifest for pgchatops, generated from the command registry by `pgchatops slack-manifest`.\n");
        y.append("# Do not edit: regenerate it (a test fails when it differs from the registry).\n");
        y.append("display_information:\n");
        y.append("  name: pgchatops\n");
        y.append("  description: ").append(q("Run a Patroni + pgBackRest PostgreSQL cluster from Slack")).append('\n');
        y.append("features:\n");
        y.append("  bot_user:\n");
        y.append("    display_name: pgchatops\n");
        y.append("    always_online: true\n");
        y.append("  slash_commands:\n");
        command(y, SlackAdapter.UMBRELLA, "every pgchatops command: /pg COMMAND [ARGS], e.g. /pg cluster-list",
                "COMMAND [ARGS] (/pg help lists them)", requestUrl);
        for (Command c : registry.all()) {
            CommandSpec s = c.spec();
            String hint = s.usage().substring(("/" + s.name()).length()).strip();
            String withRole = s.summary() + roleNote(s);
            command(y, "/" + s.name(), withRole.length() <= DESCRIPTION_MAX ? withRole : s.summary(), hint, requestUrl);
        }
        y.append("oauth_config:\n");
        y.append("  scopes:\n");
        y.append("    bot:\n");
        for (String scope : BOT_SCOPES) y.append("      - ").append(scope).append('\n');
        y.append("settings:\n");
        y.append("  interactivity:\n");
        y.append("    is_enabled: true\n");
        if (http) y.append("    request_url: ").append(q(requestUrl)).append('\n');
        y.append("  org_deploy_enabled: false\n");
        y.append("  socket_mode_enabled: ").append(!http).append('\n');
        y.append("  token_rotation_enabled: false\n");
        return y.toString();
    }

    private static String roleNote(CommandSpec s) {
        List<String> bits = new ArrayList<>();
        if (s.role().ordinal() > 0) bits.add(s.role().label());
        if (s.destructive()) bits.add("asks to confirm");
        return bits.isEmpty() ? "" : " (" + String.join(", ", bits) + ")";
    }

    private static void command(StringBuilder y, String name, String description, String hint, String url) {
        y.append("    - command: ").append(name).append('\n');
        if (url != null && !url.isBlank()) y.append("      url: ").append(q(url)).append('\n');
        y.append("      description: ").append(q(cap(description, DESCRIPTION_MAX))).append('\n');
        if (!hint.isEmpty()) y.append("      usage_hint: ").append(q(cap(hint, HINT_MAX))).append('\n');
        y.append("      should_escape: false\n");
    }

    private static String cap(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** A double-quoted YAML scalar. */
    static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}
