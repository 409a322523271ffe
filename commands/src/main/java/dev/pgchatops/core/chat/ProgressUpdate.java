package dev.pgchatops.core.chat;

import dev.pgchatops.core.reply.Reply;

import java.util.List;

/**
 * One delivery of progress: {@code snapshot} is the whole progress message as it should look now (heading and the
 * newest lines within the budget), {@code newLines} the lines added since the previous delivery (all of them, also
 * when several were coalesced into this one edit).
 */
public record ProgressUpdate(Reply snapshot, List<String> newLines) {
    public ProgressUpdate {
        newLines = List.copyOf(newLines);
    }
}
