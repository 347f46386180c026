package dev.tidepool.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidepool.jdbc.stub.StubDataSource;
import dev.tidepool.jdbc.stub.StubDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.logging.Level;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Behaviour a HikariCP 7.1 user relies on, each case checked against HikariCP doing it: how a
 * start fails, which exceptions reach {@code getConnection()}, how the pool refills after an
 * outage, what {@code minimumIdle 0} and {@code isRunning()} mean.
 */
@Timeout(120)
class HikariConformanceTest {

    @RegisterExtension
    final StubPools pools = new StubPools("hc", 1_000);
    private StubDatabase db;

    private static ConditionFactory await() {
        return StubPools.await();
    }

    @BeforeEach
    void database() {
        db = pools.db();
    }

    private TidepoolConfig config(int max) {
        return pools.config(max);
    }

    private TidepoolDataSource open(TidepoolConfig config) {
        return pools.open(config);
    }

    /** A data source whose connect throws {@code failure}, as a buggy or misconfigured driver does. */
    private static StubDataSource throwing(RuntimeException failure) {
        return new StubDataSource() {
            @Override
            public Connection getConnection() {
                throw failure;
            }

            @Override
            public Connection getConnection(String user, String password) {
                throw failure;
            }
        };
    }

    @ParameterizedTest(name = "initializationFailTimeout {0}")
    @ValueSource(longs = {0, 1, 2_000})
    void aFailingConnectionTestQueryFailsTheStart(long initializationFailTimeout) {
        TidepoolConfig config = config(2);
        config.setConnectionTestQuery("SELECT 1");
        config.setInitializationFailTimeout(initializationFailTimeout);
        db.failAllExecutes("42601", "syntax error at or near \"SELEC\"");

        assertThatThrownBy(() -> open(config))
                .isInstanceOf(PoolInitializationException.class)
                .cause().isInstanceOf(SQLException.class).hasMessageContaining("syntax error");
        assertThat(db.connectAttempts()).as("a setup failure is not retried like an outage").isOne();
        assertThat(db.openConnections()).as("the connection that failed its test is closed").isZero();
    }

    @Test
    void aNewConnectionIsTestedBeforeItsFirstUse() throws Exception {
        TidepoolConfig config = config(1);
        config.setConnectionTestQuery("SELECT 1");
        TidepoolDataSource ds = open(config);
        db.failAllExecutes("42P01", "relation \"dual\" does not exist");
        ds.softEvictConnections(); // the next borrower needs a new connection, which fails its test

        assertThatThrownBy(ds::getConnection)
                .as("a connection that fails its own test is never handed out")
                .isInstanceOf(SQLTransientConnectionException.class)
                .cause().hasMessageContaining("relation \"dual\" does not exist");

        db.stopFailingExecutes();
        try (Connection c = ds.getConnection()) {
            assertThat(c.isValid(1)).isTrue();
        }
    }

    @Test
    void anUncheckedDriverFailureAtStartIsInsidePoolInitializationException() {
        TidepoolConfig config = config(1);
        config.setJdbcUrl(null);
        config.setDataSource(throwing(new IllegalStateException("driver not initialised")));

        assertThatThrownBy(() -> open(config))
                .isInstanceOf(PoolInitializationException.class)
                .hasRootCauseInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("driver not initialised");
    }

    @Test
    void anIllegalStateExceptionFromConnectReachesTheBorrowerAsAnSQLException() {
        TidepoolConfig config = config(1);
        config.setJdbcUrl(null);
        config.setDataSource(throwing(new IllegalStateException("driver not initialised")));
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(250);
        TidepoolDataSource ds = open(config);

        assertThatThrownBy(ds::getConnection)
                .isInstanceOf(SQLException.class)
                .hasRootCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBeanStyleDataSourceThatCannotConnectThrowsTheSQLException() {
        TidepoolDataSource ds = new TidepoolDataSource();
        pools.track(ds);
        ds.setJdbcUrl(db.url());
        ds.setConnectionTimeout(250);
        db.failAllConnects("connection refused");

        assertThatThrownBy(ds::getConnection)
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("connection refused")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
        assertThat(ds.isRunning()).isFalse();

        db.stopFailingConnects();
        assertThat(ds).satisfies(started -> started.getConnection().close());
    }

    @Test
    void afterAnOutageTheFillRetriesUntilMinimumIdleIsBack() {
        TidepoolConfig config = config(5);
        config.setMinimumIdle(3);
        config.setInitializationFailTimeout(0); // start while the database is down
        db.failAllConnects("connection refused");
        TidepoolDataSource ds = open(config);
        await().until(() -> db.failedConnects() >= 3); // the filler keeps trying, backing off

        db.stopFailingConnects();

        // Housekeeping runs every 30 s here; the fill must not wait for it.
        await().until(() -> ds.getIdleConnections() == 3);
    }

    @Test
    void anOutageIsLoggedOnceAndTheRecoveryOnce() {
        try (LogCapture log = LogCapture.dataSource()) {
            TidepoolConfig config = config(5);
            config.setMinimumIdle(2);
            config.setInitializationFailTimeout(0);
            db.failAllConnects("connection refused");
            TidepoolDataSource ds = open(config);
            await().until(() -> db.failedConnects() >= 4);

            db.stopFailingConnects();
            await().until(() -> ds.getIdleConnections() == 2);

            assertThat(log.count(Level.WARNING, "cannot connect")).isOne();
            assertThat(log.count(Level.INFO, "connected again")).isOne();
            assertThat(log.records()).noneSatisfy(r -> assertThat(r.getMessage()).contains(db.url() + ";"));
        }
    }

    @Test
    void minimumIdleZeroClosesTheConnectionThatCheckedTheDatabase() throws Exception {
        TidepoolConfig config = config(5);
        config.setMinimumIdle(0);
        TidepoolDataSource ds = open(config);

        assertThat(db.connectionsOpened()).as("the start still checks the database").isOne();
        await().until(() -> db.openConnections() == 0);
        assertThat(ds.getTotalConnections()).isZero();
        try (Connection c = ds.getConnection()) {
            assertThat(c.isValid(1)).isTrue();
        }
    }

    @Test
    void aSuspendedPoolIsNotRunning() {
        TidepoolConfig config = config(1);
        config.setAllowPoolSuspension(true);
        TidepoolDataSource ds = open(config);
        assertThat(ds.isRunning()).isTrue();

        ds.suspendPool();
        assertThat(ds.isRunning()).isFalse();

        ds.resumePool();
        assertThat(ds.isRunning()).isTrue();
        ds.close();
        assertThat(ds.isRunning()).isFalse();
    }
}
