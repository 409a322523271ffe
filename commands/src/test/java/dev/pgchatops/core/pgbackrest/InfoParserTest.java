package dev.pgchatops.core.pgbackrest;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InfoParserTest {
    @Test
    void readsBackupsStatusAndArchive() throws Exception {
        StanzaInfo i = InfoParser.parse(Fixtures.INFO_TWO_BACKUPS, "demo");
        assertThat(i.name()).isEqualTo("demo");
        assertThat(i.statusCode()).isZero();
        assertThat(i.statusText()).isEqualTo("ok");
        assertThat(i.exists()).isTrue();
        assertThat(i.backupLockHeld()).isFalse();
        assertThat(i.archiveMin()).contains("000000010000000000000005");
        assertThat(i.archiveMax()).contains("00000001000000000000000A");
        assertThat(i.backups()).hasSize(2);

        StanzaInfo.BackupSet full = i.backups().get(0);
        assertThat(full.label()).isEqualTo("20261124-123127F");
        assertThat(full.type()).isEqualTo("full");
        assertThat(full.start()).isEqualTo(Instant.ofEpochSecond(1795523487));
        assertThat(full.duration()).isEqualTo(Duration.ofSeconds(3));
        assertThat(full.size()).isEqualTo(23242760);
        assertThat(full.repoSize()).isEqualTo(3085713);
        assertThat(full.walStart()).isEqualTo("000000010000000000000005");
        assertThat(full.walStop()).isEqualTo("000000010000000000000006");
        assertThat(full.lsnStart()).isEqualTo("0/5000028");
        assertThat(full.prior()).isEmpty();

        StanzaInfo.BackupSet incr = i.newest().orElseThrow();
        assertThat(incr.label()).isEqualTo("20261124-123127F_20261124-123131I");
        assertThat(incr.type()).isEqualTo("incr");
        assertThat(incr.delta()).isEqualTo(8450);
        assertThat(incr.repoDelta()).isEqualTo(402);
        assertThat(incr.prior()).contains("20261124-123127F");
        assertThat(i.backup("20261124-123127F")).contains(full);
    }

    @Test
    void stanzaWithoutBackupsAndWithLock() throws Exception {
        StanzaInfo i = InfoParser.parse(Fixtures.INFO_NO_BACKUPS, "demo");
        assertThat(i.statusCode()).isEqualTo(StanzaInfo.NO_VALID_BACKUPS);
        assertThat(i.statusText()).isEqualTo("error (no valid backups)");
        assertThat(i.exists()).isTrue();
        assertThat(i.backupLockHeld()).isTrue();
        assertThat(i.backups()).isEmpty();
        assertThat(i.newest()).isEmpty();
    }

    @Test
    void missingStanza() throws Exception {
        StanzaInfo i = InfoParser.parse(Fixtures.INFO_MISSING, "demo");
        assertThat(i.exists()).isFalse();
        assertThat(i.statusMessage()).isEqualTo("missing stanza path");
        assertThat(i.archiveMin()).isEmpty();
    }

    @Test
    void toleratesALogLineBeforeTheJson() throws Exception {
        StanzaInfo i = InfoParser.parse("WARN: something\n" + Fixtures.INFO_TWO_BACKUPS, "demo");
        assertThat(i.backups()).hasSize(2);
    }

    @Test
    void badOutputIsAClearError() {
        assertThatThrownBy(() -> InfoParser.parse("", "demo")).hasMessageContaining("did not print JSON");
        assertThatThrownBy(() -> InfoParser.parse("[{\"name\":", "demo")).hasMessageContaining("invalid JSON");
        assertThatThrownBy(() -> InfoParser.parse("{\"name\":\"demo\"}", "demo")).hasMessageContaining("did not print JSON");
        assertThatThrownBy(() -> InfoParser.parse(Fixtures.INFO_TWO_BACKUPS, "other"))
                .hasMessageContaining("no stanza 'other'").hasMessageContaining("found: demo");
    }
}
