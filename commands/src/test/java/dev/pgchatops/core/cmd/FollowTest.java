package dev.pgchatops.core.cmd;

import dev.pgchatops.core.FakeHttpServer;
import dev.pgchatops.core.FakeHttpServer.Response;
import dev.pgchatops.core.Fixtures;
import dev.pgchatops.core.Progress;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.patroni.PatroniClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class FollowTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private FakeHttpServer a;
    private FakeHttpServer b;

    @AfterEach
    void stop() {
        release.countDown();
        if (a != null) a.close();
        if (b != null) b.close();
    }

    private Response hang() throws InterruptedException {
        release.await(60, TimeUnit.SECONDS);
        return Response.text(200, "too late");
    }

    @Test
    void oneOverallDeadlineEvenWhenEveryPollHangs() throws Exception {
        a = FakeHttpServer.start().on("GET", "/cluster", r -> hang());
        b = FakeHttpServer.start().on("GET", "/cluster", r -> hang());
        // One GET /cluster alone may take 0.5 s + 30 s per URL; the loop has 300 ms in all.
        PatroniClient p = Fixtures.patroni("main", Duration.ofSeconds(30), a.uri(), b.uri());
        long t0 = System.nanoTime();
        UserFacingException e = catchThrowableOfType(UserFacingException.class, () -> Follow.until(p, Progress.NONE,
                Duration.ofMillis(300), Duration.ofMillis(50), "the switchover", s -> Optional.of(true)));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("far below one call's own bound").isLessThan(Duration.ofSeconds(10));
        assertThat(e).hasMessageStartingWith("the switchover did not finish within 300 ms. Last state: cannot reach Patroni of cluster main: ");
    }
}
