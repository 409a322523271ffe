package dev.pgchatops.core.run;

import dev.pgchatops.core.chat.Conversation;
import dev.pgchatops.core.chat.MessageRef;

import java.util.concurrent.Executor;

/** Makes {@link ProgressSink}s that share one ticker, one timer and one delivery executor. */
public record ProgressSinks(Ticker ticker, Timer timer, Executor deliveries) {
    public ProgressSink open(Conversation conversation, MessageRef message, String heading) {
        return new ProgressSink(conversation, message, heading, ticker, timer, deliveries);
    }
}
