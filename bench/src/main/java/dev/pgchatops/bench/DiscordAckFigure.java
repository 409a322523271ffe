package dev.pgchatops.bench;

import dev.pgchatops.adapters.discord.DiscordAdapter;
import dev.pgchatops.config.DiscordConfig;
import dev.pgchatops.config.Secret;
import dev.pgchatops.core.Bot;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.MemberCachePolicy;
import net.dv8tion.jda.api.utils.SessionControllerAdapter;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * INTERACTION_CREATE → the defer callback, through the real Discord adapter (real JDA, the real bot running
 * {@code /cluster-list} on the bench cluster) against {@link FakeDiscord}; beside a bare JDA whose listener only
 * defers, on its own identical fake. 100 interactions sent at once per batch, batches alternating adapter, bare …
 */
final class DiscordAckFigure {
    private DiscordAckFigure() {
    }

    static void run(Bot bot, int concurrent, int reps, Results out) throws Exception {
        try (FakeDiscord fa = new FakeDiscord(); FakeDiscord fb = new FakeDiscord()) {
            DiscordAdapter adapter = new DiscordAdapter(new DiscordConfig(new Secret("bench", FakeDiscord.TOKEN),
                    Optional.of(FakeDiscord.GUILD), URI.create(fa.apiUrl()), URI.create(fa.gatewayUrl())), bot);
            JDA bare = null;
            try {
                adapter.start();
                bare = bareJda(fb);
                batch(fa, concurrent); // warm-up of both, not counted
                fa.awaitQuiet(300, 60_000);
                batch(fb, concurrent);
                Stats a = new Stats();
                Stats b = new Stats();
                for (int r = 0; r < reps; r++) {
                    batch(fa, concurrent).forEach(a::add);
                    fa.awaitQuiet(300, 60_000);
                    batch(fb, concurrent).forEach(b::add);
                }
                out.put("discord_ack_p50_ms", a.median());
                out.put("discord_ack_p99_ms", a.p99());
                out.put("discord_bare_jda_p50_ms", b.median());
                out.put("discord_bare_jda_p99_ms", b.p99());
                String n = concurrent + " concurrent × " + reps;
                out.row("Discord INTERACTION_CREATE → defer p50 (" + n + ")", Results.ms(a.median()),
                        "bare JDA defer " + Results.ms(b.median()), String.format("%.1f×", a.median() / b.median()), "-", true);
                out.row("Discord INTERACTION_CREATE → defer p99 (" + n + ")", Results.ms(a.p99()),
                        "bare JDA defer " + Results.ms(b.p99()), String.format("%.1f×", a.p99() / b.p99()), "p99 < 50 ms", a.p99() < 50);
            } finally {
                adapter.close();
                if (bare != null) {
                    bare.shutdownNow();
                }
            }
        }
    }

    private static JDA bareJda(FakeDiscord f) throws Exception {
        String gateway = f.gatewayUrl();
        JDA j = JDABuilder.createLight(FakeDiscord.TOKEN, EnumSet.noneOf(GatewayIntent.class))
                .setRestConfig(new RestConfig().setBaseUrl(f.apiUrl()))
                .setSessionController(new SessionControllerAdapter() {
                    @Override
                    public String getGateway() {
                        return gateway;
                    }
                })
                .setCompression(Compression.NONE)
                .setMemberCachePolicy(MemberCachePolicy.NONE)
                .setEnableShutdownHook(false)
                .addEventListeners(new ListenerAdapter() {
                    @Override
                    public void onSlashCommandInteraction(SlashCommandInteractionEvent e) {
                        e.deferReply().queue();
                    }
                })
                .build();
        j.awaitReady();
        return j;
    }

    /** {@code n} slash commands sent back to back; each one's time to its callback (waits at most 60 s for all). */
    private static List<Long> batch(FakeDiscord f, int n) throws InterruptedException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) ids.add(f.slash("cluster-list"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<Long> out = new ArrayList<>();
        for (String id : ids) {
            long t;
            while ((t = f.ackNanos(id)) < 0) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("no defer callback for interaction " + id + " within 60 s");
                Thread.sleep(5);
            }
            out.add(t);
        }
        return out;
    }
}
