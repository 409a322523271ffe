package dev.pgchatops.core.cmd;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Which method built a replica, from pgBackRest's restore log lines (begin/end/ERROR, as grep returns them). */
class ReinitMethodTest {
    private static final String OLD_BEGIN = "2026-12-01 19:57:09.974 P00   INFO: restore command begin 2.45: --config=/c --delta --exec-id=1948-9cdf5b19 --stanza=demo --type=none";
    private static final String OLD_ERR = "2026-12-01 19:57:09.975 P00  ERROR: [075]: no backup set found to restore";
    private static final String OLD_END = "2026-12-01 19:57:09.975 P00   INFO: restore command end: aborted with exception [075]";
    private static final String NEW_BEGIN = "2026-12-01 20:10:00.100 P00   INFO: restore command begin 2.45: --config=/c --exec-id=2000-aaaa1111 --stanza=demo --type=none";

    @Test
    void aNewSuccessfulRestoreBuiltIt() {
        Set<String> before = ReinitMethod.execIds(List.of(OLD_BEGIN, OLD_ERR, OLD_END));
        ReinitMethod.Verdict v = ReinitMethod.judge(before, List.of(OLD_BEGIN, OLD_ERR, OLD_END, NEW_BEGIN,
                "2026-12-01 20:10:03.000 P00   INFO: restore command end: completed successfully (2900ms)"));
        assertThat(v.kind()).isEqualTo(ReinitMethod.Kind.PGBACKREST);
        assertThat(v.warns()).isFalse();
        assertThat(Reinit.describe(v)).isEqualTo("Built with pgbackrest (pgbackrest restore 2000-aaaa1111 completed successfully (2900ms)).");
    }

    @Test
    void aFailedRestoreMeansTheFallbackBuiltItAndWarns() {
        Set<String> before = ReinitMethod.execIds(List.of(OLD_BEGIN, OLD_END));
        ReinitMethod.Verdict v = ReinitMethod.judge(before, List.of(OLD_BEGIN, OLD_END, NEW_BEGIN,
                "2026-12-01 20:10:00.200 P00  ERROR: [040]: unable to restore to path '/data' because it contains files",
                "2026-12-01 20:10:00.201 P00   INFO: restore command end: aborted with exception [040]"));
        assertThat(v.kind()).isEqualTo(ReinitMethod.Kind.PGBACKREST_FAILED);
        assertThat(v.warns()).isTrue();
        assertThat(Reinit.describe(v)).startsWith("Warning: built with basebackup, not pgbackrest — the pgBackRest restore failed "
                + "([040]: unable to restore to path '/data' because it contains files): aborted with exception [040]")
                .endsWith("set delta=y in the member's pgBackRest config ([global]).");
    }

    @Test
    void onlyOldRestoresMeansPgBackRestWasNotTried() {
        Set<String> before = ReinitMethod.execIds(List.of(OLD_BEGIN, OLD_END));
        ReinitMethod.Verdict v = ReinitMethod.judge(before, List.of(OLD_BEGIN, OLD_ERR, OLD_END));
        assertThat(v.kind()).isEqualTo(ReinitMethod.Kind.NO_RESTORE);
        assertThat(v.warns()).isTrue();
        assertThat(ReinitMethod.judge(Set.of(), List.of()).kind()).isEqualTo(ReinitMethod.Kind.NO_RESTORE);
    }
}
