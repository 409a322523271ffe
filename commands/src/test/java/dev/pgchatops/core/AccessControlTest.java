package dev.pgchatops.core;

import dev.pgchatops.config.AccessConfig;
import dev.pgchatops.config.Role;
import dev.pgchatops.core.parse.CommandSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AccessControlTest {
    private static CommandSpec spec(String name, Role role) {
        return new CommandSpec(name, "", role, false, List.of(), 0, List.of());
    }

    private final AccessControl access = new AccessControl(new AccessConfig(Role.VIEWER, Map.of(
            "console:alice", Role.ADMIN, "slack:U0123", Role.OPERATOR, "discord:777", Role.NONE)));

    @Test
    void mapsPlatformIdentitiesToRoles() {
        assertThat(access.roleOf(Identity.of("console", "alice"))).isEqualTo(Role.ADMIN);
        assertThat(access.roleOf(new Identity("slack", "U0123", "Bob B."))).isEqualTo(Role.OPERATOR);
        assertThat(access.roleOf(Identity.of("discord", "777"))).isEqualTo(Role.NONE);
    }

    @Test
    void unknownUsersGetTheDefaultRole() {
        assertThat(access.roleOf(Identity.of("slack", "UNEW"))).isEqualTo(Role.VIEWER);
        assertThat(access.roleOf(Identity.of("slack", "alice"))).as("the platform is part of the key").isEqualTo(Role.VIEWER);
        AccessControl closed = new AccessControl(new AccessConfig(Role.NONE, Map.of()));
        assertThat(closed.roleOf(Identity.of("console", "alice"))).isEqualTo(Role.NONE);
        assertThat(closed.refusal(Identity.of("console", "alice"), spec("cluster-list", Role.VIEWER))).isPresent();
        assertThat(closed.refusal(Identity.of("console", "alice"), spec("help", Role.NONE))).isEmpty();
    }

    @Test
    void slackGroupsAndDiscordRolesGiveTheHighestRole() {
        AccessControl a = new AccessControl(new dev.pgchatops.config.AccessConfig(Role.VIEWER,
                Map.of("slack:U0123", Role.OPERATOR), Map.of("SOPS", Role.ADMIN, "SVIEW", Role.VIEWER),
                Map.of("111111111111111111", Role.OPERATOR)));
        assertThat(a.roleOf(new Identity("slack", "UNEW", "n", java.util.Set.of("SOPS")))).isEqualTo(Role.ADMIN);
        assertThat(a.roleOf(new Identity("slack", "U0123", "b", java.util.Set.of("SVIEW")))).as("a lower group never lowers")
                .isEqualTo(Role.OPERATOR);
        assertThat(a.roleOf(new Identity("discord", "42", "d", java.util.Set.of("111111111111111111")))).isEqualTo(Role.OPERATOR);
        assertThat(a.roleOf(new Identity("discord", "42", "d", java.util.Set.of("SOPS")))).as("slack groups are not discord roles")
                .isEqualTo(Role.VIEWER);
        assertThat(a.roleOf(new Identity("slack", "U9", "x", java.util.Set.of("111111111111111111")))).isEqualTo(Role.VIEWER);
    }

    @Test
    void refusalNamesTheNeededRole() {
        assertThat(access.refusal(Identity.of("slack", "UNEW"), spec("switchover", Role.OPERATOR))).contains(
                "/switchover needs the operator role; slack:UNEW has viewer. Ask an admin to map you under access.users"
                        + " (or your user group under access.slack-groups) in the bot config.");
        assertThat(access.refusal(Identity.of("slack", "U0123"), spec("failover", Role.ADMIN)))
                .hasValueSatisfying(m -> assertThat(m).startsWith("/failover needs the admin role; slack:U0123 has operator."));
    }

    @Test
    void higherRolesMayRunLowerCommands() {
        for (Role needed : Role.values()) {
            assertThat(access.refusal(Identity.of("console", "alice"), spec("x", needed))).as("admin runs %s", needed).isEmpty();
        }
        assertThat(access.refusal(Identity.of("slack", "U0123"), spec("x", Role.OPERATOR))).isEmpty();
        assertThat(access.refusal(Identity.of("slack", "U0123"), spec("x", Role.VIEWER))).isEmpty();
        assertThat(access.refusal(Identity.of("discord", "777"), spec("x", Role.VIEWER))).isPresent();
    }

    @Test
    void identityDefaults() {
        assertThat(new Identity("slack", "U1", " ").displayName()).isEqualTo("U1");
        assertThat(new Identity("slack", "U1", null).key()).isEqualTo("slack:U1");
    }
}
