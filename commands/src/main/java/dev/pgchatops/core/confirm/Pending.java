package dev.pgchatops.core.confirm;

import dev.pgchatops.core.ConfirmedAction;
import dev.pgchatops.core.Identity;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** A destructive action waiting for its confirmation. Its status moves from OPEN exactly once. */
public final class Pending {
    public enum Status { OPEN, CONFIRMED, CANCELLED, EXPIRED }

    private final String token;
    private final Identity requester;
    private final String cluster;
    private final String command;
    private final List<String> args;
    private final String effect;
    private final Instant created;
    private final Instant expires;
    private final ConfirmedAction action;
    /** Status and who decided it, switched together in one atomic step. */
    private record State(Status status, Identity by) {
    }

    private static final State OPEN = new State(Status.OPEN, null);
    private final AtomicReference<State> state = new AtomicReference<>(OPEN);

    Pending(String token, Identity requester, String cluster, String command, List<String> args, String effect,
            Instant created, Instant expires, ConfirmedAction action) {
        this.token = token;
        this.requester = requester;
        this.cluster = cluster;
        this.command = command;
        this.args = List.copyOf(args);
        this.effect = effect;
        this.created = created;
        this.expires = expires;
        this.action = action;
    }

    boolean transition(Status to, Identity by) {
        return state.compareAndSet(OPEN, new State(to, by));
    }

    public String token() {
        return token;
    }

    public Identity requester() {
        return requester;
    }

    public String cluster() {
        return cluster;
    }

    public String command() {
        return command;
    }

    public List<String> args() {
        return args;
    }

    public String effect() {
        return effect;
    }

    public Instant created() {
        return created;
    }

    public Instant expires() {
        return expires;
    }

    public ConfirmedAction action() {
        return action;
    }

    public Status status() {
        return state.get().status();
    }

    public Identity decidedBy() {
        return state.get().by();
    }

    /** A read-only view for adapters (no action). */
    public PendingView view() {
        State s = state.get();
        return new PendingView(token, requester, cluster, command, args, effect, created, expires, s.status(),
                java.util.Optional.ofNullable(s.by()));
    }
}
