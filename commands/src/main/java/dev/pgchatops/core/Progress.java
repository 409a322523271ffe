package dev.pgchatops.core;

/** Progress of a running action, one line at a time ("member node3: creating replica"). */
@FunctionalInterface
public interface Progress {
    void line(String text);

    Progress NONE = text -> {
    };
}
