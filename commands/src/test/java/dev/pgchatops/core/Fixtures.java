package dev.pgchatops.core;

import dev.pgchatops.config.AccessConfig;
import dev.pgchatops.config.ClusterConfig;
import dev.pgchatops.config.PatroniConfig;
import dev.pgchatops.config.Role;
import dev.pgchatops.config.Secret;
import dev.pgchatops.core.audit.AuditEvent;
import dev.pgchatops.core.confirm.Confirmations;
import dev.pgchatops.core.patroni.PatroniClient;

import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds configs, clients and bots for the unit tests. */
public final class Fixtures {
    public static final String USER = "patroni";
    public static final String PASSWORD = "s3cr3t-Patroni-pw";

    public static final Identity ALICE = Identity.of("console", "alice");     // operator
    public static final Identity BOB = Identity.of("console", "bob");         // operator
    public static final Identity ADMIN = Identity.of("slack", "UADMIN");      // admin
    public static final Identity VIEWER = Identity.of("slack", "UVIEW");      // viewer
    public static final Identity STRANGER = Identity.of("discord", "42");     // default role

    public static final AccessConfig ACCESS = new AccessConfig(Role.NONE, Map.of(
            ALICE.key(), Role.OPERATOR, BOB.key(), Role.OPERATOR, ADMIN.key(), Role.ADMIN, VIEWER.key(), Role.VIEWER));

    private Fixtures() {
    }

    public static PatroniConfig patroniConfig(List<URI> urls, Duration connect, Duration request) {
        return new PatroniConfig(urls, USER, new Secret("env PATRONI_PASSWORD", PASSWORD), connect, request);
    }

    public static PatroniClient patroni(String cluster, Duration request, URI... urls) {
        return new PatroniClient(cluster, patroniConfig(List.of(urls), Duration.ofMillis(500), request));
    }

    public static ClusterRuntime cluster(String name, URI... urls) {
        PatroniConfig pc = patroniConfig(List.of(urls), Duration.ofMillis(500), Duration.ofSeconds(5));
        return new ClusterRuntime(new ClusterConfig(name, pc, Optional.empty()), new PatroniClient(name, pc), Optional.empty());
    }

    /** A cluster whose Patroni URL refuses connections: for commands that must never reach Patroni. */
    public static ClusterRuntime offlineCluster(String name) {
        try {
            return cluster(name, FakeHttpServer.closedPort());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static Bot bot(List<ClusterRuntime> clusters, CommandRegistry registry, InstantSource clock, Duration ttl,
                          List<AuditEvent> audit) {
        return new Bot(clusters, registry, new AccessControl(ACCESS), new Confirmations(clock, ttl), audit::add, clock);
    }

    public static Bot bot(List<ClusterRuntime> clusters, CommandRegistry registry, InstantSource clock, Duration ttl,
                          dev.pgchatops.core.audit.AuditLog audit, Bot.Settings settings) {
        return new Bot(clusters, registry, new AccessControl(ACCESS), new Confirmations(clock, ttl), audit, clock, settings);
    }

    public static Request req(Identity who, String text) {
        return new Request(who, "#ops", text);
    }
}
