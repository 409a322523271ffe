package dev.pgchatops.core;

import dev.pgchatops.config.Role;
import dev.pgchatops.core.audit.AuditEvent;
import dev.pgchatops.core.confirm.Pending;
import dev.pgchatops.core.confirm.PendingView;
import dev.pgchatops.core.reply.Reply;
import dev.pgchatops.core.reply.Severity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.pgchatops.core.Fixtures.ADMIN;
import static dev.pgchatops.core.Fixtures.ALICE;
import static dev.pgchatops.core.Fixtures.BOB;
import static dev.pgchatops.core.Fixtures.VIEWER;
import static dev.pgchatops.core.Fixtures.req;
import static org.assertj.core.api.Assertions.assertThat;

class BotConfirmationTest {
    private static final Duration TTL = Duration.ofSeconds(120);
    private final TestClock clock = new TestClock();
    private final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    private final FakeCommand destroy = FakeCommand.destructive("destroy", Role.OPERATOR);
    private final Bot bot = Fixtures.bot(List.of(Fixtures.offlineCluster("main")),
            new CommandRegistry().register(destroy), clock, TTL, audit);

    private PendingView request(Identity who) {
        return bot.handle(req(who, "/destroy"), new RecordingResponder()).orElseThrow();
    }

    private RecordingResponder confirm(PendingView p, Identity who) {
        RecordingResponder out = new RecordingResponder();
        bot.confirm(p.token(), who, "#ops", out);
        return out;
    }

    private RecordingResponder cancel(PendingView p, Identity who) {
        RecordingResponder out = new RecordingResponder();
        bot.cancel(p.token(), who, "#ops", out);
        return out;
    }

    /** The text an edit added last: what a decided confirmation's message now says. */
    private static String lastBlock(RecordingResponder out) {
        Reply r = out.only();
        return ((dev.pgchatops.core.reply.Block.Text) r.blocks().get(r.blocks().size() - 1)).text();
    }

    @Test
    void confirmRunsTheActionOnce() {
        PendingView p = request(ALICE);
        RecordingResponder out = confirm(p, ALICE);

        assertThat(destroy.actions).hasValue(1);
        Reply r = out.only();
        assertThat(r.severity()).isEqualTo(Severity.SUCCESS);
        assertThat(r.plainText()).matches("done destroy\nconfirmed by alice — \\d+\\.\\d s");
        assertThat(out.progress).containsExactly("confirmed by alice — running /destroy on main", "doing destroy");
        assertThat(bot.confirmation(p.token()).orElseThrow().status()).isEqualTo(Pending.Status.CONFIRMED);
        assertThat(bot.confirmation(p.token()).orElseThrow().decidedBy()).contains(ALICE);

        assertThat(confirm(p, ALICE).text()).isEqualTo("/destroy was already confirmed by alice; it runs only once.");
        assertThat(destroy.actions).hasValue(1);

        assertThat(audit).extracting(AuditEvent::outcome).containsExactly("pending", "confirmed", "ok", "duplicate");
        assertThat(audit.get(1).confirmation()).isEqualTo("confirmed " + p.token() + " by console:alice");
        assertThat(audit.get(2).confirmation()).isEqualTo("confirmed " + p.token() + " by console:alice");
        assertThat(audit.get(2).cluster()).isEqualTo("main");
        assertThat(audit.get(2).command()).isEqualTo("destroy");
        assertThat(audit.get(2).detail()).isEqualTo("done destroy");
    }

    @Test
    void expiresAfterTheTimeoutOnTheInjectedClock() {
        PendingView p = request(ALICE);
        clock.advance(TTL);
        RecordingResponder out = confirm(p, ALICE);
        assertThat(out.only().severity()).isEqualTo(Severity.ERROR);
        assertThat(out.text()).isEqualTo("The confirmation for /destroy expired; nothing was run. Run the command again.");
        assertThat(destroy.actions).hasValue(0);
        assertThat(bot.confirmation(p.token()).orElseThrow().status()).isEqualTo(Pending.Status.EXPIRED);
        assertThat(confirm(p, ADMIN).text()).as("an admin cannot revive it").contains("expired");
        assertThat(cancel(p, ALICE).text()).contains("expired");
        assertThat(destroy.actions).hasValue(0);
        assertThat(audit).extracting(AuditEvent::outcome).containsExactly("pending", "expired", "expired", "expired", "expired");
    }

