package dev.pgchatops.adapters.discord;

import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;
import net.dv8tion.jda.api.entities.MessageEmbed;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Discord's limits are met by splitting; nothing of the reply is lost. */
class DiscordEmbedLimitsTest {
    static List<EmbedRenderer.Part> render(Reply r) {
        return EmbedRenderer.render(r, "pgchatops · cluster demo", Instant.EPOCH, a -> a);
    }

    static void assertWithinLimits(List<EmbedRenderer.Part> parts) {
        for (EmbedRenderer.Part p : parts) {
            assertThat(p.embeds()).hasSizeBetween(1, 10);
            assertThat(p.embeds().stream().mapToInt(MessageEmbed::getLength).sum()).isLessThanOrEqualTo(6000);
            for (MessageEmbed e : p.embeds()) {
                if (e.getDescription() != null) assertThat(e.getDescription()).hasSizeLessThanOrEqualTo(4096);
                assertThat(e.getFields()).hasSizeLessThanOrEqualTo(25);
                for (MessageEmbed.Field f : e.getFields()) {
                    assertThat(f.getName()).hasSizeLessThanOrEqualTo(256);
                    assertThat(f.getValue()).hasSizeLessThanOrEqualTo(1024);
                }
                if (e.getTitle() != null) assertThat(e.getTitle()).hasSizeLessThanOrEqualTo(256);
            }
        }
    }

    static String all(List<EmbedRenderer.Part> parts) {
        StringBuilder sb = new StringBuilder();
        for (EmbedRenderer.Part p : parts) {
            for (MessageEmbed e : p.embeds()) {
                sb.append(e.getTitle()).append('\n').append(e.getDescription()).append('\n');
                for (MessageEmbed.Field f : e.getFields()) sb.append(f.getName()).append('=').append(f.getValue()).append('\n');
            }
        }
        return sb.toString();
    }

    @Test
    void aHugeTableManyFieldsAndLongTextAreSplitWithoutLoss() {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) rows.add(List.of("20261201-" + i + "F", "full", "12.3 MB", "000000010000000" + i));
        List<Block.Field> fields = new ArrayList<>();
        for (int i = 0; i < 60; i++) fields.add(new Block.Field("field " + i, "value " + i));
        fields.add(new Block.Field("long", "x".repeat(3000)));
        Reply r = Reply.builder(Severity.WARNING, "T".repeat(300))
                .table(List.of("Label", "Type", "Size", "WAL"), rows)
                .fields(fields)
                .text("line\n".repeat(2000) + "the end")
                .block(new Block.Buttons(List.of(new Block.Button("confirm:abc", "Confirm", Block.Style.DANGER))))
                .build();
        List<EmbedRenderer.Part> parts = render(r);
        assertWithinLimits(parts);
        assertThat(parts.size()).isGreaterThan(1);
        String text = all(parts);
        for (List<String> row : rows) assertThat(text).contains(row.get(0));
        for (int i = 0; i < 60; i++) assertThat(text).contains("field " + i + "=value " + i);
        assertThat(text.replaceAll("[^x]", "")).hasSize(3000);
        assertThat(text).contains("T".repeat(300)).contains("the end");
        // every table piece is its own code block
        for (EmbedRenderer.Part p : parts) for (MessageEmbed e : p.embeds()) {
            String d = e.getDescription() == null ? "" : e.getDescription();
            assertThat(d.split("```", -1).length % 2).as("balanced fences").isEqualTo(1);
        }
        // buttons only on the last message; colour and footer set
        for (int i = 0; i < parts.size() - 1; i++) assertThat(parts.get(i).rows()).isEmpty();
        assertThat(parts.get(parts.size() - 1).rows()).hasSize(1);
        assertThat(parts.get(0).embeds().get(0).getColorRaw()).isEqualTo(0xE67E22);
        List<MessageEmbed> last = parts.get(parts.size() - 1).embeds();
        assertThat(last.get(last.size() - 1).getFooter().getText()).isEqualTo("pgchatops · cluster demo");
    }

    @Test
    void aSmallReplyIsOneEmbedWithTextThenFieldsInOrder() {
        Reply r = Reply.builder(Severity.SUCCESS, "Done").text("first").fields(List.of(new Block.Field("a", "1"))).text("after").build();
        List<EmbedRenderer.Part> parts = render(r);
        assertThat(parts).hasSize(1);
        assertThat(parts.get(0).embeds()).hasSize(2);
        assertThat(parts.get(0).embeds().get(0).getDescription()).isEqualTo("first");
        assertThat(parts.get(0).embeds().get(1).getDescription()).isEqualTo("after");
        assertThat(parts.get(0).embeds().get(0).getColorRaw()).isEqualTo(0x2ECC71);
    }
}
