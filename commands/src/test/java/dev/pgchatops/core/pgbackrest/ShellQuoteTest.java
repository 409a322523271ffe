package dev.pgchatops.core.pgbackrest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShellQuoteTest {
    static final List<String> NASTY = List.of("full; touch /tmp/x", "$(id)", "`id`", "a\nb", "--repo1-path=/",
            "it's", "'", "''", "\\'", "\"$HOME\"", "*", "~", "a b\tc", "!!", "${IFS}", "&& rm -rf /", "|", "",
            "-", "--config=/etc/x'; id; echo '");

    @Test
    void quotesEveryArgumentInSingleQuotes() {
        assertThat(ShellQuote.quote("pgbackrest")).isEqualTo("'pgbackrest'");
        assertThat(ShellQuote.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(ShellQuote.quote("")).isEqualTo("''");
        assertThat(ShellQuote.join(List.of("pgbackrest", "--stanza=demo", "backup")))
                .isEqualTo("'pgbackrest' '--stanza=demo' 'backup'");
    }

    @Test
    void aRealShellGetsBackExactlyTheArguments() throws Exception {
        // printf prints each argument between markers: if quoting were wrong, words would split, merge or expand.
        List<String> argv = new ArrayList<>(List.of("printf", "<%s>\\n"));
        argv.addAll(NASTY);
        Process p = new ProcessBuilder("/bin/sh", "-c", ShellQuote.join(argv)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        StringBuilder expected = new StringBuilder();
        for (String a : NASTY) expected.append('<').append(a).append(">\n");
        assertThat(out).isEqualTo(expected.toString());
    }

    @Test
    void refusesNulAndEmptyCommands() {
        assertThatThrownBy(() -> ShellQuote.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShellQuote.join(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
