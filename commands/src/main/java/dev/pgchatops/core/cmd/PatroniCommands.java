package dev.pgchatops.core.cmd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pgchatops.config.Role;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.Invocation;
import dev.pgchatops.core.Outcome;
import dev.pgchatops.core.UserFacingException;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.parse.CommandSpec.Flag;
import dev.pgchatops.core.patroni.ClusterState;
import dev.pgchatops.core.patroni.HistoryEntry;
import dev.pgchatops.core.patroni.Member;
import dev.pgchatops.core.patroni.PatroniClient;
import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;

import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/** The Patroni commands, all through the Patroni REST API. */
public final class PatroniCommands {
    /** {@code password=x} in conninfo, {@code --repo1-cipher-pass=x} / {@code --repo1-s3-key-secret=x} in commands. */
    private static final Pattern INLINE_SECRET = Pattern.compile(
            "(?i)(\\b[\\w-]*(?:password|passwd|pass|secret|token|key)\\s*=\\s*)('[^']*'|\"[^\"]*\"|[^\\s'\"]+)");
    /** user:password@ in connection URLs. */
    private static final Pattern URL_SECRET = Pattern.compile("(\\b[a-zA-Z][\\w+.-]*://[^\\s:/@]+:)[^\\s@]+@");
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(password|passwd|secret|token|pgpass|private|cipher|credential|[-_]pass$|[-_]key$|api[-_]?key).*");

    private PatroniCommands() {
    }

    public static List<Command> all(Follow.Limits limits) {
        return List.of(new ClusterList(), new History(), new ShowConfig(), new Switchover(limits), new Failover(limits),
                new Reinit(limits), new Restart(limits), new Reload(), new Pause(limits), new Resume(limits),
                new FlushScheduled());
    }

    // ---- read commands ----------------------------------------------------------------------------------------

    public static final class ClusterList implements Command {
        @Override
        public CommandSpec spec() {
            return new CommandSpec("cluster-list", "members, roles, states, timelines and lag (like patronictl list)",
                    Role.VIEWER, false, List.of(), 0, List.of());
        }

        @Override
        public Outcome run(Invocation inv) throws UserFacingException {
            return Outcome.done(render(inv.cluster().name(), inv.cluster().patroni().cluster()));
        }

        public static Reply render(String cluster, ClusterState s) {
            boolean pending = s.members().stream().anyMatch(Member::pendingRestart);
            boolean scheduledRestart = s.members().stream().anyMatch(m -> m.scheduledRestart().isPresent());
            List<String> headers = new ArrayList<>(List.of("Member", "Host", "Role", "State", "TL", "Lag in MB"));
            if (pending) headers.add("Pending restart");
            if (scheduledRestart) headers.add("Scheduled restart");
            List<List<String>> rows = new ArrayList<>();
            for (Member m : s.members()) {
                List<String> r = new ArrayList<>(List.of(m.name(), m.hostPort(), m.role().label(), m.state(),
                        m.timeline().isPresent() ? String.valueOf(m.timeline().getAsLong()) : "", lag(m)));
                if (pending) r.add(m.pendingRestart() ? "*" : "");
                if (scheduledRestart) r.add(m.scheduledRestart().orElse(""));
                rows.add(r);
            }
            Severity sev = s.leader().isEmpty() || s.members().stream().anyMatch(m -> !m.isRunning())
                    ? Severity.WARNING : Severity.INFO;
            Reply.Builder b = Reply.builder(sev, "Cluster: " + cluster).table(headers, rows);
            if (s.paused()) b.text("Maintenance mode: on");
            s.scheduledSwitchover().ifPresent(sw -> b.text("Switchover scheduled at: " + sw.at()
                    + sw.from().map(f -> "\n                    from: " + f).orElse("")
                    + sw.to().map(t -> "\n                      to: " + t).orElse("")));
            if (s.leader().isEmpty()) b.text("No leader!");
            return b.build();
        }

