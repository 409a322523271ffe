package dev.pgchatops.core.confirm;

import dev.pgchatops.core.Identity;
import dev.pgchatops.core.TestClock;
import dev.pgchatops.core.reply.Reply;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ConfirmationsTest {
    private static final Identity ALICE = Identity.of("console", "alice");
    private static final Identity BOB = Identity.of("console", "bob");
    private final TestClock clock = new TestClock();
    private final Confirmations c = new Confirmations(clock, Duration.ofSeconds(60));

    private Pending open(Identity who) {
        try {
            return c.open(who, "main", "switchover", List.of("--candidate=node2"), "leader node1 → node2",
                progress -> Reply.success("done"));
        } catch (Confirmations.TooManyOpen e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void openRecordsTheRequest() {
        Pending p = open(ALICE);
        assertThat(p.token()).matches("[0-9a-f]{18}");
        assertThat(p.created()).isEqualTo(clock.instant());
        assertThat(p.expires()).isEqualTo(clock.instant().plusSeconds(60));
        assertThat(p.status()).isEqualTo(Pending.Status.OPEN);
        assertThat(p.args()).containsExactly("--candidate=node2");
        assertThat(c.ttl()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void tokensAreUnique() {
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 500; i++) tokens.add(open(Identity.of("console", "u" + i)).token());
        assertThat(tokens).hasSize(500);
    }

    @Test
    void decisions() {
        Pending p = open(ALICE);
        assertThat(c.confirm(p.token(), BOB, false)).isEqualTo(new Decision.Forbidden(p));
        assertThat(c.confirm(p.token(), ALICE, false)).isEqualTo(new Decision.Granted(p));
        assertThat(c.confirm(p.token(), ALICE, false)).isEqualTo(new Decision.AlreadyDecided(p));
        assertThat(c.cancel(p.token(), BOB, true)).isEqualTo(new Decision.AlreadyDecided(p));
        assertThat(c.confirm("nope", ALICE, true)).isEqualTo(new Decision.Unknown("nope"));
        assertThat(c.confirm(null, ALICE, true)).isEqualTo(new Decision.Unknown(null));

        Pending q = open(ALICE);
        assertThat(c.cancel(q.token(), BOB, true)).isEqualTo(new Decision.Granted(q));
        assertThat(q.status()).isEqualTo(Pending.Status.CANCELLED);
        assertThat(q.decidedBy()).isEqualTo(BOB);
        assertThat(c.confirm(q.token(), ALICE, false)).isEqualTo(new Decision.AlreadyDecided(q));
    }

    @Test
    void expiryFollowsTheClock() {
        Pending p = open(ALICE);
        clock.advance(Duration.ofSeconds(59));
        Pending q = open(ALICE);
        clock.advance(Duration.ofSeconds(1));
        assertThat(c.confirm(p.token(), ALICE, false)).isEqualTo(new Decision.Expired(p));
        assertThat(c.cancel(p.token(), ALICE, true)).isEqualTo(new Decision.Expired(p));
        assertThat(c.confirm(q.token(), ALICE, false)).isEqualTo(new Decision.Granted(q));
    }

    @Test
    void oldEntriesArePurged() {
        Pending p = open(ALICE);
        clock.advance(Duration.ofSeconds(60 * 5).plus(Duration.ofMinutes(10)).plusSeconds(61));
        open(BOB);
        assertThat(c.size()).isEqualTo(1);
        assertThat(c.confirm(p.token(), ALICE, false)).isEqualTo(new Decision.Unknown(p.token()));
    }

    @Test
    void concurrentDecisionsGrantExactlyOne() throws Exception {
        for (int round = 0; round < 20; round++) {
            Pending p = open(ALICE);
            int n = 8;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(n);
            List<Future<Decision>> fs = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    boolean cancel = i % 2 == 1;
                    fs.add(pool.submit(() -> {
                        go.await(10, TimeUnit.SECONDS);
                        return cancel ? c.cancel(p.token(), ALICE, false) : c.confirm(p.token(), ALICE, false);
                    }));
                }
                go.countDown();
                List<Decision> ds = new ArrayList<>();
                for (Future<Decision> f : fs) ds.add(f.get(10, TimeUnit.SECONDS));
                assertThat(ds).filteredOn(d -> d instanceof Decision.Granted).hasSize(1);
                assertThat(ds).filteredOn(d -> d instanceof Decision.AlreadyDecided).hasSize(n - 1);
                assertThat(p.status()).isIn(Pending.Status.CONFIRMED, Pending.Status.CANCELLED);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
