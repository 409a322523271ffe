package dev.pgchatops.core.pgbackrest;

import java.util.Objects;

/** Where a command runs: the SSH user, host and port of one cluster member. */
public record Endpoint(String member, String user, String host, int port) {
    public Endpoint {
        Objects.requireNonNull(member);
        Objects.requireNonNull(user);
        Objects.requireNonNull(host);
        if (port < 1 || port > 65535) throw new IllegalArgumentException("bad SSH port " + port + " for " + member);
    }

    /** {@code user@host:port}, the key of a pooled connection. */
    public String key() {
        return user + "@" + host + ":" + port;
    }

    /** {@code host:port}. */
    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return member + " (" + key() + ")";
    }
}
