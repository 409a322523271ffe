package dev.pgchatops.bench;

import com.slack.api.app_backend.SlackSignature;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** A Slack slash command as Slack sends it in HTTP mode: form body plus the signature headers for {@code secret}. */
record Signed(String body, String timestamp, String signature) {
    static Signed slash(String secret, String command, String text, String channel, String user, String responseUrl,
                        String triggerId) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("token", "legacy-verification-token");
        f.put("team_id", "T0001");
        f.put("team_domain", "bench");
        f.put("channel_id", channel);
        f.put("channel_name", "ops");
        f.put("user_id", user);
        f.put("user_name", user.toLowerCase());
        f.put("command", command);
        f.put("text", text);
        f.put("api_app_id", "A0001");
        f.put("is_enterprise_install", "false");
        f.put("response_url", responseUrl);
        f.put("trigger_id", triggerId);
        StringJoiner j = new StringJoiner("&");
        f.forEach((k, v) -> j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        String body = j.toString();
        String ts = String.valueOf(System.currentTimeMillis() / 1000);
        return new Signed(body, ts, new SlackSignature.Generator(secret).generate(ts, body));
    }
}
