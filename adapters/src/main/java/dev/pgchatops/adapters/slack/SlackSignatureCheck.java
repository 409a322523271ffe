package dev.pgchatops.adapters.slack;

import com.slack.api.app_backend.SlackSignature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;

/**
 * Slack's request signature ({@code v0=HMAC-SHA256(secret, "v0:" + timestamp + ":" + body)}), computed by Bolt's
 * {@link SlackSignature.Generator}, checked stricter than Bolt's own verifier: the timestamp must be within
 * {@link #MAX_SKEW} of now in either direction (Bolt accepts any future timestamp), and the comparison is
 * constant-time. Returns why a request is refused, or empty.
 */
final class SlackSignatureCheck {
    static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private final SlackSignature.Generator generator;

    SlackSignatureCheck(String signingSecret) {
        this.generator = new SlackSignature.Generator(signingSecret);
    }

    Optional<String> refusal(String timestamp, String signature, String body, long nowMillis) {
        if (timestamp == null || timestamp.isBlank()) return Optional.of("missing X-Slack-Request-Timestamp");
        if (signature == null || signature.isBlank()) return Optional.of("missing X-Slack-Signature");
        long ts;
        try {
            ts = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Optional.of("X-Slack-Request-Timestamp is not a number");
        }
        long skew = Math.abs(nowMillis - ts * 1000);
        if (skew > MAX_SKEW.toMillis()) {
            return Optional.of("stale X-Slack-Request-Timestamp (" + (skew / 1000) + " s from now; at most "
                    + MAX_SKEW.toSeconds() + " s)");
        }
        String expected = generator.generate(timestamp.trim(), body);
        if (expected == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                signature.trim().getBytes(StandardCharsets.UTF_8))) {
            return Optional.of("wrong X-Slack-Signature");
        }
        return Optional.empty();
    }
}
