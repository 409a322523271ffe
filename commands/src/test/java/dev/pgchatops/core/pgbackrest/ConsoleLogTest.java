package dev.pgchatops.core.pgbackrest;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleLogTest {
    @Test
    void stripsTimestampProcessAndInfoLevel() {
        assertThat(ConsoleLog.message("2026-11-24 12:31:30.362 P00   INFO: new backup label = 20261124-123127F"))
                .isEqualTo("new backup label = 20261124-123127F");
        assertThat(ConsoleLog.message("P00   INFO: backup command end: completed successfully"))
                .isEqualTo("backup command end: completed successfully");
        assertThat(ConsoleLog.message("2026-11-24 12:31:30.362 P00   WARN: no prior backup exists, incr backup has been changed to full"))
                .isEqualTo("WARN: no prior backup exists, incr backup has been changed to full");
        assertThat(ConsoleLog.message("ERROR: [056]: unable to find primary cluster - cannot proceed"))
                .isEqualTo("ERROR: [056]: unable to find primary cluster - cannot proceed");
        assertThat(ConsoleLog.message("       HINT: are all available clusters in recovery?"))
                .isEqualTo("HINT: are all available clusters in recovery?");
    }

    @Test
    void picksTheInterestingBackupLines() {
        List<String> shown = Fixtures.FULL_BACKUP.stream().map(ConsoleLog::progress).flatMap(Optional::stream).toList();
        assertThat(shown).containsExactly(
                "execute non-exclusive backup start: backup begins after the requested immediate checkpoint completes",
                "backup start archive = 000000010000000000000005, lsn = 0/5000028",
                "check archive for segment 000000010000000000000005",
                "execute non-exclusive backup stop and wait for all WAL segments to archive",
                "backup stop archive = 000000010000000000000006, lsn = 0/6000050",
                "check archive for segment(s) 000000010000000000000005:000000010000000000000006",
                "new backup label = 20261124-123127F",
                "full backup size = 22.2MB, file total = 971",
                "backup command end: completed successfully (3043ms)",
                "expire command end: completed successfully (2ms)");
    }

    @Test
    void findsTheLabel() {
        assertThat(ConsoleLog.label("2026-11-24 12:31:32.743 P00   INFO: new backup label = 20261124-123127F_20261124-123131I"))
                .contains("20261124-123127F_20261124-123131I");
        assertThat(ConsoleLog.label("P00   INFO: last backup label = 20261124-123127F, version = 2.45")).isEmpty();
    }
}
