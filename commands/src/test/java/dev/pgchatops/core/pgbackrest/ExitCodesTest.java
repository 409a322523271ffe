package dev.pgchatops.core.pgbackrest;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExitCodesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "50|a backup is already running on demo (pgBackRest on node1 reports its backup lock is held) — see /backup-info",
            "56|backup full of stanza demo on node1 failed: pgBackRest cannot connect to PostgreSQL on node1",
            "82|backup full of stanza demo on node1 failed: WAL archiving timed out",
            "87|backup full of stanza demo on node1 failed: WAL archiving is disabled on node1",
            "38|backup full of stanza demo on node1 failed: PostgreSQL is running",
            "40|backup full of stanza demo on node1 failed: a target directory is not empty",
            "28|backup full of stanza demo on node1 failed: a repository or PostgreSQL file is invalid",
            "37|a required option is missing from the pgBackRest config on node1 [exit 37] — for a new stanza, its section [demo] needs pg1-path",
            "127|the pgBackRest binary could not be run on node1",
            "99|backup full of stanza demo on node1 failed with exit code 99."})
    void oneClearSentencePerCode(int code, String expected) {
        String s = ExitCodes.sentence(code, "backup full", "demo", "node1");
        assertThat(s).contains(expected);
        assertThat(s).doesNotContain("\n");
        if (code != 50 && code != 99) assertThat(s).contains("[exit " + code + "]");
    }

    @Test
    void failureCarriesTheLastErrorLinesOfStderr() {
        RemoteRunner.Result r = new RemoteRunner.Result(56, String.join("\n", Fixtures.FULL_BACKUP.subList(0, 2)),
                Fixtures.NOT_PRIMARY_STDERR, Duration.ofSeconds(1));
        PgBackRestFailure f = ExitCodes.failure(r, "check", "demo", "node2");
        assertThat(f.exitCode()).isEqualTo(56);
        assertThat(f.member()).isEqualTo("node2");
        assertThat(f.tail()).containsExactly(
                "WARN: unable to check pg1: [DbQueryError] no result expected from 'set client_encoding = 'UTF8''",
                "ERROR: [056]: unable to find primary cluster - cannot proceed",
                "HINT: are all available clusters in recovery?");
        assertThat(f.getMessage()).startsWith("check of stanza demo on node2 failed: pgBackRest cannot connect")
                .contains("\npgBackRest said:\nWARN: unable to check pg1");
    }

    @Test
    void withoutStderrTheErrorLinesOfStdoutAreUsed() {
        RemoteRunner.Result r = new RemoteRunner.Result(50, String.join("\n", Fixtures.LOCK_HELD_STDOUT), List.of(),
                Duration.ofSeconds(1));
        assertThat(ExitCodes.tail(r)).containsExactly("backup command end: aborted with exception [050]");
    }

    @Test
    void tailIsBounded() {
        List<String> many = java.util.stream.IntStream.range(0, 50).mapToObj(i -> "ERROR: line " + i).toList();
        RemoteRunner.Result r = new RemoteRunner.Result(1, "", many, Duration.ZERO);
        assertThat(ExitCodes.tail(r)).hasSize(6).endsWith("ERROR: line 49");
    }
}
