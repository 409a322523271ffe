package dev.pgchatops.core;

import dev.pgchatops.config.Role;
import dev.pgchatops.core.audit.AuditEvent;
import dev.pgchatops.core.audit.AuditUnavailable;
import dev.pgchatops.core.chat.MessageRef;
import dev.pgchatops.core.chat.ProgressUpdate;
import dev.pgchatops.core.confirm.Pending;
import dev.pgchatops.core.confirm.PendingView;
import dev.pgchatops.core.reply.Block;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.pgchatops.core.Fixtures.ADMIN;
import static dev.pgchatops.core.Fixtures.ALICE;
import static dev.pgchatops.core.Fixtures.BOB;
import static dev.pgchatops.core.Fixtures.VIEWER;
import static dev.pgchatops.core.Fixtures.req;
import static org.assertj.core.api.Assertions.assertThat;

/** The chat core: hand-off, editable messages, private replies, busy clusters, expiry, redelivery, audit. */
class ChatCoreTest {
    private static final Duration TTL = Duration.ofSeconds(120);
    private final TestClock clock = new TestClock();
    private final List<AuditEvent> audit = new CopyOnWriteArrayList<>();

    private Bot bot(Command... commands) {
        CommandRegistry r = new CommandRegistry();
        for (Command c : commands) r.register(c);
        return Fixtures.bot(List.of(Fixtures.offlineCluster("main")), r, clock, TTL, audit);
    }

