package dev.pgchatops.adapters.slack;

import dev.pgchatops.core.Identity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Who a Slack user is for the bot: {@code slack:<user id>}, shown as {@code @name}, with the user groups from
 * {@code access.slack-groups} the user is in. Group members are read with {@code usergroups.users.list} (one call per
 * configured group) and cached for {@code ttl}; a refresh runs on the given executor, never under a lock, and at most
 * one at a time. Until the first refresh has answered, a lookup waits for it at most {@code firstWait}; when Slack
 * cannot be asked, the last known members are used, or none (the user then has only the roles given by user id —
 * failing towards fewer rights, never more).
 */
final class SlackIdentities {
    private static final Logger LOG = LoggerFactory.getLogger(SlackIdentities.class);

    private record Snapshot(Map<String, Set<String>> groupsOfUser, long fetchedNanos) {
    }

    private final Set<String> groups;
    private final Function<String, List<String>> membersOf;
    private final Duration ttl;
    private final Duration firstWait;
    private final Executor executor;
    private volatile Snapshot snapshot;
    private final AtomicReference<CompletableFuture<Snapshot>> refreshing = new AtomicReference<>();

    /** {@code membersOf}: a group id → its members' user ids (usergroups.users.list); may throw. */
    SlackIdentities(Set<String> groups, Function<String, List<String>> membersOf, Duration ttl, Duration firstWait,
                    Executor executor) {
        this.groups = Set.copyOf(groups);
        this.membersOf = membersOf;
        this.ttl = ttl;
        this.firstWait = firstWait;
        this.executor = executor;
    }

    Identity of(String userId, String userName) {
        String shown = userName == null || userName.isBlank() ? userId : "@" + userName;
        return new Identity("slack", userId, shown, groups.isEmpty() ? Set.of() : groupsOf(userId));
    }

    private Set<String> groupsOf(String userId) {
        Snapshot s = snapshot;
        if (s == null || System.nanoTime() - s.fetchedNanos() > ttl.toNanos()) {
            CompletableFuture<Snapshot> f = refresh();
            if (s == null) {
                try {
                    s = f.get(firstWait.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    LOG.warn("Slack user groups not known yet ({}); {} gets only the roles mapped by user id", e.toString(), userId);
                }
            }
        }
        if (s == null) return Set.of();
        return s.groupsOfUser().getOrDefault(userId, Set.of());
    }

    /** Starts a refresh unless one is running; returns the running one. */
    CompletableFuture<Snapshot> refresh() {
        CompletableFuture<Snapshot> mine = new CompletableFuture<>();
        CompletableFuture<Snapshot> running = refreshing.compareAndExchange(null, mine);
        if (running != null) return running;
        try {
            executor.execute(() -> {
                try {
                    Map<String, Set<String>> byUser = new HashMap<>();
                    for (String g : groups) {
                        for (String u : membersOf.apply(g)) byUser.computeIfAbsent(u, k -> new HashSet<>()).add(g);
                    }
                    Snapshot s = new Snapshot(Map.copyOf(byUser), System.nanoTime());
                    snapshot = s;
                    mine.complete(s);
                } catch (RuntimeException e) {
                    LOG.warn("could not read the Slack user groups {}: {}", groups, e.getMessage());
                    mine.completeExceptionally(e);
                } finally {
                    refreshing.compareAndSet(mine, null);
                }
            });
        } catch (RuntimeException e) {
            refreshing.compareAndSet(mine, null);
            mine.completeExceptionally(e);
        }
        return mine;
    }
}
