package dev.pgchatops.core.pgbackrest;

import java.util.List;

/** Real pgBackRest 2.45 output captured on the local cluster (paths shortened). */
final class Fixtures {
    private Fixtures() {
    }

    static final List<String> FULL_BACKUP = List.of(
            "2026-11-24 12:31:27.340 P00   INFO: backup command begin 2.45: --config=/var/tmp/c/pgbackrest/node1.conf --delta --exec-id=32572-a7627af2 --log-level-console=info --pg1-path=/var/tmp/c/node1/data --repo1-path=/var/tmp/c/repo --repo1-retention-full=2 --stanza=demo --start-fast --type=full",
            "2026-11-24 12:31:27.947 P00   INFO: execute non-exclusive backup start: backup begins after the requested immediate checkpoint completes",
            "2026-11-24 12:31:28.256 P00   INFO: backup start archive = 000000010000000000000005, lsn = 0/5000028",
            "2026-11-24 12:31:28.256 P00   INFO: check archive for segment 000000010000000000000005",
            "2026-11-24 12:31:30.148 P00   INFO: execute non-exclusive backup stop and wait for all WAL segments to archive",
            "2026-11-24 12:31:30.352 P00   INFO: backup stop archive = 000000010000000000000006, lsn = 0/6000050",
            "2026-11-24 12:31:30.353 P00   INFO: check archive for segment(s) 000000010000000000000005:000000010000000000000006",
            "2026-11-24 12:31:30.362 P00   INFO: new backup label = 20261124-123127F",
            "2026-11-24 12:31:30.380 P00   INFO: full backup size = 22.2MB, file total = 971",
            "2026-11-24 12:31:30.380 P00   INFO: backup command end: completed successfully (3043ms)",
            "2026-11-24 12:31:30.381 P00   INFO: expire command begin 2.45: --config=/var/tmp/c/pgbackrest/node1.conf --exec-id=32572-a7627af2 --repo1-retention-full=2 --stanza=demo",
            "2026-11-24 12:31:30.382 P00   INFO: expire command end: completed successfully (2ms)");

    static final List<String> LOCK_HELD_STDOUT = List.of(
            "2026-11-24 12:32:01.947 P00   INFO: backup command begin 2.45: --config=/var/tmp/c/pgbackrest/node2.conf --stanza=demo --type=full",
            "2026-11-24 12:32:01.947 P00   INFO: backup command end: aborted with exception [050]");
    static final List<String> LOCK_HELD_STDERR = List.of(
            "ERROR: [050]: unable to acquire lock on file '/var/tmp/c/pgbackrest/lock/demo-backup.lock': Resource temporarily unavailable",
            "       HINT: is another pgBackRest process running?");

    static final List<String> NOT_PRIMARY_STDERR = List.of(
            "WARN: unable to check pg1: [DbQueryError] no result expected from 'set client_encoding = 'UTF8''",
            "ERROR: [056]: unable to find primary cluster - cannot proceed",
            "       HINT: are all available clusters in recovery?");

    static final List<String> EXPIRE_DRY_RUN = List.of(
            "2026-11-24 12:31:40.921 P00   INFO: [DRY-RUN] expire command begin 2.45: --config=/var/tmp/c/pgbackrest/node1.conf --dry-run --exec-id=530-0a10f489 --log-level-console=info --repo1-path=/var/tmp/c/repo --repo1-retention-full=1 --repo1-type=posix --stanza=demo",
            "2026-11-24 12:31:40.923 P00   INFO: [DRY-RUN] repo1: expire full backup set 20261124-123127F, 20261124-123127F_20261124-123131I",
            "2026-11-24 12:31:40.923 P00   INFO: [DRY-RUN] repo1: remove expired backup 20261124-123127F_20261124-123131I",
            "2026-11-24 12:31:40.923 P00   INFO: [DRY-RUN] repo1: remove expired backup 20261124-123127F",
            "2026-11-24 12:31:40.924 P00   INFO: [DRY-RUN] repo1: 15-1 remove archive, start = 000000010000000000000005, stop = 000000010000000000000009",
            "2026-11-24 12:31:40.924 P00   INFO: [DRY-RUN] expire command end: completed successfully (5ms)");

    static final List<String> EXPIRE_NOTHING = List.of(
            "2026-11-24 12:31:41.283 P00   INFO: [DRY-RUN] expire command begin 2.45: --config=/var/tmp/c/pgbackrest/node1.conf --dry-run --repo1-retention-full=2 --repo1-type=posix --stanza=demo",
            "2026-11-24 12:31:41.285 P00   INFO: [DRY-RUN] repo1: 15-1 no archive to remove",
            "2026-11-24 12:31:41.286 P00   INFO: [DRY-RUN] expire command end: completed successfully (5ms)");

    /** info --output=json with a full and an incremental backup. */
    static final String INFO_TWO_BACKUPS = """
            [{"archive":[{"database":{"id":1,"repo-key":1},"id":"15-1","max":"00000001000000000000000A","min":"000000010000000000000005"}],\
            "backup":[{"archive":{"start":"000000010000000000000005","stop":"000000010000000000000006"},"backrest":{"format":5,"version":"2.45"},\
            "database":{"id":1,"repo-key":1},"error":false,"info":{"delta":23242760,"repository":{"delta":3085713,"size":3085713},"size":23242760},\
            "label":"20261124-123127F","lsn":{"start":"0/5000028","stop":"0/6000050"},"prior":null,"reference":null,\
            "timestamp":{"start":1795523487,"stop":1795523490},"type":"full"},\
            {"archive":{"start":"000000010000000000000007","stop":"000000010000000000000008"},"backrest":{"format":5,"version":"2.45"},\
            "database":{"id":1,"repo-key":1},"error":false,"info":{"delta":8450,"repository":{"delta":402,"size":3085713},"size":23242760},\
            "label":"20261124-123127F_20261124-123131I","lsn":{"start":"0/7000028","stop":"0/8000050"},"prior":"20261124-123127F",\
            "reference":["20261124-123127F"],"timestamp":{"start":1795523491,"stop":1795523492},"type":"incr"}],\
            "cipher":"none","db":[{"id":1,"repo-key":1,"system-id":7711714614855724092,"version":"15"}],"name":"demo",\
            "repo":[{"cipher":"none","key":1,"status":{"code":0,"message":"ok"}}],\
            "status":{"code":0,"lock":{"backup":{"held":false}},"message":"ok"}}]
            """;

    /** info --output=json of a stanza that has no backups yet. */
    static final String INFO_NO_BACKUPS = """
            [{"archive":[{"database":{"id":1,"repo-key":1},"id":"15-1","max":"000000010000000000000005","min":"000000010000000000000001"}],\
            "backup":[],"cipher":"none","db":[{"id":1,"repo-key":1,"system-id":7711712522351822888,"version":"15"}],"name":"demo",\
            "repo":[{"cipher":"none","key":1,"status":{"code":2,"message":"no valid backups"}}],\
            "status":{"code":2,"lock":{"backup":{"held":true}},"message":"no valid backups"}}]
            """;

    /** info --output=json of a stanza that was never created. */
    static final String INFO_MISSING = """
            [{"archive":[],"backup":[],"cipher":"none","db":[],"name":"demo",\
            "repo":[{"cipher":"none","key":1,"status":{"code":1,"message":"missing stanza path"}}],\
            "status":{"code":1,"lock":{"backup":{"held":false}},"message":"missing stanza path"}}]
            """;
}
