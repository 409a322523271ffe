package dev.pgchatops.core.parse;

import dev.pgchatops.config.Role;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A last positional ending in "..." takes one or more words (/reinit node1 node2, /config-set A=1 B=2). */
class VariadicPositionalTest {
    private final CommandSpec spec = new CommandSpec("config-set", "x", Role.OPERATOR, true, List.of("KEY=VALUE..."), 1,
            List.of(CommandSpec.Flag.flag("force", "f")));

    @Test
    void takesSeveralWordsAndNeedsOne() throws Exception {
        assertThat(spec.variadic()).isTrue();
        assertThat(CommandParser.parse(spec, List.of("a=1", "--force", "b=2", "c=3")).positionals()).containsExactly("a=1", "b=2", "c=3");
        assertThatThrownBy(() -> CommandParser.parse(spec, List.of()))
                .hasMessage("/config-set needs KEY=VALUE (one or more).\nUsage: /config-set KEY=VALUE... [--force] [--cluster NAME]");
    }

    @Test
    void adaptersGetPlatformSafeNamesAndTheMemberType() {
        assertThat(spec.params().get(0).name()).isEqualTo("keyvalue");
        CommandSpec reinit = new CommandSpec("reinit", "x", Role.OPERATOR, true, List.of("MEMBER..."), 1, List.of());
        assertThat(reinit.params().get(0).name()).isEqualTo("member");
        assertThat(reinit.params().get(0).type()).isEqualTo(CommandSpec.ValueType.MEMBER);
        CommandSpec fixed = new CommandSpec("reload", "x", Role.OPERATOR, false, List.of("MEMBER"), 0, List.of());
        assertThat(fixed.variadic()).isFalse();
        assertThatThrownBy(() -> CommandParser.parse(fixed, List.of("a", "b"))).hasMessageContaining("unexpected argument \"b\"");
    }
}
