package dev.pgchatops.core;

import dev.pgchatops.config.Role;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.reply.Reply;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A command that never touches Patroni: counts its runs and, if destructive, the runs of its confirmed action. */
public final class FakeCommand implements Command {
    @FunctionalInterface
    public interface Body {
        Outcome run(Invocation inv) throws UserFacingException;
    }

    private final CommandSpec spec;
    private final Body body;
    public final AtomicInteger runs = new AtomicInteger();
    public final AtomicInteger actions = new AtomicInteger();

    public FakeCommand(CommandSpec spec, Body body) {
        this.spec = spec;
        this.body = body;
    }

    /** A read command answering "ok NAME". */
    public static FakeCommand read(String name, Role role) {
        return new FakeCommand(spec(name, role, false), inv -> Outcome.done(Reply.success("ok " + name)));
    }

    /** A destructive command whose action counts its runs and answers "done NAME". */
    public static FakeCommand destructive(String name, Role role) {
        FakeCommand[] self = new FakeCommand[1];
        self[0] = new FakeCommand(spec(name, role, true), inv -> Outcome.confirm("do " + name + " on " + inv.cluster().name(),
                progress -> {
                    self[0].actions.incrementAndGet();
                    progress.line("doing " + name);
                    return Reply.success("done " + name);
                }));
        return self[0];
    }

    public static CommandSpec spec(String name, Role role, boolean destructive) {
        return new CommandSpec(name, "test command " + name, role, destructive, List.of("ARG"), 0,
                List.of(CommandSpec.Flag.value("candidate", "MEMBER", "a member"), CommandSpec.Flag.flag("force", "force it")));
    }

    @Override
    public CommandSpec spec() {
        return spec;
    }

    @Override
    public Outcome run(Invocation inv) throws UserFacingException {
        runs.incrementAndGet();
        return body.run(inv);
    }
}
