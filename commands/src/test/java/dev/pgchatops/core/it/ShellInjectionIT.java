package dev.pgchatops.core.it;

import dev.pgchatops.config.PgBackRestConfig;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.Request;
import dev.pgchatops.core.confirm.PendingView;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.pgbackrest.Endpoint;
import dev.pgchatops.core.pgbackrest.RemoteRunner;
import dev.pgchatops.core.pgbackrest.SshjRemoteRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A corpus of shell-injection arguments through every command that takes text (every positional slot and every
 * flag with a value, bare and quoted), on the real cluster with the real SSH path, and straight through the SSH
 * runner to the real sshd: on the remote side (same host: the sshd runs as the cluster's SSH user here) no marker file
 * appears, and over SSH each argument arrives as exactly one literal word.
 */
class ShellInjectionIT {
    private static LiveCluster lc;
    private static final String TAG = "pgchatops-pwned-" + new Random().nextInt(1_000_000);

    @BeforeAll
    static void cluster() {
        lc = LiveCluster.get();
        lc.awaitHealthy();
    }

    @AfterAll
    static void close() {
        if (lc != null) lc.bot.close();
    }

    /** Arguments that create /tmp/TAG-N (or ~/TAG-N) if any shell ever interprets them. */
    static List<String> corpus() {
        List<String> out = new ArrayList<>();
        String[] forms = {"; touch /tmp/%s", "$(touch /tmp/%s)", "`touch /tmp/%s`", "| touch /tmp/%s", "&& touch /tmp/%s",
                "node1; touch /tmp/%s", "node1\ntouch /tmp/%s", "node1$(touch${IFS}/tmp/%s)", "'; touch /tmp/%s; '",
                "\"; touch /tmp/%s; \"", "$(touch ~/%s)", "node1`touch /tmp/%s`", "--repo1-path=$(touch /tmp/%s)",
                "x' $(touch /tmp/%s) '", "full;touch /tmp/%s", ">(touch /tmp/%s)", "node1 || touch /tmp/%s",
                "\\$(touch /tmp/%s)", "%%0atouch /tmp/%s", "${IFS}touch${IFS}/tmp/%s"};
        for (int i = 0; i < forms.length; i++) out.add(String.format(forms[i], TAG + "-" + i));
        return out;
    }

    private static List<Path> markers() throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path dir : List.of(Path.of("/tmp"), Path.of("/var/lib/postgresql"), Path.of(System.getProperty("user.home")),
                lc.dir)) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().startsWith("pgchatops-pwned")).forEach(found::add);
            }
        }
        return found;
    }

    /** The lines that put {@code arg} into each text slot of {@code spec}, bare and in double quotes. */
    private static List<String> lines(CommandSpec spec, String arg) {
        String quoted = '"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        List<String> out = new ArrayList<>();
        for (String a : List.of(arg, quoted)) {
            String base = "/" + spec.name();
            for (int i = 0; i < Math.max(1, spec.positionals().size() + 1); i++) {
                StringBuilder sb = new StringBuilder(base);
                for (int j = 0; j < i; j++) sb.append(" node2");
                out.add(sb.append(' ').append(a).toString());
            }
            for (CommandSpec.Flag f : spec.flags()) {
                if (f.takesValue()) {
                    out.add(base + " --" + f.name() + " " + a);
                    out.add(base + " --" + f.name() + "=" + a);
                }
            }
            out.add(base + " --cluster " + a);
        }
        return out;
    }

    @Test
    void noArgumentOfAnyCommandReachesAShell() throws Exception {
        assertThat(markers()).as("left over from an earlier run").isEmpty();
        List<String> confirmations = new ArrayList<>();
        int runs = 0;
        long t0 = System.nanoTime();
        for (Command c : lc.bot.registry().all()) {
            for (String arg : corpus()) {
                for (String line : lines(c.spec(), arg)) {
                    LiveCluster.Capture out = new LiveCluster.Capture();
                    Optional<PendingView> p = lc.bot.handle(new Request(LiveCluster.user("admin"), "it", line), out);
                    runs++;
                    assertThat(out.replies).as("an answer to %s", line).isNotEmpty();
                    assertThat(out.text()).as(line).doesNotContain("Internal error");
                    if (p.isPresent()) {
                        // asked to confirm: the hostile text must not be among what would run; never confirm it
                        confirmations.add(line + " → " + p.get().args());
                        lc.bot.cancel(p.get().token(), LiveCluster.user("admin"), "it", new LiveCluster.Capture());
                    }
                }
            }
        }
        System.out.printf("[timing] shell-injection corpus: %d command lines through %d commands in %d ms%n", runs,
                lc.bot.registry().all().size(), (System.nanoTime() - t0) / 1_000_000);
        assertThat(markers()).as("marker files made by an interpreted argument").isEmpty();
        assertThat(confirmations).as("a hostile argument is refused before any confirmation").isEmpty();
        lc.awaitHealthy();
    }

    @Test
    void overTheRealSshPathEachArgumentArrivesAsOneLiteralWord() throws Exception {
        PgBackRestConfig pb = lc.config.clusters().get(0).pgbackrest().orElseThrow();
        var member = pb.members().entrySet().iterator().next();
        Endpoint ep = new Endpoint(member.getKey(), pb.ssh().user(), member.getValue().host(), member.getValue().port());
        try (SshjRemoteRunner ssh = new SshjRemoteRunner(pb.ssh())) {
            for (String arg : corpus()) {
                // printf prints each argument between brackets: one pair per word the remote side received
                RemoteRunner.Result r = ssh.run(ep, List.of("printf", "[%s]", arg), Duration.ofSeconds(20), line -> {
                });
                assertThat(r.exitCode()).as(arg).isZero();
                assertThat(r.stdout().replaceFirst("\\r?\\n$", "")).as("what the remote program got for %s", arg).isEqualTo("[" + arg + "]");
            }
            // and the real pgBackRest with a hostile stanza name: it sees one literal (unknown) stanza, nothing interpreted
            RemoteRunner.Result r = ssh.run(ep, List.of(pb.binary(), "--stanza=x; touch /tmp/" + TAG + "-stanza", "info"),
                    Duration.ofSeconds(30), line -> {
                    });
            assertThat(r.stdout()).contains("stanza: x; touch /tmp/" + TAG + "-stanza", "missing stanza path");
        }
        assertThat(markers()).isEmpty();
    }
}
