package dev.pgchatops.core.watch;

import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Severity;

import java.time.Instant;
import java.util.List;

/**
 * An alert that fired and has not resolved. {@code msgId} names its first message in the outbox (the handle the
 * platform returned is kept there, so a resolve edits the right message after a restart); {@code posted} is false
 * while a silence kept it from being posted.
 */
public record ActiveAlert(String cluster, String key, String domain, Severity severity, String title, List<String> facts,
                          List<Block.Button> buttons, long firedAtMillis, String msgId, boolean posted) {
    public ActiveAlert {
        facts = List.copyOf(facts);
        buttons = List.copyOf(buttons);
    }

    public Instant firedAt() {
        return Instant.ofEpochMilli(firedAtMillis);
    }

    public String id() {
        return WatchState.alertId(cluster, key);
    }

    ActiveAlert with(Condition c) {
        return new ActiveAlert(cluster, key, domain, c.severity(), c.title(), c.facts(), c.buttons(), firedAtMillis, msgId, posted);
    }

    ActiveAlert markPosted() {
        return new ActiveAlert(cluster, key, domain, severity, title, facts, buttons, firedAtMillis, msgId, true);
    }
}
