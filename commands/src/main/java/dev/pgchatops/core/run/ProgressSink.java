package dev.pgchatops.core.run;

import dev.pgchatops.core.Progress;
import dev.pgchatops.core.chat.Conversation;
import dev.pgchatops.core.chat.MessageRef;
import dev.pgchatops.core.chat.ProgressBudget;
import dev.pgchatops.core.chat.ProgressUpdate;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Progress of one running action, shown in one message. {@link #line} never blocks on the chat: it stores the line
 * and returns; deliveries run on their own executor, at most one at a time per message and at most one every
 * {@link ProgressBudget#minInterval()} (lines arriving meanwhile are coalesced into the next edit). Each edit shows
 * the heading and the newest lines that fit the budget. A delivery that fails or hangs is logged and never reaches
 * the producer, so a slow or rate-limited chat cannot delay the work or change its outcome.
 */
public final class ProgressSink implements Progress {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressSink.class);
    /** Lines kept for the snapshot; older ones are only counted. */
    private static final int KEEP = 500;

    private final Conversation conversation;
    private final String heading;
    private final ProgressBudget budget;
    private final Ticker ticker;
    private final Timer timer;
    private final Executor deliveries;

    private MessageRef message;
    private final Deque<String> lines = new ArrayDeque<>();
    private int dropped;
    private String last;
    private final List<String> undelivered = new ArrayList<>();
    private boolean scheduled;
    private boolean inFlight;
    private boolean closed;
    private boolean delivered;
    private long lastDelivery;
    private CompletableFuture<Void> flight = CompletableFuture.completedFuture(null);

    /** {@code message} is the message to edit (a confirmation prompt), or null to post one with the first line. */
    public ProgressSink(Conversation conversation, MessageRef message, String heading, Ticker ticker, Timer timer,
                        Executor deliveries) {
        this.conversation = conversation;
        this.message = message;
        this.heading = heading;
        this.budget = conversation.budget();
        this.ticker = ticker;
        this.timer = timer;
        this.deliveries = deliveries;
    }

    @Override
    public void line(String text) {
        if (text == null) return;
        String l = cut(text, budget.maxChars() / 2);
        synchronized (this) {
            if (closed || l.equals(last)) return; // the same state again: no news
            last = l;
            lines.addLast(l);
            if (lines.size() > KEEP) {
                lines.removeFirst();
                dropped++;
            }
            undelivered.add(l);
            if (undelivered.size() > KEEP) undelivered.remove(0);
            scheduleLocked();
        }
    }

    private void scheduleLocked() {
        if (scheduled || inFlight || closed || undelivered.isEmpty()) return;
        scheduled = true;
        long wait = delivered ? lastDelivery + budget.minInterval().toNanos() - ticker.read() : 0;
        try {
            if (wait <= 0) deliveries.execute(this::flush);
            else timer.schedule(() -> deliveries.execute(this::flush), wait);
        } catch (RejectedExecutionException e) {
            scheduled = false; // shutting down: the final result is still posted by whoever ends the action
        }
    }

    private void flush() {
        ProgressUpdate update;
        MessageRef target;
        CompletableFuture<Void> done;
        synchronized (this) {
            scheduled = false;
            if (closed || undelivered.isEmpty()) return;
            update = snapshotLocked();
            inFlight = true;
            done = new CompletableFuture<>();
            flight = done;
            target = message;
        }
        MessageRef shown = deliver(target, update);
        synchronized (this) {
            if (shown != null) message = shown;
            inFlight = false;
            delivered = true;
            lastDelivery = ticker.read();
            scheduleLocked();
        }
        done.complete(null);
    }

    private MessageRef deliver(MessageRef target, ProgressUpdate update) {
        try {
            return conversation.progress(target, update);
        } catch (RuntimeException e) {
            LOG.warn("could not show progress of '{}' ({}); the action goes on", heading, e.toString());
            return target;
        }
    }

    private ProgressUpdate snapshotLocked() {
        List<String> fresh = List.copyOf(undelivered);
        undelivered.clear();
        int room = budget.maxChars() - heading.length() - 60;
        List<String> shown = new ArrayList<>();
        int used = 0;
        var it = lines.descendingIterator();
        while (it.hasNext()) {
            String l = it.next();
            if (used + l.length() + 1 > room && !shown.isEmpty()) break;
            shown.add(0, l);
            used += l.length() + 1;
        }
        int hidden = dropped + lines.size() - shown.size();
        String text = (hidden > 0 ? "… " + hidden + " earlier line" + (hidden == 1 ? "" : "s") + " not shown\n" : "")
                + String.join("\n", shown);
        return new ProgressUpdate(Reply.builder(Severity.INFO, heading).text(text).build(), fresh);
    }

    /**
     * Ends the progress: no edit starts after this. Waits at most {@code wait} for an edit in flight (so the result
     * is not overwritten by a late progress edit); where the platform shows every line, the lines not shown yet are
     * delivered now. Returns the message that shows the progress, or null when nothing was posted.
     */
    public MessageRef finish(Duration wait) {
        CompletableFuture<Void> f;
        synchronized (this) {
            closed = true;
            f = flight;
        }
        boolean hanging = false;
        try {
            f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            hanging = true;
            LOG.warn("a progress edit of '{}' is still hanging after {} ms; posting the result anyway", heading, wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // deliveries never complete exceptionally
        }
        ProgressUpdate rest = null;
        MessageRef target;
        synchronized (this) {
            if (budget.everyLine() && !hanging && !undelivered.isEmpty()) rest = snapshotLocked();
            target = message;
        }
        if (rest != null) {
            MessageRef shown = deliver(target, rest);
            synchronized (this) {
                if (shown != null) message = shown;
                target = message;
            }
        }
        return target;
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
