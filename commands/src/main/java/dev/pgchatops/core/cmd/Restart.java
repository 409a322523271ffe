package dev.pgchatops.core.cmd;

import dev.pgchatops.config.Role;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.Invocation;
import dev.pgchatops.core.Outcome;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.parse.CommandSpec.Flag;
import dev.pgchatops.core.patroni.ClusterState;
import dev.pgchatops.core.patroni.Deadline;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.patroni.PatroniClient;
import dev.pgchatops.core.patroni.RestartOptions;
import dev.pgchatops.core.reply.Reply;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * /restart MEMBER|all: restarts PostgreSQL, replicas first and the leader last, stopping at the first trouble; with
 * {@code --role leader|replica|any}, {@code --pg-version} (only members on an older PostgreSQL), {@code --pending},
 * {@code --timeout} (Patroni fails over when the leader's restart takes longer) and {@code --scheduled TIME}
 * (Patroni restarts at that time; nothing is followed). Role conditions are sent in the spelling of each member's
 * Patroni version ({@code primary}; {@code master} only before 3.0), so Patroni re-checks them itself.
 */
public final class Restart implements Command {
    private final Follow.Limits limits;

    Restart(Follow.Limits limits) {
        this.limits = limits;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("restart", "restart PostgreSQL on one member or all (replicas first)", Role.OPERATOR, true,
                List.of("MEMBER|all"), 1, List.of(Flag.flag("pending", "only members with a pending restart"),
                Flag.value("role", "leader|replica|any", "only members of this role (default any)"),
                Flag.value("pg-version", "VERSION", "only members running an older PostgreSQL than VERSION, e.g. 15.8"),
                Flag.value("scheduled", "TIME", "let Patroni restart at TIME (HH:MM UTC or ISO-8601) instead of now"),
                Flag.value("timeout", "SECONDS", "fail over if the leader's restart takes longer (e.g. 60 or 2m)")));
    }

    @Override
    public Outcome run(Invocation inv) throws UserFacingException {
        PatroniClient p = inv.cluster().patroni();
        String cluster = inv.cluster().name();
        String which = inv.command().arg(0).orElseThrow();
        boolean pendingOnly = inv.command().has("pending");
        String role = inv.command().flag("role").map(r -> r.toLowerCase(Locale.ROOT)).orElse("any");
        if (!List.of("leader", "primary", "master", "replica", "any").contains(role)) {
            throw new UserFacingException("--role takes leader, replica or any, not '" + abbreviate(role) + "'");
        }
        if (role.equals("primary") || role.equals("master")) role = "leader";
        Optional<String> pgVersion = inv.command().flag("pg-version");
        if (pgVersion.isPresent() && !pgVersion.get().matches("\\d{1,2}(\\.\\d{1,3}){0,2}")) {
            throw new UserFacingException("--pg-version takes a PostgreSQL version like 15 or 15.8, not '" + abbreviate(pgVersion.get()) + "'");
        }
        Optional<OffsetDateTime> when = Optional.empty();
        if (inv.command().flag("scheduled").isPresent()) {
            try {
                when = Optional.of(SwitchoverTime.parse(inv.command().flag("scheduled").get(),
                        inv.clock().instant().atOffset(ZoneOffset.UTC)).at());
            } catch (UserFacingException e) {
                throw new UserFacingException(e.getMessage().replace("--at", "--scheduled"));
            }
        }
        Optional<OffsetDateTime> at = when;
        Optional<Duration> timeout = inv.command().flag("timeout").isPresent()
                ? Optional.of(seconds(inv.command().flag("timeout").get())) : Optional.empty();
        ClusterState s = p.cluster();
        if (at.isPresent() && s.paused()) {
            throw new UserFacingException(cluster + " is paused: Patroni does not schedule restarts in maintenance mode. "
                    + "Restart now (without --scheduled) or /resume first.");
        }
        List<String> targets = new ArrayList<>();
        if (which.equals("all")) {
            s.members().stream().filter(m -> !m.role().isLeader()).forEach(m -> targets.add(m.name()));
            s.leader().ifPresent(l -> targets.add(l.name()));
        } else {
            targets.add(Checks.member(s, cluster, which).name());
        }
        String roleF = role;
        if (!role.equals("any")) {
            boolean leader = role.equals("leader");
            List<String> before = List.copyOf(targets);
            targets.removeIf(t -> s.member(t).map(m -> m.role().isLeader() != leader).orElse(true));
            if (targets.isEmpty()) {
                throw new UserFacingException((which.equals("all") ? "no member" : String.join(", ", before) + " is not a " + roleF
                        + ";") + " of " + cluster + (which.equals("all") ? " is a " + roleF : "") + "; nothing to restart. "
                        + "Members: " + Follow.summary(s));
            }
        }
        if (pendingOnly) {
            targets.removeIf(t -> s.member(t).map(m -> !m.pendingRestart()).orElse(true));
            if (targets.isEmpty()) {
                return Outcome.done(Reply.info("No member of " + cluster + " has a pending restart; nothing to do."));
            }
        }
        RestartOptions base = new RestartOptions(pendingOnly, Optional.empty(), pgVersion, at, timeout);
        String conditions = (pendingOnly ? " (pending restart only)" : "")
                + (role.equals("any") ? "" : " (role " + role + " only)")
                + pgVersion.map(v -> " (only if PostgreSQL is older than " + v + ")").orElse("")
                + timeout.map(t -> " (fail over if the leader takes longer than " + t.toSeconds() + " s)").orElse("");
        String effect = (at.isPresent() ? "schedule a restart of PostgreSQL at " + SwitchoverTime.format(at.get()) + " on "
                : "restart PostgreSQL on ") + String.join(", ", targets) + " of " + cluster
                + (targets.size() > 1 && at.isEmpty() ? ", one after the other" : "") + conditions
                + s.leader().filter(l -> targets.contains(l.name())).map(l -> ". Restarting leader " + l.name()
                + " interrupts writes briefly").orElse("") + ".";
        Optional<String> leaderThen = s.leader().map(Member::name);
        boolean roleCondition = !role.equals("any");
        return Outcome.confirm(effect, progress -> {
            Checks.leaderUnchanged(p.cluster(), cluster, leaderThen, "nothing was restarted. Run /restart again.");
            MemberResults results = new MemberResults();
            for (int i = 0; i < targets.size(); i++) {
                String t = targets.get(i);
                try {
                    Member m = Checks.member(p.cluster(), cluster, t);
                    RestartOptions o = roleCondition ? withRole(base, m, p) : base;
                    String answer;
                    try {
                        answer = p.restart(m, o);
                    } catch (UserFacingException e) {
                        if (e.getMessage().contains("conditions are not satisfied")) {
                            results.ok(t + ": skipped — Patroni says its restart conditions are not met"
                                    + pgVersion.map(v -> " (PostgreSQL not older than " + v + "?)").orElse(""));
                            continue;
                        }
                        throw e;
                    }
                    progress.line(t + ": " + answer);
                    if (at.isPresent()) {
                        results.ok(t + ": " + answer);
                        continue;
                    }
                    Member back = Follow.until(p, progress, limits.restart(), limits.poll(), "the restart of " + t,
                            st -> st.member(t).filter(Member::isRunning));
                    results.ok(t + ": " + answer + " — now " + back.state());
                } catch (UserFacingException e) {
                    // Stop here: restarting more members while one did not come back could take the cluster down.
                    results.failed(t + ": ", e);
                    List<String> rest = targets.subList(i + 1, targets.size());
                    if (!rest.isEmpty()) results.note("not restarted: " + String.join(", ", rest));
                    return results.reply("Restart on " + cluster + " stopped at " + t);
                }
            }
            return results.reply((at.isPresent() ? "Restart scheduled on " : "Restarted on ") + cluster);
        });
    }

    /** The role condition in the spelling the member's Patroni version takes (from its GET /patroni). */
    static RestartOptions withRole(RestartOptions o, Member m, PatroniClient p) {
        Optional<String> version;
        try {
            version = Optional.of(p.memberStatus(m, Deadline.after(p.requestTimeout())).path("patroni").path("version").asText(""))
                    .filter(v -> !v.isEmpty());
        } catch (UserFacingException e) {
            version = Optional.empty();
        }
        return new RestartOptions(o.onlyIfPending(), Optional.of(RestartOptions.roleFor(m.role().isLeader(), version)),
                o.postgresVersion(), o.schedule(), o.timeout());
    }

    /** "60", "60s", "2m" → a duration of whole seconds. */
    static Duration seconds(String text) throws UserFacingException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})\\s*(s|m)?").matcher(text.trim());
        if (!m.matches()) throw new UserFacingException("--timeout takes seconds like 60, 60s or 2m, not '" + abbreviate(text) + "'");
        long n = Long.parseLong(m.group(1));
        return "m".equals(m.group(2)) ? Duration.ofMinutes(n) : Duration.ofSeconds(n);
    }

    private static String abbreviate(String s) {
        return dev.pgchatops.core.Texts.abbreviate(s, dev.pgchatops.core.parse.CommandParser.ECHO);
    }
}
