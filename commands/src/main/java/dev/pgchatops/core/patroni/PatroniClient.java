package dev.pgchatops.core.patroni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pgchatops.config.PatroniConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Patroni REST client on {@code java.net.http}. Reads go to the configured URLs in turn (starting with the last one
 * that answered) until one answers; every exchange is bounded as a whole (connect, send, headers, body) by the
 * connect timeout plus the request timeout, and a loop of calls by one {@link Deadline}. Member actions
 * (reinitialize, restart, reload) go to that member's own {@code api_url}. Writes are retried on another URL only
 * when the connection could not be made, so nothing is ever sent twice.
 */
public final class PatroniClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String cluster;
    private final List<URI> urls;
    private final String authHeader;
    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final BoundedHttp http;
    private final AtomicInteger preferred = new AtomicInteger();
    private final Reads reads;

    public PatroniClient(String cluster, PatroniConfig config) {
        this.cluster = cluster;
        this.urls = config.urls().stream().map(PatroniClient::base).toList();
        this.requestTimeout = config.requestTimeout();
        this.connectTimeout = config.connectTimeout();
        this.authHeader = config.username() == null || config.password() == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(
                (config.username() + ":" + config.password().reveal()).getBytes(StandardCharsets.UTF_8));
        this.http = new BoundedHttp(shared(config.connectTimeout()));
        this.reads = new Reads(cluster, urls, http, connectTimeout, requestTimeout, preferred);
    }

    /**
     * One {@link HttpClient} per connect timeout for the whole process: a client holds a selector thread and a
     * connection pool, and a bot watching hundreds of clusters must not run hundreds of them.
     */
    private static final java.util.concurrent.ConcurrentMap<Duration, HttpClient> CLIENTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static HttpClient shared(Duration connectTimeout) {
        return CLIENTS.computeIfAbsent(connectTimeout, t -> HttpClient.newBuilder().connectTimeout(t)
                .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build());
    }

    public String clusterName() {
        return cluster;
    }

    // ---- reads ------------------------------------------------------------------------------------------------

    public ClusterState cluster() throws PatroniException {
        return cluster(Deadline.NONE);
    }

    /** GET /cluster, trying the URLs in turn, all within {@code deadline}. */
    public ClusterState cluster(Deadline deadline) throws PatroniException {
        return clusterRead(deadline).state();
    }

    /** A GET /cluster and the member whose REST API served it. */
    public record ClusterRead(ClusterState state, URI servedBy) {
        /** Whether {@code m}'s own REST API served this read (it is reachable, then). */
        public boolean servedBy(Member m) {
            return m.apiUrl() != null && base(m.apiUrl()).equals(servedBy);
        }
    }

    /** As {@link #cluster(Deadline)}, saying which member answered. */
    public ClusterRead clusterRead(Deadline deadline) throws PatroniException {
        Reads.Answer a = reads.read("/cluster", deadline);
        ClusterState s = parseCluster(a.json());
        reads.lastCluster.set(s);
        return new ClusterRead(s, a.base());
    }

    /**
     * Makes {@code m}'s REST API the first one reads try (when it is in {@code patroni.urls}): the watch asks the
     * leader, so one GET /cluster also tells that the leader answers.
     */
    public void prefer(Member m) {
        if (m.apiUrl() == null) return;
        int i = urls.indexOf(base(m.apiUrl()));
        if (i >= 0) preferred.set(i);
    }

    public List<HistoryEntry> history() throws PatroniException {
        JsonNode n = reads.get("/history", Deadline.NONE);
        List<HistoryEntry> out = new ArrayList<>();
        if (!n.isArray()) throw new PatroniException.BadResponse("GET /history of " + cluster + " did not return a list", null);
        for (JsonNode e : n) {
            out.add(new HistoryEntry(e.path(0).asLong(), e.path(1).asLong(), e.path(2).asText(""),
                    e.path(3).asText(""), e.path(4).asText("")));
        }
        return out;
    }

    /** GET /config: the dynamic configuration, as Patroni stores it. */
    public JsonNode dynamicConfig() throws PatroniException {
        return config(Deadline.NONE);
    }

    // ---- cluster-wide writes ----------------------------------------------------------------------------------

    public String switchover(String leader, Optional<String> candidate, Optional<OffsetDateTime> at) throws PatroniException {
        ObjectNode body = JSON.createObjectNode().put("leader", leader);
        candidate.ifPresent(c -> body.put("candidate", c));
        at.ifPresent(t -> body.put("scheduled_at", t.toString()));
        // Patroni waits for the switchover to finish before answering: allow it more than a plain request.
        return send("POST", "/switchover", body, longTimeout());
    }

    public String failover(String candidate) throws PatroniException {
        return send("POST", "/failover", JSON.createObjectNode().put("candidate", candidate), longTimeout());
    }

    public String setPaused(boolean paused) throws PatroniException {
        ObjectNode body = JSON.createObjectNode();
        if (paused) body.put("pause", true);
        else body.putNull("pause");
        return send("PATCH", "/config", body, requestTimeout);
    }

    public String cancelScheduledSwitchover() throws PatroniException {
        return send("DELETE", "/switchover", null, requestTimeout);
    }

    // ---- member writes (to the member's own api_url) ----------------------------------------------------------

    public String reinitialize(Member member, boolean force) throws PatroniException {
        return sendTo(memberBase(member), "POST", "/reinitialize", JSON.createObjectNode().put("force", force), requestTimeout);
    }

    public String restart(Member member, boolean onlyIfPending) throws PatroniException {
        return restart(member, RestartOptions.pendingOnly(onlyIfPending));
    }

    /** POST /restart with its conditions; a scheduled restart answers at once (202), a restart when done. */
    public String restart(Member member, RestartOptions o) throws PatroniException {
        ObjectNode body = JSON.createObjectNode();
        if (o.onlyIfPending()) body.put("restart_pending", true);
        o.role().ifPresent(r -> body.put("role", r));
        o.postgresVersion().ifPresent(v -> body.put("postgres_version", v));
        o.schedule().ifPresent(t -> body.put("schedule", t.toString()));
        o.timeout().ifPresent(t -> body.put("timeout", t.toSeconds()));
        Duration bound = longTimeout();
        if (o.timeout().isPresent() && o.timeout().get().plusSeconds(15).compareTo(bound) > 0) bound = o.timeout().get().plusSeconds(15);
        return sendTo(memberBase(member), "POST", "/restart", body, bound);
    }

    /** PATCH /config with {@code patch} (Patroni merges it; a null removes a key); Patroni's answer (the new config). */
    public String patchConfig(JsonNode patch) throws PatroniException {
        return send("PATCH", "/config", patch, requestTimeout);
    }

    /**
     * GET {@code path} on the member itself (/patroni, /failsafe, …): the HTTP status and the JSON body (a
     * {@code TextNode} when the body is not JSON).
     */
    public MemberAnswer memberGet(Member member, String path, Deadline deadline) throws PatroniException {
        URI b = memberBase(member);
        Duration bound = deadline.cap(attemptBound(requestTimeout));
        try {
            HttpResponse<String> resp = http.exchange(reads.request(b, path, bound), bound);
            JsonNode body;
            try {
                body = JSON.readTree(resp.body());
            } catch (IOException e) {
                body = com.fasterxml.jackson.databind.node.TextNode.valueOf(resp.body() == null ? "" : resp.body().trim());
            }
            return new MemberAnswer(resp.statusCode(), body == null ? JSON.nullNode() : body);
        } catch (BoundedHttp.Failure e) {
            throw new PatroniException.Unreachable("cannot reach Patroni at " + b + ": " + e.describe(), e);
        }
    }

    /**
     * Failsafe mode of the cluster: {@code failsafe_mode} from GET /config and, when it is on, GET /failsafe and the
     * leader's {@code failsafe_mode_is_active}, all within {@code deadline}.
     */
    public Failsafe failsafe(ClusterState s, Deadline deadline) throws PatroniException {
        return failsafe(s, config(deadline), deadline);
    }

    /** GET /config within {@code deadline} (also kept as the last config seen, for a report while the DCS is down). */
    public JsonNode config(Deadline deadline) throws PatroniException {
        return config(deadline, 0);
    }

    /** GET /config starting {@code offset} members after the preferred one (see {@link Reads#read(String, Deadline, int)}). */
    private JsonNode config(Deadline deadline, int offset) throws PatroniException {
        JsonNode cfg = reads.read("/config", deadline, offset).json();
        reads.lastConfig.set(cfg.deepCopy());
        return cfg;
    }

    /**
     * How long a config read aside is reused (e.g. the failsafe mode shown by /cluster-list, asked again and again in
     * an incident): the dynamic configuration changes rarely, and the bot's own PATCH /config drops it at once.
     */
    static final Duration ASIDE_FRESH = Duration.ofSeconds(5);

    private record Aside(JsonNode config, long readAtNanos) {
    }

    private volatile Aside aside;

    private static final java.util.concurrent.ExecutorService ASIDE = java.util.concurrent.Executors.newCachedThreadPool(
            dev.pgchatops.core.run.DaemonThreads.numbered("pgchatops-patroni-aside"));

    /**
     * {@link #config(Deadline)} started now on a thread of its own and asked of another member first, so that a
     * command needing GET /cluster and GET /config waits for the slower of the two, not their sum. Completes exceptionally with the
     * {@link PatroniException} (wrapped) when the read fails; bounded by {@code deadline}.
     */
    public java.util.concurrent.CompletableFuture<JsonNode> configAside(Deadline deadline) {
        Aside a = aside;
        if (a != null && System.nanoTime() - a.readAtNanos() < ASIDE_FRESH.toNanos()) {
            return java.util.concurrent.CompletableFuture.completedFuture(a.config().deepCopy());
        }
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                // from the member after the preferred one: another Patroni answers it while the first serves /cluster
                long t0 = System.nanoTime();
                JsonNode cfg = config(deadline, 1);
                aside = new Aside(cfg.deepCopy(), t0);
                return cfg;
            } catch (PatroniException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, ASIDE);
    }

    /** As {@link #failsafe(ClusterState, Deadline)} with the cluster's config already read. */
    public Failsafe failsafe(ClusterState s, JsonNode cfg, Deadline deadline) {
        if (!cfg.path("failsafe_mode").asBoolean(false)) return Failsafe.OFF;
        Optional<Member> leader = s.leader();
        if (leader.isEmpty()) return new Failsafe(true, false, List.of());
        List<String> members = new ArrayList<>();
        boolean active = false;
        try {
            MemberAnswer fs = memberGet(leader.get(), "/failsafe", deadline);
            if (fs.status() == 200) fs.body().fieldNames().forEachRemaining(members::add);
            MemberAnswer st = memberGet(leader.get(), "/patroni", deadline);
            active = st.body().path("failsafe_mode_is_active").asBoolean(false);
        } catch (PatroniException e) {
            // enabled is known from /config; the leader's own view is a bonus
        }
        return new Failsafe(true, active, members);
    }

    /** The status and body of a member's GET. */
    public record MemberAnswer(int status, JsonNode body) {
    }

    public String reload(Member member) throws PatroniException {
        return sendTo(memberBase(member), "POST", "/reload", null, requestTimeout);
    }

    public String cancelScheduledRestart(Member member) throws PatroniException {
        return sendTo(memberBase(member), "DELETE", "/restart", null, requestTimeout);
    }

    // ---- plumbing ---------------------------------------------------------------------------------------------

    private Duration longTimeout() {
        return requestTimeout.compareTo(Duration.ofSeconds(60)) > 0 ? requestTimeout : Duration.ofSeconds(60);
    }

    static URI base(URI u) {
        String host = u.getHost();
        if (host != null && host.contains(":") && !host.startsWith("[")) host = "[" + host + "]";
        return URI.create(u.getScheme() + "://" + host + (u.getPort() > 0 ? ":" + u.getPort() : ""));
    }

    /**
     * The member's own REST base. Only addresses listed in patroni.urls are used: the api_url comes from the DCS, and
     * the bot must not send its credentials wherever somebody with write access to the DCS points it.
     */
    private URI memberBase(Member m) throws PatroniException {
        if (m.apiUrl() == null) {
            throw new PatroniException.BadResponse("Patroni reports no api_url for member " + m.name() + " of " + cluster, null);
        }
        URI b = base(m.apiUrl());
        if (!urls.contains(b)) {
            throw new PatroniException.BadResponse("member " + m.name() + " of " + cluster + " advertises api_url " + b
                    + ", which is not in patroni.urls; add it there to allow actions on " + m.name(), null);
        }
        return b;
    }

    /** GET /patroni on the member itself: its own view (state, timeline, postmaster_start_time). */
    public JsonNode memberStatus(Member member) throws PatroniException {
        return memberStatus(member, Deadline.NONE);
    }

    public JsonNode memberStatus(Member member, Deadline deadline) throws PatroniException {
        URI b = memberBase(member);
        Duration bound = deadline.cap(attemptBound(requestTimeout));
        try {
            HttpResponse<String> resp = http.exchange(reads.request(b, "/patroni", bound), bound);
            // /patroni answers 503 with a JSON body while PostgreSQL is not running: still this member's view.
            try {
                return JSON.readTree(resp.body());
            } catch (IOException e) {
                throw new PatroniException.BadResponse("GET " + b.resolve("/patroni") + " did not return JSON", e);
            }
        } catch (BoundedHttp.Failure e) {
            throw new PatroniException.Unreachable("cannot reach Patroni at " + b + ": " + e.describe(), e);
        }
    }

    /** A cluster-wide write: tries the URLs in turn, but moves on only when no connection could be made. */
    private String send(String method, String path, JsonNode body, Duration timeout) throws PatroniException {
        if (path.equals("/config")) aside = null;
        try {
            return sendOnce(method, path, body, timeout);
        } finally {
            if (path.equals("/config")) aside = null; // also a read that raced with this write
        }
    }

    private String sendOnce(String method, String path, JsonNode body, Duration timeout) throws PatroniException {
        List<String> failures = new ArrayList<>();
        int start = preferred.get();
        Exception last = null;
        for (int i = 0; i < urls.size(); i++) {
            int idx = (start + i) % urls.size();
            try {
                String r = exchange(urls.get(idx), method, path, body, timeout);
                preferred.set(idx);
                return r;
            } catch (BoundedHttp.Failure e) {
                last = e;
                failures.add(urls.get(idx) + " (" + e.describe() + ")");
            }
        }
        throw new PatroniException.Unreachable("cannot reach Patroni of cluster " + cluster + " for " + method + " " + path
                + ": " + String.join(", ", failures), last);
    }

    private String sendTo(URI base, String method, String path, JsonNode body, Duration timeout) throws PatroniException {
        try {
            return exchange(base, method, path, body, timeout);
        } catch (BoundedHttp.Failure e) {
            throw new PatroniException.Unreachable("cannot reach Patroni at " + base + " for " + method + " " + path + ": "
                    + e.describe(), e);
        }
    }

    /**
     * One write, bounded as a whole by connect timeout + {@code timeout}. Throws Failure only when no connection was
     * made (nothing was sent); once sent, a missing or broken answer is {@link PatroniException.NoAnswer}.
     */
    private String exchange(URI base, String method, String path, JsonNode body, Duration timeout)
            throws PatroniException, BoundedHttp.Failure {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) b.header("Content-Type", "application/json");
        if (authHeader != null) b.header("Authorization", authHeader);
        Duration bound = attemptBound(timeout);
        HttpResponse<String> resp;
        try {
            resp = http.exchange(b.build(), bound);
        } catch (BoundedHttp.Failure e) {
            if (!e.kind.mayHaveArrived()) throw e;
            String what = switch (e.kind) {
                case NO_ANSWER, INCOMPLETE -> "sent, no answer within " + BoundedHttp.human(e.kind == BoundedHttp.Kind.NO_ANSWER ? timeout : bound);
                case INTERRUPTED -> "sent, interrupted while waiting for the answer";
                default -> "sent, but the " + e.describe();
            };
            // The request reached Patroni: it may be running it. Never retry elsewhere, never call it failed.
            throw new PatroniException.NoAnswer(method + " " + base.resolve(path) + ": " + what
                    + "; Patroni may still run it — check /cluster-list before retrying", e);
        }
        if (resp.statusCode() / 100 == 2) return resp.body() == null ? "" : resp.body().trim();
        throw Refusals.rejected(cluster, method, base, path, resp);
    }

    private Duration attemptBound(Duration timeout) {
        return connectTimeout.plus(timeout);
    }

    static ClusterState parseCluster(JsonNode n) throws PatroniException {
        if (!n.isObject() || !n.path("members").isArray()) {
            throw new PatroniException.BadResponse("GET /cluster did not return members", null);
        }
        List<Member> members = new ArrayList<>();
        for (JsonNode m : n.get("members")) {
            OptionalLong tl = m.hasNonNull("timeline") && m.get("timeline").canConvertToLong()
                    ? OptionalLong.of(m.get("timeline").asLong()) : OptionalLong.empty();
            JsonNode lagNode = m.get("lag");
            OptionalLong lag = OptionalLong.empty();
            boolean lagUnknown = false;
            if (lagNode != null && !lagNode.isNull()) {
                if (lagNode.isNumber()) lag = OptionalLong.of(lagNode.asLong());
                else lagUnknown = true;
            }
            URI api = null;
            if (m.hasNonNull("api_url")) {
                try {
                    api = URI.create(m.get("api_url").asText());
                } catch (IllegalArgumentException ignored) {
                    api = null;
                }
            }
            Optional<String> sched = Optional.empty();
            if (m.has("scheduled_restart")) {
                sched = Optional.of(m.path("scheduled_restart").path("schedule").asText(m.get("scheduled_restart").toString()));
            }
            members.add(new Member(m.path("name").asText(), MemberRole.parse(m.path("role").asText(null)),
                    m.path("state").asText(""), api, m.path("host").asText(""), m.path("port").asInt(0), tl, lag,
                    lagUnknown, m.path("pending_restart").asBoolean(false), sched, extra(m)));
        }
        Optional<ClusterState.ScheduledSwitchover> sw = Optional.empty();
        JsonNode s = n.get("scheduled_switchover");
        if (s != null && s.isObject()) {
            sw = Optional.of(new ClusterState.ScheduledSwitchover(s.path("at").asText(""),
                    Optional.ofNullable(s.hasNonNull("from") ? s.get("from").asText() : null),
                    Optional.ofNullable(s.hasNonNull("to") ? s.get("to").asText() : null)));
        }
        return new ClusterState(members, n.path("pause").asBoolean(false), sw);
    }

    /** Tags, pending restart reason (3.3+), and 4.1's receive_lag / replay_lag / lsn of one member of GET /cluster. */
    static Member.Extra extra(JsonNode m) {
        java.util.Map<String, String> tags = new java.util.TreeMap<>();
        m.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(),
                e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
        java.util.Map<String, Member.ParamChange> reasons = new java.util.TreeMap<>();
        m.path("pending_restart_reason").fields().forEachRemaining(e -> reasons.put(e.getKey(),
                new Member.ParamChange(e.getValue().path("old_value").asText(""), e.getValue().path("new_value").asText(""))));
        Optional<String> lsn = m.hasNonNull("lsn") ? Optional.of(m.get("lsn").asText()) : Optional.empty();
        if (tags.isEmpty() && reasons.isEmpty() && lsn.isEmpty() && !m.has("receive_lag") && !m.has("replay_lag")) {
            return Member.Extra.NONE;
        }
        return new Member.Extra(tags, reasons, lagOf(m.get("receive_lag")), lagOf(m.get("replay_lag")), lsn);
    }

    private static Optional<Member.Lag> lagOf(JsonNode n) {
        if (n == null || n.isNull()) return Optional.empty();
        return Optional.of(n.isNumber() ? Member.Lag.of(n.asLong()) : Member.Lag.unknown());
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

}
