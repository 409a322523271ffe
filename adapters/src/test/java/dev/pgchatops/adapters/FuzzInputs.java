package dev.pgchatops.adapters;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Generated hostile inputs for the chat payload fuzz tests: random bytes and unicode, huge strings, quotes, flags,
 * shell metacharacters, and JSON damaged the ways a broken proxy or an attacker damages it (truncated, wrong types,
 * bytes flipped). Deterministic for a given {@link Random}.
 */
public final class FuzzInputs {
    private FuzzInputs() {
    }

    private static final String[] PIECES = {"--", "-", "--cluster", "--cluster=demo", "--candidate", "--force", "--at",
            "node1", "all", "full", "\"", "'", "\\", "\\\"", "=", " ", "\t", "$(touch /tmp/pgchatops-pwned)", "`id`", ";",
            "|", "&&", "\u0000", "\n", "\r\n", "\u202e", "é", "🐘", "ｆｕｌｌ", "&lt;", "&amp;", "<!channel>", "<@U123>", "%00",
            "%zz", "+", "&", "{", "}", "[", "]", "null", "true", "-1", "1e309", "\uD800", "confirm:", "cancel:x", "x".repeat(70)};

    /** A text a user could type (or a forger could put into a text field). */
    public static String text(Random r) {
        int kind = r.nextInt(12);
        StringBuilder sb = new StringBuilder();
        switch (kind) {
            case 0 -> {
                int n = r.nextInt(64);
                for (int i = 0; i < n; i++) sb.append((char) r.nextInt(0x10000)); // lone surrogates included
            }
            case 1 -> sb.append("y".repeat(r.nextInt(100) == 0 ? 200_000 + r.nextInt(100_000) : 3_000 + r.nextInt(5_000)));
            case 2 -> {
                // valid unicode, astral planes too
                int n = r.nextInt(30);
                for (int i = 0; i < n; i++) {
                    int cp = 1 + r.nextInt(0x10FFFF);
                    sb.appendCodePoint(cp >= 0xD800 && cp <= 0xDFFF ? '?' : cp);
                }
            }
            default -> {
                int words = r.nextInt(7);
                for (int i = 0; i < words; i++) {
                    if (i > 0 && r.nextInt(5) != 0) sb.append(' ');
                    sb.append(PIECES[r.nextInt(PIECES.length)]);
                }
            }
        }
        return sb.toString();
    }

    /** Random bytes (as ISO-8859-1 characters) of up to {@code max} length. */
    public static String bytes(Random r, int max) {
        byte[] b = new byte[r.nextInt(max + 1)];
        r.nextBytes(b);
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** {@code json} damaged: truncated, a byte flipped, a brace dropped or doubled, or left intact. */
    public static String damage(Random r, String json) {
        if (json.isEmpty()) return json;
        switch (r.nextInt(6)) {
            case 0:
                return json.substring(0, r.nextInt(json.length()));
            case 1: {
                char[] c = json.toCharArray();
                int flips = 1 + r.nextInt(4);
                for (int i = 0; i < flips; i++) c[r.nextInt(c.length)] = (char) r.nextInt(128);
                return new String(c);
            }
            case 2: {
                int i = r.nextInt(json.length());
                return json.substring(0, i) + json.substring(Math.min(json.length(), i + 1 + r.nextInt(8)));
            }
            case 3: {
                int i = r.nextInt(json.length());
                return json.substring(0, i) + "{\"" + json.substring(i);
            }
            default:
                return json;
        }
    }

    /** A JSON value of a random type, to put where another type belongs. */
    public static Object wrongValue(Random r) {
        return switch (r.nextInt(7)) {
            case 0 -> null;
            case 1 -> r.nextLong();
            case 2 -> r.nextBoolean();
            case 3 -> List.of(text(r));
            case 4 -> java.util.Map.of("x", text(r));
            case 5 -> r.nextDouble() * 1e300;
            default -> text(r);
        };
    }

    /**
     * Collects ERROR log events whose exception passed through our own code ({@code dev.pgchatops}): an exception
     * that escaped one of our handlers and was caught and logged by the SDK (or by us as "failed"). Also turns the
     * named loggers down to ERROR while attached, so 100 000 refused inputs do not flood the build log.
     */
    public static final class EscapedExceptions extends AppenderBase<ILoggingEvent> implements AutoCloseable {
        private final List<String> escaped = Collections.synchronizedList(new ArrayList<>());
        private final List<Logger> quietened = new ArrayList<>();
        private final List<Level> levels = new ArrayList<>();
        private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

        public EscapedExceptions(String... quieten) {
            for (String name : quieten) {
                Logger l = (Logger) LoggerFactory.getLogger(name);
                quietened.add(l);
                levels.add(l.getLevel());
                l.setLevel(Level.ERROR);
            }
            setContext(root.getLoggerContext());
            start();
            root.addAppender(this);
        }

        @Override
        protected void append(ILoggingEvent e) {
            if (!e.getLevel().isGreaterOrEqual(Level.ERROR)) return;
            IThrowableProxy t = e.getThrowableProxy();
            boolean ours = e.getLoggerName().startsWith("dev.pgchatops");
            for (IThrowableProxy x = t; x != null && !ours; x = x.getCause()) {
                for (StackTraceElementProxy s : x.getStackTraceElementProxyArray()) {
                    if (s.getStackTraceElement().getClassName().startsWith("dev.pgchatops")) {
                        ours = true;
                        break;
                    }
                }
            }
            if (ours) {
                escaped.add(e.getLoggerName() + ": " + e.getFormattedMessage() + (t == null ? "" : " — " + t.getClassName()
                        + ": " + t.getMessage()));
            }
        }

        public List<String> escaped() {
            synchronized (escaped) {
                return List.copyOf(escaped);
            }
        }

        @Override
        public void close() {
            root.detachAppender(this);
            stop();
            for (int i = 0; i < quietened.size(); i++) quietened.get(i).setLevel(levels.get(i));
        }
    }
}
