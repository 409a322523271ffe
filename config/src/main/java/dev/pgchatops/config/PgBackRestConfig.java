package dev.pgchatops.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where and how pgBackRest runs for a cluster. {@code members} maps a Patroni member name to the SSH endpoint and
 * pgBackRest config file to use for it; members without an entry use their Patroni host and port 22. {@code schedule}
 * ({@code pgbackrest.schedule}) holds cron expressions per backup type, run by {@code serve} on the primary of the moment.
 */
public record PgBackRestConfig(String stanza, boolean backupStandby, SshConfig ssh, Map<String, MemberEndpoint> members,
                               Duration backupTimeout, String binary, Optional<BackupSchedule> schedule) {
    public PgBackRestConfig {
        members = Map.copyOf(members);
        java.util.Objects.requireNonNull(schedule, "schedule");
    }

    /** Without a backup schedule. */
    public PgBackRestConfig(String stanza, boolean backupStandby, SshConfig ssh, Map<String, MemberEndpoint> members,
                            Duration backupTimeout, String binary) {
        this(stanza, backupStandby, ssh, members, backupTimeout, binary, Optional.empty());
    }

    public Optional<MemberEndpoint> member(String name) {
        return Optional.ofNullable(members.get(name));
    }

    /** SSH endpoint of one member. {@code config} is the pgBackRest config file, empty for pgBackRest's default. */
    public record MemberEndpoint(String host, int port, Optional<String> config) {
    }
}