    @Test
    void stillValidJustBeforeTheTimeout() {
        PendingView p = request(ALICE);
        clock.advance(TTL.minusMillis(1));
        assertThat(confirm(p, ALICE).text()).startsWith("done destroy");
        assertThat(destroy.actions).hasValue(1);
    }

    @Test
    void onlyTheRequesterOrAnAdminMayConfirm() {
        PendingView p = request(ALICE);
        RecordingResponder bob = confirm(p, BOB);
        assertThat(bob.text()).isEqualTo("Only alice (who asked for /destroy) or an admin can confirm it.");
        assertThat(confirm(p, VIEWER).text()).isEqualTo("Only alice (who asked for /destroy) or an admin can confirm it.");
        assertThat(destroy.actions).hasValue(0);
        assertThat(bot.confirmation(p.token()).orElseThrow().status()).as("a refused press leaves it open").isEqualTo(Pending.Status.OPEN);

        RecordingResponder admin = confirm(p, ADMIN);
        assertThat(admin.text()).startsWith("done destroy\nconfirmed by UADMIN");
        assertThat(destroy.actions).hasValue(1);
        assertThat(audit).extracting(AuditEvent::outcome).containsExactly("pending", "refused", "refused", "confirmed", "ok");
        assertThat(audit.get(1).user()).isEqualTo("console:bob");
        assertThat(audit.get(3).confirmation()).isEqualTo("confirmed " + p.token() + " by slack:UADMIN");
        assertThat(audit.get(4).confirmation()).isEqualTo("confirmed " + p.token() + " by slack:UADMIN");
    }

    @Test
    void cancelThenConfirmIsRefused() {
        PendingView p = request(ALICE);
        assertThat(cancel(p, BOB).text()).isEqualTo("Only alice (who asked for /destroy) or an admin can cancel it.");
        assertThat(lastBlock(cancel(p, ALICE))).isEqualTo("Cancelled /destroy on main (alice). Nothing was changed.");
        assertThat(bot.confirmation(p.token()).orElseThrow().status()).isEqualTo(Pending.Status.CANCELLED);

        assertThat(confirm(p, ALICE).text()).isEqualTo("/destroy was already cancelled by alice; it runs only once.");
        assertThat(confirm(p, ADMIN).text()).isEqualTo("/destroy was already cancelled by alice; it runs only once.");
        assertThat(cancel(p, ALICE).text()).isEqualTo("/destroy was already cancelled by alice; it runs only once.");
        assertThat(destroy.actions).hasValue(0);
        assertThat(audit).extracting(AuditEvent::outcome)
                .containsExactly("pending", "refused", "cancelled", "duplicate", "duplicate", "duplicate");
        assertThat(audit.get(2).confirmation()).isEqualTo("cancelled " + p.token());
    }

    @Test
    void adminMayCancelAndConfirmAfterConfirmIsDuplicate() {
        PendingView p1 = request(ALICE);
        assertThat(lastBlock(cancel(p1, ADMIN))).isEqualTo("Cancelled /destroy on main (UADMIN). Nothing was changed.");
        PendingView p2 = request(ALICE);
        confirm(p2, ALICE);
        assertThat(cancel(p2, ALICE).text()).isEqualTo("/destroy was already confirmed by alice; it runs only once.");
        assertThat(destroy.actions).hasValue(1);
    }

    @Test
    void unknownToken() {
        RecordingResponder out = new RecordingResponder();
        bot.confirm("deadbeef", ALICE, "#ops", out);
        assertThat(out.text()).isEqualTo("There is no pending confirmation with that id; it may be from before a restart. Run the command again.");
        RecordingResponder out2 = new RecordingResponder();
        bot.cancel(null, ALICE, "#ops", out2);
        assertThat(out2.text()).startsWith("There is no pending confirmation with that id");
        assertThat(audit).extracting(AuditEvent::outcome).containsExactly("not-found", "not-found");
    }

