package dev.pgchatops.core.patroni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pgchatops.config.PatroniConfig;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
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
 * that answered) until one answers; every call is bounded by the connect and request timeouts. Member actions
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
    private final HttpClient http;
    private final AtomicInteger preferred = new AtomicInteger();

    public PatroniClient(String cluster, PatroniConfig config) {
        this.cluster = cluster;
        this.urls = config.urls().stream().map(PatroniClient::base).toList();
        this.requestTimeout = config.requestTimeout();
        this.connectTimeout = config.connectTimeout();
        this.authHeader = config.username() == null || config.password() == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(
                (config.username() + ":" + config.password().reveal()).getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout()).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public String clusterName() {
        return cluster;
    }

    // ---- reads ------------------------------------------------------------------------------------------------

    public ClusterState cluster() throws PatroniException {
        return parseCluster(getJson("/cluster"));
    }

    public List<HistoryEntry> history() throws PatroniException {
        JsonNode n = getJson("/history");
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
        return getJson("/config");
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
        ObjectNode body = JSON.createObjectNode();
        if (onlyIfPending) body.put("restart_pending", true);
        return sendTo(memberBase(member), "POST", "/restart", body, longTimeout());
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

    private static URI base(URI u) {
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
        URI b = memberBase(member);
        HttpRequest req = HttpRequest.newBuilder(b.resolve("/patroni")).timeout(requestTimeout)
                .header("Accept", "application/json").GET().build();
        try {
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            // /patroni answers 503 with a JSON body while PostgreSQL is not running: still this member's view.
            try {
                return JSON.readTree(resp.body());
            } catch (IOException e) {
                throw new PatroniException.BadResponse("GET " + b.resolve("/patroni") + " did not return JSON", e);
            }
        } catch (IOException e) {
            throw new PatroniException.Unreachable("cannot reach Patroni at " + b + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PatroniException.Unreachable("interrupted while calling " + b, e);
        }
    }

    private JsonNode getJson(String path) throws PatroniException {
        List<String> failures = new ArrayList<>();
        int start = preferred.get();
        Exception last = null;
        for (int i = 0; i < urls.size(); i++) {
            int idx = (start + i) % urls.size();
            URI base = urls.get(idx);
            HttpRequest req = HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout)
                    .header("Accept", "application/json").GET().build();
            try {
                HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (resp.statusCode() >= 500 && i + 1 < urls.size()) {
                    // A member (or a proxy in front of it) in trouble: a read can safely ask the next one.
                    failures.add(base + " (HTTP " + resp.statusCode() + ")");
                    continue;
                }
                if (resp.statusCode() / 100 != 2) {
                    // A member that is up but answers an error: Patroni's reason is worth showing.
                    throw rejected("GET", base, path, resp);
                }
                preferred.set(idx);
                try {
                    return JSON.readTree(resp.body());
                } catch (IOException e) {
                    throw new PatroniException.BadResponse("GET " + base.resolve(path) + " did not return JSON: "
                            + abbreviate(resp.body()), e);
                }
            } catch (IOException e) {
                last = e;
                failures.add(base + " (" + describe(e) + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PatroniException.Unreachable("interrupted while calling Patroni of " + cluster, e);
            }
        }
        throw new PatroniException.Unreachable("cannot reach Patroni of cluster " + cluster + ": " + String.join(", ", failures)
                + ". Check that Patroni runs and patroni.urls in the config", last);
    }

    /** A cluster-wide write: tries the URLs in turn, but moves on only when no connection could be made. */
    private String send(String method, String path, JsonNode body, Duration timeout) throws PatroniException {
        List<String> failures = new ArrayList<>();
        int start = preferred.get();
        Exception last = null;
        for (int i = 0; i < urls.size(); i++) {
            int idx = (start + i) % urls.size();
            try {
                String r = exchange(urls.get(idx), method, path, body, timeout);
                preferred.set(idx);
                return r;
            } catch (NotConnected e) {
                last = e.getCause() instanceof Exception ex ? ex : e;
                failures.add(urls.get(idx) + " (" + describe(e.getCause()) + ")");
            }
        }
        throw new PatroniException.Unreachable("cannot reach Patroni of cluster " + cluster + " for " + method + " " + path
                + ": " + String.join(", ", failures), last);
    }

    private String sendTo(URI base, String method, String path, JsonNode body, Duration timeout) throws PatroniException {
        try {
            return exchange(base, method, path, body, timeout);
        } catch (NotConnected e) {
            throw new PatroniException.Unreachable("cannot reach Patroni at " + base + " for " + method + " " + path + ": "
                    + describe(e.getCause()), e.getCause());
        }
    }

    private String exchange(URI base, String method, String path, JsonNode body, Duration timeout)
            throws PatroniException, NotConnected {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) b.header("Content-Type", "application/json");
        if (authHeader != null) b.header("Authorization", authHeader);
        HttpResponse<String> resp;
        try {
            resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new NotConnected(e);
        } catch (HttpTimeoutException e) {
            // The request reached Patroni: it may be running it. Do not retry elsewhere.
            throw new PatroniException.Unreachable(method + " " + base.resolve(path) + " got no answer within "
                    + human(timeout) + "; it may still be in progress — check /cluster-list", e);
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectException) throw new NotConnected(e);
            throw new PatroniException.Unreachable(method + " " + base.resolve(path) + " failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PatroniException.Unreachable("interrupted during " + method + " " + base.resolve(path), e);
        }
        if (resp.statusCode() / 100 == 2) return resp.body() == null ? "" : resp.body().trim();
        throw rejected(method, base, path, resp);
    }

    private PatroniException rejected(String method, URI base, String path, HttpResponse<String> resp) {
        String reason = abbreviate(resp.body() == null ? "" : resp.body().trim());
        int code = resp.statusCode();
        if (code == 401 || code == 403) {
            return new PatroniException.AuthFailed("Patroni at " + base + " refused the credentials (HTTP " + code
                    + (reason.isEmpty() ? "" : ": " + reason) + "). Check patroni.username and the password of cluster "
                    + cluster + " in the config");
        }
        return new PatroniException.Rejected("Patroni refused " + method + " " + path + ": "
                + (reason.isEmpty() ? "(no reason given)" : reason) + " (HTTP " + code + " from " + base + ")", code, reason);
    }

    private static String describe(Throwable e) {
        if (e == null) return "unknown error";
        if (e instanceof HttpConnectTimeoutException) return "connect timed out";
        if (e instanceof HttpTimeoutException) return "no answer within the request timeout";
        if (e instanceof ConnectException || e.getCause() instanceof ConnectException) return "connection refused";
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** "15 s", or "500 ms" for timeouts that are not whole seconds (not "0 s"). */
    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String abbreviate(String s) {
        return dev.pgchatops.core.Texts.abbreviate(s, 300);
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
                    lagUnknown, m.path("pending_restart").asBoolean(false), sched));
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

    /** Internal: the connection was never made, so the request can safely go to another URL. */
    private static final class NotConnected extends Exception {
        NotConnected(Throwable cause) {
            super(cause);
        }
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

}
