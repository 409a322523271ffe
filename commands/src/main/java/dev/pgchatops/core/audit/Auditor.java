package dev.pgchatops.core.audit;

import dev.pgchatops.core.Request;
import dev.pgchatops.core.Texts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes audit events with every field capped (a 60 MB line must not become a 60 MB audit line). Two ways:
 * {@link #required} fails closed — the caller must not go on when it throws (destructive commands: "confirmed by X"
 * is written before the action starts); {@link #record} logs a failure and goes on (read commands still answer).
 */
public final class Auditor {
    private static final Logger LOG = LoggerFactory.getLogger(Auditor.class);
    public static final int MAX_FIELD = 300;
    public static final int MAX_ARGS = 20;

    private final AuditLog log;
    private final InstantSource clock;
    private final java.util.function.UnaryOperator<String> redact;

    /** {@code redact} removes secrets from free text (details are first lines of replies, which may quote input). */
    public Auditor(AuditLog log, InstantSource clock, java.util.function.UnaryOperator<String> redact) {
        this.log = log;
        this.clock = clock;
        this.redact = redact;
    }

    public Auditor(AuditLog log, InstantSource clock) {
        this(log, clock, java.util.function.UnaryOperator.identity());
    }

    /** One audit line about a request. */
    public record Entry(Request request, String cluster, String command, List<String> args, String confirmation,
                        String outcome, String detail, long startNanos) {
    }

    public void record(Entry e) {
        try {
            required(e);
        } catch (AuditUnavailable ex) {
            LOG.error("audit failed: {}", ex.getMessage());
        }
    }

    public void required(Entry e) throws AuditUnavailable {
        AuditEvent ev = new AuditEvent(clock.instant(), cap(e.request().user().key()), cap(e.request().user().platform()),
                cap(e.request().channel()), cap(e.cluster()), cap(e.command()), capArgs(e.args()), cap(e.confirmation()),
                e.outcome(), cap(redact.apply(Texts.firstLine(e.detail()))),
                Duration.ofNanos(System.nanoTime() - e.startNanos()).toMillis());
        try {
            log.record(ev);
        } catch (AuditUnavailable ex) {
            throw ex;
        } catch (RuntimeException ex) {
            throw new AuditUnavailable("cannot write the audit log: " + ex, ex);
        }
    }

    static String cap(String s) {
        if (s == null) return "";
        return s.length() <= MAX_FIELD ? s : s.substring(0, MAX_FIELD) + "…(" + s.length() + " chars)";
    }

    static List<String> capArgs(List<String> args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size() && i < MAX_ARGS; i++) out.add(cap(args.get(i)));
        if (args.size() > MAX_ARGS) out.add("…(" + (args.size() - MAX_ARGS) + " more)");
        return out;
    }
}
