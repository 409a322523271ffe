package dev.pgchatops.core.patroni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads of the DCS-backed endpoints (GET /cluster, /history, /config) over the configured URLs: one after the other
 * while connections are refused, every exchange bounded as a whole and all of them within one {@link Deadline}; when
 * a member takes the connection but fails or is slow, all members at once, plus their GET /patroni, to tell
 * "Patroni is down" from "Patroni cannot read its DCS".
 */
final class Reads {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A read still unanswered after this is suspect: it goes to every member, and their GET /patroni is asked. */
    static final Duration HEDGE = Duration.ofSeconds(1);
    /**
     * How long the other members then get to serve the read while their GET /patroni (answered from memory, in
     * milliseconds, by a running Patroni) is asked; the bound of those probes too.
     */
    static final Duration PROBE = Duration.ofSeconds(2);

    private final String cluster;
    private final List<URI> urls;
    private final BoundedHttp http;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final AtomicInteger preferred;
    /** The last GET /cluster and GET /config seen: member names and failsafe mode for a report while the DCS is down. */
    final AtomicReference<ClusterState> lastCluster = new AtomicReference<>();
    final AtomicReference<JsonNode> lastConfig = new AtomicReference<>();

    Reads(String cluster, List<URI> urls, BoundedHttp http, Duration connectTimeout, Duration requestTimeout,
          AtomicInteger preferred) {
        this.cluster = cluster;
        this.urls = urls;
        this.http = http;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.preferred = preferred;
    }

