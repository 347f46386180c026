package dev.tidepool.jdbc;

import static dev.tidepool.jdbc.StubPools.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidepool.jdbc.stub.StubDataSource;
import dev.tidepool.jdbc.stub.StubDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an operator relies on while a pool runs in production, against the stub driver: load
 * shedding, a graceful drain, credentials that change, a failover that costs one check, and a
 * refill that opens connections in parallel. The same behaviours are run against a real
 * PostgreSQL in the {@code it} module.
 */
@Timeout(120)
class RunningInProductionTest {
    @RegisterExtension
    final StubPools pools = new StubPools("prod", 30_000);
    private StubDatabase db;

    @BeforeEach
    void database() {
        db = pools.db();
    }

    /** Borrows {@code n} connections and keeps them until {@code release} opens. */
    private static List<Thread> holders(TidepoolDataSource ds, int n, CountDownLatch release) {
        CountDownLatch holding = new CountDownLatch(n);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try (Connection c = ds.getConnection()) {
                    holding.countDown();
                    release.await();
                } catch (SQLException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        await().until(() -> holding.getCount() == 0);
        return threads;
    }

    @Nested
    class LoadShedding {
        @Test
        void exactlyTheCallersBeyondTheBoundAreShedAtOnceAndTheRestServed() throws Exception {
            TidepoolConfig config = pools.config(10);
            config.setMaximumThreadsAwaitingConnection(100);
            TidepoolDataSource ds = pools.open(config);
            CountDownLatch release = new CountDownLatch(1);
            List<Thread> held = holders(ds, 10, release);

            AtomicInteger served = new AtomicInteger();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                callers.add(Thread.ofVirtual().start(() -> {
                    try (Connection c = ds.getConnection()) {
                        served.incrementAndGet();
                    } catch (SQLException e) {
                        failures.add(e);
                    }
                }));
            }
            await().until(() -> failures.size() == 900 && ds.getThreadsAwaitingConnection() == 100);
            assertThat(failures).allSatisfy(e -> assertThat(e).isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("maximumThreadsAwaitingConnection=100"));
            assertThat(ds.getShedConnectionRequests()).isEqualTo(900);

            release.countDown();
            for (Thread t : callers) {
                t.join();
            }
            for (Thread t : held) {
                t.join();
            }
            assertThat(served.get()).as("every admitted caller is served, none times out").isEqualTo(100);
            assertThat(ds.stats().timeoutCount()).isZero();
        }

        @Test
        void theAdmittedCallersAreServedInArrivalOrder() throws Exception {
            TidepoolConfig config = pools.config(1);
            config.setMaximumThreadsAwaitingConnection(20);
            TidepoolDataSource ds = pools.open(config);
            CountDownLatch release = new CountDownLatch(1);
            List<Thread> held = holders(ds, 1, release);
            List<Integer> order = new CopyOnWriteArrayList<>();
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int arrival = i;
                callers.add(Thread.ofVirtual().start(() -> {
                    try (Connection c = ds.getConnection()) {
                        order.add(arrival);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }));
                await().until(() -> ds.getThreadsAwaitingConnection() == arrival + 1); // arrives after the one before
            }
            assertThatThrownBy(ds::getConnection).isInstanceOf(SQLTransientConnectionException.class);

            release.countDown();
            for (Thread t : callers) {
                t.join();
            }
            held.getFirst().join();
            assertThat(order).isSorted().hasSize(20);
        }

        @Test
        void theBoundChangesLiveAndABadValueIsRefused() throws Exception {
            TidepoolConfig config = pools.config(1);
            TidepoolDataSource ds = pools.open(config);
            assertThat(ds.getMaximumThreadsAwaitingConnection()).isEqualTo(-1);
            ds.setMaximumThreadsAwaitingConnection(0);
            try (Connection held = ds.getConnection()) {
                assertThatThrownBy(ds::getConnection).isInstanceOf(SQLTransientConnectionException.class)
                        .hasMessageContaining("maximumThreadsAwaitingConnection=0");
            }
            assertThatThrownBy(() -> ds.setMaximumThreadsAwaitingConnection(-2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-2");
            assertThat(ds.getMaximumThreadsAwaitingConnection()).isZero();
        }
    }

    @Nested
    class GracefulDrain {
        @Test
        void closeWaitsForBorrowedConnectionsAndRefusesNewBorrowers() throws Exception {
            TidepoolDataSource ds = pools.open(pools.config(3));
            Connection first = ds.getConnection();
            Connection second = ds.getConnection();
            CompletableFuture<Boolean> closing = CompletableFuture.supplyAsync(
                    () -> ds.close(Duration.ofSeconds(30)), r -> Thread.ofVirtual().start(r));
            await().until(ds::isClosed);
            assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class).hasMessageContaining("closed");
            assertThat(first.isValid(1)).as("in-flight work goes on").isTrue();

            first.close();
            assertThat(closing).isNotDone();
            second.close();

            assertThat(closing.get(20, TimeUnit.SECONDS)).isTrue();
            await().until(() -> db.openConnections() == 0);
        }

        @Test
        void connectionsNotBackInTimeAreClosedUnderTheirBorrowers() throws Exception {
            TidepoolDataSource ds = pools.open(pools.config(2));
            Connection stuck = ds.getConnection();
            assertThat(ds.close(Duration.ofMillis(200))).isFalse();
            await().until(() -> db.openConnections() == 0);
            assertThatThrownBy(() -> stuck.createStatement().execute("select 1")).isInstanceOf(SQLException.class);
            stuck.close(); // the late return does nothing harmful
        }

        @Test
        void aCallerWaitingWhenTheDrainStartsGetsAClearError() throws Exception {
            TidepoolDataSource ds = pools.open(pools.config(1));
            Connection held = ds.getConnection();
            CompletableFuture<Connection> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return ds.getConnection();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, r -> Thread.ofVirtual().start(r));
            await().until(() -> ds.getThreadsAwaitingConnection() == 1);
            CompletableFuture.runAsync(() -> ds.close(Duration.ofSeconds(30)), r -> Thread.ofVirtual().start(r));

            assertThatThrownBy(() -> waiter.get(20, TimeUnit.SECONDS)).hasRootCauseInstanceOf(SQLException.class)
                    .rootCause().hasMessageContaining("closed");
            held.close();
        }

        @Test
        void aNegativeDrainTimeoutIsRefused() {
            TidepoolDataSource ds = pools.open(pools.config(1));
            assertThatThrownBy(() -> ds.close(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-0.001");
            assertThat(ds.isRunning()).isTrue();
        }
    }

    @Nested
    class CredentialRotation {
        @Test
        void newCredentialsRetireTheOldConnectionsWithoutAnError() throws Exception {
            db.requireCredentials("app", "old");
            TidepoolConfig config = pools.config(3);
            config.setCredentials(Credentials.of("app", "old"));
            TidepoolDataSource ds = pools.open(config);
            await().until(() -> ds.getIdleConnections() == 3);
            Connection busy = ds.getConnection();
            long openedBefore = db.connectionsOpened();

            db.requireCredentials("app", "new"); // the server now refuses the old password
            ds.setCredentials(Credentials.of("app", "new"));

            await().until(() -> db.connectionsOpened() >= openedBefore + 2 && ds.getIdleConnections() == 2);
            assertThat(busy.isValid(1)).as("a borrower keeps its connection").isTrue();
            busy.close();
            await().until(() -> db.connectionsOpened() == openedBefore + 3 && ds.getIdleConnections() == 3);
            try (Connection c = ds.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
            assertThat(db.failedConnects()).as("no connect with the old password after the change").isZero();
        }
    }

    @Nested
    class Failover {
        @Test
        void oneFatalErrorChecksEveryIdleConnectionAtOnce() throws Exception {
            TidepoolConfig config = pools.config(5);
            TidepoolDataSource ds = pools.open(config);
            await().until(() -> ds.getIdleConnections() == 5);
            db.killOpenConnections(); // the server went away under every connection
            long checksBefore = db.isValidCalls();

            try (Connection c = ds.getConnection()) {
                assertThatThrownBy(() -> c.createStatement().execute("select 1")).isInstanceOf(SQLException.class)
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08006");
            }

            // The four idle ones are checked without any borrower touching them, and replaced.
            await().until(() -> db.isValidCalls() >= checksBefore + 4);
            await().until(() -> db.openConnections() == 5 && ds.getIdleConnections() == 5);
            for (int i = 0; i < 5; i++) {
                try (Connection c = ds.getConnection()) {
                    c.createStatement().execute("select 1");
                }
            }
        }
    }

    @Nested
    class ParallelRefill {
        @Test
        void theFillOpensAtMostMaximumConcurrentConnectsAtOnce() {
            AtomicInteger connecting = new AtomicInteger();
            AtomicLong mostAtOnce = new AtomicLong();
            db.connectDelay(Duration.ofMillis(100));
            StubDataSource counting = new StubDataSource() {
                @Override
                public Connection getConnection() throws SQLException {
                    mostAtOnce.accumulateAndGet(connecting.incrementAndGet(), Math::max);
                    try {
                        return super.getConnection();
                    } finally {
                        connecting.decrementAndGet();
                    }
                }
            };
            counting.setUrl(db.url());
            TidepoolConfig config = pools.config(12);
            config.setJdbcUrl(null);
            config.setDataSource(counting);
            config.setMaximumConcurrentConnects(4);
            TidepoolDataSource ds = pools.open(config);

            await().until(() -> ds.getIdleConnections() == 12);
            assertThat(mostAtOnce.get()).isEqualTo(4);
            assertThat(db.connectionsOpened()).as("no more than minimumIdle opened").isEqualTo(12);
        }
    }
}
