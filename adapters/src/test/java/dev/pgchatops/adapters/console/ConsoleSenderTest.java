package dev.pgchatops.adapters.console;

import dev.pgchatops.core.chat.MessageRef;
import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleSenderTest {
    @Test
    void printsEachUnpromptedMessageOnOneLine() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ConsoleSender s = new ConsoleSender(new PrintStream(buf, true, StandardCharsets.UTF_8));
        Reply alert = Reply.builder(Severity.WARNING, "Failover on demo").text("node1 → node2\ntimeline 3")
                .block(new Block.Buttons(List.of(new Block.Button("silence:1", "Silence 1 h", Block.Style.DEFAULT)))).build();
        MessageRef ref = s.post("#ops", alert);
        s.replyInThread(ref, Reply.info("node1 rejoined"));
        s.update(ref, Reply.success("Failover on demo — resolved after 3 min"));
        assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo(
                "[#ops] WARNING Failover on demo node1 → node2 timeline 3\n"
                        + "[#ops] ↳ INFO node1 rejoined\n"
                        + "[#ops] (update) SUCCESS Failover on demo — resolved after 3 min\n");
        assertThat(ref.channel()).isEqualTo("#ops");
    }
}
