package dev.pgchatops.core.pgbackrest;

import dev.pgchatops.config.AccessConfig;
import dev.pgchatops.config.ClusterConfig;
import dev.pgchatops.config.PatroniConfig;
import dev.pgchatops.config.PgBackRestConfig;
import dev.pgchatops.config.Role;
import dev.pgchatops.config.SshConfig;
import dev.pgchatops.core.AccessControl;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.ClusterRuntime;
import dev.pgchatops.core.CommandRegistry;
import dev.pgchatops.core.Identity;
import dev.pgchatops.core.Request;
import dev.pgchatops.core.audit.AuditEvent;
import dev.pgchatops.core.confirm.Confirmations;
import dev.pgchatops.core.confirm.Pending;
import dev.pgchatops.core.confirm.PendingView;
import dev.pgchatops.core.patroni.ClusterState;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.patroni.MemberRole;
import dev.pgchatops.core.patroni.PatroniClient;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

/** A real {@link Bot} with the pgBackRest commands, a fake cluster view and a {@link FakeRunner}. */
final class Harness {
    static final Instant NOW = Instant.parse("2026-11-24T12:01:00Z");

    final FakeRunner runner = new FakeRunner();
    final BackupLocks locks = new BackupLocks();
    final AtomicReference<ClusterState> state = new AtomicReference<>(healthy("node1"));
    final List<AuditEvent> audit = Collections.synchronizedList(new ArrayList<>());
    final PgBackRestConfig pbConfig;
    final PgBackRestService service;
    final Bot bot;

    Harness() {
        this(false);
    }

    Harness(boolean backupStandby) {
        this(backupStandby, Duration.ofSeconds(60));
    }

    /**
     * {@code commandTimeout} is {@code ssh.command-timeout}. The lock probe of /backup-info answers "lock free" unless
     * a test scripts {@code lock-path} (pgbackrest help backup lock-path) or {@code true} (the flock) itself.
     */
    Harness(boolean backupStandby, Duration commandTimeout) {
        SshConfig ssh = new SshConfig("postgres", Path.of("/nonexistent/id"), Path.of("/nonexistent/known_hosts"),
                Duration.ofSeconds(5), commandTimeout, 4);
        runner.on("lock-path", FakeRunner.lines(0, List.of("current: /var/lib/pgbackrest-lock", "default: /tmp/pgbackrest"),
                List.of())).on("true", FakeRunner.lines(0, List.of(), List.of()));
        pbConfig = new PgBackRestConfig("demo", backupStandby, ssh, Map.of(
                "node1", new PgBackRestConfig.MemberEndpoint("10.0.0.11", 2222, Optional.of("/etc/pgbackrest/node1.conf")),
                "node2", new PgBackRestConfig.MemberEndpoint("10.0.0.12", 2222, Optional.of("/etc/pgbackrest/node2.conf"))),
                Duration.ofMinutes(30), "pgbackrest");
        PatroniConfig pc = new PatroniConfig(List.of(URI.create("http://127.0.0.1:9")), null, null,
                Duration.ofMillis(200), Duration.ofMillis(200));
        ClusterConfig cc = new ClusterConfig("demo", pc, Optional.of(pbConfig));
        service = PgBackRestService.create(cc, pbConfig, state::get, runner, locks);
        CommandRegistry registry = new CommandRegistry();
        PgBackRestCommands.all().forEach(registry::register);
        ClusterRuntime rt = new ClusterRuntime(cc, new PatroniClient("demo", pc), Optional.of(service));
        AccessControl access = new AccessControl(new AccessConfig(Role.VIEWER, Map.of(
                "console:admin", Role.ADMIN, "console:alice", Role.OPERATOR, "console:bob", Role.OPERATOR)));
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        bot = new Bot(List.of(rt), registry, access, new Confirmations(clock, Duration.ofMinutes(2)), audit::add, clock);
    }

    static Member member(String name, MemberRole role, String state, long timeline, Long lag) {
        int i = Integer.parseInt(name.replaceAll("\\D", ""));
        return new Member(name, role, state, URI.create("http://10.0.0.1" + i + ":8008/patroni"), "10.0.0.1" + i, 5432,
                OptionalLong.of(timeline), lag == null ? OptionalLong.empty() : OptionalLong.of(lag), false, false,
                Optional.empty());
    }

    /** Three members, {@code leader} leading on timeline 1, the others streaming. */
    static ClusterState healthy(String leader) {
        List<Member> ms = new ArrayList<>();
        for (String n : List.of("node1", "node2", "node3")) {
            ms.add(n.equals(leader) ? member(n, MemberRole.LEADER, "running", 1, null)
                    : member(n, MemberRole.REPLICA, "streaming", 1, 0L));
        }
        return new ClusterState(ms, false, Optional.empty());
    }

    /** Replies and progress lines of one exchange; {@link #text()} is the last reply. */
    static final class Capture extends dev.pgchatops.core.RecordingResponder {
        @Override
        public String text() {
            return last().plainText();
        }
    }

    Capture run(String user, String line) {
        Capture c = new Capture();
        bot.handle(new Request(Identity.of("console", user), "test", line), c);
        return c;
    }

    /** Runs a command that must ask for confirmation; returns the capture of the request and the pending entry. */
    Optional<PendingView> request(String user, String line, Capture c) {
        return bot.handle(new Request(Identity.of("console", user), "test", line), c);
    }

    Capture confirm(String user, PendingView p) {
        Capture c = new Capture();
        bot.confirm(p.token(), Identity.of("console", user), "test", c);
        return c;
    }
}
