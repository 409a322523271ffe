package dev.pgchatops.core.cmd;

import dev.pgchatops.core.UserFacingException;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The {@code --at} of /switchover: {@code HH:MM} (UTC, the next such time), an ISO time with an offset, or an ISO
 * time without one, which is read as UTC (and said so). Times are shown to the minute, or to the second.
 */
record SwitchoverTime(OffsetDateTime at, boolean readAsUtc) {

    static SwitchoverTime parse(String text, OffsetDateTime now) throws UserFacingException {
        SwitchoverTime t;
        try {
            if (text.matches("\\d{1,2}:\\d{2}")) {
                LocalTime lt = LocalTime.parse(text.length() == 4 ? "0" + text : text);
                OffsetDateTime d = now.withHour(lt.getHour()).withMinute(lt.getMinute()).withSecond(0).withNano(0);
                return new SwitchoverTime(d.isAfter(now) ? d : d.plusDays(1), false);
            }
            t = hasOffset(text) ? new SwitchoverTime(OffsetDateTime.parse(text), false)
                    : new SwitchoverTime(LocalDateTime.parse(text).atOffset(ZoneOffset.UTC), true);
        } catch (DateTimeParseException e) {
            throw new UserFacingException("--at: cannot read \"" + text + "\" as a time; use HH:MM (UTC) or ISO like 2026-11-24T22:00:00Z.");
        }
        t = new SwitchoverTime(t.at().truncatedTo(ChronoUnit.SECONDS), t.readAsUtc());
        if (!t.at().isAfter(now)) {
            throw new UserFacingException("--at " + text + " is in the past (now " + format(now.withOffsetSameInstant(t.at().getOffset()))
                    + (t.readAsUtc() ? "; read as UTC" : "") + ").");
        }
        return t;
    }

    /** {@code 2026-11-24T22:00Z}, {@code 2026-11-24T22:00:07+02:00}: never fractions of a second. */
    static String format(OffsetDateTime t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Patroni's {@code scheduled_at} ("2026-12-02T22:00:00+00:00") shown like our own times; as is when unreadable. */
    static String format(String patroniTime) {
        return parsePatroni(patroniTime).map(SwitchoverTime::format).orElse(patroniTime);
    }

    static Optional<OffsetDateTime> parsePatroni(String patroniTime) {
        try {
            return Optional.of(OffsetDateTime.parse(patroniTime.replace(' ', 'T')));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    String shown() {
        return format(at) + (readAsUtc ? " (read as UTC)" : "");
    }

    private static boolean hasOffset(String text) {
        return text.endsWith("Z") || text.endsWith("z") || text.matches(".*T.*[+-]\\d{2}(:?\\d{2})?$");
    }
}
