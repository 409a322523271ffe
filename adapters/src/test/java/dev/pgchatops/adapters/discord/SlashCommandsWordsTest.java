package dev.pgchatops.adapters.discord;

import dev.pgchatops.config.Role;
import dev.pgchatops.core.parse.CommandSpec;
import gnu.trove.map.hash.TLongObjectHashMap;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.utils.data.DataObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SlashCommandsWordsTest {
    private static OptionMapping string(String name, String value) {
        return new OptionMapping(DataObject.empty().put("type", 3).put("name", name).put("value", value),
                new TLongObjectHashMap<>(), null, null);
    }

    @Test
    void aVariadicOptionIsSplitIntoOneWordPerMember() {
        CommandSpec reinit = new CommandSpec("reinit", "r", Role.OPERATOR, true, List.of("MEMBER..."), 1,
                List.of(CommandSpec.Flag.flag("wait", "one by one")));
        Map<String, OptionMapping> given = Map.of("member", string("member", " node1 node2,node3 "));
        assertThat(SlashCommands.words(reinit, given::get)).containsExactly("node1", "node2", "node3");
    }

    @Test
    void anOrdinaryOptionStaysOneWord() {
        CommandSpec restart = new CommandSpec("restart", "r", Role.OPERATOR, true, List.of("MEMBER|all"), 1, List.of());
        Map<String, OptionMapping> given = Map.of("member", string("member", "node1 node2"));
        assertThat(SlashCommands.words(restart, given::get)).containsExactly("node1 node2");
    }
}
