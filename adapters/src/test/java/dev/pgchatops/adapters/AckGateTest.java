package dev.pgchatops.adapters;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AckGateTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void workWaitsUntilTheLastAckInFlightIsOut() {
        AckGate g = new AckGate(Runnable::run, timer, Duration.ofMinutes(5), 10);
        g.acking();
        g.acking();
        g.handOff(() -> ran.add("a"), e -> ran.add("refused a"));
        g.handOff(() -> ran.add("b"), e -> ran.add("refused b"));
        assertThat(ran).isEmpty();
        g.acked();
        assertThat(ran).as("one ack still in flight").isEmpty();
        g.acked();
        assertThat(ran).containsExactly("a", "b");
        g.handOff(() -> ran.add("c"), e -> ran.add("refused c"));
        assertThat(ran).as("no ack in flight: at once").containsExactly("a", "b", "c");
    }

    @Test
    void anAckThatNeverCompletesHoldsWorkAtMostMaxHold() throws Exception {
        AckGate g = new AckGate(Runnable::run, timer, Duration.ofMillis(50), 10);
        CountDownLatch started = new CountDownLatch(1);
        g.acking();
        g.handOff(started::countDown, e -> { });
        assertThat(started.await(10, TimeUnit.SECONDS)).as("released by the bound").isTrue();
        assertThat(g.waiting()).isZero();
    }

    @Test
    void tooManyWaitingIsRefusedAtOnceAndATargetRefusalLaterIsReported() {
        AckGate full = new AckGate(Runnable::run, timer, Duration.ofMinutes(5), 2);
        full.acking();
        full.handOff(() -> ran.add("1"), e -> { });
        full.handOff(() -> ran.add("2"), e -> { });
        assertThatThrownBy(() -> full.handOff(() -> ran.add("3"), e -> { })).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("at most 2");

        AtomicReference<RejectedExecutionException> told = new AtomicReference<>();
        AckGate refusing = new AckGate(r -> {
            throw new RejectedExecutionException("queue full");
        }, timer, Duration.ofMinutes(5), 2);
        refusing.acking();
        refusing.handOff(() -> ran.add("x"), told::set);
        refusing.acked();
        assertThat(told.get()).hasMessage("queue full");
        assertThat(ran).doesNotContain("x");
    }
}
