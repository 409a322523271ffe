package dev.pgchatops.core.confirm;

import dev.pgchatops.core.ConfirmedAction;
import dev.pgchatops.core.Identity;
import dev.pgchatops.core.UserFacingException;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pending confirmations. A confirmation expires after the configured time (measured on an injectable clock; the bot
 * calls {@link #expireDue} so it expires without anybody pressing), may be decided only by its requester or an admin,
 * and is decided exactly once however often and however concurrently Confirm is pressed. An open confirmation is
 * never dropped to make room: a user with {@code maxOpenPerUser} open ones is refused a new one. Decided and expired
 * entries are kept a while so a late press gets a clear answer, then dropped.
 */
public final class Confirmations {
    private static final int MAX_CLOSED = 10_000;
    private final InstantSource clock;
    private final Duration ttl;
    private final int maxOpenPerUser;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    public Confirmations(InstantSource clock, Duration ttl, int maxOpenPerUser) {
        if (maxOpenPerUser < 1) throw new IllegalArgumentException("maxOpenPerUser < 1: " + maxOpenPerUser);
        this.clock = clock;
        this.ttl = ttl;
        this.maxOpenPerUser = maxOpenPerUser;
    }

    public Confirmations(InstantSource clock, Duration ttl) {
        this(clock, ttl, 5);
    }

    public Duration ttl() {
        return ttl;
    }

    /** Refused with a clear message when the requester already has {@code maxOpenPerUser} open confirmations. */
    public static final class TooManyOpen extends UserFacingException {
        TooManyOpen(String message) {
            super(message);
        }
    }

    public synchronized Pending open(Identity requester, String cluster, String command, List<String> args, String effect,
                                     ConfirmedAction action) throws TooManyOpen {
        purge();
        Instant now = clock.instant();
        List<Pending> mine = pending.values().stream().filter(p -> p.status() == Pending.Status.OPEN
                && p.requester().key().equals(requester.key()) && now.isBefore(p.expires())).toList();
        if (mine.size() >= maxOpenPerUser) {
            throw new TooManyOpen(requester.displayName() + " already has " + mine.size() + " open confirmations ("
                    + String.join(", ", mine.stream().map(p -> "/" + p.command() + " on " + p.cluster()).toList())
                    + "); confirm or cancel one of them first — each expires " + ttl.toSeconds() + " s after it was asked.");
        }
        byte[] b = new byte[9];
        random.nextBytes(b);
        String token = HexFormat.of().formatHex(b);
        Pending p = new Pending(token, requester, cluster, command, args, effect, now, now.plus(ttl), action);
        pending.put(token, p);
        return p;
    }

    /** The pending confirmation with this token, whatever its status, without deciding it. */
    public Optional<Pending> peek(String token) {
        return Optional.ofNullable(token == null ? null : pending.get(token));
    }

    public Decision confirm(String token, Identity who, boolean admin) {
        return decide(token, who, admin, Pending.Status.CONFIRMED);
    }

    public Decision cancel(String token, Identity who, boolean admin) {
        return decide(token, who, admin, Pending.Status.CANCELLED);
    }

    private Decision decide(String token, Identity who, boolean admin, Pending.Status to) {
        Pending p = token == null ? null : pending.get(token);
        if (p == null) return new Decision.Unknown(token);
        if (p.status() == Pending.Status.EXPIRED) return new Decision.Expired(p);
        if (p.status() != Pending.Status.OPEN) return new Decision.AlreadyDecided(p);
        if (!clock.instant().isBefore(p.expires())) {
            p.transition(Pending.Status.EXPIRED, null);
            return p.status() == Pending.Status.EXPIRED ? new Decision.Expired(p) : new Decision.AlreadyDecided(p);
        }
        if (!admin && !p.requester().key().equals(who.key())) return new Decision.Forbidden(p);
        return p.transition(to, who) ? new Decision.Granted(p) : new Decision.AlreadyDecided(p);
    }

    /**
     * Expires every open confirmation whose time is up (on the injected clock) and returns those this call expired,
     * so their messages can be updated. A press racing with this gets exactly one of the two outcomes.
     */
    public List<Pending> expireDue() {
        Instant now = clock.instant();
        List<Pending> out = new ArrayList<>();
        for (Pending p : pending.values()) {
            if (p.status() == Pending.Status.OPEN && !now.isBefore(p.expires()) && p.transition(Pending.Status.EXPIRED, null)) {
                out.add(p);
            }
        }
        return out;
    }

    /** Drops decided and expired entries long past their expiry, and the oldest of those when there are too many. */
    private void purge() {
        Instant cutoff = clock.instant().minus(ttl.multipliedBy(5)).minus(Duration.ofMinutes(10));
        pending.values().removeIf(p -> p.expires().isBefore(cutoff)); // long expired, whether or not marked so
        List<Pending> closed = pending.values().stream().filter(p -> p.status() != Pending.Status.OPEN)
                .sorted(Comparator.comparing(Pending::created)).toList();
        if (closed.size() > MAX_CLOSED) {
            closed.subList(0, closed.size() - MAX_CLOSED).forEach(p -> pending.remove(p.token()));
        }
    }

    public int size() {
        return pending.size();
    }
}
