package dev.pgchatops.core.watch;

/** Where alerts go: a sender ("console", "slack", "discord") and one of its channels. */
public record Destination(String sender, String channel) {
    public static final String CONSOLE = "console";
    /** The channel name the console prints alerts under ({@code [alerts] ERROR failover on demo: …}). */
    public static final String CONSOLE_CHANNEL = "alerts";
}