    HttpRequest request(URI base, String path, Duration bound) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(positive(min(requestTimeout, bound)))
                .header("Accept", "application/json").GET().build();
    }

    /**
     * A read: the URLs in turn (starting with the one that answered last) while connections are refused, all within
     * {@code deadline}. When a member takes the connection but fails the read, or has not answered after
     * {@link #HEDGE} (a healthy Patroni answers in milliseconds), the read goes to every other member at once and
     * every member's GET /patroni is asked: if Patroni answers there but no member serves the read within
     * {@link #PROBE} more, Patroni cannot read its DCS ({@link PatroniException.DcsUnavailable}).
     */
    JsonNode get(String path, Deadline deadline) throws PatroniException {
        return read(path, deadline).json();
    }

    /** A read's JSON and the base URL of the member that served it. */
    record Answer(JsonNode json, URI base) {
    }

    /** As {@link #get}, saying which member answered. */
    Answer read(String path, Deadline deadline) throws PatroniException {
        return read(path, deadline, 0);
    }

    /**
     * As {@link #read(String, Deadline)}, starting {@code offset} members after the preferred one (a read made beside
     * another one goes to another Patroni, which answers it in parallel).
     */
    Answer read(String path, Deadline deadline, int offset) throws PatroniException {
        // a read made aside (offset) does not move the preferred member: reads and writes keep going where they went
        boolean remember = offset == 0;
        Failures fs = new Failures();
        int n = urls.size();
        int start = Math.floorMod(preferred.get() + offset, n);
        for (int k = 0; k < n; k++) {
            if (deadline.passed()) {
                fs.lines.add("no time left within " + BoundedHttp.human(deadline.total()));
                break;
            }
            Attempt a = begin((start + k) % n, path, deadline, remember);
            boolean answered;
            try {
                answered = BoundedHttp.doneWithin(a.f(), min(HEDGE, a.bound()));
            } catch (BoundedHttp.Failure e) {
                throw new PatroniException.Unreachable("interrupted while calling Patroni of " + cluster, e);
            }
            if (!answered) return wide(path, deadline, fs, a, start, k + 1, remember);
            Optional<Answer> j = finish(a, path, fs);
            if (j.isPresent()) return j.get();
            if (fs.trouble != null) return wide(path, deadline, fs, null, start, k + 1, remember);
        }
        throw fs.error(path);
    }

    /** The read went wrong on a member that took the connection: ask all the others and GET /patroni at once. */
    private Answer wide(String path, Deadline deadline, Failures fs, Attempt pending, int start, int from, boolean remember)
            throws PatroniException {
        List<Attempt> open = new ArrayList<>();
        if (pending != null) open.add(pending);
        for (int k = from; k < urls.size(); k++) {
            if (deadline.passed()) {
                fs.lines.add("no time left within " + BoundedHttp.human(deadline.total()) + " for " + urls.get((start + k) % urls.size()));
                continue;
            }
            open.add(begin((start + k) % urls.size(), path, deadline, remember));
        }
        long windowEnd = System.nanoTime() + deadline.cap(PROBE).toNanos();
        List<PatroniStatus> probed = DcsProbe.probe(http, urls, deadline.cap(min(PROBE, attemptBound(requestTimeout))));
        boolean patroniAnswers = !probed.isEmpty();
        while (!open.isEmpty()) {
            Optional<Attempt> done = open.stream().filter(x -> x.f().isDone()).findFirst();
            if (done.isPresent()) {
                open.remove(done.get());
                Optional<Answer> j = finish(done.get(), path, fs);
                if (j.isPresent()) {
                    open.forEach(x -> x.f().cancel(true));
                    return j.get();
                }
                continue;
            }
            // Patroni answers: wait only the window. Patroni does not: each read gets its whole bound.
            long waitNanos = patroniAnswers ? windowEnd - System.nanoTime()
                    : open.get(0).bound().toNanos() - (System.nanoTime() - open.get(0).t0());
            if (waitNanos <= 0) {
                if (patroniAnswers) break;
                Attempt first = open.remove(0);
                finish(first, path, fs); // times out (and is cancelled) now
                continue;
            }
            try {
                CompletableFuture.anyOf(open.stream().map(Attempt::f).toArray(CompletableFuture[]::new))
                        .get(waitNanos, TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException | CancellationException e) {
                // one finished (either way) or the wait is over: look again
            } catch (InterruptedException e) {
                open.forEach(x -> x.f().cancel(true));
                Thread.currentThread().interrupt();
                throw new PatroniException.Unreachable("interrupted while calling Patroni of " + cluster, e);
            }
        }
        open.forEach(x -> x.f().cancel(true));
        if (patroniAnswers) {
            String failure = open.isEmpty() && fs.trouble != null ? fs.trouble
                    : "no member answered within " + BoundedHttp.human(min(HEDGE, attemptBound(requestTimeout)).plus(PROBE));
            throw dcsUnavailable("GET " + path + ": " + failure, probed);
        }
        throw fs.error(path);
    }

    private record Attempt(int idx, URI base, Duration bound, long t0, CompletableFuture<HttpResponse<String>> f, boolean remember) {
    }

    private Attempt begin(int idx, String path, Deadline deadline, boolean remember) {
        Duration bound = deadline.cap(attemptBound(requestTimeout));
        URI base = urls.get(idx);
        return new Attempt(idx, base, bound, System.nanoTime(), http.start(request(base, path, bound)), remember);
    }

    /** The attempt's answer (within its bound): the JSON of a 2xx, or empty after recording why not; throws on 4xx. */
    private Optional<Answer> finish(Attempt a, String path, Failures fs) throws PatroniException {
        HttpResponse<String> resp;
        try {
            resp = BoundedHttp.await(a.f(), a.bound().minusNanos(System.nanoTime() - a.t0()), a.bound());
        } catch (BoundedHttp.Failure e) {
            if (e.kind == BoundedHttp.Kind.INTERRUPTED) {
                throw new PatroniException.Unreachable("interrupted while calling Patroni of " + cluster, e);
            }
            fs.failed(a.base(), e.describe(), e, e.kind != BoundedHttp.Kind.NOT_CONNECTED);
            return Optional.empty();
        }
        if (resp.statusCode() >= 500) {
            // A member (or a proxy in front of it) in trouble: a read can safely ask the next one.
            fs.failed(a.base(), "HTTP " + resp.statusCode(), null, true);
            fs.last5xx = Refusals.rejected(cluster, "GET", a.base(), path, resp);
            return Optional.empty();
        }
        fs.last5xx = null;
        if (resp.statusCode() / 100 != 2) {
            // A member that is up but answers an error: Patroni's reason is worth showing.
            throw Refusals.rejected(cluster, "GET", a.base(), path, resp);
        }
        try {
            JsonNode j = JSON.readTree(resp.body());
            if (a.remember()) preferred.set(a.idx());
            return Optional.of(new Answer(j, a.base()));
        } catch (IOException e) {
            throw new PatroniException.BadResponse("GET " + a.base().resolve(path) + " did not return JSON: "
                    + Refusals.abbreviate(resp.body()), e);
        }
    }

    /** What went wrong with a read, URL by URL. */
    private final class Failures {
        final List<String> lines = new ArrayList<>();
        Exception last;
        /** The first failure of a member that took the connection ("… from URL"), if any. */
        String trouble;
        /** Set while the last answer was a 5xx: shown as Patroni's own refusal when nothing else answers. */
        PatroniException last5xx;

        void failed(URI base, String why, Exception e, boolean connected) {
            lines.add(base + " (" + why + ")");
            if (e != null) last = e;
            if (connected && trouble == null) trouble = why + " from " + base;
            if (e != null) last5xx = null;
        }

        PatroniException error(String path) {
            if (last5xx != null) return last5xx;
            return new PatroniException.Unreachable("cannot reach Patroni of cluster " + cluster + ": " + String.join(", ", lines)
                    + ". Check that Patroni runs and patroni.urls in the config", last);
        }
    }

    private PatroniException.DcsUnavailable dcsUnavailable(String failure, List<PatroniStatus> probed) {
        Map<URI, String> names = new HashMap<>();
        ClusterState known = lastCluster.get();
        if (known != null) {
            for (Member m : known.members()) if (m.apiUrl() != null) names.put(PatroniClient.base(m.apiUrl()), m.name());
        }
        JsonNode cfg = lastConfig.get();
        Optional<Boolean> failsafe = cfg == null ? Optional.empty() : Optional.of(cfg.path("failsafe_mode").asBoolean(false));
        return new PatroniException.DcsUnavailable(DcsProbe.message(cluster, failure, probed, names, failsafe));
    }

    Duration attemptBound(Duration timeout) {
        return connectTimeout.plus(timeout);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration positive(Duration d) {
        return d.isZero() || d.isNegative() ? Duration.ofMillis(1) : d;
    }
}
