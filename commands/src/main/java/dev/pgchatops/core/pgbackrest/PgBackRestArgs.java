package dev.pgchatops.core.pgbackrest;

import dev.pgchatops.config.ConfigLoader;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Builds a pgBackRest command line from validated values only: the binary and config file from the bot config, the
 * stanza name, a {@link BackupType}, a backup label as pgBackRest prints it, and fixed options. Nothing a user typed
 * is ever copied in; anything that does not match its pattern is rejected here as a programming error.
 */
public final class PgBackRestArgs {
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9_./-]+");
    private static final Pattern BINARY = Pattern.compile("pgbackrest|/[A-Za-z0-9_./-]+");
    /** A backup label: {@code 20261124-122331F}, {@code ..._20261124-123001D} or {@code ...I}. */
    public static final Pattern LABEL = Pattern.compile("\\d{8}-\\d{6}F(_\\d{8}-\\d{6}[DI])?");

    private final List<String> argv = new ArrayList<>();
    private String command;

    private PgBackRestArgs(String binary, Optional<String> config, String stanza) {
        if (!BINARY.matcher(binary).matches()) throw new IllegalArgumentException("unsafe pgBackRest binary: " + binary);
        if (!ConfigLoader.NAME.matcher(stanza).matches()) throw new IllegalArgumentException("unsafe stanza name: " + stanza);
        argv.add(binary);
        config.ifPresent(c -> {
            if (!PATH.matcher(c).matches() || c.contains("..")) throw new IllegalArgumentException("unsafe config path: " + c);
            argv.add("--config=" + c);
        });
        argv.add("--stanza=" + stanza);
    }

    public static PgBackRestArgs of(String binary, Optional<String> config, String stanza) {
        return new PgBackRestArgs(binary, config, stanza);
    }

    /** {@code --log-level-console=info}: the progress lines come from the console log. */
    public PgBackRestArgs consoleInfo() {
        argv.add("--log-level-console=info");
        return this;
    }

    /** {@code --log-level-console=warn}: only warnings on stdout (for commands whose stdout is data). */
    public PgBackRestArgs consoleWarn() {
        argv.add("--log-level-console=warn");
        return this;
    }

    public PgBackRestArgs jsonOutput() {
        argv.add("--output=json");
        return this;
    }

    public PgBackRestArgs type(BackupType type) {
        argv.add("--type=" + type.option());
        return this;
    }

    public PgBackRestArgs backupStandby() {
        argv.add("--backup-standby");
        return this;
    }

    public PgBackRestArgs dryRun() {
        argv.add("--dry-run");
        return this;
    }

    public PgBackRestArgs set(String label) {
        if (!LABEL.matcher(label).matches()) throw new IllegalArgumentException("not a backup label: " + label);
        argv.add("--set=" + label);
        return this;
    }

    /**
     * {@code help backup lock-path}: pgBackRest prints the lock path the member's config gives ("current: …") or
     * its default ("default: …"). Ends the builder.
     */
    public List<String> helpLockPath() {
        if (command != null) throw new IllegalStateException("command already set");
        command = "help";
        List<String> out = new ArrayList<>(argv);
        out.addAll(List.of("help", "backup", "lock-path"));
        return List.copyOf(out);
    }

    /** Ends the builder with the pgBackRest command: backup, info, check, stanza-create, expire. */
    public List<String> command(String name) {
        if (!List.of("backup", "info", "check", "stanza-create", "expire").contains(name)) {
            throw new IllegalArgumentException("not an allowed pgBackRest command: " + name);
        }
        if (command != null) throw new IllegalStateException("command already set");
        command = name;
        List<String> out = new ArrayList<>(argv);
        out.add(name);
        return List.copyOf(out);
    }
}
