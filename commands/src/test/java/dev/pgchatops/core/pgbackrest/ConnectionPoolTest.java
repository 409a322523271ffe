package dev.pgchatops.core.pgbackrest;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SSH connection pool with fake connections (no SSH). */
class ConnectionPoolTest {
    /** A fake connection: records when it is retired. */
    static final class Fake implements ConnectionPool.Pooled {
        final String name;
        final List<String> retired;
        volatile String retiredOn;

        Fake(String name, List<String> retired) {
            this.name = name;
            this.retired = retired;
        }

        @Override
        public boolean lease() {
            return true;
        }

        @Override
        public void retire() {
            retiredOn = Thread.currentThread().getName();
            retired.add(name);
        }
    }

    static Endpoint ep(String user) {
        return new Endpoint("node1", user, "127.0.0.1", 2222);
    }

    @Test
    void idleConnectionsAreRetiredWithoutAnyFurtherPoolUse() throws Exception {
        List<String> retired = new CopyOnWriteArrayList<>();
        try (ConnectionPool<Fake> pool = new ConnectionPool<>(4, Duration.ofMillis(200), e -> new Fake("conn1", retired))) {
            pool.lease(ep("postgres"));
            // no lease or cleanUp from here on: only Caffeine's scheduler can notice the idle entry
            LiveWait.until(() -> !retired.isEmpty());
            assertThat(retired).as("the idle entry was retired on its own").containsExactly("conn1");
        }
    }

    @Test
    void everyEntryLeavingThePoolIsRetired() throws Exception {
        List<String> retired = new CopyOnWriteArrayList<>();
        ConnectionPool<Fake> pool = new ConnectionPool<>(4, Duration.ofMinutes(10), e -> new Fake("conn-" + e.user(), retired));
        Fake a = pool.lease(ep("a"));
        pool.lease(ep("b"));
        pool.drop(ep("a"), a);
        LiveWait.until(() -> retired.contains("conn-a"));
        pool.close();
        LiveWait.until(() -> retired.size() == 2);
        assertThat(retired).containsExactlyInAnyOrder("conn-a", "conn-b");
    }

