package dev.pgchatops.core.patroni;

import java.net.URI;
import java.net.http.HttpResponse;

/** Patroni's non-2xx answers as typed exceptions carrying its own reason (abbreviated), never the credentials. */
final class Refusals {
    private Refusals() {
    }

    static PatroniException rejected(String cluster, String method, URI base, String path, HttpResponse<String> resp) {
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

    static String abbreviate(String s) {
        return dev.pgchatops.core.Texts.abbreviate(s, 300);
    }
}