        static String lag(Member m) {
            if (m.role().isLeader()) return "";
            if (m.lagUnknown()) return "unknown";
            if (m.lagBytes().isEmpty()) return "";
            return String.valueOf(Math.round(m.lagBytes().getAsLong() / 1024.0 / 1024.0));
        }
    }

    public static final class History implements Command {
        @Override
        public CommandSpec spec() {
            return new CommandSpec("history", "timeline switches: failovers and switchovers", Role.VIEWER, false,
                    List.of(), 0, List.of());
        }

        @Override
        public Outcome run(Invocation inv) throws UserFacingException {
            List<HistoryEntry> h = inv.cluster().patroni().history();
            if (h.isEmpty()) return Outcome.done(Reply.info(inv.cluster().name() + " has had no failover or switchover yet (timeline 1)."));
            List<List<String>> rows = new ArrayList<>();
            for (HistoryEntry e : h) {
                rows.add(List.of(String.valueOf(e.timeline()), String.valueOf(e.lsn()), e.reason(), e.timestamp(), e.newLeader()));
            }
            return Outcome.done(Reply.builder(Severity.INFO, "History of " + inv.cluster().name())
                    .table(List.of("TL", "LSN", "Reason", "Timestamp", "New Leader"), rows).build());
        }
    }

    public static final class ShowConfig implements Command {
        @Override
        public CommandSpec spec() {
            return new CommandSpec("show-config", "Patroni's dynamic configuration (secrets redacted)", Role.VIEWER,
                    false, List.of(), 0, List.of());
        }

        @Override
        public Outcome run(Invocation inv) throws UserFacingException {
            JsonNode cfg = redact(inv.cluster().patroni().dynamicConfig().deepCopy());
            String yaml;
            try {
                yaml = new YAMLMapper().writeValueAsString(cfg).replaceFirst("^---\\s*\\n", "");
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                yaml = cfg.toPrettyString();
            }
            return Outcome.done(Reply.builder(Severity.INFO, "Dynamic configuration of " + inv.cluster().name())
                    .text(yaml.stripTrailing()).build());
        }

        static JsonNode redact(JsonNode n) {
            if (n instanceof ObjectNode o) {
                for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (SECRET_KEY.matcher(e.getKey()).matches()) {
                        // Under a secret key everything is secret: a value, a list of values, a nested mapping.
                        if (e.getValue().isValueNode()) e.setValue(o.textNode("[redacted]"));
                        else redactAll(e.getValue());
                    } else if (e.getValue().isTextual()) {
                        e.setValue(o.textNode(redactInline(e.getValue().asText())));
                    } else {
                        redact(e.getValue());
                    }
                }
            } else if (n instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
                for (int i = 0; i < a.size(); i++) {
                    if (a.get(i).isTextual()) a.set(i, a.textNode(redactInline(a.get(i).asText())));
                    else redact(a.get(i));
                }
            }
            return n;
        }

        /** Redacts {@code password=...} inside conninfo-like strings such as primary_conninfo. */
        static String redactInline(String s) {
            return URL_SECRET.matcher(INLINE_SECRET.matcher(s).replaceAll("$1[redacted]")).replaceAll("$1[redacted]@");
        }

