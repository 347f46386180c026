package dev.tidepool.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidepool.core.Fairness;
import dev.tidepool.jdbc.pool.JdbcPool;
import dev.tidepool.jdbc.stub.StubDataSource;
import dev.tidepool.jdbc.stub.StubDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TidepoolDataSource} end to end: against H2 in memory for real SQL semantics, and against
 * the stub driver for faults a real database won't produce on demand (slow connects, refused
 * connects, fatal SQLStates, slow or failing validation).
 *
 * <p>Nothing here asserts how fast anything is; where a timeout is involved the bounds are
 * generous and only check that the pool did not wait for the database instead of the clock.
 */
@Timeout(120)
class TidepoolDataSourceTest {
    private static final String PASSWORD = "s3cr3t-pw";

    @RegisterExtension
    final StubPools pools = new StubPools("ds", 2_000);
    private StubDatabase db;

    private static ConditionFactory await() {
        return StubPools.await();
    }

    @BeforeEach
    void database() {
        db = pools.db();
    }

    private TidepoolConfig stubConfig(int max) {
        return pools.config(max);
    }

    private TidepoolDataSource open(TidepoolConfig config) {
        return pools.open(config);
    }

    private static Connection physical(Connection proxy) throws SQLException {
        return proxy.unwrap(Connection.class);
    }

    // ------------------------------------------------------------------ basics against H2

    @Nested
    class AgainstH2 {
        private TidepoolDataSource h2(int max) {
            TidepoolConfig config = new TidepoolConfig();
            config.setJdbcUrl("jdbc:h2:mem:ds" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
            config.setUsername("sa");
            config.setPassword("");
            config.setMaximumPoolSize(max);
            return open(config);
        }

        @Test
        void closeReturnsTheConnectionAndTheNextBorrowerGetsTheSameOne() throws Exception {
            TidepoolDataSource ds = h2(1);
            Connection first = ds.getConnection();
            Connection physical = physical(first);
            assertThat(ds.getActiveConnections()).isEqualTo(1);
            first.close();

            assertThat(ds.getActiveConnections()).isZero();
            try (Connection second = ds.getConnection()) {
                assertThat(second).isNotSameAs(first);
                assertThat(physical(second)).isSameAs(physical);
            }
            assertThatThrownBy(first::createStatement).isInstanceOf(SQLException.class)
                    .hasMessageContaining("Connection is closed");
        }

        @Test
        void whatABorrowerChangedIsResetForTheNext() throws Exception {
            TidepoolDataSource ds = h2(1);
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                c.setReadOnly(true);
                c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            }
            try (Connection c = ds.getConnection()) {
                assertThat(c.getAutoCommit()).isTrue();
                assertThat(c.isReadOnly()).isFalse();
                assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
            }
        }

