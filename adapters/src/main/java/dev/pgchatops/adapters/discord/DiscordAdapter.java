package dev.pgchatops.adapters.discord;

import dev.pgchatops.core.run.DaemonThreads;
import dev.pgchatops.adapters.AckGate;
import dev.pgchatops.adapters.ChatAdapter;
import dev.pgchatops.config.DiscordConfig;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.Identity;
import dev.pgchatops.core.Request;
import dev.pgchatops.core.chat.ChannelSender;
import dev.pgchatops.core.chat.Patience;
import dev.pgchatops.core.run.Timer;
import dev.pgchatops.core.confirm.PendingView;
import dev.pgchatops.core.parse.CommandSpec;
import dev.pgchatops.core.reply.Reply;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.Role;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestAction;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.requests.restaction.CommandListUpdateAction;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.MemberCachePolicy;
import net.dv8tion.jda.api.utils.SessionControllerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The Discord adapter, on JDA: logs in with the bot token, waits for the gateway's READY, overwrites the slash
 * commands in one bulk call (in the guild when {@code discord.guild-id} is set, else globally) so no stale command
 * survives an upgrade, and turns interactions into {@link Bot#submit}/{@link Bot#press} calls. Every interaction is
 * acknowledged at once on JDA's event thread (a deferred reply or update: Discord's 3 s are met whatever the
 * command does) and nothing else runs there: the hand-off to the bot happens on a small intake pool once the
 * deferrals in flight are answered ({@link AckGate}, at most {@link #ACK_HOLD}); the answers then edit the original
 * response. Autocomplete of member and cluster options answers
 * from the live cluster within a bound. Only the non-privileged GUILDS intent is used (channels and roles cache).
 */
public final class DiscordAdapter implements ChatAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(DiscordAdapter.class);
    /** Autocomplete must answer within Discord's 3 s: this is how long it waits for Patroni at most. */
    static final Duration AUTOCOMPLETE_WAIT = Duration.ofMillis(1500);
    static final int MAX_CHOICES = 25;
    /** How long handed-over work waits at most for the deferrals of a burst to go out. */
    static final Duration ACK_HOLD = Duration.ofMillis(100);
    static final int INTAKE_QUEUE = 1024;
    static final String OVERLOADED = ":x: The bot is overloaded right now; nothing was run. Try again in a minute.";

    /**
     * Test seams: the clock for token ages and caches, the wall clock for footers, how long start waits for READY; how
     * long replies are retried through a Discord outage, the timer their retries wait on, and the bound of one call.
     */
    public record Settings(LongSupplier nanos, Clock clock, Duration readyTimeout, Patience replies, Timer retryTimer,
                           Duration callTimeout) {
        public static final Settings DEFAULT = new Settings(System::nanoTime, Clock.systemUTC(), Duration.ofSeconds(30));

        public Settings(LongSupplier nanos, Clock clock, Duration readyTimeout) {
            this(nanos, clock, readyTimeout, Patience.DEFAULT, DiscordMessages.RETRY_TIMER, DiscordMessages.CALL_TIMEOUT);
        }
    }

    private final DiscordConfig config;
    private final Bot bot;
    private final Settings settings;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final ExecutorService autocomplete;
    private final ExecutorService fetchers;
    /** Hands interactions to the bot off JDA's gateway thread, after the deferrals in flight (see {@link AckGate}). */
    private final ExecutorService intake;
    private final ScheduledExecutorService gateTimer;
    private final AckGate gate;
    private final MemberNames memberNames;
    private final Map<String, String> aliases = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> e) {
            return size() > 4096;
        }
    };
    private final AtomicLong aliasIds = new AtomicLong();
    private volatile JDA jda;
    private volatile DiscordMessages messages;
    private volatile DiscordSender sender;

    public DiscordAdapter(DiscordConfig config, Bot bot) {
        this(config, bot, Settings.DEFAULT);
    }

    public DiscordAdapter(DiscordConfig config, Bot bot, Settings settings) {
        this.config = config;
        this.bot = bot;
        this.settings = settings;
        this.autocomplete = pool("pgchatops-discord-autocomplete", 2, 64);
        this.fetchers = pool("pgchatops-discord-members", 2, 64);
        this.intake = pool("pgchatops-discord-intake", 2, INTAKE_QUEUE);
        this.gateTimer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("pgchatops-discord-gate"));
        this.gate = new AckGate(intake, gateTimer, ACK_HOLD, INTAKE_QUEUE / 2);
        this.memberNames = new MemberNames(bot, fetchers, settings.nanos());
    }

    private static ExecutorService pool(String name, int threads, int queue) {
        return new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                DaemonThreads.numbered(name));
    }

    @Override
    public String name() {
        return "discord";
    }

    @Override
    public void start() throws AdapterStartException {
        String token = config.token().reveal().strip();
        if (token.isEmpty()) throw new AdapterStartException("the bot token from " + config.token().source() + " is empty (discord.token-env)", null);
        String gateway = config.gatewayUrl().toString();
        JDA j;
        try {
            j = JDABuilder.createLight(token, EnumSet.noneOf(GatewayIntent.class)) // JDA always adds GUILDS (not privileged)
                    .setRestConfig(new RestConfig().setBaseUrl(config.apiUrl().toString()))
                    .setSessionController(new SessionControllerAdapter() {
                        @Override
                        public String getGateway() {
                            return gateway;
                        }
                    })
                    // plain JSON frames: a bot with only the GUILDS intent receives little, and one code path is tested
                    .setCompression(Compression.NONE)
                    .setMemberCachePolicy(MemberCachePolicy.NONE)
                    .setEnableShutdownHook(false)
                    .addEventListeners(new Listener())
                    .build();
        } catch (InvalidTokenException e) {
            throw new AdapterStartException("Discord refused the bot token from " + config.token().source()
                    + " (401 on GET users/@me at " + config.apiUrl() + "); check discord.token-env", e);
        } catch (RuntimeException e) {
            throw new AdapterStartException("cannot log in to Discord at " + config.apiUrl() + ": " + e.getMessage(), e);
        }
        jda = j;
        messages = new DiscordMessages(j, settings.nanos(), settings.replies(), settings.retryTimer(), settings.callTimeout());
        sender = new DiscordSender(messages, this::render);
        try {
            if (!ready.await(settings.readyTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                j.shutdownNow();
                throw new AdapterStartException("no READY from the Discord gateway " + gateway + " within "
                        + settings.readyTimeout().toSeconds() + " s (status " + j.getStatus() + ")", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            j.shutdownNow();
            throw new AdapterStartException("interrupted while waiting for the Discord gateway", e);
        }
        registerCommands(j);
    }

    private void registerCommands(JDA j) throws AdapterStartException {
        List<SlashCommandData> defs = SlashCommands.definitions(bot.registry());
        CommandListUpdateAction update;
        String where;
        if (config.guildId().isPresent()) {
            Guild g = j.getGuildById(config.guildId().get());
            if (g == null) {
                j.shutdownNow();
                throw new AdapterStartException("the bot is not a member of guild " + config.guildId().get()
                        + " (discord.guild-id): invite it with the bot and applications.commands scopes", null);
            }
            update = g.updateCommands();
            where = "guild " + g.getId();
        } else {
            update = j.updateCommands();
            where = "globally";
        }
        try {
            DiscordMessages.call(update.addCommands(defs));
        } catch (RuntimeException e) {
            j.shutdownNow();
            throw new AdapterStartException("registering the slash commands " + where + " failed: " + e.getMessage(), e);
        }
        LOG.info("registered {} slash commands {}", defs.size(), where);
    }

    @Override
    public ChannelSender sender() {
        ChannelSender s = sender;
        if (s == null) throw new IllegalStateException("the Discord adapter is not started");
        return s;
    }

    @Override
    public void close() {
        JDA j = jda;
        if (j != null) {
            j.shutdown();
            try {
                if (!j.awaitShutdown(Duration.ofSeconds(5))) j.shutdownNow();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                j.shutdownNow();
            }
        }
        autocomplete.shutdownNow();
        fetchers.shutdownNow();
        gateTimer.shutdownNow();
        intake.shutdownNow();
    }

    /** The Discord message id a ref shows now (tests, and the lead's alert code). */
    String messageId(dev.pgchatops.core.chat.MessageRef ref) {
        return messages.messageId(ref);
    }

    /** True once a message with this Discord id was handed to the core as a ref (tests wait for it). */
    boolean knows(String messageId) {
        return messages != null && messages.entryByMessage(messageId) != null;
    }

    // ---- rendering -------------------------------------------------------------------------------------------

    List<EmbedRenderer.Part> render(Reply reply) {
        return render(reply, "pgchatops");
    }

    private List<EmbedRenderer.Part> render(Reply reply, String footer) {
        return EmbedRenderer.render(reply, footer, settings.clock().instant(), this::customId);
    }

    private static String footer(String cluster) {
        return cluster == null || cluster.isEmpty() ? "pgchatops" : "pgchatops · cluster " + cluster;
    }

    /** A button's action as a custom_id: itself when it fits Discord's 100 characters, else a short alias. */
    String customId(String action) {
        if (action.length() <= EmbedRenderer.CUSTOM_ID) return action;
        String alias = "pgc-alias:" + aliasIds.incrementAndGet();
        synchronized (aliases) {
            aliases.put(alias, action);
        }
        return alias;
    }

    private String action(String customId) {
        synchronized (aliases) {
            return aliases.getOrDefault(customId, customId);
        }
    }

    static Identity identity(User user, Member member) {
        String name = member != null ? member.getEffectiveName() : user.getEffectiveName();
        Set<String> roles = Set.of();
        if (member != null) {
            try {
                roles = member.getRoles().stream().map(Role::getId).collect(Collectors.toSet());
            } catch (RuntimeException e) {
                LOG.debug("roles of {} unknown here ({})", user.getId(), e.toString());
            }
        }
        return new Identity("discord", user.getId(), name, roles);
    }

    private String onlyCluster() {
        return bot.clusters().size() == 1 ? bot.clusters().keySet().iterator().next() : null;
    }

    // ---- events ----------------------------------------------------------------------------------------------

    private final class Listener extends ListenerAdapter {
        @Override
        public void onReady(ReadyEvent event) {
            ready.countDown();
        }

        @Override
        public void onSlashCommandInteraction(SlashCommandInteractionEvent e) {
            // JDA's gateway thread reads and dispatches the events one after another: only what the deferral needs
            // runs here; the rest waits on the intake until the burst's acks are out (AckGate).
            Identity who = identity(e.getUser(), e.getMember());
            Optional<Command> cmd = bot.registry().find(e.getName());
            // The answer is private for the bot's own commands (/help, /whoami) and for a refusal: defer those
            // ephemerally, so nothing public flashes up. Anything else defers publicly; a private first reply there
            // (a usage error) replaces the public "thinking…" with an ephemeral follow-up.
            boolean ephemeral = cmd.map(c -> !c.needsCluster() || bot.access().refusal(who, c.spec()).isPresent()).orElse(true);
            ack(e.deferReply(ephemeral), "/" + e.getName());
            handOff(e, () -> {
                List<String> words = cmd.map(c -> SlashCommands.words(c.spec(), e::getOption)).orElse(List.of());
                String cluster = Optional.ofNullable(e.getOption("cluster")).flatMap(SlashCommands::string).orElseGet(DiscordAdapter.this::onlyCluster);
                String key = messages.register(e.getHook(), e.getId());
                InteractionConversation conv = new InteractionConversation(messages, key, e.getChannelId(), ephemeral, true,
                        r -> render(r, footer(cluster)));
                bot.submit(Request.typed(who, e.getChannelId(), e.getName(), words, e.getId()), conv);
            });
        }

        @Override
        public void onButtonInteraction(ButtonInteractionEvent e) {
            ack(e.deferEdit(), "a button click");
            handOff(e, () -> {
                Identity who = identity(e.getUser(), e.getMember());
                String action = action(e.getComponentId());
                String key = messages.register(e.getHook(), e.getId());
                messages.adopt(e.getMessageId(), key);
                String token = action.contains(":") ? action.substring(action.indexOf(':') + 1) : "";
                String cluster = bot.confirmation(token).map(PendingView::cluster).orElseGet(DiscordAdapter.this::onlyCluster);
                InteractionConversation conv = new InteractionConversation(messages, key, e.getChannelId(), false, false,
                        r -> render(r, footer(cluster)));
                bot.press(action, who, e.getChannelId(), conv, e.getId());
            });
        }

        @Override
        public void onCommandAutoCompleteInteraction(CommandAutoCompleteInteractionEvent e) {
            try {
                autocomplete.execute(() -> {
                    try {
                        e.replyChoiceStrings(choices(e)).queue(null, ex -> LOG.debug("autocomplete answer failed ({})", ex.toString()));
                    } catch (RuntimeException ex) {
                        LOG.warn("autocomplete failed", ex);
                    }
                });
            } catch (RejectedExecutionException ex) {
                e.replyChoiceStrings(List.of()).queue();
            }
        }
    }

    /** Queues the deferral (through JDA's rate limiter); the gate holds hand-offs until it is answered. */
    private void ack(RestAction<?> deferral, String what) {
        gate.acking();
        try {
            deferral.queue(ok -> gate.acked(), ex -> {
                gate.acked();
                LOG.warn("could not acknowledge {} ({})", what, ex.toString());
            });
        } catch (RuntimeException ex) {
            gate.acked();
            LOG.warn("could not acknowledge {} ({})", what, ex.toString());
        }
    }

    /** Runs {@code work} on the intake once the acks in flight are out; says "overloaded" when it cannot be taken. */
    private void handOff(net.dv8tion.jda.api.interactions.callbacks.IDeferrableCallback e, Runnable work) {
        AckGate.Refused overloaded = ex -> {
            LOG.warn("overloaded: dropped interaction {} ({})", e.getId(), ex.getMessage());
            e.getHook().editOriginal(OVERLOADED).queue(null, x -> LOG.debug("could not say overloaded ({})", x.toString()));
        };
        try {
            gate.handOff(() -> {
                try {
                    work.run();
                } catch (RuntimeException ex) {
                    LOG.error("could not hand interaction {} to the bot", e.getId(), ex);
                }
            }, overloaded);
        } catch (RejectedExecutionException ex) {
            overloaded.refused(ex);
        }
    }

    /** The suggestions for the focused option: live member names, cluster names; those containing what was typed. */
    List<String> choices(CommandAutoCompleteInteractionEvent e) {
        // only text options get text choices (JDA refuses them for another type, and no answer would go out)
        if (e.getFocusedOption().getType() != OptionType.STRING) return List.of();
        String option = e.getFocusedOption().getName();
        String typed = e.getFocusedOption().getValue().toLowerCase(Locale.ROOT);
        Optional<CommandSpec.Param> param = bot.registry().find(e.getName())
                .flatMap(c -> c.spec().params().stream().filter(p -> p.name().equals(option)).findFirst());
        if (param.isEmpty()) return List.of();
        String cluster = Optional.ofNullable(e.getOption("cluster")).flatMap(SlashCommands::string).orElse(null);
        return suggestions(param.get(), cluster, typed);
    }

    List<String> suggestions(CommandSpec.Param param, String cluster, String typed) {
        Set<String> all = new LinkedHashSet<>();
        if (param.type() == CommandSpec.ValueType.CLUSTER) {
            all.addAll(bot.clusters().keySet());
        } else if (param.type() == CommandSpec.ValueType.MEMBER) {
            List<String> clusters = cluster != null && bot.clusters().containsKey(cluster) ? List.of(cluster)
                    : new ArrayList<>(bot.clusters().keySet());
            long deadline = System.nanoTime() + AUTOCOMPLETE_WAIT.toNanos();
            for (String c : clusters) {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                all.addAll(memberNames.names(c, left));
            }
            all.addAll(param.choices());
        } else {
            all.addAll(param.choices());
        }
        return all.stream().filter(s -> s.toLowerCase(Locale.ROOT).contains(typed))
                .map(s -> s.length() <= 100 ? s : s.substring(0, 100)).limit(MAX_CHOICES).toList();
    }
}
