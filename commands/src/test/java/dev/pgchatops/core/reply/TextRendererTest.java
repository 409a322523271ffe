package dev.pgchatops.core.reply;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextRendererTest {
    @Test
    void tableIsBoxedAndColumnsFitTheWidestCell() {
        Block.Table t = new Block.Table(List.of("Member", "Role", "TL"),
                List.of(List.of("node1", "Leader", "3"), List.of("node22", "Sync Standby", ""), List.of("n", "", "12345678")));
        assertThat(TextRenderer.table(t)).isEqualTo("""
                +--------+--------------+----------+
                | Member | Role         | TL       |
                +--------+--------------+----------+
                | node1  | Leader       | 3        |
                | node22 | Sync Standby |          |
                | n      |              | 12345678 |
                +--------+--------------+----------+
                """);
    }

    @Test
    void everyLineOfATableHasTheSameWidth() {
        Block.Table t = new Block.Table(List.of("a", "bbbbbbbbbb"), List.of(List.of("ccccccccccccccc", "d")));
        List<String> lines = TextRenderer.table(t).lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines).allSatisfy(l -> assertThat(l).hasSize(lines.get(0).length()));
        assertThat(lines.get(1)).isEqualTo("| a               | bbbbbbbbbb |");
    }

    @Test
    void emptyTableHasHeaderOnly() {
        assertThat(TextRenderer.table(new Block.Table(List.of("Name"), List.of()))).isEqualTo("""
                +------+
                | Name |
                +------+
                +------+
                """);
    }

    @Test
    void rowsMustMatchTheHeaders() {
        assertThatThrownBy(() -> new Block.Table(List.of("a", "b"), List.of(List.of("x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row has 1 cells, table has 2 columns");
    }

    @Test
    void fullReplyRendering() {
        Reply r = Reply.builder(Severity.WARNING, "Confirm /switchover on main")
                .text("leader node1 → node2")
                .fields(List.of(new Block.Field("Leader", "node1"), new Block.Field("Candidate", "node2")))
                .table(List.of("A"), List.of(List.of("1")))
                .block(new Block.Buttons(List.of(new Block.Button("confirm:t", "Confirm", Block.Style.DANGER),
                        new Block.Button("cancel:t", "Cancel", Block.Style.DEFAULT))))
                .build();
        assertThat(r.plainText()).isEqualTo("""
                Confirm /switchover on main
                leader node1 → node2
                Leader:    node1
                Candidate: node2
                +---+
                | A |
                +---+
                | 1 |
                +---+
                [Confirm] [Cancel]""");
        assertThat(r.withoutButtons().plainText()).doesNotContain("[Confirm]").endsWith("+---+");
        assertThat(r.buttons()).isPresent();
        assertThat(r.withoutButtons().buttons()).isEmpty();
    }

    @Test
    void untitledTextHasNoTrailingNewlines() {
        assertThat(Reply.info("hello\n\n").plainText()).isEqualTo("hello");
        assertThat(Reply.error("x").severity()).isEqualTo(Severity.ERROR);
        assertThat(Reply.success("x").withBlock(new Block.Text("y")).plainText()).isEqualTo("x\ny");
    }
}
