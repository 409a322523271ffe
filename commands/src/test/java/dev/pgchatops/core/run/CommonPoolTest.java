package dev.pgchatops.core.run;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** In a fresh JVM that sees 2 cores: async tasks get a thread each, unless {@link CommonPool#atLeastTwo()} ran first. */
class CommonPoolTest {
    /** The child JVM: {@code fix} calls {@link CommonPool#atLeastTwo()} first; prints whether tasks share a pool. */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("fix")) CommonPool.atLeastTwo();
        System.out.println("pooled=" + CommonPool.pooled());
    }

    private static String child(String arg) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ActiveProcessorCount=2", "-cp", System.getProperty("java.class.path"), CommonPoolTest.class.getName(), arg)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void onTwoCoresAsyncTasksGetAThreadEach_unlessTheCommonPoolIsWidenedFirst() throws Exception {
        assertThat(child("plain")).isEqualTo("pooled=false");
        assertThat(child("fix")).isEqualTo("pooled=true");
    }

    @Test
    void anOperatorsSettingIsKept() {
        String before = System.getProperty(CommonPool.PROPERTY);
        System.setProperty(CommonPool.PROPERTY, "1");
        try {
            CommonPool.atLeastTwo();
            assertThat(System.getProperty(CommonPool.PROPERTY)).isEqualTo("1");
        } finally {
            if (before == null) System.clearProperty(CommonPool.PROPERTY);
            else System.setProperty(CommonPool.PROPERTY, before);
        }
    }
}
