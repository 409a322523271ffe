package dev.pgchatops.core;

import dev.pgchatops.core.cmd.Follow;
import dev.pgchatops.core.reply.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults of one cluster's Patroni, from local fault servers: an endpoint that accepts TCP and never answers, one that
 * sends headers and then stalls, one that answers garbage JSON, one that answers 503 (as Patroni does with its DCS
 * gone). Several requests to the faulty cluster are in flight at once; meanwhile a read of a healthy cluster through
 * the same bot answers at once, every faulty request answers with a clear message within its timeout, nothing hangs.
 * (The client-level bounds are in PatroniClientTest; this is the whole bot under those faults.)
 */
class FaultServingTest {
    private static final Duration REQUEST = Duration.ofSeconds(1);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) c.close();
    }

    private <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    private record Answer(RecordingResponder out, CompletableFuture<Handled> done, long startNanos) {
    }

    private void faultyClusterDoesNotHoldUpTheOthers(URI faulty, boolean slow, String... expected) throws Exception {
        FakeHttpServer good = closing(FakeHttpServer.start()).json("GET", "/cluster", PatroniJson.cluster("node1", 3));
        ClusterRuntime bad = new ClusterRuntime(new dev.pgchatops.config.ClusterConfig("bad",
                Fixtures.patroniConfig(List.of(faulty), Duration.ofMillis(500), REQUEST), java.util.Optional.empty()),
                new dev.pgchatops.core.patroni.PatroniClient("bad", Fixtures.patroniConfig(List.of(faulty), Duration.ofMillis(500), REQUEST)),
                java.util.Optional.empty());
        Bot bot = closing(Fixtures.bot(List.of(bad, Fixtures.cluster("good", good.uri())), Bots.registry(Follow.Limits.DEFAULT),
                new TestClock(), Duration.ofSeconds(60), new ArrayList<>()));

        List<Answer> faultyAnswers = new ArrayList<>();
        for (String line : List.of("/cluster-list --cluster bad", "/history --cluster bad", "/show-config --cluster bad",
                "/switchover --cluster bad", "/cluster-list --cluster bad")) {
            RecordingResponder out = new RecordingResponder();
            faultyAnswers.add(new Answer(out, bot.submit(Fixtures.req(Fixtures.ALICE, line), out), System.nanoTime()));
        }
        // while those wait on the faulty endpoint, the healthy cluster answers
        int servedMeanwhile = 0;
        while (faultyAnswers.stream().anyMatch(a -> !a.done().isDone())) {
            RecordingResponder ok = new RecordingResponder();
            long t0 = System.nanoTime();
            bot.submit(Fixtures.req(Fixtures.VIEWER, "/cluster-list --cluster good"), ok).get(5, TimeUnit.SECONDS);
            assertThat(ok.last().severity()).as(ok.last().plainText()).isIn(Severity.SUCCESS, Severity.INFO);
            assertThat(ok.last().plainText()).contains("node1");
            if (faultyAnswers.stream().anyMatch(a -> !a.done().isDone())) servedMeanwhile++;
            if (servedMeanwhile == 1) {
                System.out.printf("[fault] %s: a healthy read answered in %d ms while %d faulty requests waited%n", faulty,
                        (System.nanoTime() - t0) / 1_000_000, faultyAnswers.stream().filter(a -> !a.done().isDone()).count());
            }
            if (servedMeanwhile >= 3) break;
        }
        if (slow) {
            assertThat(servedMeanwhile).as("healthy reads answered while the faulty cluster's requests were pending").isPositive();
        }
        for (Answer a : faultyAnswers) {
            a.done().get(REQUEST.multipliedBy(4).toMillis() + 5_000, TimeUnit.MILLISECONDS);
            long ms = (System.nanoTime() - a.startNanos()) / 1_000_000;
            String text = a.out().last().plainText();
            System.out.printf("[fault] %s answered in %d ms: %s%n", faulty, ms, text.replace('\n', ' '));
            assertThat(a.out().last().severity()).as(text).isNotEqualTo(Severity.SUCCESS);
            assertThat(text).doesNotContain("Internal error").doesNotContain("Exception").contains(expected);
            assertThat(ms).as("answered within its bound: %s", text).isLessThan(REQUEST.multipliedBy(4).toMillis() + 2_000);
        }
    }

    @Test
    void endpointThatAcceptsAndNeverAnswers() throws Exception {
        SilentServer silent = closing(new SilentServer());
        faultyClusterDoesNotHoldUpTheOthers(silent.uri(), true, silent.uri().getAuthority());
    }

    @Test
    void endpointThatSendsHeadersThenStalls() throws Exception {
        SilentServer stalling = closing(SilentServer.stallingBody());
        faultyClusterDoesNotHoldUpTheOthers(stalling.uri(), true, stalling.uri().getAuthority());
    }

    @Test
    void endpointThatAnswersGarbageJson() throws Exception {
        FakeHttpServer garbage = closing(FakeHttpServer.start());
        for (String path : List.of("/cluster", "/history", "/config")) {
            garbage.on("GET", path, r -> FakeHttpServer.Response.json("{\"members\": [{\"name\": 17, \"role\": [tr"));
        }
        faultyClusterDoesNotHoldUpTheOthers(garbage.uri(), false, garbage.uri().getAuthority());
    }

    @Test
    void endpointThatAnswers503LikePatroniWithoutItsDcs() throws Exception {
        FakeHttpServer dcsDown = closing(FakeHttpServer.start());
        for (String path : List.of("/cluster", "/history", "/config", "/patroni")) {
            dcsDown.on("GET", path, r -> FakeHttpServer.Response.text(503, "Service Unavailable"));
        }
        faultyClusterDoesNotHoldUpTheOthers(dcsDown.uri(), false, "503");
    }
}
