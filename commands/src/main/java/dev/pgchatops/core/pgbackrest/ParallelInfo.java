package dev.pgchatops.core.pgbackrest;

import dev.pgchatops.core.Texts;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.pgbackrest.PgBackRestService.InfoResult;
import dev.pgchatops.core.pgbackrest.PgBackRestService.LockState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One /backup-info round: every member asked for pgBackRest's info at once, and the member where backups run probed
 * for pgBackRest's backup lock, all within one deadline. The first good answer is used — the leader's when it
 * arrives within {@link #LEADER_GRACE} of it; the lock is reported held when any answer or the probe says so.
 */
final class ParallelInfo {
    /** How long to wait for the leader's (and the backup member's) answer after a first good one. */
    static final Duration LEADER_GRACE = Duration.ofSeconds(2);

    private ParallelInfo() {
    }

    /** Whom to ask: the members (leader first), the leader, where backups run, config warnings. */
    record Plan(List<Endpoint> members, Optional<String> leader, Optional<Endpoint> backupMember, List<String> warnings) {
    }

    /** Info of one member within {@code timeout}. */
    @FunctionalInterface
    interface Ask {
        StanzaInfo info(Endpoint ep, Duration timeout) throws UserFacingException;
    }

    /** The lock probe of one member within {@code timeout}. */
    @FunctionalInterface
    interface Probe {
        LockProbe.Answer probe(Endpoint ep, Duration timeout);
    }

    /** One answer while {@link #info()} waits: a member's info or failure, or the lock probe's result. */
    private sealed interface Answer {
        record Info(String member, StanzaInfo info) implements Answer {
        }

        record Failed(String member, String message) implements Answer {
        }

        record Probe(String member, LockProbe.Answer answer) implements Answer {
        }
    }

    /**
     * Asks {@code plan}'s members (and probes its backup member) on {@code asking}; waits at most {@code budget} in
     * all. Late answers are not waited for; each call is bounded by what was left of the budget when it started.
     */
    static InfoResult ask(Plan plan, List<String> problems, Duration budget, ExecutorService asking, Ask ask,
                          Probe probe, String stanza, String clusterName) throws UserFacingException {
        long deadline = System.nanoTime() + budget.toNanos();
        BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
        List<Future<?>> tasks = new ArrayList<>();
        for (Endpoint ep : plan.members()) {
            tasks.add(asking.submit(() -> {
                try {
                    answers.add(new Answer.Info(ep.member(), ask.info(ep, remaining(deadline))));
                } catch (UserFacingException e) {
                    answers.add(new Answer.Failed(ep.member(), e.getMessage()));
                } catch (RuntimeException | Error e) {
                    answers.add(new Answer.Failed(ep.member(), "info on " + ep.member() + " failed: " + e));
                }
            }));
        }
        plan.backupMember().ifPresent(ep -> tasks.add(asking.submit(() -> answers.add(new Answer.Probe(ep.member(),
                probe.probe(ep, remaining(deadline)))))));

        Map<String, StanzaInfo> good = new LinkedHashMap<>();
        Map<String, String> failed = new LinkedHashMap<>();
        Optional<LockProbe.Answer> probed = Optional.empty();
        long firstGood = 0;
        int outstanding = tasks.size();
        try {
            while (outstanding > 0) {
                long now = System.nanoTime();
                if (now >= deadline) break;
                if (!good.isEmpty()) {
                    if (now - firstGood >= LEADER_GRACE.toNanos()) break;
                    boolean leaderDone = plan.leader().map(l -> good.containsKey(l) || failed.containsKey(l)).orElse(true);
                    boolean backupMemberDone = plan.backupMember().map(b -> good.containsKey(b.member())
                            || failed.containsKey(b.member())).orElse(true);
                    if (leaderDone && backupMemberDone && (probed.isPresent() || plan.backupMember().isEmpty())) break;
                }
                long until = good.isEmpty() ? deadline : Math.min(deadline, firstGood + LEADER_GRACE.toNanos());
                Answer a = answers.poll(Math.max(1, until - now), TimeUnit.NANOSECONDS);
                if (a == null) continue;
                outstanding--;
                if (a instanceof Answer.Info i) {
                    if (good.isEmpty()) firstGood = System.nanoTime();
                    good.put(i.member(), i.info());
                } else if (a instanceof Answer.Failed f) {
                    failed.put(f.member(), f.message());
                } else if (a instanceof Answer.Probe p) {
                    probed = Optional.of(p.answer());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // late answers are not waited for (each is bounded by the deadline); their connections stay pooled
            tasks.forEach(t -> t.cancel(false));
        }
        if (good.isEmpty()) {
            for (Endpoint ep : plan.members()) {
                problems.add(failed.getOrDefault(ep.member(), ep + ": no answer within " + SshText.human(budget)
                        + " (ssh.command-timeout)"));
            }
            throw new UserFacingException("could not read pgBackRest info of stanza " + stanza + " from any member of "
                    + clusterName + ":\n- " + String.join("\n- ", problems));
        }
        String member = plan.leader().filter(good::containsKey).orElse(good.keySet().iterator().next());
        return new InfoResult(good.get(member), member, lockState(plan, good, failed, probed), plan.warnings());
    }

    private static LockState lockState(Plan plan, Map<String, StanzaInfo> good, Map<String, String> failed,
                                       Optional<LockProbe.Answer> probe) {
        for (Map.Entry<String, StanzaInfo> e : good.entrySet()) {
            if (e.getValue().backupLockHeld()) return new LockState(Optional.of(e.getKey()), Optional.empty());
        }
        if (plan.backupMember().isEmpty()) return LockState.FREE;
        String b = plan.backupMember().get().member();
        Optional<Boolean> held = probe.flatMap(LockProbe.Answer::held);
        if (held.isPresent()) return held.get() ? new LockState(Optional.of(b), Optional.empty()) : LockState.FREE;
        if (good.containsKey(b)) return LockState.FREE;   // its own info says free; the lock file could not be tried
        String why = failed.containsKey(b) ? Texts.firstLine(failed.get(b)) : "no answer in time";
        return new LockState(Optional.empty(), Optional.of(b + ", where backups run, could not be checked: " + why));
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }
}