        private static void redactAll(JsonNode n) {
            if (n instanceof ObjectNode o) {
                for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getValue().isValueNode()) e.setValue(o.textNode("[redacted]"));
                    else redactAll(e.getValue());
                }
            } else if (n instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
                for (int i = 0; i < a.size(); i++) {
                    if (a.get(i).isValueNode()) a.set(i, a.textNode("[redacted]"));
                    else redactAll(a.get(i));
                }
            }
        }
    }

    // ---- leader changes ---------------------------------------------------------------------------------------

    public static final class Switchover implements Command {
        private final Follow.Limits limits;

        Switchover(Follow.Limits limits) {
            this.limits = limits;
        }

        @Override
        public CommandSpec spec() {
            return new CommandSpec("switchover", "hand the leader role to a healthy replica (planned)", Role.OPERATOR, true,
                    List.of(), 0, List.of(Flag.value("candidate", "MEMBER", "the replica to promote"),
                    Flag.value("at", "TIME", "schedule it: ISO time (2026-11-24T22:00Z) or HH:MM UTC")));
        }

        @Override
        public Outcome run(Invocation inv) throws UserFacingException {
            PatroniClient p = inv.cluster().patroni();
            String cluster = inv.cluster().name();
            ClusterState s = p.cluster();
            Member leader = Checks.leader(s, cluster);
            Optional<String> candidate = inv.command().flag("candidate");
            if (candidate.isPresent()) {
                Member c = Checks.member(s, cluster, candidate.get());
                if (c.role().isLeader()) {
                    throw new UserFacingException(c.name() + " is already the leader of " + cluster
                            + "; pick a replica: " + String.join(", ", replicas(s)));
                }
                if (!c.isRunning()) {
                    throw new UserFacingException(c.name() + " is " + c.state() + ", not running; it cannot take over. Healthy replicas: "
                            + String.join(", ", replicas(s)));
                }
            } else if (replicas(s).isEmpty()) {
                throw new UserFacingException(cluster + " has no running replica to switch over to.");
            }
            Optional<OffsetDateTime> at = inv.command().flag("at").isPresent()
                    ? Optional.of(parseTime(inv.command().flag("at").get(), inv.clock().instant().atOffset(ZoneOffset.UTC)))
                    : Optional.empty();
            String target = candidate.orElse("a healthy replica (" + String.join(", ", replicas(s)) + ")");
            String effect = "leader " + leader.name() + " → " + target + " on " + cluster + ", timeline "
                    + Checks.timeline(leader) + at.map(t -> ", scheduled at " + t).orElse(", now")
                    + ". Connections to " + leader.name() + " are dropped.";
            String oldLeader = leader.name();
            return Outcome.confirm(effect, progress -> {
                ClusterState now = p.cluster();
                Member l = Checks.leader(now, cluster);
                if (!l.name().equals(oldLeader)) {
                    throw new UserFacingException("the leader of " + cluster + " changed meanwhile (" + oldLeader + " → "
                            + l.name() + "); nothing was done. Run /switchover again if still needed.");
                }
                if (candidate.isPresent()) {
                    Member c = Checks.member(now, cluster, candidate.get());
                    if (!c.isRunning()) {
                        throw new UserFacingException(c.name() + " is now " + c.state() + "; nothing was done.");
                    }
                }
                String answer = p.switchover(oldLeader, candidate, at);
                progress.line("Patroni: " + answer);
                if (at.isPresent()) {
                    return Reply.success("Switchover of " + cluster + " scheduled at " + at.get() + " (" + answer
                            + "). Cancel it with /flush-scheduled.");
                }
                long t0 = System.nanoTime();
                long oldTl = l.timeline().orElse(0);
                Member newLeader = Follow.until(p, progress, limits.switchover(), limits.poll(), "the switchover",
                        st -> st.leader().filter(m -> !m.name().equals(oldLeader) && m.isRunning()
                                && m.timeline().orElse(0) > oldTl
                                && candidate.map(c -> c.equals(m.name())).orElse(true)));
                double seen = (System.nanoTime() - t0) / 1e9;
                String rejoin = Follow.rejoined(p, progress, limits, oldLeader);
                return Reply.success(String.format("Switched over %s: %s → %s, timeline %s (new leader seen after %.1f s); %s.",
                        cluster, oldLeader, newLeader.name(), Checks.timeline(newLeader), seen, rejoin));
            });
        }
    }

    static List<String> replicas(ClusterState s) {
        return s.members().stream().filter(m -> !m.role().isLeader() && m.isRunning()).map(Member::name).toList();
    }

    static OffsetDateTime parseTime(String text, OffsetDateTime now) throws UserFacingException {
        try {
            if (text.matches("\\d{1,2}:\\d{2}")) {
                LocalTime t = LocalTime.parse(text.length() == 4 ? "0" + text : text);
                OffsetDateTime d = now.withHour(t.getHour()).withMinute(t.getMinute()).withSecond(0).withNano(0);
                return d.isAfter(now) ? d : d.plusDays(1);
            }
            OffsetDateTime d = OffsetDateTime.parse(text.endsWith("Z") && text.length() == 17 ? text.replace("Z", ":00Z") : text);
            if (!d.isAfter(now)) throw new UserFacingException("--at " + text + " is in the past (now " + now + ").");
            return d;
        } catch (DateTimeParseException e) {
            throw new UserFacingException("--at: cannot read \"" + text + "\" as a time; use HH:MM (UTC) or ISO like 2026-11-24T22:00:00Z.");
        }
    }

    public static final class Failover implements Command {
        private final Follow.Limits limits;

        Failover(Follow.Limits limits) {
            this.limits = limits;
        }

        @Override
        public CommandSpec spec() {
            return new CommandSpec("failover", "promote a replica now, even without a healthy leader (unplanned)",
                    Role.ADMIN, true, List.of(), 0, List.of(Flag.required("candidate", "MEMBER", "the member to promote")));
        }

        @Override
        public Outcome run(Invocation inv) throws UserFacingException {
            PatroniClient p = inv.cluster().patroni();
            String cluster = inv.cluster().name();
            String cand = inv.command().flag("candidate").orElseThrow(() -> new UserFacingException(
                    "/failover needs --candidate MEMBER.\nUsage: " + spec().usage()));
            ClusterState s = p.cluster();
            Member c = Checks.member(s, cluster, cand);
            if (c.role().isLeader()) throw new UserFacingException(cand + " is already the leader of " + cluster + ".");
            Optional<Member> leader = s.leader();
            String effect = "failover on " + cluster + ": promote " + cand + " (" + c.state() + ", timeline "
                    + Checks.timeline(c) + ")" + leader.map(l -> "; current leader " + l.name() + " on timeline "
                    + Checks.timeline(l) + " is demoted").orElse("; there is no leader now") + ".";
            Optional<String> oldLeader = leader.map(Member::name);
            return Outcome.confirm(effect, progress -> {
                ClusterState now = p.cluster();
                Optional<String> l = now.leader().map(Member::name);
                if (!l.equals(oldLeader)) {
                    throw new UserFacingException("the leader of " + cluster + " changed meanwhile (" + oldLeader.orElse("none")
                            + " → " + l.orElse("none") + "); nothing was done. Check /cluster-list and run /failover again if still needed.");
                }
                Member candidateNow = Checks.member(now, cluster, cand);
                String answer = p.failover(cand);
                progress.line("Patroni: " + answer);
                long t0 = System.nanoTime();
                // The timeline before the failover: the leader's, or the candidate's when there is no leader.
                long oldTl = now.leader().map(Member::timeline).filter(OptionalLong::isPresent)
                        .orElse(candidateNow.timeline()).orElse(0);
                Member nl = Follow.until(p, progress, limits.switchover(), limits.poll(), "the failover",
                        st -> st.leader().filter(m -> m.name().equals(cand) && m.isRunning() && m.timeline().orElse(0) > oldTl));
                double seen = (System.nanoTime() - t0) / 1e9;
                String rejoin = oldLeader.isPresent() ? "; " + Follow.rejoined(p, progress, limits, oldLeader.get()) : "";
                return Reply.success(String.format("Failed over %s to %s, timeline %s (seen after %.1f s)%s.", cluster,
                        nl.name(), Checks.timeline(nl), seen, rejoin));
            });
        }
    }

    // ---- member actions ---------------------------------------------------------------------------------------

    public static final class Reinit implements Command {
        private final Follow.Limits limits;

        Reinit(Follow.Limits limits) {
            this.limits = limits;
        }

        @Override
        public CommandSpec spec() {
            return new CommandSpec("reinit", "rebuild a replica from scratch (create_replica_methods: pgbackrest, then basebackup)",
                    Role.OPERATOR, true, List.of("MEMBER"), 1, List.of(Flag.flag("force", "reinit even if a Patroni action is in progress")));
        }

        @Override
        public Outcome run(Invocation inv) throws UserFacingException {
            PatroniClient p = inv.cluster().patroni();
            String cluster = inv.cluster().name();
            String name = inv.command().arg(0).orElseThrow();
            boolean force = inv.command().has("force");
            ClusterState s = p.cluster();
            Member m = Checks.member(s, cluster, name);
            if (m.role().isLeader()) {
                throw new UserFacingException(name + " is the leader of " + cluster + "; /reinit rebuilds replicas only. "
                        + "Move the leader first: /switchover --candidate " + replicas(s).stream().findFirst().orElse("MEMBER"));
            }
            Member leader = Checks.leader(s, cluster);
            String effect = "reinitialize " + name + " on " + cluster + ": its data directory is rebuilt from the backup "
                    + "repository or from leader " + leader.name() + " (timeline " + Checks.timeline(leader) + "). "
                    + name + " is now " + m.state() + " on timeline " + Checks.timeline(m) + "." + (force ? " (--force)" : "");
            String leaderName = leader.name();
            return Outcome.confirm(effect, progress -> {
                ClusterState now = p.cluster();
                Member target = Checks.member(now, cluster, name);
                if (target.role().isLeader()) {
                    throw new UserFacingException(name + " became the leader of " + cluster + " meanwhile; nothing was done.");
                }
                String nowLeader = now.leader().map(Member::name).orElse("none");
                if (!nowLeader.equals(leaderName)) {
                    throw new UserFacingException("the leader of " + cluster + " changed meanwhile (" + leaderName + " → "
                            + nowLeader + "); nothing was done. Check /cluster-list and run /reinit again if still needed.");
                }
                Optional<String> startedBefore = postmasterStart(p, target);
                String answer = p.reinitialize(target, force);
                progress.line("Patroni: " + answer);
                long t0 = System.nanoTime();
                // Done only once the rebuild was seen (the member left "running", or PostgreSQL was started anew)
                // and the member runs on the leader's timeline again.
                boolean[] rebuilt = {false};
                Member done = Follow.until(p, progress, limits.reinit(), limits.poll(), "the reinit of " + name, st -> {
                    Optional<Member> mm = st.member(name);
                    if (mm.isEmpty()) return Optional.empty();
                    if (!mm.get().isRunning()) rebuilt[0] = true;
                    if (!rebuilt[0] && mm.get().isRunning() && startedBefore.isPresent()) {
                        Optional<String> nowStarted = postmasterStart(p, mm.get());
                        if (nowStarted.isPresent() && !nowStarted.equals(startedBefore)) rebuilt[0] = true;
                    }
                    return rebuilt[0] && Follow.streamingOnLeaderTimeline(st, name) ? mm : Optional.empty();
                });
                return Reply.success(String.format("%s of %s is %s again on timeline %s, lag %s MB (reinit took %.1f s).",
                        name, cluster, done.state(), Checks.timeline(done), ClusterList.lag(done).isEmpty() ? "0" : ClusterList.lag(done),
                        (System.nanoTime() - t0) / 1e9));
            });
        }

        /** The member's postmaster start time from its own GET /patroni; empty when it can't be read. */
        static Optional<String> postmasterStart(PatroniClient p, Member m) {
            try {
                JsonNode n = p.memberStatus(m);
                return n.hasNonNull("postmaster_start_time") ? Optional.of(n.get("postmaster_start_time").asText()) : Optional.empty();
            } catch (UserFacingException e) {
                return Optional.empty();
            }
        }
    }

    public static final class Restart implements Command {
        private final Follow.Limits limits;

        Restart(Follow.Limits limits) {
            this.limits = limits;
        }

        @Override
        public CommandSpec spec() {
            return new CommandSpec("restart", "restart PostgreSQL on one member or all (replicas first)", Role.OPERATOR, true,
                    List.of("MEMBER|all"), 1, List.of(Flag.flag("pending", "only members with a pending restart")));
        }

        @Override
        public Outcome run(Invocation inv) throws UserFacingException {
            PatroniClient p = inv.cluster().patroni();
            String cluster = inv.cluster().name();
            String which = inv.command().arg(0).orElseThrow();
            boolean pendingOnly = inv.command().has("pending");
            ClusterState s = p.cluster();
            List<String> targets = new ArrayList<>();
            if (which.equals("all")) {
                s.members().stream().filter(m -> !m.role().isLeader()).forEach(m -> targets.add(m.name()));
                s.leader().ifPresent(l -> targets.add(l.name()));
            } else {
                targets.add(Checks.member(s, cluster, which).name());
            }
            if (pendingOnly) {
                targets.removeIf(t -> s.member(t).map(m -> !m.pendingRestart()).orElse(true));
                if (targets.isEmpty()) {
                    return Outcome.done(Reply.info("No member of " + cluster + " has a pending restart; nothing to do."));
                }
            }
            String effect = "restart PostgreSQL on " + String.join(", ", targets) + " of " + cluster
                    + (targets.size() > 1 ? ", one after the other" : "") + (pendingOnly ? " (pending restart only)" : "")
                    + s.leader().filter(l -> targets.contains(l.name())).map(l -> ". Restarting leader " + l.name()
                    + " interrupts writes briefly").orElse("") + ".";
            Optional<String> leaderThen = s.leader().map(Member::name);
            return Outcome.confirm(effect, progress -> {
                Optional<String> leaderNow = p.cluster().leader().map(Member::name);
                if (!leaderNow.equals(leaderThen)) {
                    throw new UserFacingException("the leader of " + cluster + " changed meanwhile (" + leaderThen.orElse("none")
                            + " → " + leaderNow.orElse("none") + "); nothing was restarted. Run /restart again.");
                }
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < targets.size(); i++) {
                    String t = targets.get(i);
                    try {
                        Member m = Checks.member(p.cluster(), cluster, t);
                        String answer = p.restart(m, pendingOnly);
                        progress.line(t + ": " + answer);
                        Member back = Follow.until(p, progress, limits.restart(), limits.poll(), "the restart of " + t,
                                st -> st.member(t).filter(Member::isRunning));
                        lines.add(t + ": " + answer + " — now " + back.state());
                    } catch (UserFacingException e) {
                        // Stop here: restarting more members while one did not come back could take the cluster down.
                        lines.add(t + ": FAILED — " + e.getMessage());
                        List<String> rest = targets.subList(i + 1, targets.size());
                        if (!rest.isEmpty()) lines.add("not restarted: " + String.join(", ", rest));
                        return Reply.builder(Severity.ERROR, "Restart on " + cluster + " stopped at " + t)
                                .text(String.join("\n", lines)).build();
                    }
                }
                return Reply.builder(Severity.SUCCESS, "Restarted on " + cluster).text(String.join("\n", lines)).build();
            });
        }
    }

    public static final class Reload implements Command {
        @Override
        public CommandSpec spec() {
            return new CommandSpec("reload", "reload the Patroni and PostgreSQL configuration (all members or one)",
                    Role.OPERATOR, false, List.of("MEMBER"), 0, List.of());
        }

        @Override
        public Outcome run(Invocation inv) throws UserFacingException {
            PatroniClient p = inv.cluster().patroni();
            String cluster = inv.cluster().name();
            ClusterState s = p.cluster();
            List<Member> targets = inv.command().arg(0).isPresent()
                    ? List.of(Checks.member(s, cluster, inv.command().arg(0).get())) : s.members();
            List<String> lines = new ArrayList<>();
            boolean failed = false;
            for (Member m : targets) {
                try {
                    lines.add(m.name() + ": " + p.reload(m));
                } catch (UserFacingException e) {
                    failed = true;
                    lines.add(m.name() + ": FAILED — " + e.getMessage());
                }
            }
            return Outcome.done(Reply.builder(failed ? Severity.ERROR : Severity.SUCCESS, "Reload on " + cluster)
                    .text(String.join("\n", lines)).build());
        }
    }

    public static final class Pause implements Command {
        private final Follow.Limits limits;

        Pause(Follow.Limits limits) {
            this.limits = limits;
        }

        @Override
        public CommandSpec spec() {
            return new CommandSpec("pause", "maintenance mode: Patroni stops automatic failover", Role.ADMIN, true,
                    List.of(), 0, List.of());
        }

        @Override
        public Outcome run(Invocation inv) throws UserFacingException {
            PatroniClient p = inv.cluster().patroni();
            String cluster = inv.cluster().name();
            ClusterState s = p.cluster();
            if (s.paused()) return Outcome.done(Reply.info(cluster + " is already paused (maintenance mode). /resume ends it."));
            return Outcome.confirm("pause " + cluster + ": Patroni stops automatic failover until /resume"
                    + s.leader().map(l -> "; leader stays " + l.name()).orElse("") + ".", progress -> {
                if (p.cluster().paused()) return Reply.info(cluster + " was paused meanwhile; nothing to do.");
                String answer = p.setPaused(true);
                progress.line("Patroni: " + (answer.length() > 80 ? "configuration updated" : answer));
                Follow.until(p, progress, limits.pause(), limits.poll(), "pausing", st -> st.paused() ? Optional.of(true) : Optional.empty());
                return Reply.success(cluster + " is paused: automatic failover is off until /resume.");
            });
        }
    }

    public static final class Resume implements Command {
        private final Follow.Limits limits;

        Resume(Follow.Limits limits) {
            this.limits = limits;
        }

        @Override
        public CommandSpec spec() {
            return new CommandSpec("resume", "leave maintenance mode: automatic failover again", Role.ADMIN, false,
                    List.of(), 0, List.of());
        }

        @Override
        public Outcome run(Invocation inv) throws UserFacingException {
            PatroniClient p = inv.cluster().patroni();
            String cluster = inv.cluster().name();
            if (!p.cluster().paused()) return Outcome.done(Reply.info(cluster + " is not paused; nothing to do."));
            p.setPaused(false);
            Follow.until(p, inv.progress(), limits.pause(), limits.poll(), "resuming", st -> st.paused() ? Optional.empty() : Optional.of(true));
            return Outcome.done(Reply.success(cluster + " resumed: automatic failover is on again."));
        }
    }

    public static final class FlushScheduled implements Command {
        @Override
        public CommandSpec spec() {
            return new CommandSpec("flush-scheduled", "cancel a scheduled switchover and scheduled restarts",
                    Role.OPERATOR, false, List.of(), 0, List.of());
        }

        @Override
        public Outcome run(Invocation inv) throws UserFacingException {
            PatroniClient p = inv.cluster().patroni();
            String cluster = inv.cluster().name();
            ClusterState s = p.cluster();
            List<String> lines = new ArrayList<>();
            boolean failed = false;
            if (s.scheduledSwitchover().isPresent()) {
                String what = "switchover at " + s.scheduledSwitchover().get().at() + ": ";
                try {
                    lines.add(what + p.cancelScheduledSwitchover());
                } catch (UserFacingException e) {
                    failed = true;
                    lines.add(what + "FAILED — " + e.getMessage());
                }
            }
            for (Member m : s.members()) {
                if (m.scheduledRestart().isEmpty()) continue;
                try {
                    lines.add("restart of " + m.name() + ": " + p.cancelScheduledRestart(m));
                } catch (UserFacingException e) {
                    failed = true;
                    lines.add("restart of " + m.name() + ": FAILED — " + e.getMessage());
                }
            }
            if (lines.isEmpty()) return Outcome.done(Reply.info("Nothing is scheduled on " + cluster + "."));
            return Outcome.done(Reply.builder(failed ? Severity.ERROR : Severity.SUCCESS, "Flushed on " + cluster)
                    .text(String.join("\n", lines)).build());
        }
    }

    /** Renders a list of fields; used by several commands. */
    static Block.Fields fields(String... nameValue) {
        List<Block.Field> f = new ArrayList<>();
        for (int i = 0; i + 1 < nameValue.length; i += 2) f.add(new Block.Field(nameValue[i], nameValue[i + 1]));
        return new Block.Fields(f);
    }
}
