package dev.pgchatops.core.pgbackrest;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

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
}
