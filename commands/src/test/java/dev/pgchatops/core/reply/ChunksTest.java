package dev.pgchatops.core.reply;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ChunksTest {
    @Test
    void cutsAtLineBreaksAndKeepsEverything() {
        assertThat(Chunks.split("aaa\nbbb\nccc", 7)).containsExactly("aaa\nbbb", "ccc");
        assertThat(Chunks.split("short", 100)).containsExactly("short");
        assertThat(Chunks.split("", 10)).containsExactly("");
        assertThat(Chunks.split("abcdefghij\nk", 4)).containsExactly("abcd", "efgh", "ij\nk");
    }

    @Test
    void randomTextsAreSplitWithinTheLimitWithoutLoss() {
        Random r = new Random(42);
        for (int round = 0; round < 500; round++) {
            StringBuilder sb = new StringBuilder();
            int lines = r.nextInt(30);
            for (int i = 0; i < lines; i++) {
                if (i > 0) sb.append('\n');
                sb.append("x".repeat(r.nextInt(120)));
            }
            int max = 1 + r.nextInt(100);
            String text = sb.toString();
            List<String> parts = Chunks.split(text, max);
            assertThat(parts).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(max));
            assertThat(String.join("", parts).replace("\n", "")).isEqualTo(text.replace("\n", ""));
        }
    }
}
