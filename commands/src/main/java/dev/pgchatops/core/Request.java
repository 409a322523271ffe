package dev.pgchatops.core;

/** One command typed by a user in a channel, e.g. {@code /switchover --candidate node2}. */
public record Request(Identity user, String channel, String text) {
}
