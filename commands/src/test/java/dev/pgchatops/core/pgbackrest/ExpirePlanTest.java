package dev.pgchatops.core.pgbackrest;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExpirePlanTest {
    @Test
    void readsTheDryRun() {
        ExpirePlan p = ExpirePlan.parse(Fixtures.EXPIRE_DRY_RUN);
        assertThat(p.isEmpty()).isFalse();
        assertThat(p.backupSets()).containsExactly("20261124-123127F", "20261124-123127F_20261124-123131I");
        assertThat(p.archiveRanges()).containsExactly("repo1 15-1: 000000010000000000000005 – 000000010000000000000009");
        assertThat(p.retention()).contains("repo1-retention-full=1");
    }

    @Test
    void nothingToExpire() {
        ExpirePlan p = ExpirePlan.parse(Fixtures.EXPIRE_NOTHING);
        assertThat(p.isEmpty()).isTrue();
        assertThat(p.retention()).contains("repo1-retention-full=2");
    }

    @Test
    void readsARealExpireAndOlderWording() {
        ExpirePlan p = ExpirePlan.parse(List.of(
                "2023-02-09 18:44:07.822 P00   INFO: repo1: expire full backup 20230209-183850F",
                "2023-02-09 18:44:07.892 P00   INFO: repo1: remove expired backup 20230209-183850F",
                "2023-02-09 18:44:07.971 P00   INFO: repo1: 15-1 remove archive, start = 000000070000000000000008, stop = 00000007000000000000000A",
                "P00   WARN: option 'repo1-retention-full' is not set for 'repo1-retention-full-type=count'"));
        assertThat(p.backupSets()).containsExactly("20230209-183850F");
        assertThat(p.archiveRanges()).hasSize(1);
        assertThat(p.warnings()).containsExactly("option 'repo1-retention-full' is not set for 'repo1-retention-full-type=count'");
    }

    @Test
    void comparesRemovals() {
        ExpirePlan a = ExpirePlan.parse(Fixtures.EXPIRE_DRY_RUN);
        assertThat(a.sameRemovals(ExpirePlan.parse(Fixtures.EXPIRE_DRY_RUN))).isTrue();
        assertThat(a.sameRemovals(ExpirePlan.parse(Fixtures.EXPIRE_NOTHING))).isFalse();
    }
}
