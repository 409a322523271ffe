package dev.pgchatops.core.cmd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redacts secrets in a configuration tree, counting what it redacted:
 * <ul>
 *   <li>every value under a secret-like key ({@code password}, {@code *_token}, {@code repo1-s3-key}, …), nested too;</li>
 *   <li>the whole value of a {@code *_command} that could print a secret: it runs {@code echo}/{@code printf} or
 *       carries a secret-like option ({@code ssl_passphrase_command: "echo hunter2"});</li>
 *   <li>inside any other string: {@code KEY=VALUE}, {@code KEY: VALUE}, {@code --flag=VALUE} and {@code --flag VALUE}
 *       for secret-like names, {@code Bearer}/{@code Basic} tokens and {@code user:password@} in URLs.</li>
 * </ul>
 */
public final class SecretRedactor {
    public static final String REDACTED = "[redacted]";

    /** Names (keys, options) whose value is a secret. */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(password|passwd|passphrase|secret|token|pgpass|private|cipher|credential|api[-_]?key).*"
                    + "|(?i)(.*[-_.])?(pass|pw|pwd|key)");
    private static final Pattern COMMAND_KEY = Pattern.compile("(?i).*command");
    private static final Pattern PRINTS = Pattern.compile("(?i)(^|[\\s;&|(])(echo|printf)\\b");
    private static final String VALUE = "('[^']*'|\"[^\"]*\"|[^\\s'\",;&]+)";
    /** {@code name=value}, {@code --name=value}. */
    private static final Pattern EQUALS = Pattern.compile("(?<![\\w.-])(--?)?([A-Za-z][\\w.-]*)(\\s*=\\s*)" + VALUE);
    /** {@code name: value} (not a URL's {@code scheme://}). */
    private static final Pattern COLON = Pattern.compile("(?<![\\w.-])()([A-Za-z][\\w.-]*)(\\s*:\\s*)(?!//)" + VALUE);
    /** {@code --name value}. */
    private static final Pattern FLAG = Pattern.compile("(?<![\\w.-])(--?)([A-Za-z][\\w.-]*)(\\s+)(?!-)" + VALUE);
    private static final Pattern TOKEN = Pattern.compile("(?i)\\b()(bearer|basic)()(\\s+)([A-Za-z0-9._~+/=-]+)");
    /** user:password@ in connection URLs. */
    private static final Pattern URL_CREDENTIALS = Pattern.compile("(\\b[a-zA-Z][\\w+.-]*://[^\\s:/@]+:)([^\\s@]+)@");

    /** The redacted copy and how many values were redacted. */
    public record Result(JsonNode redacted, int count) {
    }

    private int count;

    private SecretRedactor() {
    }

    public static Result redact(JsonNode config) {
        SecretRedactor r = new SecretRedactor();
        JsonNode copy = config == null ? null : config.deepCopy();
        r.walk(copy);
        return new Result(copy, r.count);
    }

    /** Redacts one string (as inside a value); returns it and the count. */
    public static Result redactText(String s) {
        SecretRedactor r = new SecretRedactor();
        String out = r.inline(s);
        return new Result(com.fasterxml.jackson.databind.node.TextNode.valueOf(out), r.count);
    }

    /**
     * One typed argument as the audit log keeps it: {@code KEY=VALUE} (also {@code --flag=VALUE} and dotted config keys
     * like {@code standby_cluster.primary_conninfo=…}) with the value redacted as it would be under KEY in the config;
     * anything else redacted as text.
     */
    public static String redactArg(String arg) {
        int eq = arg.indexOf('=');
        if (eq <= 0) return redactText(arg).redacted().asText();
        String key = arg.substring(0, eq);
        String last = key.substring(key.lastIndexOf('.') + 1).replaceFirst("^--", "");
        com.fasterxml.jackson.databind.node.ObjectNode o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        o.put(last, arg.substring(eq + 1));
        return key + "=" + redact(o).redacted().get(last).asText();
    }

    public static boolean isSecretName(String name) {
        return SECRET_NAME.matcher(name).matches();
    }

    private void walk(JsonNode n) {
        if (n instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                if (v.isTextual() && COMMAND_KEY.matcher(e.getKey()).matches()) {
                    // A command is shown unless it could print a secret (ssl_passphrase_command: "echo hunter2").
                    if (printsSecrets(v.asText())) {
                        e.setValue(o.textNode(REDACTED));
                        count++;
                    } else {
                        e.setValue(o.textNode(inline(v.asText())));
                    }
                } else if (isSecretName(e.getKey())) {
                    // Under a secret key everything is secret: a value, a list of values, a nested mapping.
                    if (v.isValueNode()) {
                        e.setValue(o.textNode(REDACTED));
                        count++;
                    } else {
                        redactAll(v);
                    }
                } else if (v.isTextual()) {
                    e.setValue(o.textNode(inline(v.asText())));
                } else {
                    walk(v);
                }
            }
        } else if (n instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual()) a.set(i, a.textNode(inline(a.get(i).asText())));
                else walk(a.get(i));
            }
        }
    }

    private void redactAll(JsonNode n) {
        if (n instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isValueNode()) {
                    e.setValue(o.textNode(REDACTED));
                    count++;
                } else {
                    redactAll(e.getValue());
                }
            }
        } else if (n instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isValueNode()) {
                    a.set(i, a.textNode(REDACTED));
                    count++;
                } else {
                    redactAll(a.get(i));
                }
            }
        }
    }

    /** A command that echoes, or passes a secret-like option: its output or its text may be the secret. */
    private static boolean printsSecrets(String command) {
        return PRINTS.matcher(command).find() || redactText(command).count() > 0;
    }

    private String inline(String s) {
        s = replace(URL_CREDENTIALS, s, m -> true, 2);
        s = replace(TOKEN, s, m -> true, 5);
        s = replace(EQUALS, s, m -> isSecretName(m.group(2)), 4);
        s = replace(COLON, s, m -> isSecretName(m.group(2)), 4);
        s = replace(FLAG, s, m -> isSecretName(m.group(2)), 4);
        return s;
    }

    /** Replaces group {@code valueGroup} of every match that {@code secret} accepts, counting each. */
    private String replace(Pattern p, String s, Predicate<Matcher> secret, int valueGroup) {
        Matcher m = p.matcher(s);
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (m.find()) {
            if (!secret.test(m) || m.group(valueGroup).equals(REDACTED)) continue;
            out.append(s, at, m.start(valueGroup)).append(REDACTED);
            at = m.end(valueGroup);
            count++;
        }
        return out.append(s, at, s.length()).toString();
    }
}
