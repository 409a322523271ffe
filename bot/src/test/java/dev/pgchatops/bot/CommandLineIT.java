package dev.pgchatops.bot;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The jar's command-line contract; needs no cluster. */
class CommandLineIT {
    @Test
    void badConfigIsRefusedWithOneMessagePerProblemAndExitCode2() throws Exception {
        Path cfg = JarRunner.write("""
                clusters:
                  - name: demo
                    patroni:
                      urls: [http://127.0.0.1:8008, "htp:/x"]
                      username: admin
                      password-env: PGCHATOPS_TEST_UNSET_VARIABLE
                access:
                  default-role: superuser
                audit:
                  path: /tmp/pgchatops-cli-test-audit.jsonl
                """);
        JarRunner.Result r = JarRunner.run("", Map.of(), "console", "--config", cfg.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderr())
                .contains("3 problem(s)")
                .contains("clusters[0].patroni.urls[1]: not a URL: \"htp:/x\"")
                .contains("clusters[0].patroni.password-env: environment variable PGCHATOPS_TEST_UNSET_VARIABLE is not set")
                .contains("access.default-role: unknown role \"superuser\"")
                .doesNotContain("Exception");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void missingConfigOptionAndUnknownModeAreUsageErrors() throws Exception {
        JarRunner.Result r = JarRunner.run("", Map.of(), "console");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderr()).contains("--config FILE is required").contains("usage: pgchatops console");

        JarRunner.Result m = JarRunner.run("", Map.of(), "consol", "--config", "x.yml");
        assertThat(m.exit()).isEqualTo(2);
        assertThat(m.stderr()).contains("unknown mode 'consol'");
    }

    @Test
    void unreadableConfigFileNamesTheFile() throws Exception {
        JarRunner.Result r = JarRunner.run("", Map.of(), "console", "--config", "/nonexistent/pgchatops.yml");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderr()).contains("/nonexistent/pgchatops.yml: cannot read config file");
    }
}
