package dev.pgchatops.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a base URL such as a Patroni REST address: {@code http(s)://HOST[:PORT]} with a port from 1 to 65535 and
 * no credentials, path, query or fragment. A user or password in it is never echoed.
 */
final class BaseUrl {
    /** host:port at the end of an authority; the host may be a bracketed IPv6 address. */
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[^]]*]|[^\\[\\]:]*):([^:]*)");
    private static final String EXPECTED = "(expected http://HOST:PORT or https://HOST:PORT)";

    private BaseUrl() {
    }

    /** The URL in {@code item}, or null with the problem reported at {@code at}. */
    static URI check(Values values, JsonNode item, String at) {
        String s = values.scalar(item, at, "a URL like http://10.0.0.1:8008");
        if (s == null) return null;
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getRawAuthority() == null) {
            values.problem(at + ": not a URL: \"" + redact(s) + "\" " + EXPECTED);
            return null;
        }
        String authority = uri.getRawAuthority();
        if (authority.contains("@")) {
            values.problem(at + ": must not contain a user or password (use username and password-env)");
            return null;
        }
        // java.net.URI takes :99999 and :0 as ports, and an authority whose port overflows an int as "registry
        // based" (no host, port -1): check the port text itself.
        Matcher hp = HOST_PORT.matcher(authority);
        if (hp.matches() && !isPort(hp.group(2))) {
            values.problem(at + ": port must be 1 to 65535, got \"" + hp.group(2) + "\" in \"" + s + "\"");
            return null;
        }
        if (uri.getHost() == null) {
            values.problem(at + ": not a URL: \"" + s + "\" " + EXPECTED);
            return null;
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
            values.problem(at + ": expected only scheme, host and port, e.g. http://10.0.0.1:8008");
            return null;
        }
        return uri;
    }

    private static boolean isPort(String digits) {
        return digits.matches("\\d{1,5}") && Integer.parseInt(digits) >= 1 && Integer.parseInt(digits) <= 65535;
    }

    /** The URL as safe to show: whatever stands before an '@' (user and password) is replaced. */
    private static String redact(String url) {
        return url.replaceAll("//[^/@]*@", "//***@");
    }
}
