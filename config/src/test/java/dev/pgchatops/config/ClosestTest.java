package dev.pgchatops.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClosestTest {
    private static final List<String> COMMANDS = List.of("cluster-list", "history", "switchover", "failover", "backup");

    @Test
    void levenshtein() {
        assertThat(Closest.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Closest.distance("", "abc")).isEqualTo(3);
        assertThat(Closest.distance("same", "same")).isZero();
    }

    @Test
    void typosAndPrefixes() {
        assertThat(Closest.match("swtichover", COMMANDS)).contains("switchover");
        assertThat(Closest.match("clust", COMMANDS)).as("a prefix of 2+ chars counts as distance 1").contains("cluster-list");
        assertThat(Closest.match("ba", COMMANDS)).contains("backup");
        assertThat(Closest.match("b", List.of("bbbbbbb"))).as("a 1-char prefix does not count").isEmpty();
        assertThat(Closest.match("qqqqqq", COMMANDS)).isEmpty();
        assertThat(Closest.match("x", List.of())).isEmpty();
    }

    @Test
    void caseInsensitiveButAnswersTheCandidateAsSpelled() {
        assertThat(Closest.match("CLUSTER-LIST", COMMANDS)).contains("cluster-list");
        assertThat(Closest.match("Histroy", COMMANDS)).contains("history");
        assertThat(Closest.match("conect-timeout", List.of("Connect-Timeout"))).contains("Connect-Timeout");
    }

    @Test
    void thresholdIsHalfTheWordButAtLeastTwo() {
        assertThat(Closest.match("abcd", List.of("abxy"))).as("distance 2, threshold 2").contains("abxy");
        assertThat(Closest.match("abc", List.of("xyz"))).as("distance 3, threshold 2").isEmpty();
        assertThat(Closest.match("abcdefgh", List.of("abcdwxyz"))).as("distance 4, threshold 4").contains("abcdwxyz");
        assertThat(Closest.match("abcdefgh", List.of("abcvwxyz"))).as("distance 5, threshold 4").isEmpty();
    }

    @Test
    void firstOfEquallyCloseCandidatesWins() {
        assertThat(Closest.match("cat", List.of("bat", "hat"))).contains("bat");
        assertThat(Closest.match("cat", List.of("hat", "bat"))).contains("hat");
    }
}
