package dev.pgchatops.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DuplicateKeysTest {
    @Test
    void noDuplicates() {
        assertThat(DuplicateKeys.find("a: 1\nb: {a: 1, b: 2}\nc: [{a: 1}, {a: 2}]\n")).isEmpty();
        assertThat(DuplicateKeys.find("")).isEmpty();
        assertThat(DuplicateKeys.find("just a string")).isEmpty();
    }

    @Test
    void everyDepthAndListItemsAreCheckedInLineOrder() {
        String yaml = """
                top:
                  list:
                    - x: 1
                    - [ {y: 1, y: 2} ]
                    - x: 1
                      x: 2
                  top2: 1
                top: 2
                """;
        assertThat(DuplicateKeys.find(yaml)).containsExactly(
                "top.list[1][0].y: duplicate key (lines 4 and 4); keep one",
                "top.list[2].x: duplicate key (lines 5 and 6); keep one",
                "top: duplicate key (lines 1 and 8); keep one");
    }

    @Test
    void quotedAndPlainSpellingsOfOneKeyAreTheSameKey() {
        assertThat(DuplicateKeys.find("a: 1\n\"a\": 2\n'a': 3\n"))
                .containsExactly("a: duplicate key (lines 1, 2 and 3); keep one");
    }

    @Test
    void invalidYamlIsLeftToTheYamlReader() {
        assertThat(DuplicateKeys.find("a: [unclosed\na: 2\n")).isEmpty();
    }

    @Test
    void aliasesAreNotDuplicates() {
        assertThat(DuplicateKeys.find("base: &b {x: 1, y: 2}\none: *b\ntwo: *b\nthree: {x: *b}\n")).isEmpty();
    }

    @Test
    void keysWithTheSameNameInSiblingMappingsAreNotDuplicates() {
        assertThat(DuplicateKeys.find("a: {k: 1}\nb: {k: 1}\nl: [{k: 1}, {k: 2}]\n")).isEmpty();
    }
}
