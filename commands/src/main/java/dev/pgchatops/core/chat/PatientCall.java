package dev.pgchatops.core.chat;

import dev.pgchatops.core.run.Ticker;
import dev.pgchatops.core.run.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One call to a chat platform, repeated through an outage without holding a thread: each attempt is asynchronous (the
 * SDK's own future), and a failure the {@link Patience} allows to repeat schedules the next attempt on a
 * {@link Timer}. A failure that may have been applied is repeated only for an idempotent call, so nothing is sent
 * twice. The allowance counts the waits scheduled and the time the attempts took (an SDK waiting out 429s itself
 * within an attempt uses it up too). When it gives up (not repeatable, or the allowance is used up) the future fails with a {@link SendFailed}
 * naming the call, the platform's answer, the tries and the time waited, and that is logged once. An edit that a
 * newer edit of the same message has {@code overtaken} stops retrying and completes with null.
 */
public final class PatientCall<T> {
    private static final Logger LOG = LoggerFactory.getLogger(PatientCall.class);

    private final String what;
    private final boolean idempotent;
    private final Patience patience;
    private final Timer timer;
    private final Ticker ticker;
    private final Supplier<CompletableFuture<T>> attempt;
    private final Function<Throwable, ChatFailure> classify;
    private final BooleanSupplier overtaken;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private int tries;
    private Duration waited = Duration.ZERO;
    private long attemptStarted;

    private PatientCall(String what, boolean idempotent, Patience patience, Timer timer, Ticker ticker,
                        Supplier<CompletableFuture<T>> attempt, Function<Throwable, ChatFailure> classify, BooleanSupplier overtaken) {
        this.what = what;
        this.idempotent = idempotent;
        this.patience = patience;
        this.timer = timer;
        this.ticker = ticker;
        this.attempt = attempt;
        this.classify = classify;
        this.overtaken = overtaken;
    }

    /**
     * Starts {@code attempt} now and repeats it as {@code patience} allows. {@code what} names the call and its
     * message or channel for the logs ("PATCH webhook message @original of interaction 123 in channel 456").
     */
    public static <T> CompletableFuture<T> start(String what, boolean idempotent, Patience patience, Timer timer, Ticker ticker,
                                                 Supplier<CompletableFuture<T>> attempt,
                                                 Function<Throwable, ChatFailure> classify, BooleanSupplier overtaken) {
        PatientCall<T> c = new PatientCall<>(what, idempotent, patience, timer, ticker, attempt, classify, overtaken);
        c.run();
        return c.result;
    }

    public static <T> CompletableFuture<T> start(String what, boolean idempotent, Patience patience, Timer timer,
                                                 Supplier<CompletableFuture<T>> attempt,
                                                 Function<Throwable, ChatFailure> classify) {
        return start(what, idempotent, patience, timer, Ticker.SYSTEM, attempt, classify, () -> false);
    }

    private void run() {
        if (result.isDone()) return;   // the caller stopped waiting
        if (tries > 0 && overtaken.getAsBoolean()) {
            LOG.info("{}: a newer edit of the same message was issued; not retrying this one", what);
            result.complete(null);
            return;
        }
        tries++;
        attemptStarted = ticker.read();
        CompletableFuture<T> f;
        try {
            f = attempt.get();
        } catch (RuntimeException e) {
            result.completeExceptionally(e);   // the call could not even be made (a token ran out, an unknown channel)
            return;
        }
        f.whenComplete((value, error) -> {
            if (error == null) {
                if (tries > 1) LOG.info("{}: delivered after {} tries and {} ms of waiting", what, tries, waited.toMillis());
                result.complete(value);
            } else {
                failed(unwrap(error));
            }
        });
    }

    private void failed(Throwable error) {
        waited = waited.plusNanos(Math.max(0, ticker.read() - attemptStarted));
        ChatFailure f;
        try {
            f = classify.apply(error);
        } catch (RuntimeException e) {
            f = ChatFailure.unknown(error.toString());
        }
        var wait = patience.next(f, idempotent, tries - 1, waited);
        if (wait.isEmpty()) {
            String how = !f.repeatable(idempotent)
                    ? (f.kind() == ChatFailure.Kind.UNKNOWN ? "may have been applied, so it is not sent again" : "not repeatable")
                    : "outage allowance of " + patience.allowance().toMillis() + " ms used up";
            String msg = f.why() + " (gave up after " + tries + (tries == 1 ? " try" : " tries") + " and " + waited.toMillis()
                    + " ms of waiting: " + how + ")";
            if (f.kind() == ChatFailure.Kind.REFUSED) LOG.warn("{} refused: {}", what, msg);
            else LOG.warn("{} not delivered: {}", what, msg);
            result.completeExceptionally(new ChatFailure(f.kind(), msg, f.retryAfter()).toSendFailed(what, error));
            return;
        }
        waited = waited.plus(wait.get());
        LOG.info("{}: {}; retrying in {} ms (try {}, {} of {} ms allowance used)", what, f.why(), wait.get().toMillis(),
                tries + 1, waited.toMillis(), patience.allowance().toMillis());
        try {
            timer.schedule(this::run, wait.get().toNanos());
        } catch (RuntimeException e) {   // the timer was shut down: the adapter is closing
            result.completeExceptionally(ChatFailure.notApplied(f.why() + " (not retried: " + e + ")").toSendFailed(what, error));
        }
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) t = t.getCause();
        return t;
    }
}
