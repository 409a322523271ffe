package dev.pgchatops.core.patroni;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One member's own view, from its GET /patroni (served without the DCS): role, state, whether failsafe mode is
 * active, and {@code dcs_last_seen} (epoch seconds of its last successful DCS read). {@code serverTime} is the
 * member's clock from the reply's Date header, so staleness is measured on Patroni's clock, not the bot's.
 */
public record PatroniStatus(URI base, String role, String state, boolean failsafeActive, OptionalLong dcsLastSeen,
                            Optional<Instant> serverTime) {

    static PatroniStatus parse(URI base, JsonNode n, Optional<String> dateHeader) {
        OptionalLong seen = n.path("dcs_last_seen").canConvertToLong() && n.path("dcs_last_seen").isNumber()
                ? OptionalLong.of(n.get("dcs_last_seen").asLong()) : OptionalLong.empty();
        Optional<Instant> time = Optional.empty();
        if (dateHeader.isPresent()) {
            try {
                time = Optional.of(ZonedDateTime.parse(dateHeader.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException ignored) {
                time = Optional.empty();
            }
        }
        return new PatroniStatus(base, n.path("role").asText("unknown"), n.path("state").asText("unknown"),
                n.path("failsafe_mode_is_active").asBoolean(false), seen, time);
    }

    public boolean isPrimary() {
        return MemberRole.parse(role) == MemberRole.LEADER && "running".equals(state);
    }

    /** How long ago this member last read the DCS, by its own clock; empty if it does not say. */
    public Optional<Duration> dcsAge() {
        if (dcsLastSeen.isEmpty() || serverTime.isEmpty()) return Optional.empty();
        return Optional.of(Duration.ofSeconds(Math.max(0, serverTime.get().getEpochSecond() - dcsLastSeen.getAsLong())));
    }
}
