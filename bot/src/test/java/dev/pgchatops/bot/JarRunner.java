package dev.pgchatops.bot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the shaded jar as a user would: {@code java -jar bot/target/pgchatops.jar ...} with piped stdin. */
final class JarRunner {
    record Result(int exit, String stdout, String stderr) {
    }

    static Path jar() {
        Path jar = Path.of("target", "pgchatops.jar").toAbsolutePath();
        assertThat(jar).as("the shaded jar is built in the package phase").exists();
        return jar;
    }

    static Result run(String stdin, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the jar did not finish within 5 minutes; output so far: " + out.getNow(""));
        }
        return new Result(p.exitValue(), out.join(), err.join());
    }

    private static String read(java.io.InputStream s) {
        try {
            return new String(s.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }

    static Path write(String yaml) throws IOException {
        Path f = Files.createTempFile("pgchatops", ".yml");
        Files.writeString(f, yaml);
        f.toFile().deleteOnExit();
        return f;
    }

    private JarRunner() {
    }
}
