package dev.pgchatops.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DurationsTest {
    @Test
    void units() {
        assertThat(Durations.parse("2s")).contains(Duration.ofSeconds(2));
        assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(Durations.parse("5m")).contains(Duration.ofMinutes(5));
        assertThat(Durations.parse("1h")).contains(Duration.ofHours(1));
        assertThat(Durations.parse("30")).as("bare number is seconds").contains(Duration.ofSeconds(30));
        assertThat(Durations.parse(" 2 s ")).contains(Duration.ofSeconds(2));
    }

    @Test
    void signedValuesParseSoThatTheCallerCanSayMustBePositive() {
        assertThat(Durations.parse("-5s")).contains(Duration.ofSeconds(-5));
        assertThat(Durations.parse("0s")).contains(Duration.ZERO);
        assertThat(Durations.parse("+3m")).contains(Duration.ofMinutes(3));
    }

    @Test
    void notDurations() {
        assertThat(Durations.parse("5 minutes")).isEmpty();
        assertThat(Durations.parse("1.5s")).isEmpty();
        assertThat(Durations.parse("")).isEmpty();
        assertThat(Durations.parse("s")).isEmpty();
        assertThat(Durations.parse("--1s")).isEmpty();
        // Too big for a long, or for a Duration: reported, not thrown.
        assertThat(Durations.parse("99999999999999999999999s")).isEmpty();
        assertThat(Durations.parse("9223372036854775807h")).isEmpty();
    }
}
