package dev.pgchatops.core.pgbackrest;

import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.transport.TransportException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/** Small text and SSHJ helpers shared by the SSH classes: durations, causes, the pgBackRest subcommand. */
final class SshText {
    private SshText() {
    }

    static void closeQuietly(SSHClient c) {
        try {
            c.disconnect();
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        }
    }

    /** {@code "pgbackrest info"}: the program and its first non-option argument. */
    static String what(List<String> argv) {
        return argv.get(0) + " " + subcommand(argv);
    }

    static String subcommand(List<String> argv) {
        for (int i = 1; i < argv.size(); i++) {
            if (!argv.get(i).startsWith("-")) return argv.get(i);
        }
        return "";
    }

    static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    static String seconds(long t0) {
        return String.format("%.1f s", (System.nanoTime() - t0) / 1e9);
    }

    static String human(Duration d) {
        return dev.pgchatops.core.Texts.duration(d);
    }

    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof TransportException)) {
            t = t.getCause();
        }
        if (t instanceof ConnectException) return "connection refused";
        if (t instanceof SocketTimeoutException) return "connect timed out";
        if (t instanceof NoRouteToHostException) return "no route to host";
        if (t instanceof UnknownHostException) return "unknown host " + t.getMessage();
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
