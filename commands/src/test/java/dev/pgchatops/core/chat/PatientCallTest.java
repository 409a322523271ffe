package dev.pgchatops.core.chat;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PatientCallTest {
    final List<Duration> asked = new ArrayList<>();
    final List<Runnable> due = new ArrayList<>();
    final long[] now = {0};

    /** Runs the scheduled retries one after the other, advancing the ticker by what each asked for. */
    <T> T drive(CompletableFuture<T> f) throws Exception {
        while (!f.isDone() && !due.isEmpty()) due.remove(0).run();
        return f.get();
    }

    <T> CompletableFuture<T> start(boolean idempotent, Patience p, List<Object> answers, AtomicInteger tries,
                                  Function<Throwable, ChatFailure> classify) {
        return PatientCall.start("test call in channel C1", idempotent, p, (task, nanos) -> {
            asked.add(Duration.ofNanos(nanos));
            now[0] += nanos;
            due.add(task);
        }, () -> now[0], () -> {
            Object a = answers.get(Math.min(tries.getAndIncrement(), answers.size() - 1));
            @SuppressWarnings("unchecked")
            CompletableFuture<T> r = a instanceof Throwable t ? CompletableFuture.failedFuture(t) : CompletableFuture.completedFuture((T) a);
            return r;
        }, classify, () -> false);
    }

    static final RuntimeException E503 = new RuntimeException("503");
    static final RuntimeException E500 = new RuntimeException("500");
    static final RuntimeException E429 = new RuntimeException("429");
    static final Function<Throwable, ChatFailure> CLASSIFY = t -> switch (t.getMessage()) {
        case "503" -> ChatFailure.notApplied("HTTP 503");
        case "500" -> ChatFailure.unknown("HTTP 500");
        case "429" -> ChatFailure.rateLimited("HTTP 429", Duration.ofSeconds(7));
        default -> ChatFailure.refused("HTTP " + t.getMessage());
    };

    @Test
    void anOutageShorterThanThePatienceIsWaitedOutWithBackoffAndRetryAfter() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        CompletableFuture<String> f = start(false, Patience.DEFAULT, List.of(E503, E503, E429, E503, "ok"), tries, CLASSIFY);
        assertThat(drive(f)).isEqualTo("ok");
        assertThat(tries).hasValue(5);
        assertThat(asked).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(7), Duration.ofSeconds(4));
    }

    @Test
    void aFailureThatMayHaveBeenAppliedIsRepeatedOnlyForAnIdempotentCall() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        CompletableFuture<String> post = start(false, Patience.DEFAULT, List.of(E500, "ok"), tries, CLASSIFY);
        assertThatThrownBy(() -> drive(post)).isInstanceOf(ExecutionException.class).cause().isInstanceOf(SendFailed.class)
                .hasMessageContaining("test call in channel C1").hasMessageContaining("HTTP 500")
                .hasMessageContaining("may have been applied");
        assertThat(tries).hasValue(1);
        AtomicInteger editTries = new AtomicInteger();
        String edited = drive(this.<String>start(true, Patience.DEFAULT, List.of(E500, "ok"), editTries, CLASSIFY));
        assertThat(edited).isEqualTo("ok");
        assertThat(editTries).hasValue(2);
    }

    @Test
    void beyondThePatienceItGivesUpWithATransientSendFailedAndARefusalIsPermanentAtOnce() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        Patience p = new Patience(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(4));
        CompletableFuture<String> f = start(true, p, List.of(E503), tries, CLASSIFY);
        assertThatThrownBy(() -> drive(f)).cause().isInstanceOfSatisfying(SendFailed.class, e -> assertThat(e.permanent()).isFalse())
                .hasMessageContaining("outage allowance of 10000 ms used up");
        assertThat(asked).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        AtomicInteger refusedTries = new AtomicInteger();
        CompletableFuture<String> r = start(true, Patience.DEFAULT, List.of(new RuntimeException("404")), refusedTries, CLASSIFY);
        assertThatThrownBy(() -> drive(r)).cause().isInstanceOfSatisfying(SendFailed.class, e -> assertThat(e.permanent()).isTrue());
        assertThat(refusedTries).hasValue(1);
    }

    @Test
    void anOvertakenEditStopsRetrying() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        boolean[] newer = {false};
        CompletableFuture<String> f = PatientCall.start("edit", true, Patience.DEFAULT, (task, nanos) -> {
            newer[0] = true;
            due.add(task);
        }, () -> 0L, () -> {
            tries.incrementAndGet();
            return CompletableFuture.failedFuture(E503);
        }, CLASSIFY, () -> newer[0]);
        String r = drive(f);
        assertThat(r).isNull();
        assertThat(tries).hasValue(1);
    }
}
