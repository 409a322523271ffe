package dev.pgchatops.core.pgbackrest;

import dev.pgchatops.core.Command;

import java.util.List;

/** /backup, /backup-info, /backup-check, /stanza-create, /expire. */
public final class PgBackRestCommands {
    private PgBackRestCommands() {
    }

    public static List<Command> all() {
        return List.of();
    }
}