    private static boolean await(CountDownLatch l) {
        try {
            return l.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void submitReturnsWithoutWaitingForTheCommand() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<Thread> ranOn = new java.util.concurrent.atomic.AtomicReference<>();
        FakeCommand slow = new FakeCommand(FakeCommand.spec("slow", Role.VIEWER, false), inv -> {
            ranOn.set(Thread.currentThread());
            await(release); // held until the adapter got control back: a synchronous submit would never return
            return Outcome.done(Reply.success("slow done"));
        });
        Bot bot = bot(slow);
        RecordingResponder out = new RecordingResponder();
        CompletableFuture<Handled> f = bot.submit(req(VIEWER, "/slow"), out);
        assertThat(f).as("handed over, not run on the adapter's thread").isNotDone();
        assertThat(out.replies).isEmpty();
        release.countDown();
        Handled h = f.get(10, TimeUnit.SECONDS);
        assertThat(ranOn.get()).isNotSameAs(Thread.currentThread());
        assertThat(h.answer().plainText()).isEqualTo("slow done");
        assertThat(out.text()).isEqualTo("slow done");
    }

    @Test
    void refusalsUsageHelpAndWhoamiArePrivateResultsAreNot() {
        Bot bot = Fixtures.bot(List.of(Fixtures.offlineCluster("main"), Fixtures.offlineCluster("reporting")),
                Bots.registry(dev.pgchatops.core.cmd.Follow.Limits.DEFAULT), clock, TTL, audit);
        FakeCommand status = FakeCommand.read("status", Role.VIEWER);
        Bot one = bot(status, FakeCommand.destructive("destroy", Role.OPERATOR));
        assertThat(reply(one, VIEWER, "/destroy").isPrivate()).as("refusal").isTrue();
        assertThat(reply(one, VIEWER, "/status --nope").isPrivate()).as("usage error").isTrue();
        assertThat(reply(one, VIEWER, "/status").isPrivate()).as("a result").isFalse();

        Reply help = reply(bot, VIEWER, "/help");
        assertThat(help.isPrivate()).isTrue();
        assertThat(help.plainText()).as("no --cluster needed with two clusters").startsWith("Commands");
        Reply who = reply(bot, VIEWER, "/whoami");
        assertThat(who.isPrivate()).isTrue();
        assertThat(who.plainText()).contains("slack:UVIEW").contains("viewer");
        assertThat(reply(bot, VIEWER, "/help switchover").plainText()).contains("Usage");
    }

    private static Reply reply(Bot bot, Identity who, String line) {
        RecordingResponder out = new RecordingResponder();
        bot.handle(req(who, line), out);
        return out.only();
    }

    @Test
    void expiryEditsTheConfirmationMessageWithoutAnyPress() {
        FakeCommand destroy = FakeCommand.destructive("destroy", Role.OPERATOR);
        Bot bot = bot(destroy);
        RecordingResponder out = new RecordingResponder();
        PendingView p = bot.handle(req(ALICE, "/destroy"), out).orElseThrow();
        Reply prompt = out.only();
        assertThat(prompt.buttons()).isPresent();

        clock.advance(TTL.minusSeconds(1));
        assertThat(bot.expireDue()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(bot.expireDue()).isEqualTo(1);

        assertThat(out.replies).hasSize(2);
        Reply edited = out.last();
        assertThat(edited.buttons()).as("no button stays live after its time").isEmpty();
        assertThat(edited.plainText()).endsWith("Expired after 120 s — nothing was run. Run /destroy again if it is still needed.");
        assertThat(out.edits).singleElement().asString().startsWith("m1: ");
        assertThat(bot.confirmation(p.token()).orElseThrow().status()).isEqualTo(Pending.Status.EXPIRED);
        assertThat(bot.expireDue()).as("expired once").isZero();
        assertThat(audit).extracting(AuditEvent::outcome).containsExactly("pending", "expired");

        RecordingResponder late = new RecordingResponder();
        bot.confirm(p.token(), ALICE, "#ops", late);
        assertThat(late.only().isPrivate()).isTrue();
        assertThat(late.text()).contains("expired; nothing was run");
        RecordingResponder lateCancel = new RecordingResponder();
        bot.cancel(p.token(), ALICE, "#ops", lateCancel);
        assertThat(lateCancel.only().severity()).as("a cancel after expiry is information").isEqualTo(Severity.INFO);
        assertThat(lateCancel.text()).isEqualTo("The confirmation for /destroy had already expired; nothing was run.");
        assertThat(destroy.actions).hasValue(0);
    }

    @Test
    void confirmEditsThePromptToRunningThenToTheOutcome() {
        FakeCommand destroy = FakeCommand.destructive("destroy", Role.OPERATOR);
        Bot bot = bot(destroy);
        RecordingResponder asked = new RecordingResponder();
        PendingView p = bot.handle(req(ALICE, "/destroy"), asked).orElseThrow();
        RecordingResponder clicked = new RecordingResponder();
        bot.confirm(p.token(), ALICE, "#ops", clicked);
        assertThat(clicked.progress).containsExactly("confirmed by alice — running /destroy on main", "doing destroy");
        Reply shown = clicked.messages.get("m1");
        assertThat(shown).as("the prompt message (m1 of the click) was edited, not a new one posted").isNotNull();
        assertThat(clicked.only().buttons()).isEmpty();
        assertThat(clicked.text()).startsWith("done destroy\nconfirmed by alice");
    }

    @Test
    void aSecondDestructiveActionOnABusyClusterIsRefusedWhileReadsAnswer() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        FakeCommand sw = new FakeCommand(FakeCommand.spec("switchover", Role.OPERATOR, true),
                inv -> Outcome.confirm("switch", progress -> {
                    started.countDown();
                    await(finish);
                    return Reply.success("switched");
                }));
        FakeCommand reinit = FakeCommand.destructive("reinit", Role.OPERATOR);
        FakeCommand list = FakeCommand.read("cluster-list", Role.VIEWER);
        Bot bot = bot(sw, reinit, list);

        PendingView p = bot.handle(req(ALICE, "/switchover"), new RecordingResponder()).orElseThrow();
        PendingView p2 = bot.handle(req(BOB, "/reinit"), new RecordingResponder()).orElseThrow();
        CompletableFuture<Handled> running = bot.press(Bot.CONFIRM_PREFIX + p.token(), ALICE, "#ops", new RecordingResponder(), null);
        assertThat(await(started)).isTrue();
        clock.advance(Duration.ofSeconds(40));

        Reply busy = reply(bot, BOB, "/reinit");
        assertThat(busy.isPrivate()).isTrue();
        assertThat(busy.plainText()).startsWith("busy: /switchover by alice on main, running for 40 s.");
        RecordingResponder confirm2 = new RecordingResponder();
        bot.confirm(p2.token(), BOB, "#ops", confirm2);
        assertThat(confirm2.text()).startsWith("busy: /switchover by alice on main, running for 40 s.")
                .endsWith("Your confirmation stays open until it expires.");
        assertThat(bot.confirmation(p2.token()).orElseThrow().status()).isEqualTo(Pending.Status.OPEN);
        assertThat(reply(bot, VIEWER, "/cluster-list").plainText()).as("reads never wait").isEqualTo("ok cluster-list");

        finish.countDown();
        assertThat(running.get(10, TimeUnit.SECONDS).answer().plainText()).startsWith("switched");
        RecordingResponder after = new RecordingResponder();
        bot.confirm(p2.token(), BOB, "#ops", after);
        assertThat(after.text()).as("free again").startsWith("done reinit");
        assertThat(reinit.actions).hasValue(1);
    }

    @Test
    void aRedeliveredRequestGetsTheFirstAnswerAndRunsNothing() throws Exception {
        FakeCommand status = FakeCommand.read("status", Role.VIEWER);
        FakeCommand destroy = FakeCommand.destructive("destroy", Role.OPERATOR);
        Bot bot = bot(status, destroy);
        RecordingResponder first = new RecordingResponder();
        Handled a = bot.submit(Request.line(VIEWER, "#ops", "/status", "Ev1"), first).get(10, TimeUnit.SECONDS);
        RecordingResponder second = new RecordingResponder();
        Handled b = bot.submit(Request.line(VIEWER, "#ops", "/status", "Ev1"), second).get(10, TimeUnit.SECONDS);
        assertThat(b).isEqualTo(a);
        assertThat(status.runs).hasValue(1);
        assertThat(second.replies).as("nothing posted twice").isEmpty();
        bot.submit(Request.line(VIEWER, "#ops", "/status", "Ev2"), new RecordingResponder()).get(10, TimeUnit.SECONDS);
        assertThat(status.runs).as("another id runs").hasValue(2);

        PendingView p = bot.handle(req(ALICE, "/destroy"), new RecordingResponder()).orElseThrow();
        Handled c1 = bot.press(Bot.CONFIRM_PREFIX + p.token(), ALICE, "#ops", new RecordingResponder(), "click-1").get(10, TimeUnit.SECONDS);
        Handled c2 = bot.press(Bot.CONFIRM_PREFIX + p.token(), ALICE, "#ops", new RecordingResponder(), "click-1").get(10, TimeUnit.SECONDS);
        assertThat(c2).isEqualTo(c1);
        assertThat(destroy.actions).hasValue(1);
    }

    @Test
    void anUnwritableAuditLogRefusesDestructiveCommandsButReadsAnswer() {
        FakeCommand status = FakeCommand.read("status", Role.VIEWER);
        FakeCommand destroy = FakeCommand.destructive("destroy", Role.OPERATOR);
        AtomicBoolean broken = new AtomicBoolean(true);
        Bot bot = Fixtures.bot(List.of(Fixtures.offlineCluster("main")), new CommandRegistry().register(status).register(destroy),
                clock, TTL, e -> {
                    if (broken.get()) throw new AuditUnavailable("cannot write the audit log /var/log/x (audit.path): disk full", null);
                    audit.add(e);
                }, Bot.Settings.DEFAULT);
        assertThat(reply(bot, VIEWER, "/status").plainText()).isEqualTo("ok status");
        RecordingResponder out = new RecordingResponder();
        Optional<PendingView> p = bot.handle(req(ALICE, "/destroy"), out);
        assertThat(p).isEmpty();
        assertThat(out.only().isPrivate()).isTrue();
        assertThat(out.text()).startsWith("Refused: the audit log cannot be written (cannot write the audit log /var/log/x (audit.path): disk full).");
        assertThat(out.text()).doesNotContain("[Confirm]");

        broken.set(false);
        PendingView open = bot.handle(req(ALICE, "/destroy"), new RecordingResponder()).orElseThrow();
        broken.set(true);
        RecordingResponder confirm = new RecordingResponder();
        bot.confirm(open.token(), ALICE, "#ops", confirm);
        assertThat(destroy.actions).as("'confirmed by' could not be written first: not run").hasValue(0);
        assertThat(confirm.last().plainText()).contains("Not run: /destroy on main was confirmed by alice, but the audit log cannot be written");
    }

    @Test
    void aBlockingOrThrowingChatNeverDelaysOrFalsifiesTheOutcome() throws Exception {
        int lines = 5_000;
        FakeCommand backup = new FakeCommand(FakeCommand.spec("backup", Role.OPERATOR, false), inv -> {
            for (int i = 0; i < lines; i++) inv.progress().line("copied file " + i);
            return Outcome.done(Reply.success("backup full done"));
        });
        Bot bot = bot(backup);
        CountDownLatch release = new CountDownLatch(1);
        RecordingResponder blocking = new RecordingResponder() {
            @Override
            public MessageRef progress(MessageRef message, ProgressUpdate update) {
                await(release); // a chat that hangs on every progress edit
                return super.progress(message, update);
            }
        };
        Handled h = bot.submit(req(ALICE, "/backup"), blocking).get(20, TimeUnit.SECONDS);
        assertThat(h.answer().plainText()).as("the result although progress never got through").isEqualTo("backup full done");
        assertThat(audit).extracting(AuditEvent::outcome).containsExactly("ok");
        release.countDown();

        RecordingResponder throwing = new RecordingResponder() {
            @Override
            public MessageRef progress(MessageRef message, ProgressUpdate update) {
                throw new IllegalStateException("429 rate limited");
            }
        };
        Handled h2 = bot.submit(req(ALICE, "/backup"), throwing).get(20, TimeUnit.SECONDS);
        assertThat(h2.answer().severity()).isEqualTo(Severity.SUCCESS);
        assertThat(throwing.last().plainText()).isEqualTo("backup full done");
        assertThat(audit).extracting(AuditEvent::outcome).containsExactly("ok", "ok");
    }

    @Test
    void openConfirmationsAreCappedPerUserNotEvicted() {
        FakeCommand destroy = FakeCommand.destructive("destroy", Role.OPERATOR);
        Bot bot = bot(destroy);
        for (int i = 0; i < 5; i++) assertThat(bot.handle(req(ALICE, "/destroy"), new RecordingResponder())).isPresent();
        Reply refused = reply(bot, ALICE, "/destroy");
        assertThat(refused.isPrivate()).isTrue();
        assertThat(refused.plainText()).startsWith("alice already has 5 open confirmations");
        assertThat(bot.handle(req(BOB, "/destroy"), new RecordingResponder())).as("others are not affected").isPresent();
    }

    @Test
    void typedInputSkipsTheTokenizerButNotTheChecks() {
        FakeCommand status = new FakeCommand(FakeCommand.spec("status", Role.VIEWER, false),
                inv -> Outcome.done(Reply.info("arg=" + inv.command().arg(0).orElse("-") + " candidate="
                        + inv.command().flag("candidate").orElse("-"))));
        Bot bot = bot(status);
        RecordingResponder out = new RecordingResponder();
        bot.submit(Request.typed(VIEWER, "#ops", "status", List.of("a b \"c\"", "--candidate", "node2"), "I1"), out).join();
        assertThat(out.text()).isEqualTo("arg=a b \"c\" candidate=node2");
        RecordingResponder bad = new RecordingResponder();
        bot.submit(Request.typed(VIEWER, "#ops", "status", List.of("x\u0000"), "I2"), bad).join();
        assertThat(bad.text()).contains("control characters");
    }

    @Test
    void buttonsCarryTheTokenAndForeignButtonsAreRefused() throws Exception {
        FakeCommand destroy = FakeCommand.destructive("destroy", Role.OPERATOR);
        Bot bot = bot(destroy);
        RecordingResponder out = new RecordingResponder();
        PendingView p = bot.handle(req(ALICE, "/destroy"), out).orElseThrow();
        List<Block.Button> buttons = out.only().buttons().orElseThrow().buttons();
        assertThat(buttons).extracting(Block.Button::action).containsExactly("confirm:" + p.token(), "cancel:" + p.token());
        RecordingResponder other = new RecordingResponder();
        bot.press("launch:missiles", ADMIN, "#ops", other, null).get(10, TimeUnit.SECONDS);
        assertThat(other.text()).startsWith("This button is not one of the bot's");
        assertThat(destroy.actions).hasValue(0);
    }
}
