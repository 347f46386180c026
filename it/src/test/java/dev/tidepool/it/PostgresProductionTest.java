package dev.tidepool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tidepool.it.QueryLoad.Request;
import dev.tidepool.jdbc.Credentials;
import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.TidepoolDataSource;
import dev.tidepool.testsupport.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What running a pool in production asks of it, on a real PostgreSQL under load: credentials
 * rotated while 200 virtual threads work, the refill after a restart (one connect at a time
 * against the default parallel ones), a multi-host URL whose first host goes away, and load
 * shedding in front of a slow query. One server for the class.
 */
@ExtendWith(ClassPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresProductionTest {
    private final PostgresServer postgres;

    PostgresProductionTest(PostgresServer postgres) {
        this.postgres = postgres;
    }

    private void setRolePassword(String password) throws SQLException {
        try (Connection admin = postgres.connectAsAdmin(); Statement sql = admin.createStatement()) {
            // Random letters and digits only (PostgresServer.randomPassword): safe inline.
            sql.execute("alter role " + postgres.username() + " password '" + password + "'");
        }
    }

    private Timestamp serverNow() throws SQLException {
        try (Connection admin = postgres.connectAsAdmin(); Statement sql = admin.createStatement();
             ResultSet now = sql.executeQuery("select clock_timestamp()")) {
            now.next();
            return now.getTimestamp(1);
        }
    }

    /** The oldest backend_start of the pool's connections. */
    private Timestamp oldestBackend(String app) throws SQLException {
        try (Connection admin = postgres.connectAsAdmin();
             var query = admin.prepareStatement("select min(backend_start) from pg_stat_activity where application_name = ?")) {
            query.setString(1, app);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getTimestamp(1);
            }
        }
    }

    /**
     * After a rotation at {@code rotatedAt}: the pool is full again with connections all opened
     * after it, no request of the load failed, and the old password is refused.
     */
    private void assertRotatedWithNoError(FaultRun run, Timestamp rotatedAt, String oldPassword) throws Exception {
        FaultRun.await().until(() -> {
            Timestamp oldest = oldestBackend(run.app); // read once: the backends change between two reads
            return run.pool.getTotalConnections() == FaultRun.POOL_SIZE && oldest != null && oldest.after(rotatedAt);
        });
        List<Request> requests = run.stopLoad();
        assertThat(requests).as("no request failed across the rotation").allSatisfy(r ->
                assertThat(r.failure()).as("%s", r).isNull());
        run.verifyAfterLoad(requests);
        assertPasswordRefused(oldPassword);
    }

    private void assertPasswordRefused(String password) {
        Properties login = new Properties();
        login.setProperty("user", postgres.username());
        login.setProperty("password", password);
        assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), login).close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
    }

    @Test
    void aProviderSwitchesToARotatedPasswordUnderLoadWithNoError() throws Exception {
        String original = postgres.password();
        AtomicReference<String> current = new AtomicReference<>(original);
        try (FaultRun run = FaultRun.start(postgres, "rotate-provider", config ->
                config.setCredentialsProvider(() -> Credentials.of(postgres.username(), current.get())))) {
            String rotated = PostgresServer.randomPassword();
            setRolePassword(rotated);          // the secret store rotates the role's password ...
            current.set(rotated);              // ... and the provider hands out the new one
            Timestamp rotatedAt = serverNow();
            run.pool.softEvictConnections();   // make the pool open every connection again

            assertRotatedWithNoError(run, rotatedAt, original);
        } finally {
            setRolePassword(original);
        }
    }

    @Test
    void setCredentialsRetiresTheOldConnectionsUnderLoadWithNoError() throws Exception {
        String original = postgres.password();
        try (FaultRun run = FaultRun.start(postgres, "rotate-set", config -> { })) {
            String rotated = PostgresServer.randomPassword();
            setRolePassword(rotated);
            Timestamp rotatedAt = serverNow();
            run.pool.setCredentials(Credentials.of(postgres.username(), rotated)); // retires the old ones by itself

            assertRotatedWithNoError(run, rotatedAt, original);
        } finally {
            setRolePassword(original);
        }
    }

    /** The time from the server accepting connections to a pool of 20 being full again. */
    private long refillNanosAfterRestart(int concurrentConnects) throws Exception {
        String app = PostgresServer.uniqueName("refill-" + concurrentConnects);
        TidepoolConfig config = ItPostgres.config(postgres, app);
        config.setMaximumPoolSize(20);
        config.setConnectionTimeout(2_000);
        config.setMaximumConcurrentConnects(concurrentConnects);
        try (TidepoolDataSource pool = new TidepoolDataSource(config)) {
            FaultRun.await().until(() -> pool.getIdleConnections() == 20);
            // A light load: a few requests in flight, so the refill is the pool's own, not the borrowers'.
            QueryLoad load = QueryLoad.start(pool, 2);
            try {
                postgres.stop();
                FaultRun.await().until(() -> pool.getTotalConnections() < 20);
                ServerProbe probe = ServerProbe.start(postgres, FaultRun.PATIENCE);
                postgres.startAgain();
                long accepting = probe.acceptedNanos(FaultRun.PATIENCE);
                FaultRun.await().pollInterval(Duration.ofMillis(1)).until(() -> pool.getTotalConnections() == 20
                        && pool.getIdleConnections() + pool.getActiveConnections() == 20
                        && postgres.backendCount(app) == 20);
                return System.nanoTime() - accepting;
            } finally {
                load.stop(FaultRun.PATIENCE);
            }
        }
    }

    @Test
    void aPoolOfTwentyRefillsInParallelAfterARestart() throws Exception {
        assumeTrue(postgres.canRestart(), postgres.description() + " cannot be restarted on the same port");
        long oneAtATime = refillNanosAfterRestart(1);
        long parallel = refillNanosAfterRestart(TidepoolConfig.class.getDeclaredConstructor().newInstance()
                .getMaximumConcurrentConnects());
        FaultRun.report("refill", "a pool of 20 full again " + FaultRun.ms(oneAtATime) + " after the server accepted"
                + " connections with one connect at a time, " + FaultRun.ms(parallel) + " with the default parallel"
                + " connects");
        assertThat(Duration.ofNanos(parallel)).as("full again after the restart").isLessThan(FaultRun.PATIENCE);
    }

    @Test
    void aMultiHostUrlWhoseFirstHostGoesAwayCostsOnlySqlExceptions() throws Exception {
        FreezableProxy firstHost = FreezableProxy.to(postgres.jdbcUrl());
        String viaProxy = firstHost.jdbcUrl(postgres.jdbcUrl());
        // jdbc:postgresql://127.0.0.1:<proxy>,127.0.0.1:<server>/tidepool: the driver tries them in order.
        String hostPort = postgres.jdbcUrl().replaceFirst("^jdbc:postgresql://([^/]+)/.*$", "$1");
        String multiHost = viaProxy.replaceFirst("^(jdbc:postgresql://[^/]+)/", "$1," + hostPort + "/");
        try (FaultRun run = FaultRun.start(postgres, "multi-host", config -> config.setJdbcUrl(multiHost))) {
            firstHost.close(); // the first host goes away: its connections drop, new ones are refused
            long gone = System.nanoTime();
            run.awaitServingAfter(gone);
            List<Request> requests = run.stopLoad();
            run.verifyAfterLoad(requests); // only SQLExceptions reached the application, nothing leaked
            FaultRun.report("multi-host", FaultRun.bySqlState(requests) + " failures; serving through the second host "
                    + FaultRun.ms(requests.stream().filter(r -> r.succeeded() && r.startNanos() >= gone)
                            .mapToLong(Request::endNanos).min().orElseThrow() - gone) + " after the first went away");
        } finally {
            firstHost.close();
        }
    }

    @Test
    void loadSheddingTurnsAwayExactlyTheCallersBeyondTheBoundInFrontOfASlowQuery() throws Exception {
        String app = PostgresServer.uniqueName("shedding");
        TidepoolConfig config = ItPostgres.config(postgres, app);
        config.setMaximumPoolSize(10);
        config.setConnectionTimeout(30_000);
        config.setMaximumThreadsAwaitingConnection(100);
        try (TidepoolDataSource pool = new TidepoolDataSource(config)) {
            FaultRun.await().until(() -> pool.getIdleConnections() == 10);
            AtomicInteger served = new AtomicInteger();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Thread> callers = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < 1_000; i++) {
                callers.add(Thread.ofVirtual().start(() -> {
                    try (Connection c = pool.getConnection(); Statement slow = c.createStatement()) {
                        slow.execute("select pg_sleep(0.2)");
                        served.incrementAndGet();
                    } catch (SQLException e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread caller : callers) {
                caller.join(FaultRun.PATIENCE);
            }
            assertThat(failures).hasSize(890).allSatisfy(e -> assertThat(e)
                    .isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("maximumThreadsAwaitingConnection=100"));
            assertThat(served.get()).as("every admitted caller served, none timed out").isEqualTo(110);
            assertThat(pool.getShedConnectionRequests()).isEqualTo(890);
            assertThat(pool.stats().timeoutCount()).isZero();
            FaultRun.report("shedding", "890 of 1,000 callers shed at once, 110 served in "
                    + FaultRun.ms(System.nanoTime() - start));
        }
    }
}
