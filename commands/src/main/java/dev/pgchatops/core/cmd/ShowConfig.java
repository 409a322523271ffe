package dev.pgchatops.core.cmd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pgchatops.config.Role;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.Invocation;
import dev.pgchatops.core.Outcome;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;

import java.util.List;

/** /show-config: Patroni's dynamic configuration (GET /config) as YAML, secrets redacted by {@link SecretRedactor}. */
public final class ShowConfig implements Command {
    private final String name;

    /** {@code /show-config} (the old name). */
    public ShowConfig() {
        this("show-config");
    }

    /** Under {@code name}: {@code config-show} next to {@code config-set} / {@code config-unset}. */
    public ShowConfig(String name) {
        this.name = name;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec(name, "Patroni's dynamic configuration (secrets redacted)"
                + (name.equals("show-config") ? "; also /config-show" : ""), Role.VIEWER, false, List.of(), 0, List.of());
    }

    @Override
    public Outcome run(Invocation inv) throws UserFacingException {
        SecretRedactor.Result r = SecretRedactor.redact(inv.cluster().patroni().dynamicConfig());
        String yaml;
        try {
            yaml = new YAMLMapper().writeValueAsString(r.redacted()).replaceFirst("^---\\s*\\n", "");
        } catch (JsonProcessingException e) {
            yaml = r.redacted().toPrettyString();
        }
        return Outcome.done(Reply.builder(Severity.INFO, "Dynamic configuration of " + inv.cluster().name())
                .text(yaml.stripTrailing()).text(r.count() + (r.count() == 1 ? " value" : " values") + " redacted.").build());
    }
}
