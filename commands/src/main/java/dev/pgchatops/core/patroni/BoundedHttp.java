package dev.pgchatops.core.patroni;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HTTP exchanges bounded as a WHOLE (connect, send, headers and body). {@code HttpRequest.timeout} alone covers only
 * the wait for the response headers on Java 17 (JDK-8208693): a server that sends headers and then stalls would block
 * {@code send} forever. Here the exchange runs with {@code sendAsync}; when the bound passes, the future is cancelled,
 * which aborts the exchange and closes its connection.
 */
final class BoundedHttp {
    /** How an exchange failed; {@link #mayHaveArrived()} says whether the server may have got the request. */
    enum Kind {
        NOT_CONNECTED, NO_ANSWER, INCOMPLETE, BROKEN, INTERRUPTED;

        boolean mayHaveArrived() {
            return this != NOT_CONNECTED;
        }
    }

    static final class Failure extends Exception {
        final Kind kind;
        final Duration bound;

        Failure(Kind kind, Duration bound, Throwable cause) {
            super(kind.name(), cause);
            this.kind = kind;
            this.bound = bound;
        }

        /** "connection refused", "no answer within the request timeout", "no complete answer within 800 ms", … */
        String describe() {
            return switch (kind) {
                case NOT_CONNECTED -> getCause() instanceof HttpConnectTimeoutException ? "connect timed out" : "connection refused";
                case NO_ANSWER -> "no answer within the request timeout";
                case INCOMPLETE -> "no complete answer within " + human(bound);
                case BROKEN -> "connection closed without a complete answer" + detail(getCause());
                case INTERRUPTED -> "interrupted";
            };
        }

        private static String detail(Throwable e) {
            if (e == null || e.getMessage() == null) return "";
            return " (" + e.getMessage() + ")";
        }
    }

    private final HttpClient http;

    BoundedHttp(HttpClient http) {
        this.http = http;
    }

    CompletableFuture<HttpResponse<String>> start(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> exchange(HttpRequest request, Duration bound) throws Failure {
        return await(start(request), bound);
    }

    /** Waits for {@code f} at most {@code bound}; on timeout or interrupt the exchange is cancelled. */
    static HttpResponse<String> await(CompletableFuture<HttpResponse<String>> f, Duration bound) throws Failure {
        return await(f, bound, bound);
    }

    /** As {@link #await(CompletableFuture, Duration)}, waiting {@code wait} of an exchange bounded by {@code bound}. */
    static HttpResponse<String> await(CompletableFuture<HttpResponse<String>> f, Duration wait, Duration bound) throws Failure {
        try {
            return f.get(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new Failure(Kind.INCOMPLETE, bound, e);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new Failure(Kind.INTERRUPTED, bound, e);
        } catch (CancellationException e) {
            throw new Failure(Kind.INCOMPLETE, bound, e);
        } catch (ExecutionException e) {
            throw classify(e.getCause(), bound);
        }
    }

    /** Whether {@code f} completes (either way) within {@code d}; does not cancel it. */
    static boolean doneWithin(CompletableFuture<HttpResponse<String>> f, Duration d) throws Failure {
        try {
            f.get(Math.max(0, d.toNanos()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException | CancellationException e) {
            return true;
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new Failure(Kind.INTERRUPTED, d, e);
        }
    }

    static Failure classify(Throwable e, Duration bound) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof HttpConnectTimeoutException || c instanceof ConnectException) {
                return new Failure(Kind.NOT_CONNECTED, bound, c);
            }
        }
        if (e instanceof HttpTimeoutException) return new Failure(Kind.NO_ANSWER, bound, e);
        if (e instanceof IOException) return new Failure(Kind.BROKEN, bound, e);
        return new Failure(Kind.BROKEN, bound, e);
    }

    /** "15 s", or "500 ms" for durations that are not whole seconds (not "0 s"). */
    static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