    @Test
    void failingActionIsReportedAndAudited() {
        FakeCommand failing = new FakeCommand(FakeCommand.spec("fail", Role.OPERATOR, true), inv -> Outcome.confirm("fail it",
                progress -> {
                    throw new UserFacingException("the leader changed meanwhile; nothing was done.");
                }));
        FakeCommand crashing = new FakeCommand(FakeCommand.spec("crash", Role.OPERATOR, true), inv -> Outcome.confirm("crash it",
                progress -> {
                    throw new NullPointerException();
                }));
        Bot b = Fixtures.bot(List.of(Fixtures.offlineCluster("main")), new CommandRegistry().register(failing).register(crashing),
                clock, TTL, audit);
        PendingView p1 = b.handle(req(ALICE, "/fail"), new RecordingResponder()).orElseThrow();
        PendingView p2 = b.handle(req(ALICE, "/crash"), new RecordingResponder()).orElseThrow();
        RecordingResponder o1 = new RecordingResponder();
        b.confirm(p1.token(), ALICE, "#ops", o1);
        RecordingResponder o2 = new RecordingResponder();
        b.confirm(p2.token(), ALICE, "#ops", o2);
        assertThat(o1.text()).isEqualTo("the leader changed meanwhile; nothing was done.");
        assertThat(o2.text()).matches("Internal error \\(reference [0-9a-f]{8}\\) while running /crash; its outcome is unknown.*Check /cluster-list before retrying\\.");
        assertThat(audit).extracting(AuditEvent::outcome).containsExactly("pending", "pending", "confirmed", "error", "confirmed", "unknown");
    }

    @Test
    void concurrentConfirmsRunTheActionExactlyOnce() throws Exception {
        int threads = 16;
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch othersAnswered = new CountDownLatch(threads - 1);
        AtomicInteger alreadyReplies = new AtomicInteger();
        // The action waits until every other press has been answered: a press is never blocked by a running action.
        FakeCommand slow = new FakeCommand(FakeCommand.spec("slow", Role.OPERATOR, true), inv -> Outcome.confirm("slow",
                progress -> {
                    runs.incrementAndGet();
                    boolean all = awaitQuietly(othersAnswered);
                    return Reply.success(all ? "ran after the others were answered" : "others still waiting");
                }));
        Bot b = Fixtures.bot(List.of(Fixtures.offlineCluster("main")), new CommandRegistry().register(slow), clock, TTL, audit);
        PendingView p = b.handle(req(ALICE, "/slow"), new RecordingResponder()).orElseThrow();

        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<RecordingResponder>> results = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                Identity who = i % 2 == 0 ? ALICE : ADMIN;
                results.add(pool.submit(() -> {
                    RecordingResponder out = new RecordingResponder() {
                        @Override
                        public dev.pgchatops.core.chat.MessageRef post(Reply reply) {
                            dev.pgchatops.core.chat.MessageRef ref = super.post(reply);
                            if (reply.plainText().contains("already confirmed")) {
                                alreadyReplies.incrementAndGet();
                                othersAnswered.countDown();
                            }
                            return ref;
                        }
                    };
                    start.await(10, TimeUnit.SECONDS);
                    b.confirm(p.token(), who, "#ops", out);
                    return out;
                }));
            }
            List<String> texts = new ArrayList<>();
            for (Future<RecordingResponder> f : results) texts.add(f.get(20, TimeUnit.SECONDS).text());

            assertThat(runs).hasValue(1);
            assertThat(alreadyReplies).hasValue(threads - 1);
            assertThat(texts).filteredOn(t -> t.startsWith("ran after the others were answered")).hasSize(1);
            assertThat(texts).filteredOn(t -> t.matches("/slow was already confirmed by (alice|UADMIN); it runs only once\\."))
                    .hasSize(threads - 1);
            assertThat(audit).extracting(AuditEvent::outcome).filteredOn("ok"::equals).hasSize(1);
            assertThat(audit).extracting(AuditEvent::outcome).filteredOn("duplicate"::equals).hasSize(threads - 1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
