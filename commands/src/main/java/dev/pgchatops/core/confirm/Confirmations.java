package dev.pgchatops.core.confirm;

import dev.pgchatops.core.ConfirmedAction;
import dev.pgchatops.core.Identity;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pending confirmations. A confirmation expires after the configured time (measured on an injectable clock), may be
 * decided only by its requester or an admin, and is decided exactly once however often and however concurrently
 * Confirm is pressed. Decided and expired entries are kept a while so a late press gets a clear answer, then dropped.
 */
public final class Confirmations {
    private static final int MAX_ENTRIES = 10_000;
    private final InstantSource clock;
    private final Duration ttl;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    public Confirmations(InstantSource clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    public Duration ttl() {
        return ttl;
    }

    public Pending open(Identity requester, String cluster, String command, List<String> args, String effect,
                        ConfirmedAction action) {
        purge();
        byte[] b = new byte[9];
        random.nextBytes(b);
        String token = HexFormat.of().formatHex(b);
        Instant now = clock.instant();
        Pending p = new Pending(token, requester, cluster, command, args, effect, now, now.plus(ttl), action);
        pending.put(token, p);
        return p;
    }

    /** The pending confirmation with this token, whatever its status, without deciding it. */
    public java.util.Optional<Pending> peek(String token) {
        return java.util.Optional.ofNullable(token == null ? null : pending.get(token));
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

    /** Drops entries long past their expiry, and the oldest when there are too many. */
    private void purge() {
        Instant cutoff = clock.instant().minus(ttl.multipliedBy(5)).minus(Duration.ofMinutes(10));
        pending.values().removeIf(p -> p.expires().isBefore(cutoff));
        if (pending.size() >= MAX_ENTRIES) {
            pending.values().stream().sorted((a, b) -> a.created().compareTo(b.created()))
                    .limit(pending.size() - MAX_ENTRIES + 1).map(Pending::token).toList().forEach(pending::remove);
        }
    }

    public int size() {
        return pending.size();
    }
}
