package dev.tidepool.jdbc.stub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.BatchUpdateException;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class StubDriverTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final Executor DIRECT = Runnable::run;

    private String name;
    private StubDatabase db;
    private final List<Connection> opened = new ArrayList<>();

    @BeforeEach
    void setUp(TestInfo info) {
        name = "stubtest-" + info.getTestMethod().orElseThrow().getName() + "-" + NAMES.incrementAndGet();
        db = StubDatabase.reset(name);
    }

    @AfterEach
    void tearDown() {
        opened.forEach(c -> {
            try {
                c.close();
            } catch (SQLException ignored) {
                // StubConnection.close never throws
            }
        });
        StubDatabase.remove(name);
    }

    private Connection connect() throws SQLException {
        return connect(db.url());
    }

    private Connection connect(String url) throws SQLException {
        Connection c = DriverManager.getConnection(url);
        opened.add(c);
        return c;
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    // ------------------------------------------------------------ driver and registry

    @Test
    void driverManagerFindsTheDriverByUrl() throws SQLException {
        Driver driver = DriverManager.getDriver(db.url());
        assertThat(driver).isInstanceOf(StubDriver.class);
        assertThat(driver.acceptsURL("jdbc:stub:x")).isTrue();
        assertThat(driver.acceptsURL("jdbc:h2:mem:x")).isFalse();
        assertThat(driver.connect("jdbc:h2:mem:x", new Properties())).isNull();

        Connection c = connect();
        assertThat(c).isInstanceOf(StubConnection.class);
        assertThat(((StubConnection) c).database()).isSameAs(db);
        assertThat(c.getMetaData().getURL()).isEqualTo(db.url());
    }

    @Test
    void theServiceFileNamesTheDriver() throws Exception {
        try (var in = getClass().getResourceAsStream("/META-INF/services/java.sql.Driver")) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes()).trim()).isEqualTo(StubDriver.class.getName());
        }
    }

    @Test
    void aUrlWithoutANameOrWithAnUnknownParameterFails() {
        assertThatThrownBy(() -> connect("jdbc:stub:"))
                .isInstanceOf(SQLException.class).hasMessageContaining("no database name");
        assertThatThrownBy(() -> connect(db.url() + ";connectDelay=5"))
                .isInstanceOf(SQLException.class).hasMessageContaining("unknown stub URL parameter 'connectDelay'");
        assertThatThrownBy(() -> connect(db.url() + ";connectDelayMs=soon"))
                .isInstanceOf(SQLException.class).hasMessageContaining("connectDelayMs");
    }

    @Test
    void namedReturnsTheSameDatabaseAndRemoveForgetsIt() {
        assertThat(StubDatabase.named(name)).isSameAs(db);
        assertThat(StubDatabase.remove(name)).isSameAs(db);
        StubDatabase fresh = StubDatabase.named(name);
        assertThat(fresh).isNotSameAs(db);
        assertThat(StubDatabase.remove("never-created-" + name)).isNull();
    }

    // ------------------------------------------------------------ counters

    @Test
    void countsConnectionsAndCloseCountsOnce() throws SQLException {
        Connection a = connect();
        Connection b = connect();
        assertThat(db.openConnections()).isEqualTo(2);
        assertThat(db.connectionsOpened()).isEqualTo(2);
        assertThat(db.connectAttempts()).isEqualTo(2);

        a.close();
        a.close();
        b.abort(DIRECT);
        assertThat(db.openConnections()).isZero();
        assertThat(db.connectionsClosed()).isEqualTo(2);
        assertThat(db.connectionsOpened()).isEqualTo(2);
        assertThat(((StubConnection) a).id()).isEqualTo(1);
        assertThat(((StubConnection) b).id()).isEqualTo(2);
    }

    @Test
    void countsStatementsExecutedAndOpen() throws SQLException {
        Connection c = connect();
        Statement s = c.createStatement();
        assertThat(s.execute("INSERT INTO t VALUES (1)")).isFalse();
        assertThat(s.getUpdateCount()).isEqualTo(1);
        assertThat(s.execute("select 1")).isTrue();
        assertThat(s.executeUpdate("CREATE TABLE t (x int)")).isZero();
        PreparedStatement p = c.prepareStatement("SELECT 1");
        p.executeQuery().close();
        p.addBatch();
        p.addBatch();
        assertThat(p.executeBatch()).containsExactly(1, 1);
        assertThat(db.statementsExecuted()).isEqualTo(6);
        assertThat(db.openStatements()).isEqualTo(2);

        s.close();
        s.close();
        assertThat(db.openStatements()).isEqualTo(1);
        c.close(); // closes p
        assertThat(db.openStatements()).isZero();
        assertThat(p.isClosed()).isTrue();
        p.close();
        assertThat(db.openStatements()).isZero();
    }

    @Test
    void countersAreExactUnderConcurrency() throws Exception {
        int threads = 4;
        int perThread = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        try (Connection c = DriverManager.getConnection(db.url());
                             Statement s = c.createStatement()) {
                            s.execute("SELECT 1");
                            c.isValid(0);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long n = (long) threads * perThread;
        assertThat(db.connectionsOpened()).isEqualTo(n);
        assertThat(db.connectionsClosed()).isEqualTo(n);
        assertThat(db.openConnections()).isZero();
        assertThat(db.statementsExecuted()).isEqualTo(n);
        assertThat(db.isValidCalls()).isEqualTo(n);
        assertThat(db.openStatements()).isZero();
    }

    @Test
    void resetZeroesCountersAndSwitchesButKeepsTheGauges() throws SQLException {
        Connection c = connect();
        c.createStatement().execute("SELECT 1");
        db.failAllConnects("down").executeDelay(Duration.ofSeconds(5));

        assertThat(StubDatabase.reset(name)).isSameAs(db);
        assertThat(db.connectionsOpened()).isZero();
        assertThat(db.statementsExecuted()).isZero();
        assertThat(db.openConnections()).isEqualTo(1);
        assertThat(db.openStatements()).isEqualTo(1);
        connect().createStatement().execute("SELECT 1"); // neither fails nor waits
        c.close();
        assertThat(db.openConnections()).isEqualTo(1);
    }

    // ------------------------------------------------------------ connect switches

    @Test
    void connectDelay() throws SQLException {
        db.connectDelay(Duration.ofMillis(60));
        long t0 = System.nanoTime();
        connect();
        assertThat(millisSince(t0)).isGreaterThanOrEqualTo(60);
        db.connectDelay(Duration.ZERO);
        t0 = System.nanoTime();
        connect();
        assertThat(millisSince(t0)).isLessThan(60);
    }

    @Test
    void failNextConnects() throws SQLException {
        db.failNextConnects(2, "server is starting up");
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(this::connect).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("08001");
                assertThat(e.getMessage()).isEqualTo("server is starting up");
            });
        }
        connect();
        assertThat(db.connectAttempts()).isEqualTo(3);
        assertThat(db.failedConnects()).isEqualTo(2);
        assertThat(db.connectionsOpened()).isEqualTo(1);
        assertThat(db.openConnections()).isEqualTo(1);
    }

    @Test
    void failAllConnectsUntilStopped() throws SQLException {
        db.failAllConnects("no route to host");
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(this::connect).hasMessage("no route to host")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
        }
        db.stopFailingConnects();
        connect();
        assertThat(db.failedConnects()).isEqualTo(5);
    }

    @Test
    void requiredCredentials() throws SQLException {
        db.requireCredentials("alice", "s3cret-pw");
        assertThatThrownBy(() -> DriverManager.getConnection(db.url(), "alice", "wrong-pw"))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("28P01");
                    assertThat(e.getMessage()).isEqualTo("password authentication failed for user \"alice\"")
                            .doesNotContain("wrong-pw").doesNotContain("s3cret-pw");
                });
        assertThatThrownBy(() -> DriverManager.getConnection(db.url(), "bob", "s3cret-pw"))
                .hasMessageContaining("\"bob\"");
        assertThatThrownBy(this::connect).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("28P01");

        Connection c = DriverManager.getConnection(db.url(), "alice", "s3cret-pw");
        opened.add(c);
        assertThat(((StubConnection) c).user()).isEqualTo("alice");
        assertThat(c.getMetaData().getUserName()).isEqualTo("alice");
        assertThat(db.failedConnects()).isEqualTo(3);

        db.requireCredentials(null, null);
        connect();
    }

    // ------------------------------------------------------------ execute switches

    @Test
    void failNextExecutesWithAFatalState() throws SQLException {
        Connection c = connect();
        Statement s = c.createStatement();
        db.failNextExecutes(2, "57P01", "terminating connection due to administrator command");
        assertThatThrownBy(() -> s.execute("SELECT 1")).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo("57P01");
            assertThat(e.getMessage()).isEqualTo("terminating connection due to administrator command");
        });
        PreparedStatement p = c.prepareStatement("UPDATE t SET x = 1");
        assertThatThrownBy(p::executeUpdate).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("57P01");
        assertThat(s.execute("SELECT 1")).isTrue();
        assertThat(db.statementsExecuted()).isEqualTo(1);

        db.failNextExecutes(1, "08S01");
        p.addBatch();
        assertThatThrownBy(p::executeBatch).isInstanceOfSatisfying(BatchUpdateException.class,
                e -> assertThat(e.getSQLState()).isEqualTo("08S01"));

        db.failNextExecutes(1, null, "vendor says no", 1105);
        assertThatThrownBy(() -> s.executeQuery("SELECT 1"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1105));
    }

    @Test
    void failAllExecutesUntilStopped() throws SQLException {
        Statement s = connect().createStatement();
        db.failAllExecutes("08S01");
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> s.execute("SELECT 1")).hasMessageContaining("08S01");
        }
        db.stopFailingExecutes();
        s.execute("SELECT 1");
        assertThat(db.statementsExecuted()).isEqualTo(1);
    }

    @Test
    void executeDelayAndItsTimeouts() throws SQLException {
        Connection c = connect();
        Statement s = c.createStatement();
        db.executeDelay(Duration.ofMillis(60));
        long t0 = System.nanoTime();
        s.execute("SELECT 1");
        assertThat(millisSince(t0)).isGreaterThanOrEqualTo(60);

        // A query timeout shorter than the delay: SQLTimeoutException, the connection survives.
        db.executeDelay(Duration.ofMillis(1_500));
        s.setQueryTimeout(1);
        t0 = System.nanoTime();
        assertThatThrownBy(() -> s.execute("SELECT 1")).isInstanceOfSatisfying(SQLTimeoutException.class,
                e -> assertThat(e.getSQLState()).isEqualTo("57014"));
        assertThat(millisSince(t0)).isBetween(1_000L, 1_400L);
        assertThat(((StubConnection) c).isBroken()).isFalse();

        // A network timeout shorter than the delay: 08006, and the connection is broken for good.
        s.setQueryTimeout(0);
        c.setNetworkTimeout(DIRECT, 50);
        t0 = System.nanoTime();
        assertThatThrownBy(() -> s.execute("SELECT 1")).extracting(e -> ((SQLException) e).getSQLState())
                .isEqualTo("08006");
        assertThat(millisSince(t0)).isBetween(50L, 1_000L);
        assertThat(((StubConnection) c).isBroken()).isTrue();
        assertThat(c.isValid(1)).isFalse();
        db.executeDelay(Duration.ZERO);
        assertThatThrownBy(() -> c.createStatement()).extracting(e -> ((SQLException) e).getSQLState())
                .isEqualTo("08006");
        assertThat(db.statementsExecuted()).isEqualTo(1);
    }

    @Test
    void anInterruptedExecuteDelayThrowsAndKeepsTheInterrupt() throws SQLException {
        Statement s = connect().createStatement();
        db.executeDelay(Duration.ofSeconds(30));
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> s.execute("SELECT 1")).isInstanceOf(SQLException.class);
        assertThat(Thread.interrupted()).isTrue();
    }

    // ------------------------------------------------------------ isValid switches

    @Test
    void isValidDelayIsBoundedByItsTimeout() throws SQLException {
        Connection c = connect();
        assertThat(c.isValid(1)).isTrue();
        db.isValidDelay(Duration.ofMillis(50));
        long t0 = System.nanoTime();
        assertThat(c.isValid(1)).isTrue();
        assertThat(millisSince(t0)).isGreaterThanOrEqualTo(50);

        db.isValidDelay(Duration.ofSeconds(3));
        t0 = System.nanoTime();
        assertThat(c.isValid(1)).isFalse();
        assertThat(millisSince(t0)).isBetween(1_000L, 2_500L);
        assertThat(db.isValidCalls()).isEqualTo(3);
        assertThatThrownBy(() -> c.isValid(-1)).isInstanceOf(SQLException.class);
    }

    @Test
    void failValidation() throws SQLException {
        Connection c = connect();
        db.failValidation(true);
        assertThat(c.isValid(0)).isFalse();
        c.createStatement().execute("SELECT 1"); // only validation fails
        db.failValidation(false);
        assertThat(c.isValid(0)).isTrue();
        assertThat(db.isValidCalls()).isEqualTo(2);
    }

    // ------------------------------------------------------------ kill

    @Test
    void killOpenConnectionsBreaksThemAndOnlyThem() throws SQLException {
        Connection a = connect();
        Connection b = connect();
        Statement s = a.createStatement();
        b.close();
        assertThat(db.killOpenConnections()).isEqualTo(1);

        assertThatThrownBy(() -> s.execute("SELECT 1")).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).isEqualTo("08006"));
        assertThatThrownBy(() -> a.setAutoCommit(false)).extracting(e -> ((SQLException) e).getSQLState())
                .isEqualTo("08006");
        assertThat(a.isValid(0)).isFalse();
        assertThat(a.isClosed()).isFalse();
        assertThat(((StubConnection) a).isBroken()).isTrue();

        Connection fresh = connect();
        assertThat(fresh.isValid(0)).isTrue();
        fresh.createStatement().execute("SELECT 1");

        a.close();
        assertThat(db.openConnections()).isEqualTo(1);
        assertThat(db.connectionsClosed()).isEqualTo(2);
        assertThat(db.openStatements()).isEqualTo(1); // fresh's
    }

    // ------------------------------------------------------------ closed objects

    @Test
    void aClosedConnectionRefusesEverythingButCloseAndIsValid() throws SQLException {
        Connection c = connect();
        Statement s = c.createStatement();
        c.close();
        assertThat(c.isClosed()).isTrue();
        assertThat(c.isValid(0)).isFalse();
        assertThatThrownBy(c::createStatement).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo("08003");
            assertThat(e.getMessage()).isEqualTo("Connection is closed");
        });
        assertThatThrownBy(() -> c.setAutoCommit(false)).hasMessage("Connection is closed");
        assertThatThrownBy(c::getAutoCommit).hasMessage("Connection is closed");
        assertThatThrownBy(c::getNetworkTimeout).hasMessage("Connection is closed");
        assertThatThrownBy(() -> s.execute("SELECT 1")).hasMessage("Connection is closed");
        assertThat(s.isClosed()).isTrue();
        c.abort(DIRECT);
        c.close();
        assertThat(db.connectionsClosed()).isEqualTo(1);
    }

    @Test
    void aClosedStatementAndResultSet() throws SQLException {
        Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1");
        s.close();
        assertThat(rs.isClosed()).isTrue();
        assertThatThrownBy(rs::next).hasMessage("ResultSet is closed");
        assertThatThrownBy(() -> s.execute("SELECT 1")).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getMessage()).isEqualTo("Statement is closed"));
        assertThat(c.isClosed()).isFalse();
    }

    // ------------------------------------------------------------ JDBC state

    @Test
    void connectionStateDefaultsAndRoundTrips() throws SQLException {
        Connection c = connect();
        assertThat(c.getAutoCommit()).isTrue();
        assertThat(c.isReadOnly()).isFalse();
        assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
        assertThat(c.getCatalog()).isEqualTo(name);
        assertThat(c.getSchema()).isEqualTo("public");
        assertThat(c.getNetworkTimeout()).isZero();

        c.setAutoCommit(false);
        c.setReadOnly(true);
        c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        c.setCatalog("other");
        c.setSchema("s1");
        c.setNetworkTimeout(DIRECT, 1234);
        c.setClientInfo("ApplicationName", "test");
        assertThat(c.getAutoCommit()).isFalse();
        assertThat(c.isReadOnly()).isTrue();
        assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
        assertThat(c.getCatalog()).isEqualTo("other");
        assertThat(c.getSchema()).isEqualTo("s1");
        assertThat(c.getNetworkTimeout()).isEqualTo(1234);
        assertThat(c.getClientInfo("ApplicationName")).isEqualTo("test");

        assertThatThrownBy(() -> c.setTransactionIsolation(Connection.TRANSACTION_NONE))
                .isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> c.setNetworkTimeout(null, 10)).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> c.setNetworkTimeout(DIRECT, -1)).isInstanceOf(SQLException.class);
        assertThat(c.unwrap(StubConnection.class)).isSameAs(c);
        assertThat(c.isWrapperFor(StubConnection.class)).isTrue();
        assertThatThrownBy(() -> c.unwrap(Runnable.class)).isInstanceOf(SQLException.class);
    }

    @Test
    void transactionsCommitsAndRollbacks() throws SQLException {
        Connection c = connect();
        assertThatThrownBy(c::commit).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25P01");
        assertThatThrownBy(c::rollback).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25P01");

        c.setAutoCommit(false);
        Statement s = c.createStatement();
        s.execute("INSERT INTO t VALUES (1)");
        assertThat(((StubConnection) c).inTransaction()).isTrue();
        assertThatThrownBy(() -> c.setReadOnly(true)).extracting(e -> ((SQLException) e).getSQLState())
                .isEqualTo("25001");
        assertThatThrownBy(() -> c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25001");
        c.rollback();
        assertThat(((StubConnection) c).inTransaction()).isFalse();
        c.setReadOnly(true);

        s.execute("SELECT 1");
        c.commit();
        s.execute("SELECT 1");
        c.setAutoCommit(true); // commits the open transaction
        c.setAutoCommit(true);
        assertThat(db.commits()).isEqualTo(2);
        assertThat(db.rollbacks()).isEqualTo(1);

        c.setAutoCommit(false);
        var sp = c.setSavepoint("a");
        c.rollback(sp);
        c.releaseSavepoint(sp);
        assertThat(db.rollbacks()).isEqualTo(2);
    }

    // ------------------------------------------------------------ statements and results

    @Test
    void queriesReturnOneRowOrNone() throws SQLException {
        Statement s = connect().createStatement();
        ResultSet rs = s.executeQuery("  select 1");
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(1);
        assertThat(rs.getLong(StubResultSet.COLUMN)).isEqualTo(1L);
        assertThat(rs.getString(1)).isEqualTo("1");
        assertThat(rs.getObject(1, Long.class)).isEqualTo(1L);
        assertThat(rs.getMetaData().getColumnCount()).isEqualTo(1);
        assertThat(rs.next()).isFalse();
        assertThatThrownBy(() -> rs.getInt(1)).isInstanceOf(SQLException.class);
        assertThat(rs.getStatement()).isSameAs(s);

        assertThat(s.execute("VALUES 1")).isTrue();
        ResultSet again = s.getResultSet();
        assertThat(again).isSameAs(s.getResultSet());
        assertThat(again.next()).isTrue();
        assertThat(s.getUpdateCount()).isEqualTo(-1);
        assertThat(s.getMoreResults()).isFalse();
        assertThat(again.isClosed()).isTrue();
        assertThat(s.getUpdateCount()).isEqualTo(-1);

        db.emptyResults(true);
        assertThat(s.executeQuery("SELECT 1").next()).isFalse();
    }

    @Test
    void preparedAndCallableStatements() throws SQLException {
        Connection c = connect();
        PreparedStatement p = c.prepareStatement("SELECT ? ");
        p.setInt(1, 42);
        p.setString(2, "ignored");
        assertThat(p.execute()).isTrue();
        assertThatThrownBy(() -> p.execute("SELECT 1")).isInstanceOf(SQLException.class);
        assertThat(p.isPoolable()).isTrue();
        Statement plain = c.createStatement();
        assertThatThrownBy(() -> ((PreparedStatement) plain).execute()).isInstanceOf(SQLException.class);

        CallableStatement call = c.prepareCall("{call f(?)}");
        call.registerOutParameter(1, java.sql.Types.INTEGER);
        assertThat(call.execute()).isFalse();
        assertThat(call.getInt(1)).isZero();
        assertThat(call.wasNull()).isTrue();
        assertThat(db.statementsExecuted()).isEqualTo(2);
    }

    @Test
    void closeOnCompletionClosesTheStatementWithItsResult() throws SQLException {
        Statement s = connect().createStatement();
        s.closeOnCompletion();
        ResultSet rs = s.executeQuery("SELECT 1");
        rs.close();
        assertThat(s.isClosed()).isTrue();
        assertThat(db.openStatements()).isZero();
    }

    @Test
    void recordSql() throws SQLException {
        Statement s = connect().createStatement();
        s.execute("SELECT 0");
        db.recordSql(true);
        s.execute("SET search_path TO x");
        s.addBatch("INSERT INTO t VALUES (1)");
        s.executeBatch();
        s.execute("SELECT 2");
        assertThat(db.executedSql()).containsExactly("SET search_path TO x", "INSERT INTO t VALUES (1)", "SELECT 2");
    }

    @Test
    void metaData() throws SQLException {
        Connection c = connect();
        DatabaseMetaData md = c.getMetaData();
        assertThat(md.getConnection()).isSameAs(c);
        assertThat(md.getDatabaseProductName()).isEqualTo("Stub");
        assertThat(md.getJDBCMajorVersion()).isEqualTo(4);
        assertThat(md.supportsTransactionIsolationLevel(Connection.TRANSACTION_SERIALIZABLE)).isTrue();
        assertThat(md.getDefaultTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
        assertThat(md.getTables(null, null, "%", null).next()).isFalse();
    }

    // ------------------------------------------------------------ URL parameters

    @Test
    void urlParametersApplyOnceAfterCreationOrReset() throws SQLException {
        String url = db.url() + ";failConnects=1;connectFailureMessage=booting;executeDelayMs=0";
        assertThatThrownBy(() -> connect(url)).hasMessage("booting");
        connect(url); // not applied again: the one failure is used up
        db.failValidation(true);
        assertThat(connect(url).isValid(0)).isFalse(); // the run-time switch sticks

        StubDatabase.reset(name);
        assertThatThrownBy(() -> connect(url)).hasMessage("booting");
    }

    @Test
    void urlParametersForEverySwitch() throws SQLException {
        String url = db.url() + ";connectDelayMs=30;isValidDelayMs=1;failValidation=true;emptyResults=true"
                + ";failExecutes=all;executeFailureState=57P01;requiredUser=u;requiredPassword=p";
        assertThatThrownBy(() -> connect(url)).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("28P01");
        long t0 = System.nanoTime();
        Connection c = connect(url + ";user=u;password=p");
        assertThat(millisSince(t0)).isGreaterThanOrEqualTo(30);
        assertThat(c.isValid(0)).isFalse();
        assertThatThrownBy(() -> c.createStatement().execute("SELECT 1"))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("57P01");
        db.stopFailingExecutes();
        assertThat(c.createStatement().executeQuery("SELECT 1").next()).isFalse();

        assertThatThrownBy(() -> connect(db.url() + ";requiredPassword=hunter2;bogus=1"))
                .hasMessageNotContaining("hunter2");
    }

    // ------------------------------------------------------------ DataSource

    @Test
    void dataSourceByNameOrUrl() throws SQLException {
        StubDataSource ds = new StubDataSource();
        assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class);
        ds.setDatabaseName(name);
        try (Connection c = ds.getConnection()) {
            assertThat(((StubConnection) c).database()).isSameAs(db);
        }
        db.requireCredentials("u", "p");
        ds.setUrl(db.url());
        ds.setUser("u");
        ds.setPassword("p");
        try (Connection c = ds.getConnection()) {
            assertThat(((StubConnection) c).user()).isEqualTo("u");
        }
        assertThatThrownBy(() -> ds.getConnection("u", "nope")).extracting(e -> ((SQLException) e).getSQLState())
                .isEqualTo("28P01");
        assertThat(db.connectionsOpened()).isEqualTo(2);
        assertThat(db.openConnections()).isZero();
    }

    // ------------------------------------------------------------ the hot path

    @Test
    void theStatementCycleAllocatesOnlyTheStatement() throws Exception {
        Connection c = connect();
        for (int i = 0; i < 20_000; i++) {
            cycle(c); // warm up: interpreter and JIT alike only allocate the statement
        }
        int n = 20_000;
        long before = allocatedBytes();
        for (int i = 0; i < n; i++) {
            cycle(c);
        }
        long perCycle = (allocatedBytes() - before) / n;
        // The StubStatement is 72 bytes with compressed oops; one more object of any kind per cycle
        // (a boxed counter, an iterator, a lock node) would reach 96.
        assertThat(perCycle).isLessThan(96);

        Statement s = c.createStatement();
        before = allocatedBytes();
        for (int i = 0; i < n; i++) {
            s.execute("INSERT INTO test (column) VALUES (1)");
        }
        assertThat((allocatedBytes() - before) / n).as("bytes per execute").isZero();
        s.close();
        assertThat(db.statementsExecuted()).isEqualTo(60_000);
    }

    private static void cycle(Connection c) throws SQLException {
        Statement s = c.createStatement();
        s.execute("INSERT INTO test (column) VALUES (1)");
        s.close();
    }

    /**
     * This thread's allocated bytes, through com.sun.management. Reflective because the tests
     * compile inside module dev.tidepool.jdbc, which does not read java.management; they run on
     * the class path, where it is readable.
     */
    private static long allocatedBytes() throws Exception {
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                .invoke(null);
        Class<?> iface = Class.forName("com.sun.management.ThreadMXBean");
        return (long) iface.getMethod("getCurrentThreadAllocatedBytes").invoke(bean);
    }

    @Test
    void interruptedConnectDelay() throws Exception {
        db.connectDelay(Duration.ofSeconds(30));
        Thread caller = Thread.currentThread();
        Thread interrupter = Thread.ofPlatform().start(() -> {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            caller.interrupt();
        });
        assertThatThrownBy(this::connect).isInstanceOf(SQLException.class);
        assertThat(Thread.interrupted()).isTrue();
        interrupter.join();
        assertThat(db.failedConnects()).isEqualTo(1);
    }

    @Test
    void statementCountingCanBeTurnedOffForBenchmarksAndResetTurnsItOnAgain() throws SQLException {
        db.countStatements(false);
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertThat(s.execute("INSERT INTO t VALUES (1)")).isFalse();
            assertThat(db.statementsExecuted()).isZero();
            assertThat(db.openStatements()).isZero();
        }
        assertThat(db.openStatements()).isZero();

        StubDatabase.reset(name);
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO t VALUES (1)");
            assertThat(db.statementsExecuted()).isEqualTo(1);
            assertThat(db.openStatements()).isEqualTo(1);
        }
        assertThat(db.openStatements()).isZero();
    }
}
