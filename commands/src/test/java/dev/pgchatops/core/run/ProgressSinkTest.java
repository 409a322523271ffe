package dev.pgchatops.core.run;

import dev.pgchatops.core.ManualTimer;
import dev.pgchatops.core.chat.Conversation;
import dev.pgchatops.core.chat.MessageRef;
import dev.pgchatops.core.chat.ProgressBudget;
import dev.pgchatops.core.chat.ProgressUpdate;
import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Reply;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressSinkTest {
    private final ManualTimer timer = new ManualTimer();

    /** A chat conversation that records each progress edit. */
    static class Edits implements Conversation {
        final List<ProgressUpdate> updates = new CopyOnWriteArrayList<>();
        final ProgressBudget budget;

        Edits(ProgressBudget budget) {
            this.budget = budget;
        }

        @Override
        public MessageRef post(Reply reply) {
            return new MessageRef("c", "posted");
        }

        @Override
        public void update(MessageRef message, Reply reply) {
        }

        @Override
        public MessageRef progress(MessageRef message, ProgressUpdate update) {
            updates.add(update);
            return message == null ? new MessageRef("c", "posted") : message;
        }

        @Override
        public ProgressBudget budget() {
            return budget;
        }
    }

    private static String text(ProgressUpdate u) {
        return ((Block.Text) u.snapshot().blocks().get(0)).text();
    }

    @Test
    void coalescesToOneEditPerIntervalAndLosesNoLine() {
        Edits chat = new Edits(new ProgressBudget(2000, Duration.ofSeconds(1), false));
        ProgressSink sink = new ProgressSink(chat, null, "/backup on demo", timer, timer, Runnable::run);

        sink.line("backup started");           // first line: shown at once
        assertThat(chat.updates).hasSize(1);
        for (int i = 1; i <= 50; i++) sink.line("file " + i);
        assertThat(chat.updates).as("within the interval nothing more is edited").hasSize(1);
        assertThat(timer.pending()).isEqualTo(1);

        timer.advance(Duration.ofMillis(999));
        assertThat(chat.updates).hasSize(1);
        timer.advance(Duration.ofMillis(1));
        assertThat(chat.updates).as("one edit for all 50 lines").hasSize(2);
        assertThat(chat.updates.get(1).newLines()).hasSize(50).startsWith("file 1").endsWith("file 50");
        assertThat(chat.updates.get(1).snapshot().title()).isEqualTo("/backup on demo");

        sink.line("file 50");
        timer.advance(Duration.ofSeconds(5));
        assertThat(chat.updates).as("the same line again is no news").hasSize(2);
    }

    @Test
    void keepsTheHeadingAndTheNewestLinesWithinTheBudget() {
        Edits chat = new Edits(new ProgressBudget(300, Duration.ofSeconds(1), false));
        ProgressSink sink = new ProgressSink(chat, null, "/backup on demo", timer, timer, Runnable::run);
        sink.line("start");
        for (int i = 1; i <= 100; i++) sink.line("copied file number " + i);
        timer.advance(Duration.ofSeconds(1));
        ProgressUpdate last = chat.updates.get(chat.updates.size() - 1);
        String shown = text(last);
        assertThat(last.snapshot().plainText().length()).isLessThanOrEqualTo(300);
        assertThat(shown).startsWith("… ").contains("earlier lines not shown").endsWith("copied file number 100");
        assertThat(shown).doesNotContain("copied file number 1\n");
        assertThat(last.snapshot().title()).isEqualTo("/backup on demo");
    }

    @Test
    void aHangingChatNeverBlocksTheProducer() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        Conversation hanging = new Edits(ProgressBudget.CHAT) {
            @Override
            public MessageRef progress(MessageRef message, ProgressUpdate update) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return message;
            }
        };
        var pool = Executors.newSingleThreadExecutor();
        try {
            ProgressSink sink = new ProgressSink(hanging, null, "/backup", Ticker.SYSTEM, timer, pool);
            sink.line("first");
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 10_000; i++) sink.line("line " + i); // returns although the edit hangs
            assertThat(sink.finish(Duration.ofMillis(10))).as("nothing was posted yet").isNull();
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aThrowingChatIsLoggedAndTheSinkGoesOn() {
        List<String> seen = new CopyOnWriteArrayList<>();
        Conversation failing = new Edits(new ProgressBudget(2000, Duration.ZERO, true)) {
            @Override
            public MessageRef progress(MessageRef message, ProgressUpdate update) {
                seen.addAll(update.newLines());
                throw new IllegalStateException("429 Too Many Requests");
            }
        };
        ProgressSink sink = new ProgressSink(failing, null, "/backup", timer, timer, Runnable::run);
        sink.line("a");
        sink.line("b");
        assertThat(seen).containsExactly("a", "b");
        assertThat(sink.finish(Duration.ofSeconds(1))).isNull();
    }

    @Test
    void finishDeliversTheRestWhereEveryLineIsShownAndStopsFurtherEdits() {
        Edits console = new Edits(new ProgressBudget(2000, Duration.ofSeconds(1), true));
        ProgressSink sink = new ProgressSink(console, null, "/x", timer, timer, Runnable::run);
        sink.line("one");
        sink.line("two");
        sink.line("three");
        assertThat(console.updates).hasSize(1);
        MessageRef ref = sink.finish(Duration.ofSeconds(1));
        assertThat(ref).isEqualTo(new MessageRef("c", "posted"));
        assertThat(console.updates).hasSize(2);
        assertThat(console.updates.get(1).newLines()).containsExactly("two", "three");
        sink.line("late");
        timer.advance(Duration.ofSeconds(5));
        assertThat(console.updates).as("no edit after the end").hasSize(2);
    }
}
