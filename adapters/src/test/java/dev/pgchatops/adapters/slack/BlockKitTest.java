package dev.pgchatops.adapters.slack;

import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.TextObject;
import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BlockKitTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final BlockKit.Context CTX = new BlockKit.Context("/cluster-list", "@alice", "demo");

    private static String text(LayoutBlock b) {
        if (b instanceof SectionBlock s) {
            StringBuilder sb = new StringBuilder();
            if (s.getText() != null) sb.append(textOf(s.getText()));
            if (s.getFields() != null) s.getFields().forEach(f -> sb.append(textOf(f)));
            return sb.toString();
        }
        if (b instanceof HeaderBlock hb) return hb.getText().getText();
        return "";
    }

    private static String textOf(TextObject t) {
        return t instanceof com.slack.api.model.block.composition.MarkdownTextObject m ? m.getText()
                : ((com.slack.api.model.block.composition.PlainTextObject) t).getText();
    }

    @Test
    void headerFieldsTableContextAndFallback() {
        Reply r = Reply.builder(Severity.WARNING, "Cluster demo").table(List.of("Member", "Role"),
                List.of(List.of("node1", "leader"))).fields(List.of(new Block.Field("Leader", "node1"))).build();
        List<BlockKit.Message> ms = BlockKit.render(r, CTX, NOW);
        assertThat(ms).hasSize(1);
        List<LayoutBlock> b = ms.get(0).blocks();
        assertThat(b.get(0)).isInstanceOf(HeaderBlock.class);
        assertThat(text(b.get(0))).isEqualTo(":warning: Cluster demo");
        assertThat(text(b.get(1))).startsWith("```+").contains("| node1  | leader |").endsWith("```");
        assertThat(text(b.get(2))).isEqualTo("*Leader*\nnode1");
        assertThat(b.get(3).getType()).isEqualTo("context");
        assertThat(ms.get(0).text()).contains("Cluster demo").contains("node1").contains("Leader: node1");
    }

    @Test
    void bigTableIsSplitAcrossSectionsAndMessagesWithoutLosingARow() {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 3000; i++) rows.add(List.of("member-" + i, "replica", "running <&>"));
        Reply r = Reply.builder(Severity.INFO, "Big").table(List.of("Member", "Role", "State"), rows).build();
        List<BlockKit.Message> ms = BlockKit.render(r, CTX, NOW);
        assertThat(ms.size()).isGreaterThan(1);
        StringBuilder all = new StringBuilder();
        for (BlockKit.Message m : ms) {
            assertThat(m.blocks().size()).isLessThanOrEqualTo(BlockKit.MAX_BLOCKS);
            assertThat(m.text()).isNotBlank();
            assertThat(m.text().length()).isLessThanOrEqualTo(BlockKit.FALLBACK_MAX + 40);
            for (LayoutBlock b : m.blocks()) {
                String t = text(b);
                assertThat(t.length()).isLessThanOrEqualTo(BlockKit.SECTION_MAX);
                all.append(t).append('\n');
            }
        }
        for (int i = 0; i < 3000; i++) assertThat(all).contains("| member-" + i + " ");
        assertThat(all).contains("running &lt;&amp;&gt;").doesNotContain("running <&>");
        assertThat(ms.get(1).text()).startsWith("(continued)");
    }

    @Test
    void longTextIsSplitNotCutAndButtonsCarryTheAction() {
        String longText = "x".repeat(7000);
        Reply r = new Reply(Severity.ERROR, "", List.of(new Block.Text(longText),
                new Block.Buttons(List.of(new Block.Button("confirm:abc", "Confirm", Block.Style.DANGER),
                        new Block.Button("cancel:abc", "Cancel", Block.Style.DEFAULT)))));
        List<LayoutBlock> b = BlockKit.render(r, BlockKit.Context.NONE, NOW).get(0).blocks();
        String joined = text(b.get(0)) + text(b.get(1)) + text(b.get(2));
        assertThat(joined).isEqualTo(":x: " + longText);
        ActionsBlock a = (ActionsBlock) b.get(3);
        assertThat(a.getElements()).hasSize(2);
        var confirm = (com.slack.api.model.block.element.ButtonElement) a.getElements().get(0);
        assertThat(confirm.getActionId()).isEqualTo("confirm:abc");
        assertThat(confirm.getStyle()).isEqualTo("danger");
        assertThat(SlackAdapter.BUTTON.matcher(confirm.getActionId()).matches()).isTrue();
    }

    @Test
    void userTextCannotMentionOrLinkInMrkdwn() {
        Reply r = Reply.builder(Severity.INFO, "t").fields(List.of(new Block.Field("Who", "<!channel> <@U1> & <http://x|y>"))).build();
        String t = text(BlockKit.render(r, new BlockKit.Context("/x <!here>", "@a", ""), NOW).get(0).blocks().get(1));
        assertThat(t).contains("&lt;!channel&gt; &lt;@U1&gt; &amp; &lt;http://x|y&gt;").doesNotContain("<!channel>");
        String ctx = BlockKit.render(r, new BlockKit.Context("/x <!here>", "@a", ""), NOW).get(0).blocks().get(2).toString();
        assertThat(ctx).contains("&lt;!here&gt;").doesNotContain("<!here>");
    }

    @Test
    void longTitleFallsBackToASection() {
        Reply r = Reply.builder(Severity.INFO, "t".repeat(200)).build();
        List<LayoutBlock> b = BlockKit.render(r, CTX, NOW).get(0).blocks();
        assertThat(b.get(0)).isInstanceOf(SectionBlock.class);
        assertThat(text(b.get(0))).contains("t".repeat(200));
    }
}
