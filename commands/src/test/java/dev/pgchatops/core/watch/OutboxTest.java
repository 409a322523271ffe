package dev.pgchatops.core.watch;

import dev.pgchatops.core.TestClock;
import dev.pgchatops.core.chat.SendFailed;
import dev.pgchatops.core.reply.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Never lost: retries honour Retry-After and back off on 5xx; a restart resumes the outbox with the message handles. */
class OutboxTest {
    final TestClock clock = new TestClock();
    final Notifier notifier = new Notifier(List.of(new Destination("console", "alerts")));

    @TempDir
    Path dir;

    @Test
    void rateLimitedThenServerErrorThenAccepted_deliveredExactlyOnce() throws Exception {
        StateStore store = StateStore.open(dir);
        RecordingSender sender = new RecordingSender()
                .failNext(() -> SendFailed.rateLimited("429 Too Many Requests", Duration.ofSeconds(7)))
                .failNext(() -> SendFailed.transientFailure("HTTP 503", null));
        Outbox outbox = new Outbox(store, Map.of("console", sender), clock);
        store.change(st -> notifier.event(st, AlertMessage.line(Severity.ERROR, "failover on demo: node1 → node2"), clock.instant()));

        assertThat(outbox.deliverDue()).isZero();                       // 429
        assertThat(outbox.nextDue()).contains(clock.instant().plusSeconds(7));
        clock.advance(Duration.ofSeconds(6));
        assertThat(outbox.deliverDue()).as("Retry-After not over yet").isZero();
        assertThat(sender.calls.get()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(outbox.deliverDue()).isZero();                       // 503: back off
        assertThat(sender.calls.get()).isEqualTo(2);
        assertThat(outbox.nextDue()).contains(clock.instant().plus(Outbox.backoff(1)));
        clock.advance(Outbox.backoff(1));
        assertThat(outbox.deliverDue()).isEqualTo(1);
        assertThat(outbox.deliverDue()).isZero();
        assertThat(sender.lines).containsExactly("post alerts m1: failover on demo: node1 → node2");
        assertThat(outbox.pending()).isZero();
    }

    @Test
    void permanentRefusalIsDroppedAndDoesNotBlockTheRest() throws Exception {
        StateStore store = StateStore.open(dir);
        RecordingSender sender = new RecordingSender().failNext(() -> SendFailed.permanent("channel_not_found"));
        Outbox outbox = new Outbox(store, Map.of("console", sender), clock);
        store.change(st -> {
            notifier.event(st, AlertMessage.line(Severity.ERROR, "first"), clock.instant());
            return notifier.event(st, AlertMessage.line(Severity.ERROR, "second"), clock.instant());
        });
        outbox.deliverDue();
        assertThat(sender.lines).containsExactly("post alerts m1: second");
    }

    @Test
    void pendingMessagesSurviveARestart_noDuplicate_andEditsStillGoToTheFirstMessage() throws Exception {
        // first process: an alert fires and is delivered; its resolve is queued but the platform is down; then it dies
        StateStore s1 = StateStore.open(dir);
        Tracker tracker = new Tracker(1);
        RecordingSender before = new RecordingSender();
        Outbox o1 = new Outbox(s1, Map.of("console", before), clock);
        Condition down = new Condition("member-down:node3", Severity.ERROR, "member-down on demo: node3 is not in /cluster",
                List.of("members now: node1, node2"));
        s1.change(st -> {
            notifier.apply(st, tracker.observe(st, "demo", "patroni", List.of(down), clock.instant()), clock.instant());
            return null;
        });
        o1.deliverDue();
        assertThat(before.lines).containsExactly("post alerts m1: member-down on demo: node3 is not in /cluster");
        clock.advance(Duration.ofMinutes(3));
        before.failNext(() -> SendFailed.transientFailure("HTTP 502", null));
        s1.change(st -> {
            notifier.apply(st, tracker.observe(st, "demo", "patroni", List.of(), clock.instant()), clock.instant());
            notifier.event(st, AlertMessage.line(Severity.INFO, "switchover on demo: node1 → node2"), clock.instant());
            return null;
        });
        o1.deliverDue();
        assertThat(before.lines).hasSize(1);
        // (kill -9: nothing is closed or flushed beyond what every change already wrote)

        StateStore s2 = StateStore.open(dir);
        RecordingSender after = new RecordingSender();
        Outbox o2 = new Outbox(s2, Map.of("console", after), clock);
        clock.advance(Duration.ofMinutes(1));
        o2.deliverDue();
        assertThat(after.lines).containsExactly(
                "update m1: RESOLVED after 3 min: member-down on demo: node3 is not in /cluster",
                "thread m1: resolved after 3 min",
                "post alerts m2: switchover on demo: node1 → node2");   // m1 in the edits is the handle from before the restart
        int active = s2.read(st -> st.active.size());
        assertThat(active).isZero();
        // the resolved alert does not fire again after the restart
        s2.change(st -> {
            assertThat(new Tracker(1).observe(st, "demo", "patroni", List.of(), clock.instant())).isEmpty();
            return null;
        });
        assertThat(o2.pending()).isZero();
    }
}
