package dev.pgchatops.adapters.discord;

import dev.pgchatops.core.Bot;
import dev.pgchatops.core.ClusterRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Member names of each cluster for autocomplete, from Patroni (GET /cluster), kept for {@link #FRESH}. A stale or
 * missing entry is fetched (one fetch per cluster at a time, on its own threads) and waited for at most the given
 * time; when Patroni is slower, the last names known (or none) answer, so Discord's 3 s are always met.
 */
final class MemberNames {
    private static final Logger LOG = LoggerFactory.getLogger(MemberNames.class);
    static final Duration FRESH = Duration.ofSeconds(10);
    private final Bot bot;
    private final ExecutorService fetchers;
    private final LongSupplier nanos;
    private final Map<String, Snapshot> cache = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<List<String>>> inflight = new ConcurrentHashMap<>();

    private record Snapshot(List<String> names, long at) {
    }

    MemberNames(Bot bot, ExecutorService fetchers, LongSupplier nanos) {
        this.bot = bot;
        this.fetchers = fetchers;
        this.nanos = nanos;
    }

    List<String> names(String cluster, Duration wait) {
        Snapshot s = cache.get(cluster);
        if (s != null && nanos.getAsLong() - s.at < FRESH.toNanos()) return s.names;
        ClusterRuntime c = bot.clusters().get(cluster);
        if (c == null) return List.of();
        CompletableFuture<List<String>> f = inflight.computeIfAbsent(cluster, k -> fetch(k, c));
        if (f.isDone()) inflight.remove(cluster, f); // never keep a finished fetch as "in flight"
        try {
            return f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.debug("member names of {} not there within {} ms; answering with the last known", cluster, wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("member names of {}: {}", cluster, e.toString());
        }
        return s == null ? List.of() : s.names;
    }

    private CompletableFuture<List<String>> fetch(String name, ClusterRuntime c) {
        CompletableFuture<List<String>> f = new CompletableFuture<>();
        try {
            fetchers.execute(() -> {
                try {
                    List<String> names = List.copyOf(c.patroni().cluster().memberNames());
                    cache.put(name, new Snapshot(names, nanos.getAsLong()));
                    f.complete(names);
                } catch (Exception e) {
                    f.completeExceptionally(e);
                } finally {
                    inflight.remove(name, f);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            f.completeExceptionally(e);
        }
        return f;
    }
}