        @Test
        void anUnfinishedTransactionIsRolledBack() throws Exception {
            TidepoolDataSource ds = h2(2);
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("create table t (id int)");
            }
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute("insert into t values (1)");
                }
            }
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*) from t")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }

        @Test
        void statementsLeftOpenAreClosed() throws Exception {
            TidepoolDataSource ds = h2(1);
            Statement left;
            try (Connection c = ds.getConnection()) {
                left = c.createStatement();
                left.executeQuery("select 1");
            }
            assertThat(left.isClosed()).isTrue();
        }

        @Test
        void unwrapReachesTheDriver() throws Exception {
            TidepoolDataSource ds = h2(1);
            try (Connection c = ds.getConnection()) {
                assertThat(c.isWrapperFor(org.h2.jdbc.JdbcConnection.class)).isTrue();
                assertThat(c.unwrap(org.h2.jdbc.JdbcConnection.class)).isInstanceOf(org.h2.jdbc.JdbcConnection.class);
            }
            assertThat(ds.unwrap(TidepoolDataSource.class)).isSameAs(ds);
            assertThat(ds.isWrapperFor(javax.sql.DataSource.class)).isTrue();
        }
    }

    // ------------------------------------------------------------------ faults through the stub

    @Nested
    class Eviction {
        @Test
        void aFatalSqlStateEvictsTheConnectionAndTheNextBorrowerGetsAHealthyOne() throws Exception {
            TidepoolDataSource ds = open(stubConfig(1));
            Connection broken;
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                broken = physical(c);
                db.failNextExecutes(1, "08S01");
                assertThatThrownBy(() -> s.execute("select 1")).isInstanceOf(SQLException.class);
            }
            await().until(broken::isClosed);
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                assertThat(physical(c)).isNotSameAs(broken);
                s.execute("select 1");
            }
        }

        @Test
        void everyFatalStateHikariKnowsEvictsAndOrdinaryErrorsDoNot() throws Exception {
            TidepoolDataSource ds = open(stubConfig(1));
            for (String state : List.of("08006", "57P01", "57P02", "57P03", "0A000", "01002", "JZ0C0")) {
                Connection before;
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    before = physical(c);
                    db.failNextExecutes(1, state);
                    assertThatThrownBy(() -> s.execute("x")).isInstanceOf(SQLException.class);
                }
                await().alias(state).until(before::isClosed);
            }
            Connection kept;
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                kept = physical(c);
                db.failNextExecutes(1, "23505");
                assertThatThrownBy(() -> s.execute("x")).isInstanceOf(SQLException.class);
            }
            try (Connection c = ds.getConnection()) {
                assertThat(physical(c)).isSameAs(kept);
            }
        }

        @Test
        void aConnectionThatFailsValidationAfterIdlingIsReplaced() throws Exception {
            TidepoolDataSource ds = open(stubConfig(1));
            Connection first;
            try (Connection c = ds.getConnection()) {
                first = physical(c);
            }
            db.killOpenConnections();
            // Idle longer than the 500 ms within which a returned connection is trusted unchecked.
            await().pollDelay(Duration.ofMillis(JdbcPool.ALIVE_BYPASS_MS + 100)).until(() -> true);
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                assertThat(physical(c)).isNotSameAs(first);
                s.execute("select 1");
            }
            assertThat(db.isValidCalls()).isPositive();
        }

        @Test
        void aRecentlyUsedConnectionIsNotValidatedAgain() throws Exception {
            TidepoolDataSource ds = open(stubConfig(1));
            assertThat(db.isValidCalls()).as("the pool's first connection is checked once at start").isEqualTo(1);
            for (int i = 0; i < 20; i++) {
                ds.getConnection().close();
            }
            assertThat(db.isValidCalls()).isEqualTo(1);
        }
    }

    @Nested
    class Timeouts {
        @Test
        void theTimeoutExceptionSaysTotalActiveIdleWaiting() throws Exception {
            TidepoolConfig config = stubConfig(1);
            config.setConnectionTimeout(250);
            TidepoolDataSource ds = open(config);
            try (Connection held = ds.getConnection()) {
                long start = System.nanoTime();
                assertThatThrownBy(ds::getConnection).isInstanceOf(SQLTransientConnectionException.class)
                        .hasMessageContaining("request timed out after")
                        .hasMessageContaining("(total=1, active=1, idle=0, waiting=0)");
                long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(waitedMs).isGreaterThanOrEqualTo(249);
            }
            assertThat(ds.stats().timeoutCount()).isEqualTo(1);
        }

        @Test
        void aStuckConnectDoesNotStretchTheTimeout() throws Exception {
            TidepoolConfig config = stubConfig(2);
            config.setConnectionTimeout(250);
            config.setMinimumIdle(0);
            config.setInitializationFailTimeout(-1);
            TidepoolDataSource ds = open(config);
            db.connectDelay(Duration.ofSeconds(30));

            long start = System.nanoTime();
            assertThatThrownBy(ds::getConnection).isInstanceOf(SQLTransientConnectionException.class);
            // The connect takes 30 s; returning in well under that shows the pool kept its own clock.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }

        @Test
        void theLastConnectFailureIsTheCause() throws Exception {
            TidepoolConfig config = stubConfig(2);
            config.setConnectionTimeout(300);
            config.setMinimumIdle(0);
            config.setInitializationFailTimeout(-1);
            TidepoolDataSource ds = open(config);
            db.failAllConnects("the database is starting up");

            assertThatThrownBy(ds::getConnection).isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("total=0")
                    .cause().isInstanceOf(SQLException.class).hasMessageContaining("the database is starting up");

            db.stopFailingConnects();
            try (Connection c = ds.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
        }

        @Test
        void aWaiterInterruptedLeavesNoTrace() throws Exception {
            TidepoolConfig config = stubConfig(1);
            config.setConnectionTimeout(0); // wait forever
            TidepoolDataSource ds = open(config);
            Connection held = ds.getConnection();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> flag = new AtomicReference<>();
            Thread waiter = Thread.ofVirtual().start(() -> {
                try {
                    ds.getConnection();
                } catch (Throwable e) {
                    thrown.set(e);
                    flag.set(Thread.currentThread().isInterrupted());
                }
            });
            await().until(() -> ds.getThreadsAwaitingConnection() == 1);
            waiter.interrupt();
            waiter.join();

            assertThat(thrown.get()).isInstanceOf(SQLException.class).hasCauseInstanceOf(InterruptedException.class);
            assertThat(flag.get()).isTrue();
            assertThat(ds.getThreadsAwaitingConnection()).isZero();
            held.close();
            assertThat(ds.getIdleConnections()).isEqualTo(1);
            assertThat(ds.getTotalConnections()).isEqualTo(1);
        }

        @Test
        void anAlreadyInterruptedCallerGetsAnIdleConnectionAndKeepsItsFlag() throws Exception {
            TidepoolDataSource ds = open(stubConfig(1));
            await().until(() -> ds.getIdleConnections() == 1);
            Thread.currentThread().interrupt();
            try (Connection c = ds.getConnection()) { // as HikariCP: only waiting is interruptible
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
                assertThat(c.isClosed()).isFalse();
            } finally {
                Thread.interrupted();
            }
            assertThat(ds.getIdleConnections()).isEqualTo(1);
        }

        @Test
        void anAlreadyInterruptedCallerThatMustWaitIsRefusedAndNothingLeaks() throws Exception {
            TidepoolConfig config = stubConfig(1);
            config.setConnectionTimeout(0); // wait forever
            TidepoolDataSource ds = open(config);
            Connection held = ds.getConnection();
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class)
                        .hasCauseInstanceOf(InterruptedException.class);
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            held.close();
            assertThat(ds.getIdleConnections()).isEqualTo(1);
            assertThat(ds.getThreadsAwaitingConnection()).isZero();
        }

        @Test
        void theFastPathDoesNotSkipASuspendedPool() throws Exception {
            TidepoolConfig config = stubConfig(1);
            config.setAllowPoolSuspension(true);
            config.setConnectionTimeout(250);
            TidepoolDataSource ds = open(config);
            await().until(() -> ds.getIdleConnections() == 1);
            ds.suspendPool();

            assertThatThrownBy(ds::getConnection).isInstanceOf(SQLTransientConnectionException.class);
            ds.resumePool();
            try (Connection c = ds.getConnection()) {
                assertThat(c.isClosed()).isFalse();
            }
        }
    }

    // ------------------------------------------------------------------ housekeeping

    @Nested
    class Housekeeping {
        @Test
        void minimumIdleIsFilledInTheBackground() throws Exception {
            TidepoolConfig config = stubConfig(5);
            config.setMinimumIdle(3);
            TidepoolDataSource ds = open(config);

            await().until(() -> ds.getIdleConnections() == 3 && db.openConnections() == 3);

            List<Connection> out = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                out.add(ds.getConnection());
            }
            // Three busy, none idle: the pool connects up to its maximum to get idle ones back.
            await().until(() -> ds.getTotalConnections() == 5 && db.openConnections() == 5);
            for (Connection c : out) {
                c.close();
            }
        }

        @Test
        void idleTimeoutRetiresIdleConnectionsDownToMinimumIdle() throws Exception {
            TidepoolConfig config = stubConfig(5);
            config.setMinimumIdle(1);
            TidepoolDataSource ds = open(config);
            List<Connection> out = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                out.add(ds.getConnection());
            }
            for (Connection c : out) {
                c.close();
            }
            assertThat(db.openConnections()).isEqualTo(5);

            ds.setIdleTimeout(200); // live, as an operator would through JMX

            await().until(() -> ds.getTotalConnections() == 1 && db.openConnections() == 1);
        }

        @Test
        void maxLifetimeRetiresIdleConnectionsAndBusyOnesWhenTheyComeBack() throws Exception {
            TidepoolConfig config = stubConfig(2);
            config.setMinimumIdle(2);
            TidepoolDataSource ds = open(config);
            await().until(() -> ds.getIdleConnections() == 2);
            Connection busy = ds.getConnection();
            Connection busyPhysical = physical(busy);
            Connection idlePhysical;
            try (Connection c = ds.getConnection()) {
                idlePhysical = physical(c);
            }

            ds.setMaxLifetime(300);

            await().until(idlePhysical::isClosed);
            assertThat(busyPhysical.isClosed()).as("a busy connection is never taken from its borrower").isFalse();
            busy.close();
            await().until(busyPhysical::isClosed);
            ds.setMaxLifetime(TimeUnit.MINUTES.toMillis(30));
            await().until(() -> ds.getIdleConnections() == 2);
        }

        @Test
        void keepaliveChecksIdleConnectionsAndReplacesDeadOnesWithoutABorrower() throws Exception {
            TidepoolConfig config = stubConfig(1);
            // keepaliveTime below 30 s is refused by validation, as in HikariCP; the pool reads the
            // setting live, so a subclass can shorten it for the test.
            TidepoolDataSource ds = new TidepoolDataSource(config) {
                @Override
                public long getKeepaliveTime() {
                    return 100;
                }
            };
            pools.track(ds);
            await().until(() -> ds.getIdleConnections() == 1);
            await().until(() -> db.isValidCalls() >= 2);
            assertThat(db.connectionsOpened()).isEqualTo(1);

            db.killOpenConnections();

            await().until(() -> db.connectionsClosed() == 1 && db.openConnections() == 1);
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("select 1");
            }
        }

        @Test
        void aConnectionTestQueryReplacesIsValid() throws Exception {
            TidepoolConfig config = stubConfig(1);
            config.setConnectionTestQuery("select 42");
            TidepoolDataSource ds = new TidepoolDataSource(config) {
                @Override
                public long getKeepaliveTime() {
                    return 100;
                }
            };
            pools.track(ds);
            db.recordSql(true);
            await().until(() -> db.executedSql().contains("select 42"));
            assertThat(db.isValidCalls()).isZero();
        }

        @Test
        void shrinkingRetiresIdleConnectionsAtOnce() throws Exception {
            TidepoolConfig config = stubConfig(20);
            TidepoolDataSource ds = open(config);
            await().until(() -> db.openConnections() == 20);

            ds.resize(5);

            await().atMost(Duration.ofSeconds(5)).until(() -> db.openConnections() == 5);
            assertThat(ds.getTotalConnections()).isEqualTo(5);
            assertThat(ds.getMaximumPoolSize()).isEqualTo(5);
            ds.setMaximumPoolSize(8);
            await().until(() -> db.openConnections() == 8);
        }

        @Test
        void softEvictClosesIdleNowAndBusyOnReturn() throws Exception {
            TidepoolConfig config = stubConfig(2);
            TidepoolDataSource ds = open(config);
            await().until(() -> ds.getIdleConnections() == 2);
            Connection busy = ds.getConnection();
            Connection busyPhysical = physical(busy);
            long closedBefore = db.connectionsClosed();

            ds.softEvictConnections();

            await().until(() -> db.connectionsClosed() >= closedBefore + 1);
            assertThat(busyPhysical.isClosed()).isFalse();
            busy.close();
            await().until(busyPhysical::isClosed);
            await().until(() -> ds.getIdleConnections() == 2);
        }

        @Test
        void aLeakIsReportedWithTheBorrowersStackAndAgainWhenItComesBack() throws Exception {
            try (LogCapture log = LogCapture.dataSource()) {
                List<LogRecord> records = log.records();
                TidepoolDataSource ds = open(stubConfig(1));
                ds.setLeakDetectionThreshold(100);
                Connection leaked = ds.getConnection();
                await().until(() -> records.stream().anyMatch(r -> r.getLevel() == Level.WARNING
                        && r.getMessage().contains("leak detection")));
                LogRecord warning = records.stream().filter(r -> r.getLevel() == Level.WARNING).findFirst().orElseThrow();
                assertThat(warning.getThrown().getStackTrace()).anySatisfy(frame ->
                        assertThat(frame.getMethodName()).isEqualTo("aLeakIsReportedWithTheBorrowersStackAndAgainWhenItComesBack"));

                leaked.close();
                assertThat(records).anySatisfy(r -> assertThat(r.getMessage()).contains("unleaked"));

                ds.getConnection().close(); // back in time: no warning
                long warnings = records.stream().filter(r -> r.getLevel() == Level.WARNING).count();
                assertThat(warnings).isEqualTo(1);
            }
        }
    }

    // ------------------------------------------------------------------ lifecycle

    @Nested
    class Lifecycle {
        @Test
        void suspendHoldsBorrowersUntilResume() throws Exception {
            TidepoolConfig config = stubConfig(2);
            config.setAllowPoolSuspension(true);
            TidepoolDataSource ds = open(config);
            ds.suspendPool();
            CountDownLatch got = new CountDownLatch(1);
            Thread borrower = Thread.ofVirtual().start(() -> {
                try (Connection c = ds.getConnection()) {
                    got.countDown();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().until(() -> borrower.getState() == Thread.State.WAITING
                    || borrower.getState() == Thread.State.TIMED_WAITING);
            assertThat(got.getCount()).isEqualTo(1);

            ds.resumePool();

            assertThat(got.await(20, TimeUnit.SECONDS)).isTrue();
        }

        @Test
        void initializationFailTimeoutRetriesThenFailsOrStartsAnyway() throws Exception {
            db.failNextConnects(2, "not yet");
            TidepoolConfig patient = stubConfig(1);
            patient.setInitializationFailTimeout(20_000);
            TidepoolDataSource ds = open(patient);
            assertThat(db.failedConnects()).isEqualTo(2);
            assertThat(ds.getIdleConnections()).isEqualTo(1);

            db.failAllConnects("down");
            TidepoolConfig failFast = stubConfig(1);
            assertThatThrownBy(() -> open(failFast)).isInstanceOf(PoolInitializationException.class)
                    .hasMessageContaining("down");

            TidepoolConfig startAnyway = stubConfig(1);
            startAnyway.setInitializationFailTimeout(0);
            startAnyway.setConnectionTimeout(250);
            TidepoolDataSource lenient = open(startAnyway);
            assertThat(lenient.isRunning()).isTrue();
            db.stopFailingConnects();
            try (Connection c = lenient.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
        }

        @Test
        void suspensionWorksWithoutAllowPoolSuspension() throws Exception {
            TidepoolDataSource ds = open(stubConfig(1));
            assertThat(ds.isAllowPoolSuspension()).isFalse();
            ds.suspendPool();
            assertThat(ds.isRunning()).isFalse();
            ds.resumePool();
            try (Connection c = ds.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
        }

        @Test
        void closeClosesIdleNowBusyOnReturnAndRefusesLaterBorrowers() throws Exception {
            TidepoolDataSource ds = open(stubConfig(2));
            await().until(() -> db.openConnections() == 2);
            Connection busy = ds.getConnection();

            ds.close();

            assertThat(ds.isClosed()).isTrue();
            await().until(() -> db.openConnections() == 1);
            busy.close();
            await().until(() -> db.openConnections() == 0);
            assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class).hasMessageContaining("closed");
            ds.close();
        }

        @Test
        void beanStyleStartsOnFirstUseAndThenSealsTheStartupSettings() throws Exception {
            TidepoolDataSource ds = new TidepoolDataSource();
            pools.track(ds);
            ds.setJdbcUrl(db.url());
            ds.setMaximumPoolSize(3);
            assertThat(ds.isRunning()).isFalse();
            assertThat(db.connectionsOpened()).isZero();

            try (Connection c = ds.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }

            assertThat(ds.isRunning()).isTrue();
            assertThatThrownBy(() -> ds.setJdbcUrl("jdbc:stub:other")).isInstanceOf(IllegalStateException.class);
            ds.setMaximumPoolSize(4); // still live
            assertThat(ds.getMaximumPoolSize()).isEqualTo(4);
        }

        @Test
        void aWrappedDataSourceAndADataSourceClassNameBothWork() throws Exception {
            StubDataSource target = new StubDataSource();
            target.setDatabaseName(db.name());
            TidepoolConfig wrapped = new TidepoolConfig();
            wrapped.setDataSource(target);
            TidepoolDataSource first = open(wrapped);
            try (Connection c = first.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
            assertThat(first.unwrap(StubDataSource.class)).isSameAs(target);

            TidepoolConfig byName = new TidepoolConfig();
            byName.setDataSourceClassName(StubDataSource.class.getName());
            byName.addDataSourceProperty("databaseName", db.name());
            TidepoolDataSource second = open(byName);
            try (Connection c = second.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
            assertThat(db.connectionsOpened()).isGreaterThanOrEqualTo(2);
        }
    }

    // ------------------------------------------------------------------ bad input

    @Nested
    class BadInput {
        @Test
        void aWrongPasswordFailsAtStartNamingTheUserButNotThePassword() {
            db.requireCredentials("app", "right-password");
            TidepoolConfig config = stubConfig(1);
            config.setUsername("app");
            config.setPassword(PASSWORD);

            assertThatThrownBy(() -> open(config)).isInstanceOf(PoolInitializationException.class)
                    .hasMessageContaining("password authentication failed for user")
                    .hasMessageNotContaining(PASSWORD)
                    .cause().hasFieldOrPropertyWithValue("SQLState", "28P01");
            assertThat(db.openConnections()).isZero();
        }

        @Test
        void anUnknownDriverClassIsNamed() {
            TidepoolConfig config = stubConfig(1);
            config.setDriverClassName("com.example.NoSuchDriver");
            assertThatThrownBy(() -> open(config)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("com.example.NoSuchDriver");
        }

        @Test
        void aUrlNoDriverAcceptsFailsClearly() {
            TidepoolConfig config = new TidepoolConfig();
            config.setJdbcUrl("jdbc:nosuchdb://host/db?password=" + PASSWORD);
            assertThatThrownBy(() -> open(config))
                    .satisfies(e -> assertThat(e).isInstanceOfAny(IllegalArgumentException.class,
                            PoolInitializationException.class))
                    .hasMessageNotContaining(PASSWORD);
        }

        @Test
        void minimumAboveMaximumIsRejected() {
            TidepoolConfig config = stubConfig(2);
            config.setMinimumIdle(5);
            assertThatThrownBy(() -> open(config)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("5").hasMessageContaining("2");
        }

        @Test
        void liveSettingsRejectBadValuesAndKeepTheOldOnes() {
            TidepoolDataSource ds = open(stubConfig(4));
            assertThatThrownBy(() -> ds.setMaximumPoolSize(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ds.setMinimumIdle(9)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ds.setConnectionTimeout(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThat(ds.getMaximumPoolSize()).isEqualTo(4);
            assertThat(ds.getConnectionTimeout()).isEqualTo(2_000);
        }

        @Test
        void thePasswordNeverShows() throws Exception {
            TidepoolConfig config = stubConfig(1);
            config.setUsername("app");
            config.setPassword(PASSWORD);
            TidepoolDataSource ds = open(config);
            assertThat(ds.toString()).doesNotContain(PASSWORD);
            ds.close();
            try {
                ds.getConnection();
            } catch (SQLException e) {
                assertThat(e.getMessage()).doesNotContain(PASSWORD);
            }
        }
    }

    // ------------------------------------------------------------------ many virtual threads

    @Nested
    class FairnessSetting {
        /** A {@code getConnection()} in a virtual thread, once it waits as the only waiter. */
        private CompletableFuture<Connection> queuedBorrower(TidepoolDataSource ds) {
            CompletableFuture<Connection> waiter = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    waiter.complete(ds.getConnection());
                } catch (Throwable e) {
                    waiter.completeExceptionally(e);
                }
            });
            await().until(() -> ds.getThreadsAwaitingConnection() == 1);
            return waiter;
        }

        @Test
        void boundedLetsTheReturningThreadTakeItsConnectionBackAndALiveSwitchToStrictHandsItOn() throws Exception {
            TidepoolConfig config = stubConfig(1);
            config.setConnectionTimeout(60_000);
            config.setFairness("BOUNDED(3600s)"); // no waiter becomes overdue during this test
            TidepoolDataSource ds = open(config);
            Connection first = ds.getConnection();
            Connection physical = physical(first);
            CompletableFuture<Connection> waiter = queuedBorrower(ds);

            first.close();
            // getConnection()'s poll() fast path follows the bounded rule: nobody is overdue.
            Connection again = ds.getConnection();
            assertThat(physical(again)).isSameAs(physical);
            assertThat(waiter).isNotDone();

            ds.setFairness("STRICT");
            assertThat(ds.getFairness()).isEqualTo("STRICT");
            again.close(); // strict: straight to the waiter
            try (Connection handed = waiter.get(StubPools.WAIT.toSeconds(), TimeUnit.SECONDS)) {
                assertThat(physical(handed)).isSameAs(physical);
            }
            assertThat(ds.getThreadsAwaitingConnection()).isZero();
        }

        @Test
        void aBadLiveValueIsRefusedAndThePoolKeepsItsFairness() throws Exception {
            TidepoolDataSource ds = open(stubConfig(1));
            ds.getConnection().close();
            assertThatThrownBy(() -> ds.setFairness("BOUNDED(-1ms)"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"BOUNDED(-1ms)\"");
            assertThat(ds.getFairness()).isEqualTo("STRICT");
            ds.close();
            ds.setFairness("BOUNDED"); // after close: stored, nothing to apply it to
            assertThat(ds.getFairness()).isEqualTo(Fairness.bounded().toString());
        }

        @Test
        void aPoolStartedLazilyStartsWithTheFairnessSetBefore() throws Exception {
            TidepoolDataSource ds = new TidepoolDataSource();
            pools.track(ds);
            ds.setJdbcUrl(db.url());
            ds.setMaximumPoolSize(1);
            ds.setConnectionTimeout(60_000);
            ds.setFairness("BOUNDED(3600s)");
            Connection first = ds.getConnection(); // starts the pool
            CompletableFuture<Connection> waiter = queuedBorrower(ds);
            Connection physical = physical(first);
            first.close();
            try (Connection again = ds.getConnection()) {
                assertThat(physical(again)).as("kept for the returning thread").isSameAs(physical);
                assertThat(waiter).isNotDone();
            }
            ds.setFairness("STRICT"); // hands the kept connection to the waiter at once
            waiter.get(StubPools.WAIT.toSeconds(), TimeUnit.SECONDS).close();
        }
    }

    @Nested
    class Concurrency {
        @ParameterizedTest
        @ValueSource(strings = {"STRICT", "BOUNDED(2ms)"})
        void aThousandVirtualThreadsShareTenConnectionsAndEveryOneIsServed(String fairness) throws Exception {
            TidepoolConfig config = stubConfig(10);
            config.setConnectionTimeout(60_000);
            config.setFairness(fairness);
            TidepoolDataSource ds = open(config);
            Set<Connection> physicals = ConcurrentHashMap.newKeySet();
            AtomicInteger served = new AtomicInteger();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < 1_000; i++) {
                    done.add(threads.submit(() -> {
                        for (int round = 0; round < 20; round++) {
                            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                                physicals.add(physical(c));
                                s.execute("select 1");
                                Thread.yield();
                            }
                        }
                        served.incrementAndGet();
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            }
            assertThat(served.get()).isEqualTo(1_000);
            assertThat(physicals.size()).isLessThanOrEqualTo(10);
            assertThat(ds.getActiveConnections()).isZero();
            assertThat(ds.getTotalConnections()).isLessThanOrEqualTo(10);
            assertThat(db.openStatements()).isZero();
        }

        @Test
        void tenThousandVirtualThreadsMakeProgress() throws Exception {
            TidepoolConfig config = stubConfig(10);
            config.setConnectionTimeout(60_000);
            TidepoolDataSource ds = open(config);
            AtomicInteger served = new AtomicInteger();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 10_000; i++) {
                    threads.submit(() -> {
                        try (Connection c = ds.getConnection()) {
                            served.incrementAndGet();
                        }
                        return null;
                    });
                }
            }
            assertThat(served.get()).isEqualTo(10_000);
            assertThat(ds.stats().timeoutCount()).isZero();
        }
    }
}
