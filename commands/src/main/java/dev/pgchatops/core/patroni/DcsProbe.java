package dev.pgchatops.core.patroni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Tells "Patroni is down" from "Patroni is up but its DCS is not": when GET /cluster (served from the DCS) fails on
 * a member that accepted the connection, every member's GET /patroni (served from the member's own memory) is asked
 * at once. Patroni 3.0.2 with etcd stopped: GET /cluster, /config and /history close the connection without an
 * answer after retry_timeout; GET /patroni answers in milliseconds with a stale {@code dcs_last_seen},
 * {@code failsafe_mode_is_active: true} when failsafe mode keeps the leader running, and (failsafe mode off) the old
 * leader demoted to a replica after ttl. The REST API does not say where the DCS is.
 */
final class DcsProbe {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DcsProbe() {
    }

    /** GET /patroni on every base in parallel, all within {@code bound}; the members that answered with JSON. */
    static List<PatroniStatus> probe(BoundedHttp http, List<URI> bases, Duration bound) {
        List<CompletableFuture<HttpResponse<String>>> fs = new ArrayList<>();
        for (URI b : bases) {
            fs.add(http.start(HttpRequest.newBuilder(b.resolve("/patroni")).timeout(positive(bound))
                    .header("Accept", "application/json").GET().build()));
        }
        long end = System.nanoTime() + bound.toNanos();
        List<PatroniStatus> out = new ArrayList<>();
        for (int i = 0; i < fs.size(); i++) {
            try {
                HttpResponse<String> r = BoundedHttp.await(fs.get(i), Duration.ofNanos(Math.max(0, end - System.nanoTime())));
                // 503 with a JSON body is still an answer: PostgreSQL is down there, Patroni is not.
                JsonNode n = JSON.readTree(r.body());
                if (n != null && n.isObject()) {
                    out.add(PatroniStatus.parse(bases.get(i), n, r.headers().firstValue("Date")));
                }
            } catch (BoundedHttp.Failure | IOException | RuntimeException e) {
                // not answering either: counts as down for this probe
            }
        }
        return out;
    }

    static String message(String cluster, String failure, List<PatroniStatus> answered, Map<URI, String> names,
                          Optional<Boolean> failsafeConfigured) {
        boolean active = answered.stream().anyMatch(PatroniStatus::failsafeActive);
        // GET /config comes from the DCS too: only the last one seen can tell "enabled but not active".
        String failsafe = active ? "on" : failsafeConfigured.orElse(false) ? "enabled but not active" : "off";
        Optional<Duration> age = answered.stream().map(PatroniStatus::dcsAge).flatMap(Optional::stream).min(Duration::compareTo);
        String members = answered.stream().map(s -> names.getOrDefault(s.base(), s.base().toString()) + " "
                + MemberRole.parse(s.role()).label().toLowerCase() + " " + s.state()).collect(Collectors.joining(", "));
        Optional<String> primary = answered.stream().filter(PatroniStatus::isPrimary).findFirst()
                .map(p -> names.getOrDefault(p.base(), p.base().toString()));
        String writes = primary.isEmpty() ? "No member runs as primary: writes fail until the DCS is back."
                : active ? primary.get() + " keeps running as primary (failsafe mode)."
                : primary.get() + " still runs as primary but steps down when its leader key expires (ttl).";
        return "Patroni of cluster " + cluster + " answers but cannot read its DCS (" + failure
                + age.map(a -> "; last read " + a.toSeconds() + " s ago").orElse("") + "); cluster state unknown; "
                + "automatic failover is off until the DCS is back (failsafe mode: " + failsafe + "). "
                + "Members' own view (GET /patroni): " + members + ". " + writes
                + " Check the DCS (etcd/etcd3/consul/zookeeper in the members' patroni.yml; Patroni's REST API does not show its address).";
    }

    private static Duration positive(Duration d) {
        return d.isZero() || d.isNegative() ? Duration.ofMillis(1) : d;
    }
}
