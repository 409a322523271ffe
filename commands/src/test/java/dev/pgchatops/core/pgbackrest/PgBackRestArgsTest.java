package dev.pgchatops.core.pgbackrest;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgBackRestArgsTest {
    @Test
    void backupCommandLine() {
        List<String> argv = PgBackRestArgs.of("pgbackrest", Optional.of("/etc/pgbackrest/node1.conf"), "demo")
                .consoleInfo().type(BackupType.FULL).command("backup");
        assertThat(argv).containsExactly("pgbackrest", "--config=/etc/pgbackrest/node1.conf", "--stanza=demo",
                "--log-level-console=info", "--type=full", "backup");
        assertThat(ShellQuote.join(argv)).isEqualTo("'pgbackrest' '--config=/etc/pgbackrest/node1.conf' "
                + "'--stanza=demo' '--log-level-console=info' '--type=full' 'backup'");
    }

    @Test
    void infoWithSetAndNoConfig() {
        assertThat(PgBackRestArgs.of("/usr/local/bin/pgbackrest", Optional.empty(), "main_1.x").consoleWarn().jsonOutput()
                .set("20261124-123127F_20261124-123131I").command("info"))
                .containsExactly("/usr/local/bin/pgbackrest", "--stanza=main_1.x", "--log-level-console=warn",
                        "--output=json", "--set=20261124-123127F_20261124-123131I", "info");
    }

    @Test
    void backupStandbyAndDryRun() {
        assertThat(PgBackRestArgs.of("pgbackrest", Optional.empty(), "demo").backupStandby().command("backup"))
                .containsExactly("pgbackrest", "--stanza=demo", "--backup-standby", "backup");
        assertThat(PgBackRestArgs.of("pgbackrest", Optional.empty(), "demo").dryRun().command("expire"))
                .containsExactly("pgbackrest", "--stanza=demo", "--dry-run", "expire");
    }

    @Test
    void refusesAnythingUnvalidated() {
        assertThatThrownBy(() -> PgBackRestArgs.of("pgbackrest", Optional.empty(), "demo;id"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stanza");
        assertThatThrownBy(() -> PgBackRestArgs.of("pgbackrest", Optional.empty(), "$(id)"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PgBackRestArgs.of("pgbackrest; id", Optional.empty(), "demo"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("binary");
        assertThatThrownBy(() -> PgBackRestArgs.of("pgbackrest", Optional.of("etc/x.conf"), "demo"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("config");
        assertThatThrownBy(() -> PgBackRestArgs.of("pgbackrest", Optional.of("/etc/x.conf --repo1-path=/"), "demo"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PgBackRestArgs.of("pgbackrest", Optional.of("/etc/../root/x"), "demo"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PgBackRestArgs.of("pgbackrest", Optional.empty(), "demo").set("latest; id"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label");
        assertThatThrownBy(() -> PgBackRestArgs.of("pgbackrest", Optional.empty(), "demo").command("restore"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void backupTypesAreTheOnlyUserValues() {
        assertThat(BackupType.parse("full")).contains(BackupType.FULL);
        assertThat(BackupType.parse("DIFF")).contains(BackupType.DIFF);
        assertThat(BackupType.parse("incr")).contains(BackupType.INCR);
        for (String bad : List.of("full;", "full ", "fullx", "$(id)", "", "--type=full", "f")) {
            assertThat(BackupType.parse(bad)).as(bad).isEmpty();
        }
        assertThat(BackupType.parse(null)).isEmpty();
    }
}
