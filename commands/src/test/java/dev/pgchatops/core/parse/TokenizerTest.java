package dev.pgchatops.core.parse;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenizerTest {
    @Test
    void splitsOnWhitespace() throws ParseException {
        assertThat(Tokenizer.split("/switchover   --candidate\tnode2 ")).containsExactly("/switchover", "--candidate", "node2");
        assertThat(Tokenizer.split("")).isEmpty();
        assertThat(Tokenizer.split("    ")).isEmpty();
    }

    @Test
    void doubleAndSingleQuotesKeepSpaces() throws ParseException {
        assertThat(Tokenizer.split("a \"b c\" 'd e' f")).containsExactly("a", "b c", "d e", "f");
        assertThat(Tokenizer.split("--at=\"2026-11-24 22:00\"")).containsExactly("--at=2026-11-24 22:00");
        assertThat(Tokenizer.split("x\"y z\"w")).as("quotes join with adjacent text").containsExactly("xy zw");
        assertThat(Tokenizer.split("'it\"s' \"it's\"")).containsExactly("it\"s", "it's");
    }

    @Test
    void emptyQuotesAreAnEmptyWord() throws ParseException {
        assertThat(Tokenizer.split("a \"\" ''")).containsExactly("a", "", "");
    }

    @Test
    void backslashEscapes() throws ParseException {
        assertThat(Tokenizer.split("\"a \\\"quoted\\\" word\"")).containsExactly("a \"quoted\" word");
        assertThat(Tokenizer.split("a\\ b c")).containsExactly("a b", "c");
        assertThat(Tokenizer.split("\\\"x")).containsExactly("\"x");
        assertThat(Tokenizer.split("'a\\b'")).as("no escapes inside single quotes").containsExactly("a\\b");
        assertThat(Tokenizer.split("\"a\\\\b\"")).containsExactly("a\\b");
        assertThatThrownBy(() -> Tokenizer.split("end\\")).as("a trailing backslash escapes nothing")
                .hasMessage("a backslash at the end of the line escapes nothing; remove it, or write \\\\ for a backslash");
    }

    @Test
    void unclosedQuoteIsRefused() {
        assertThatThrownBy(() -> Tokenizer.split("/reinit \"node2")).isInstanceOf(ParseException.class)
                .hasMessage("unclosed double quote");
        assertThatThrownBy(() -> Tokenizer.split("/reinit 'node2")).isInstanceOf(ParseException.class)
                .hasMessage("unclosed single quote");
        assertThatThrownBy(() -> Tokenizer.split("\"a\\\"")).as("an escaped quote does not close")
                .isInstanceOf(ParseException.class).hasMessage("unclosed double quote");
    }

    @Test
    void lineBreaksAndControlCharactersAreRefused() {
        for (String s : List.of("/cluster-list\n/switchover", "a\rb", "\"a\nb\"")) {
            assertThatThrownBy(() -> Tokenizer.split(s)).isInstanceOf(ParseException.class)
                    .hasMessage("a command must be a single line without control characters (found a line break)");
        }
        assertThatThrownBy(() -> Tokenizer.split("a\u0000b")).isInstanceOf(ParseException.class)
                .hasMessageContaining("(found U+0000)");
        assertThatThrownBy(() -> Tokenizer.split("a\u001bb")).isInstanceOf(ParseException.class)
                .hasMessageContaining("(found U+001B)");
    }

    @Test
    void shellMetacharactersAreJustText() throws ParseException {
        assertThat(Tokenizer.split("/backup main;rm -rf / $(id) `x` |cat")).containsExactly("/backup", "main;rm", "-rf", "/",
                "$(id)", "`x`", "|cat");
    }
}
