package dev.pgchatops.core.pgbackrest;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class BackupLocksTest {
    private static final Instant T = Instant.parse("2026-11-24T12:01:30Z");

    @Test
    void onePerStanzaAndReleasedOnClose() {
        BackupLocks l = new BackupLocks();
        BackupLocks.Attempt a = l.tryAcquire("demo", "demo", "backup full", "alice", T);
        assertThat(a.lock()).isPresent();
        BackupLocks.Attempt b = l.tryAcquire("demo", "demo", "backup incr", "bob", T);
        assertThat(b.lock()).isEmpty();
        assertThat(b.busy().orElseThrow().busyMessage())
                .isEqualTo("a backup is already running on demo (started 12:01 by alice) — see /backup-info");
        assertThat(l.tryAcquire("demo", "other", "backup full", "bob", T).lock()).isPresent();
        a.lock().get().close();
        assertThat(l.holder("demo", "demo")).isEmpty();
        assertThat(l.tryAcquire("demo", "demo", "expire", "bob", T).busy()).isEmpty();
    }

    @Test
    void aStaleReleaseDoesNotFreeSomeoneElsesLock() {
        BackupLocks l = new BackupLocks();
        BackupLocks.Held first = l.tryAcquire("demo", "demo", "backup full", "alice", T).lock().orElseThrow();
        first.close();
        BackupLocks.Held second = l.tryAcquire("demo", "demo", "backup full", "alice", T).lock().orElseThrow();
        first.close();   // again: must not release the second holder's lock
        assertThat(l.holder("demo", "demo")).contains(second.holder());
        assertThat(l.tryAcquire("demo", "demo", "expire", "admin", T).busy().orElseThrow().busyMessage())
                .startsWith("a backup is already running on demo");
    }

    @Test
    void expireHolderIsNamed() {
        BackupLocks l = new BackupLocks();
        l.tryAcquire("demo", "demo", "expire", "admin", T);
        assertThat(l.tryAcquire("demo", "demo", "backup full", "bob", T).busy().orElseThrow().busyMessage())
                .isEqualTo("an expire is already running on demo (started 12:01 by admin) — see /backup-info");
    }

    @Test
    void twoClustersWithTheSameStanzaNameDoNotBlockEachOther() {
        BackupLocks l = new BackupLocks();
        BackupLocks.Held east = l.tryAcquire("east", "main", "backup full", "alice", T).lock().orElseThrow();
        BackupLocks.Attempt west = l.tryAcquire("west", "main", "backup full", "bob", T);
        assertThat(west.lock()).as("cluster west's stanza main is not cluster east's").isPresent();
        assertThat(l.holder("east", "main")).contains(east.holder());
        assertThat(l.holder("west", "main")).contains(west.lock().get().holder());
        // within one cluster the stanza is still exclusive, with the same message
        assertThat(l.tryAcquire("east", "main", "expire", "carol", T).busy().orElseThrow().busyMessage())
                .isEqualTo("a backup is already running on main (started 12:01 by alice) — see /backup-info");
        west.lock().get().close();
        assertThat(l.holder("west", "main")).isEmpty();
        assertThat(l.holder("east", "main")).contains(east.holder());
    }
}