    @Test
    void aHangingHandshakeDoesNotDelayALeaseOfAnotherEndpoint() throws Exception {
        // "Aa" and "BB" have the same String hash, so their keys fall into the same bin of the cache's map: a
        // handshake run inside the map's compute would block the other key's lease until it ends
        assertThat(ep("Aa").key().hashCode()).isEqualTo(ep("BB").key().hashCode());
        List<String> retired = new CopyOnWriteArrayList<>();
        CountDownLatch silentEntered = new CountDownLatch(1);
        CountDownLatch silentRelease = new CountDownLatch(1);
        ConnectionPool.Connector<Fake> connector = e -> {
            if (e.user().equals("Aa")) {   // a silent server: the handshake hangs
                silentEntered.countDown();
                try {
                    silentRelease.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                throw new RemoteException.ConnectFailed(e, "no SSH handshake with " + e.address(), null);
            }
            return new Fake("healthy", retired);
        };
        ExecutorService callers = Executors.newCachedThreadPool();
        try (ConnectionPool<Fake> pool = new ConnectionPool<>(4, Duration.ofMinutes(10), connector)) {
            Future<Fake> silent = callers.submit(() -> pool.lease(ep("Aa")));
            assertThat(silentEntered.await(10, TimeUnit.SECONDS)).isTrue();
            Future<Fake> healthy = callers.submit(() -> pool.lease(ep("BB")));
            // the healthy lease completes while the silent handshake still hangs
            assertThat(healthy.get(10, TimeUnit.SECONDS).name).isEqualTo("healthy");
            assertThat(silent.isDone()).isFalse();
            assertThat(pool.size()).as("the pool answers meanwhile (the hanging handshake counts)").isEqualTo(2);
            silentRelease.countDown();
            assertThatThrownBy(() -> silent.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RemoteException.ConnectFailed.class);
            // a failed handshake leaves nothing cached: the next lease tries again
            LiveWait.until(() -> pool.size() == 1);
        } finally {
            silentRelease.countDown();
            callers.shutdownNow();
        }
    }

    @Test
    void concurrentLeasesOfOneEndpointShareOneHandshake() throws Exception {
        List<String> retired = new CopyOnWriteArrayList<>();
        AtomicInteger handshakes = new AtomicInteger();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ConnectionPool.Connector<Fake> connector = e -> {
            handshakes.incrementAndGet();
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return new Fake("one", retired);
        };
        ExecutorService callers = Executors.newCachedThreadPool();
        try (ConnectionPool<Fake> pool = new ConnectionPool<>(4, Duration.ofMinutes(10), connector)) {
            Future<Fake> a = callers.submit(() -> pool.lease(ep("postgres")));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            Future<Fake> b = callers.submit(() -> pool.lease(ep("postgres")));
            release.countDown();
            assertThat(a.get(10, TimeUnit.SECONDS)).isSameAs(b.get(10, TimeUnit.SECONDS));
            assertThat(handshakes).hasValue(1);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void membersSharingOneSshEndpointEachGetTheFailureUnderTheirOwnName() throws Exception {
        // the local cluster's config: three members behind one sshd (same user@host:port, so one pool key); with
        // sshd down, /backup-info listed the one shared failure three times, each labelled "member node3"
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger handshakes = new AtomicInteger();
        ConnectionPool.Connector<Fake> connector = e -> {
            handshakes.incrementAndGet();
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            throw new RemoteException.ConnectFailed(e, "cannot connect to " + e.address() + " (member " + e.member()
                    + ") over SSH: Connection refused (connect timeout 5 s). Check that sshd runs there and "
                    + "pgbackrest.members." + e.member() + " in the config", null);
        };
        ExecutorService callers = Executors.newCachedThreadPool();
        try (ConnectionPool<Fake> pool = new ConnectionPool<>(4, Duration.ofMinutes(10), connector)) {
            Endpoint node3 = new Endpoint("node3", "postgres", "127.0.0.1", 2222);
            Endpoint node1 = new Endpoint("node1", "postgres", "127.0.0.1", 2222);
            Future<Fake> first = callers.submit(() -> pool.lease(node3));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            Thread[] waiter = new Thread[1];
            CountDownLatch started = new CountDownLatch(1);
            Future<Fake> second = callers.submit(() -> {
                waiter[0] = Thread.currentThread();
                started.countDown();
                return pool.lease(node1);
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            // node1's lease is parked on node3's handshake (it shares it) before that handshake fails
            LiveWait.until(() -> waiter[0].getState() == Thread.State.WAITING);
            release.countDown();
            assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).cause()
                    .hasMessageContaining("(member node3)").hasMessageContaining("pgbackrest.members.node3 ");
            assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(RemoteException.ConnectFailed.class)
                    .hasMessageContaining("(member node1)").hasMessageContaining("pgbackrest.members.node1 ")
                    .hasMessageNotContaining("node3")
                    .satisfies(e -> assertThat(((RemoteException) e).endpoint()).isEqualTo(node1));
            assertThat(handshakes).as("one handshake was shared").hasValue(1);
        } finally {
            release.countDown();
            callers.shutdownNow();
        }
    }

    @Test
    void connectionsAreClosedOnTheCloserThreadNotTheCallers() throws Exception {
        List<String> retired = new CopyOnWriteArrayList<>();
        ConnectionPool<Fake> pool = new ConnectionPool<>(1, Duration.ofMinutes(10), e -> new Fake("conn-" + e.user(), retired));
        Fake a = pool.lease(ep("a"));
        pool.drop(ep("a"), a);
        LiveWait.until(() -> a.retiredOn != null);
        assertThat(a.retiredOn).isNotEqualTo(Thread.currentThread().getName()).startsWith("ssh-closer");
        // evicted by size (Caffeine's maintenance) too
        Fake b = pool.lease(ep("b"));
        pool.lease(ep("c"));
        LiveWait.until(() -> b.retiredOn != null);
        assertThat(b.retiredOn).startsWith("ssh-closer");
        pool.close();
    }

    @Test
    void aRetiredSshConnectionDisconnectsOnTheCloser() {
        List<Runnable> closerTasks = new CopyOnWriteArrayList<>();
        SshConnection c = new SshConnection("postgres@127.0.0.1:1", new net.schmizz.sshj.SSHClient(), closerTasks::add);
        assertThat(c.lease()).as("never connected").isFalse();
        c.retire();
        assertThat(closerTasks).as("the disconnect is handed to the closer, not run here").hasSize(1);
        c.retire();
        assertThat(closerTasks).as("only once").hasSize(1);
        closerTasks.get(0).run();
    }
}
