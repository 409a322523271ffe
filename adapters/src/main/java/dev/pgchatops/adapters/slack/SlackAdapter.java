package dev.pgchatops.adapters.slack;

import dev.pgchatops.core.run.DaemonThreads;
import com.slack.api.Slack;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.apps.connections.AppsConnectionsOpenResponse;
import com.slack.api.methods.response.auth.AuthTestResponse;
import com.slack.api.socket_mode.SocketModeClient;
import dev.pgchatops.adapters.AckGate;
import dev.pgchatops.adapters.ChatAdapter;
import dev.pgchatops.config.AccessConfig;
import dev.pgchatops.config.SlackConfig;
import dev.pgchatops.core.Bot;
import dev.pgchatops.core.Command;
import dev.pgchatops.core.Identity;
import dev.pgchatops.core.Request;
import dev.pgchatops.core.Texts;
import dev.pgchatops.core.chat.ChannelSender;
import dev.pgchatops.core.confirm.PendingView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slack through Bolt: every command as its own slash command ({@code /cluster-list}) and all of them under
 * {@code /pg}; Confirm/Cancel as Block Kit buttons; Socket Mode (app-level token) or HTTP ({@code POST /slack/events},
 * signatures checked). Every Slack request is acknowledged at once — the handler only hands the work to a small
 * bounded intake pool (which resolves the user's groups, then calls {@link Bot#submit}/{@link Bot#press}, which
 * return at once too); in HTTP mode that work starts once the answers being written are out ({@link AckGate}, at
 * most {@link #ACK_HOLD}) — so the ack never waits for Slack, Patroni or pgBackRest, nor competes with them.
 */
public final class SlackAdapter implements ChatAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(SlackAdapter.class);
    /** The umbrella command, for workspaces that allow an app only one slash command. */
    public static final String UMBRELLA = "/pg";
    static final Pattern BUTTON = Pattern.compile("^(confirm|cancel):[A-Za-z0-9_-]{1,200}$");
    private static final Pattern ANY_ACTION = Pattern.compile("(?s).*");
    /** HTTP mode: the request threads and the accept backlog of the server (the bench's baseline uses the same). */
    public static final int HTTP_THREADS = SlackHttpTransport.THREADS;
    public static final int HTTP_BACKLOG = SlackHttpTransport.BACKLOG;
    /** How long handed-over work waits at most for the acks of a burst to be written. */
    static final Duration ACK_HOLD = Duration.ofMillis(100);
    private static final Pattern CLUSTER_FLAG = Pattern.compile("(?:^|\\s)--cluster(?:=|\\s+)([^\\s\"']+)");

    /** Knobs for tests and unusual set-ups; {@link #DEFAULT} is what {@code serve} uses. */
    public record Options(Duration workingAfter, SlackWeb.Policy policy, SlackWeb.Sleeper sleeper,
                          Optional<InetSocketAddress> httpBind, Duration groupTtl, Duration groupFirstWait, Clock clock) {
        public static final Options DEFAULT = new Options(Duration.ofMillis(1500), SlackWeb.Policy.DEFAULT,
                SlackWeb.Sleeper.REAL, Optional.empty(), Duration.ofMinutes(5), Duration.ofSeconds(3), Clock.systemUTC());

        Options withHttpBind(InetSocketAddress a) {
            return new Options(workingAfter, policy, sleeper, Optional.of(a), groupTtl, groupFirstWait, clock);
        }
    }

    private final SlackConfig config;
    private final java.util.Set<String> groups;
    private final Bot bot;
    private final Options options;
    private final ThreadPoolExecutor intake;
    private final ScheduledExecutorService timer;
    /** HTTP mode: hand-offs wait until the acks being written are out (at most {@link #ACK_HOLD}). */
    private final AckGate gate;
    private final SlackSender sender = new SlackSender(this::messages);
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile Slack slack;
    private volatile SlackMessages messages;
    /** {@link #messages} for the replies of commands: they outlast an outage of Slack ({@link SlackWeb#patient()}). */
    private volatile SlackMessages replies;
    private volatile SlackIdentities identities;
    private volatile App app;
    private volatile SocketModeApp socketApp;
    private volatile SlackHttpTransport http;

    /** {@code access}: whose {@code slack-groups} to resolve (the bot applies the roles). */
    public SlackAdapter(SlackConfig config, AccessConfig access, Bot bot) {
        this(config, access, bot, Options.DEFAULT);
    }

    public SlackAdapter(SlackConfig config, AccessConfig access, Bot bot, Options options) {
        this.config = config;
        this.groups = java.util.Set.copyOf(access.slackGroups().keySet());
        this.bot = bot;
        this.options = options;
        this.intake = new ThreadPoolExecutor(2, 4, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024), DaemonThreads.numbered("slack-intake"));
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("slack-timer"));
        this.gate = new AckGate(intake, timer, ACK_HOLD, 512);
    }


    @Override
    public String name() {
        return "slack";
    }

    @Override
    public ChannelSender sender() {
        return sender;
    }

    private SlackMessages messages() {
        SlackMessages m = messages;
        if (m == null) throw new IllegalStateException("the Slack adapter is not started");
        return m;
    }

    /** Commands and clicks handed to the bot and not answered yet (for tests). */
    int inFlight() {
        return inFlight.get();
    }

    /** The HTTP mode transport (after start), for tests that drive it without a socket. */
    SlackHttpTransport httpTransport() {
        return http;
    }

    /** The HTTP port listened on (HTTP mode, after start), for tests. */
    int httpPort() {
        return http == null ? -1 : http.port();
    }

    @Override
    public void start() throws AdapterStartException {
        com.slack.api.SlackConfig sc = new com.slack.api.SlackConfig();
        sc.setMethodsEndpointUrlPrefix(config.apiUrl().toString());
        sc.setHttpClientReadTimeoutMillis(15_000);
        sc.setHttpClientWriteTimeoutMillis(15_000);
        sc.setHttpClientCallTimeoutMillis(20_000);
        sc.setPrettyResponseLoggingEnabled(false);
        Slack s = Slack.getInstance(sc);
        this.slack = s;
        String botToken = config.botToken().reveal();
        String botKey = "slack.bot-token-env (" + config.botToken().source() + ")";
        if (botToken.startsWith("xapp-")) {
            throw new AdapterStartException(botKey + " holds an app-level token (xapp-…); it needs the bot token (xoxb-…)"
                    + " from OAuth & Permissions.", null);
        }
        AuthTestResponse auth;
        try {
            auth = s.methods(botToken).authTest(r -> r);
        } catch (IOException | SlackApiException e) {
            throw new AdapterStartException("cannot reach Slack's Web API at " + config.apiUrl() + " (slack.api-url): " + e, e);
        }
        if (!auth.isOk()) {
            throw new AdapterStartException("Slack refused the bot token from " + botKey + ": " + auth.getError()
                    + " (put the app's Bot User OAuth Token, xoxb-…, there).", null);
        }
        LOG.info("Slack: bot {} in team {} ({})", auth.getUser(), auth.getTeam(), auth.getTeamId());
        SlackWeb web = new SlackWeb(s, botToken, options.policy(), options.sleeper());
        this.messages = new SlackMessages(web, options.clock());
        this.replies = messages.patient();
        this.identities = new SlackIdentities(slackGroups(), group -> members(web, group),
                options.groupTtl(), options.groupFirstWait(), intake);

        AppConfig.AppConfigBuilder ab = AppConfig.builder().slack(s).singleTeamBotToken(botToken);
        ab.signingSecret(config.signingSecret().map(x -> x.reveal()).orElse(null));
        // Bolt's SingleTeamAuthorization re-runs auth.test on the request thread when its cache (10 min, and never
        // filled before the first request) runs out: a Web API round trip before the ack, made by every request
        // that arrives meanwhile. The token was verified above and by App.start(): keep that answer.
        ab.authTestCacheExpirationMillis(-1);
        App a = new App(ab.build());
        register(a);
        this.app = a;
        if (config.mode() == SlackConfig.Mode.SOCKET) {
            startSocketMode(s, a);
        } else {
            startHttp(a);
        }
        if (!slackGroups().isEmpty()) identities.refresh(); // warm the group cache
    }

    private java.util.Set<String> slackGroups() {
        return groups;
    }

    private static List<String> members(SlackWeb web, String group) {
        return web.call("usergroups.users.list", null, true, () -> web.client().usergroupsUsersList(r -> r.usergroup(group)))
                .getUsers();
    }

    private void startSocketMode(Slack s, App a) throws AdapterStartException {
        var appSecret = config.appToken().orElseThrow();
        String appToken = appSecret.reveal();
        String appKey = "slack.app-token-env (" + appSecret.source() + ")";
        if (appToken.startsWith("xoxb-")) {
            throw new AdapterStartException(appKey + " holds a bot token (xoxb-…); Socket Mode needs the app-level token"
                    + " (xapp-…, Basic Information → App-Level Tokens, scope connections:write).", null);
        }
        AppsConnectionsOpenResponse open;
        try {
            open = s.methods().appsConnectionsOpen(r -> r.token(appToken));
        } catch (IOException | SlackApiException e) {
            throw new AdapterStartException("cannot reach Slack's Web API at " + config.apiUrl() + " (slack.api-url): " + e, e);
        }
        if (!open.isOk()) {
            throw new AdapterStartException("Slack refused the app-level token from " + appKey + ": " + open.getError()
                    + " (Socket Mode needs an xapp-… token with connections:write, and Socket Mode enabled for the app).", null);
        }
        try {
            SocketModeApp sm = new SocketModeApp(appToken, SocketModeClient.Backend.JavaWebSocket, a);
            sm.startAsync();
            this.socketApp = sm;
        } catch (Exception e) {
            throw new AdapterStartException("cannot open the Socket Mode connection: " + e, e);
        }
    }

    private void startHttp(App a) throws AdapterStartException {
        String secret = config.signingSecret().orElseThrow().reveal();
        InetSocketAddress bind = options.httpBind().orElse(new InetSocketAddress(config.httpPort()));
        try {
            a.start();
        } catch (RuntimeException e) {
            throw new AdapterStartException("Bolt did not start: " + e.getMessage(), e);
        }
        try {
            SlackHttpTransport t = new SlackHttpTransport(a, secret, bind, this::auditRefused, gate);
            t.start();
            this.http = t;
            LOG.info("Slack HTTP mode: listening on {}{}", t.port(), SlackHttpTransport.PATH);
        } catch (IOException e) {
            throw new AdapterStartException("cannot listen on slack.http.port " + bind.getPort() + ": " + e.getMessage(), e);
        }
    }

    private void auditRefused(String why, String claimedUser, String claimedCommand, String remote) {
        Identity unverified = Identity.of("slack", "unverified");
        String detail = "bad Slack signature: " + why + "; claimed user " + Texts.abbreviate(claimedUser, 30) + ", from "
                + remote + "; nothing was run";
        bot.auditRefused(new Request(unverified, "", Texts.abbreviate(claimedCommand, 60)),
                claimedCommand.startsWith("/") ? Texts.abbreviate(claimedCommand.substring(1), 40) : "", detail);
    }

    // ---- handlers ----------------------------------------------------------------------------------------

    private void register(App a) {
        a.command(UMBRELLA, (req, ctx) -> {
            String refusal = onCommand(req.getPayload(), true);
            return refusal == null ? ctx.ack() : ctx.ack(refusal);
        });
        for (Command c : bot.registry().all()) {
            a.command("/" + c.spec().name(), (req, ctx) -> {
                String refusal = onCommand(req.getPayload(), false);
                return refusal == null ? ctx.ack() : ctx.ack(refusal);
            });
        }
        // every click is acked (else Slack shows the user an error after 3 s); onClick ignores ids not ours
        a.blockAction(ANY_ACTION, (req, ctx) -> {
            onClick(req.getPayload());
            return ctx.ack();
        });
    }

    /** Hands a slash command over; returns a message for the ack when it cannot be taken now. */
    private String onCommand(SlashCommandPayload p, boolean umbrella) {
        String text = BlockKit.unescape(p.getText() == null ? "" : p.getText()).strip();
        String line = umbrella ? text : p.getCommand() + (text.isEmpty() ? "" : " " + text);
        String channel = p.getChannelId();
        String shown = Texts.abbreviate(line.isEmpty() ? UMBRELLA : (line.startsWith("/") ? line : "/" + line), 80);
        if (p.getUserId() == null || p.getUserId().isBlank()) {
            return ":x: This request names no Slack user (user_id is missing); nothing was run.";
        }
        inFlight.incrementAndGet();
        try {
            gate.handOff(() -> {
              try {
                Identity who = identities.of(p.getUserId(), p.getUserName());
                SlackConversation conv = new SlackConversation(replies, channel, p.getUserId(), p.getResponseUrl(),
                        new BlockKit.Context(shown, who.displayName(), clusterOf(line)));
                conv.workingAfter(timer, options.workingAfter(), shown.split("\\s", 2)[0]);
                String delivery = p.getTriggerId() == null ? null : "command:" + p.getTriggerId();
                bot.submit(Request.line(who, channel, line, delivery), conv)
                        .whenCompleteAsync((h, e) -> {
                            conv.finished();
                            inFlight.decrementAndGet();
                        }, intake);
              } catch (RuntimeException e) {
                inFlight.decrementAndGet();
                LOG.error("could not hand {} by {} to the bot", shown, p.getUserId(), e);
              }
            }, e -> {
                inFlight.decrementAndGet();
                LOG.error("overloaded: {} by {} was acked but could not be handed to the bot ({})", shown, p.getUserId(), e.getMessage());
            });
            return null;
        } catch (RejectedExecutionException e) {
            inFlight.decrementAndGet();
            return ":x: The bot is overloaded right now; nothing was run. Try again in a minute.";
        }
    }

    private void onClick(BlockActionPayload p) {
        if (p.getActions() == null || p.getUser() == null) return;
        BlockActionPayload.Action action = p.getActions().stream()
                .filter(x -> x.getActionId() != null && BUTTON.matcher(x.getActionId()).matches()).findFirst().orElse(null);
        if (action == null) return;
        String channel = p.getChannel() != null ? p.getChannel().getId()
                : p.getContainer() != null ? p.getContainer().getChannelId() : "";
        String user = p.getUser().getId();
        if (user == null || user.isBlank()) return;
        String userName = p.getUser().getUsername() != null ? p.getUser().getUsername() : p.getUser().getName();
        String actionId = action.getActionId();
        inFlight.incrementAndGet();
        try {
            gate.handOff(() -> {
              try {
                Identity who = identities.of(user, userName);
                String token = actionId.substring(actionId.indexOf(':') + 1);
                BlockKit.Context ctx = bot.confirmation(token).map(SlackAdapter::contextOf)
                        .orElse(new BlockKit.Context("", "", ""));
                SlackConversation conv = new SlackConversation(replies, channel, user, p.getResponseUrl(), ctx);
                String delivery = p.getTriggerId() == null ? null : "click:" + p.getTriggerId();
                bot.press(actionId, who, channel, conv, delivery).whenComplete((h, e) -> inFlight.decrementAndGet());
              } catch (RuntimeException e) {
                inFlight.decrementAndGet();
                LOG.error("could not hand a click by {} to the bot", user, e);
              }
            }, e -> {
                inFlight.decrementAndGet();
                LOG.warn("overloaded: dropped a click by {} (the user can click again)", user);
            });
        } catch (RejectedExecutionException e) {
            inFlight.decrementAndGet();
            LOG.warn("overloaded: dropped a click by {} (the user can click again)", user);
        }
    }

    private static BlockKit.Context contextOf(PendingView v) {
        String cmd = "/" + v.command() + (v.args().isEmpty() ? "" : " " + String.join(" ", v.args()));
        return new BlockKit.Context(Texts.abbreviate(cmd, 80), v.requester().displayName(), v.cluster());
    }

    /** The cluster a command line names with --cluster, else the only one configured, else "". */
    private String clusterOf(String line) {
        Matcher m = CLUSTER_FLAG.matcher(line);
        if (m.find()) return Texts.abbreviate(m.group(1), 40);
        return bot.clusters().size() == 1 ? bot.clusters().keySet().iterator().next() : "";
    }

    @Override
    public void close() {
        try {
            if (socketApp != null) socketApp.close();
        } catch (Exception e) {
            LOG.warn("closing the Socket Mode connection: {}", e.toString());
        }
        if (http != null) http.close();
        if (app != null) app.stop();
        intake.shutdownNow();
        timer.shutdownNow();
        try {
            if (slack != null) slack.close();
        } catch (Exception e) {
            LOG.debug("closing the Slack client: {}", e.toString());
        }
    }
}
