package dev.tidepool.jdbc.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link ProxyConnection} adds over delegation: the one return to the pool, closing leftovers, the rollback
 * of a dirty transaction, putting back changed state (and only that), eviction on fatal errors, the closed
 * proxy, and statement tracking. Fault injection uses {@link FakeConnection}; real behaviour uses H2 in memory.
 */
@Timeout(60)
class ProxyConnectionTest {
    final FakeConnection physical = new FakeConnection();
    final FakeReturn pool = new FakeReturn();
    final List<Connection> h2Connections = new ArrayList<>();

    @AfterEach
    void closeH2() throws SQLException {
        for (Connection c : h2Connections) {
            c.close();
        }
    }

    ProxyConnection proxy() {
        return new ProxyConnection(physical, physical.defaults(), pool);
    }

    /** A private in-memory H2 database, with a table {@code t(id int primary key)}. */
    Connection h2() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:h2:mem:");
        h2Connections.add(c);
        try (Statement s = c.createStatement()) {
            s.execute("create table t(id int primary key)");
        }
        return c;
    }

    ProxyConnection proxy(Connection h2) throws SQLException {
        return new ProxyConnection(h2, ConnectionDefaults.readFrom(h2), pool);
    }

    static int rows(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from t")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Nested
    class ReturnToThePool {
        @Test
        void closeReturnsThePhysicalConnectionOnceAndASecondCloseDoesNothing() throws SQLException {
            ProxyConnection proxy = proxy();

            proxy.close();
            proxy.close();

            assertThat(pool.returns).containsExactly(new FakeReturn.Returned(physical, false));
            assertThat(proxy.isClosed()).isTrue();
            assertThat(physical.calls("close")).as("the pool closes physical connections, not the proxy").isZero();
        }

        @Test
        void aSecondCloseWhileTheFirstIsStillCleaningUpReturnsAtOnceWithoutReturning() throws Exception {
            ProxyConnection proxy = proxy();
            proxy.getAutoCommit(); // used, so close() clears its warnings: the step this test holds
            CountDownLatch inCleanup = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            physical.onClearWarnings = () -> {
                inCleanup.countDown();
                await(release);
            };
            ExecutorService executor = Executors.newSingleThreadExecutor();
            try {
                Future<?> first = executor.submit(() -> {
                    proxy.close();
                    return null;
                });
                assertThat(inCleanup.await(20, TimeUnit.SECONDS)).isTrue();

                proxy.close(); // must neither wait for the first nor return the connection a second time

                assertThat(pool.count()).isZero();
                release.countDown();
                first.get(20, TimeUnit.SECONDS);
                assertThat(pool.count()).isOne();
            } finally {
                release.countDown();
                executor.shutdownNow();
            }
        }

        @Test
        void closeRacingFromTwoThreadsReturnsOnce() throws Exception {
            ExecutorService executor = Executors.newFixedThreadPool(2);
            try {
                for (int i = 0; i < 200; i++) {
                    FakeReturn racePool = new FakeReturn();
                    ProxyConnection proxy = new ProxyConnection(physical, physical.defaults(), racePool);
                    CyclicBarrier start = new CyclicBarrier(2);
                    Future<?> a = executor.submit(() -> {
                        start.await();
                        proxy.close();
                        return null;
                    });
                    Future<?> b = executor.submit(() -> {
                        start.await();
                        proxy.close();
                        return null;
                    });
                    a.get(20, TimeUnit.SECONDS);
                    b.get(20, TimeUnit.SECONDS);
                    assertThat(racePool.count()).as("returns in round %d", i).isOne();
                }
            } finally {
                executor.shutdownNow();
            }
        }

        @Test
        void closeRacingWithTheBorrowerBreaksNothing() throws Exception {
            ExecutorService executor = Executors.newSingleThreadExecutor();
            try {
                for (int i = 0; i < 50; i++) {
                    FakeConnection racePhysical = new FakeConnection();
                    FakeReturn racePool = new FakeReturn();
                    ProxyConnection proxy = new ProxyConnection(racePhysical, racePhysical.defaults(), racePool);
                    CountDownLatch running = new CountDownLatch(1);
                    Future<SQLException> borrower = executor.submit(() -> {
                        try {
                            List<Statement> kept = new ArrayList<>();
                            for (int n = 0; ; n++) {
                                Statement s = proxy.createStatement();
                                s.execute("select 1");
                                if (n % 3 == 0) {
                                    kept.add(s); // some left open, some closed: both lists paths run
                                } else {
                                    s.close();
                                }
                                running.countDown();
                            }
                        } catch (SQLException e) {
                            return e;
                        }
                    });
                    assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();

                    proxy.close();

                    SQLException stopped = borrower.get(20, TimeUnit.SECONDS); // any other exception fails here
                    assertThat(stopped.getMessage()).isIn("Connection is closed", "Statement is closed");
                    assertThat(racePool.count()).isOne();
                }
            } finally {
                executor.shutdownNow();
            }
        }

        @Test
        void abortEvictsClosesTheStatementsAndSkipsTheReset() throws SQLException {
            ProxyConnection proxy = proxy();
            proxy.setReadOnly(true);
            proxy.createStatement();

            proxy.abort(Runnable::run);
            proxy.abort(Runnable::run);
            proxy.close();

            assertThat(pool.returns).containsExactly(new FakeReturn.Returned(physical, true));
            assertThat(physical.calls("abort")).as("the driver's abort unblocks a stuck borrower").isOne();
            assertThat(physical.statements).allMatch(s -> s.closed);
            assertThat(physical.calls("setReadOnly")).as("no reset").isOne();
            assertThat(physical.calls("clearWarnings")).isZero();
        }

        @Test
        void abortWithoutAnExecutorThrowsAndLeavesTheConnectionOpen() throws SQLException {
            ProxyConnection proxy = proxy();

            assertThatThrownBy(() -> proxy.abort(null)).isInstanceOf(SQLException.class);

            assertThat(proxy.isClosed()).isFalse();
            assertThat(pool.count()).isZero();
        }
    }

    @Nested
    class LeftoverStatements {
        @Test
        void statementsLeftOpenAreClosedAndTheirResultSetsWithThem() throws SQLException {
            ProxyConnection proxy = proxy(h2());
            Statement statement = proxy.createStatement();
            ResultSet rs = statement.executeQuery("select id from t");
            PreparedStatement prepared = proxy.prepareStatement("select id from t where id = ?");
            CallableStatement callable = proxy.prepareCall("call 1");
            List<Statement> drivers = List.of(statement.unwrap(Statement.class), prepared.unwrap(Statement.class),
                    callable.unwrap(Statement.class));
            ResultSet driverRs = rs.unwrap(ResultSet.class);

            proxy.close();

            for (Statement driver : drivers) {
                assertThat(driver.isClosed()).as("%s", driver).isTrue();
            }
            assertThat(driverRs.isClosed()).isTrue();
            assertThat(statement.isClosed()).isTrue();
            assertThat(rs.isClosed()).isTrue();
            assertThat(pool.evicted()).isFalse();
        }

        @Test
        void statementsClosedByTheBorrowerAreNotClosedAgain() throws SQLException {
            ProxyConnection proxy = proxy();
            List<Statement> statements = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                statements.add(proxy.createStatement());
            }
            statements.get(1).close();
            statements.get(3).close();
            statements.get(3).close();
            assertThat(proxy.openStatementCount()).isEqualTo(3);

            proxy.close();

            assertThat(physical.statements).allMatch(s -> s.closed);
            assertThat(physical.calls("Statement.close")).isEqualTo(5);
        }

        @ParameterizedTest
        @ValueSource(strings = {"08006", "42000"})
        void aStatementThatFailsToCloseDoesNotStopTheOthersAndEvictsOnlyIfFatal(String state) throws SQLException {
            ProxyConnection proxy = proxy();
            proxy.createStatement();
            proxy.createStatement();
            physical.failOn("Statement.close", new SQLException("close failed", state));

            proxy.close();

            assertThat(physical.calls("Statement.close")).isEqualTo(2);
            assertThat(pool.evicted()).isEqualTo(state.startsWith("08"));
        }

        @Test
        void manyStatementsOpenedAndClosedOnOneConnectionDoNotAccumulate() throws SQLException {
            ProxyConnection proxy = proxy(h2());
            for (int i = 0; i < 5_000; i++) {
                try (Statement s = proxy.createStatement(); ResultSet rs = s.executeQuery("select 1")) {
                    rs.next();
                }
                try (PreparedStatement ps = proxy.prepareStatement("select ?")) {
                    ps.setInt(1, i);
                    ps.executeQuery().close();
                }
            }
            assertThat(proxy.openStatementCount()).isZero();

            Statement first = proxy.createStatement();
            Statement second = proxy.createStatement();
            Statement third = proxy.createStatement();
            second.close(); // out of order: the list closes the gap
            assertThat(proxy.openStatementCount()).isEqualTo(2);
            first.close();
            third.close();
            assertThat(proxy.openStatementCount()).isZero();
        }

        @Test
        void aStatementTheDriverClosedOnCompletionIsForgotten() throws SQLException {
            ProxyConnection proxy = proxy(h2());
            Statement statement = proxy.createStatement();
            statement.closeOnCompletion();
            ResultSet rs = statement.executeQuery("select 1");
            assertThat(proxy.openStatementCount()).isOne();

            rs.close();

            assertThat(statement.isClosed()).isTrue();
            assertThat(proxy.openStatementCount()).isZero();
        }
    }

    /** The six ConnectionDefaults properties, each with a non-default value to set through the proxy. */
    enum Property {
        AUTO_COMMIT("setAutoCommit") {
            void set(Connection c) throws SQLException {
                c.setAutoCommit(false);
            }

            void setDefault(Connection c, ConnectionDefaults d) throws SQLException {
                c.setAutoCommit(d.autoCommit());
            }

            Object get(FakeConnection c) {
                return c.autoCommit;
            }
        },
        READ_ONLY("setReadOnly") {
            void set(Connection c) throws SQLException {
                c.setReadOnly(true);
            }

            void setDefault(Connection c, ConnectionDefaults d) throws SQLException {
                c.setReadOnly(d.readOnly());
            }

            Object get(FakeConnection c) {
                return c.readOnly;
            }
        },
        ISOLATION("setTransactionIsolation") {
            void set(Connection c) throws SQLException {
                c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            }

            void setDefault(Connection c, ConnectionDefaults d) throws SQLException {
                c.setTransactionIsolation(d.isolation());
            }

            Object get(FakeConnection c) {
                return c.isolation;
            }
        },
        CATALOG("setCatalog") {
            void set(Connection c) throws SQLException {
                c.setCatalog("other");
            }

            void setDefault(Connection c, ConnectionDefaults d) throws SQLException {
                c.setCatalog(d.catalog());
            }

            Object get(FakeConnection c) {
                return c.catalog;
            }
        },
        SCHEMA("setSchema") {
            void set(Connection c) throws SQLException {
                c.setSchema("other");
            }

            void setDefault(Connection c, ConnectionDefaults d) throws SQLException {
                c.setSchema(d.schema());
            }

            Object get(FakeConnection c) {
                return c.schema;
            }
        },
        NETWORK_TIMEOUT("setNetworkTimeout") {
            void set(Connection c) throws SQLException {
                c.setNetworkTimeout(Runnable::run, 5_000);
            }

            void setDefault(Connection c, ConnectionDefaults d) throws SQLException {
                c.setNetworkTimeout(Runnable::run, d.networkTimeout());
            }

            Object get(FakeConnection c) {
                return c.networkTimeout;
            }
        };

        final String setter;

        Property(String setter) {
            this.setter = setter;
        }

        abstract void set(Connection c) throws SQLException;

        abstract void setDefault(Connection c, ConnectionDefaults d) throws SQLException;

        abstract Object get(FakeConnection c);
    }

    @Nested
    class UntouchedBorrow {
        @Test
        void aConnectionBorrowedAndReturnedUnusedCostsNoDriverCall() {
            ProxyConnection proxy = proxy();
            proxy.close();
            assertThat(physical.calls("clearWarnings")).isZero();
            assertThat(physical.calls("getAutoCommit")).isZero();
            assertThat(physical.calls("rollback")).isZero();
            assertThat(pool.evicted()).isFalse();
        }

        @Test
        void aConnectionTheBorrowerUsedHasItsWarningsCleared() throws SQLException {
            ProxyConnection proxy = proxy();
            proxy.isReadOnly();
            proxy.close();
            assertThat(physical.calls("clearWarnings")).isOne();
        }
    }

    @Nested
    class AnsweringFromTrackedState {
        /** The getter of each property, and the driver method it would call. */
        Object read(Property property, Connection c) throws SQLException {
            return switch (property) {
                case AUTO_COMMIT -> c.getAutoCommit();
                case READ_ONLY -> c.isReadOnly();
                case ISOLATION -> c.getTransactionIsolation();
                case CATALOG -> c.getCatalog();
                case SCHEMA -> c.getSchema();
                case NETWORK_TIMEOUT -> c.getNetworkTimeout();
            };
        }

        String getter(Property property) {
            return switch (property) {
                case AUTO_COMMIT -> "getAutoCommit";
                case READ_ONLY -> "isReadOnly";
                case ISOLATION -> "getTransactionIsolation";
                case CATALOG -> "getCatalog";
                case SCHEMA -> "getSchema";
                case NETWORK_TIMEOUT -> "getNetworkTimeout";
            };
        }

        @ParameterizedTest
        @EnumSource(Property.class)
        void aPropertyTheBorrowerSetIsReadWithoutTheDriver(Property property) throws SQLException {
            ProxyConnection proxy = proxy();
            property.set(proxy);
            for (int i = 0; i < 3; i++) {
                assertThat(read(property, proxy)).isEqualTo(property.get(physical));
            }
            assertThat(physical.calls(getter(property))).isZero();
        }

        @ParameterizedTest
        @EnumSource(Property.class)
        void aPropertyTheBorrowerDidNotSetIsReadFromTheDriver(Property property) throws SQLException {
            ProxyConnection proxy = proxy();
            assertThat(read(property, proxy)).isEqualTo(property.get(physical));
            assertThat(physical.calls(getter(property))).isOne();
        }

        @Test
        void afterUnwrapAutoCommitIsReadFromTheDriverAgain() throws SQLException {
            ProxyConnection proxy = proxy();
            proxy.setAutoCommit(false);
            proxy.unwrap(Connection.class).setAutoCommit(true); // behind the proxy's back
            assertThat(proxy.getAutoCommit()).isTrue();
            assertThat(physical.calls("getAutoCommit")).isOne();
        }

        @Test
        void aSetterThatFailedLeavesTheGetterAskingTheDriver() throws SQLException {
            ProxyConnection proxy = proxy();
            physical.failOn("setReadOnly", new SQLException("cannot change read-only inside a transaction", "25001"));
            assertThatThrownBy(() -> proxy.setReadOnly(true)).isInstanceOf(SQLException.class);
            proxy.isReadOnly();
            assertThat(physical.calls("isReadOnly")).isOne();
        }
    }

    @Nested
    class PuttingStateBack {
        @ParameterizedTest
        @EnumSource(Property.class)
        void aPropertyTheBorrowerChangedIsPutBack(Property property) throws SQLException {
            Object before = property.get(physical);
            ProxyConnection proxy = proxy();
            property.set(proxy);
            assertThat(property.get(physical)).as("changed on the driver").isNotEqualTo(before);

            proxy.close();

            assertThat(property.get(physical)).isEqualTo(before);
            assertThat(physical.calls(property.setter)).as("the borrower's call and the reset").isEqualTo(2);
            assertThat(pool.evicted()).isFalse();
        }

        @Test
        void nothingIsPutBackWhenTheBorrowerChangedNothing() throws SQLException {
            ProxyConnection proxy = proxy();
            try (Statement s = proxy.createStatement()) {
                s.execute("select 1");
            }
            proxy.getAutoCommit();
            proxy.isReadOnly();
            proxy.getSchema();

            proxy.close();

            for (Property property : Property.values()) {
                assertThat(physical.calls(property.setter)).as(property.setter).isZero();
            }
            assertThat(physical.calls("rollback")).isZero();
            assertThat(physical.calls("getAutoCommit")).as("only the borrower's call").isOne();
            assertThat(physical.calls("clearWarnings")).isOne();
        }

        @ParameterizedTest
        @EnumSource(Property.class)
        void aPropertySetBackToItsDefaultByTheBorrowerIsNotSetAgain(Property property) throws SQLException {
            ConnectionDefaults defaults = physical.defaults();
            ProxyConnection proxy = proxy();
            property.set(proxy);
            property.setDefault(proxy, defaults);

            proxy.close();

            assertThat(physical.calls(property.setter)).as("the borrower's two calls only").isEqualTo(2);
        }

        @Test
        void aNetworkTimeoutIsNeverPutBackWhenTheDriverHasNone() throws SQLException {
            ConnectionDefaults d = physical.defaults();
            ProxyConnection proxy = new ProxyConnection(physical, new ConnectionDefaults(d.autoCommit(),
                    d.readOnly(), d.isolation(), d.catalog(), d.schema(), -1), pool);
            proxy.setNetworkTimeout(Runnable::run, 5_000);

            proxy.close();

            assertThat(physical.calls("setNetworkTimeout")).isOne();
            assertThat(physical.networkTimeout).isEqualTo(5_000);
        }

        @Test
        void aNullCatalogOrSchemaIsNotPutBack() throws SQLException {
            ConnectionDefaults d = physical.defaults();
            ProxyConnection proxy = new ProxyConnection(physical, new ConnectionDefaults(d.autoCommit(),
                    d.readOnly(), d.isolation(), null, null, d.networkTimeout()), pool);
            proxy.setCatalog("other");
            proxy.setSchema("other");

            proxy.close();

            assertThat(physical.calls("setCatalog")).isOne();
            assertThat(physical.calls("setSchema")).isOne();
        }

        @Test
        void aPropertyWhoseSetterFailedIsPutBackAnyway() throws SQLException {
            ProxyConnection proxy = proxy();
            SQLException failure = new SQLException("lock timeout", "40001");
            physical.failOn("setReadOnly", failure);
            assertThatThrownBy(() -> proxy.setReadOnly(true)).isSameAs(failure);
            physical.succeedOn("setReadOnly");

            proxy.close();

            assertThat(physical.calls("setReadOnly")).as("the borrower's try and the reset").isEqualTo(2);
            assertThat(pool.evicted()).isFalse();
        }

        @Test
        void whenAutoCommitIsUnknownCloseAsksTheDriver() throws SQLException {
            ProxyConnection proxy = proxy();
            physical.failOn("setAutoCommit", new SQLException("lock timeout", "40001"));
            assertThatThrownBy(() -> proxy.setAutoCommit(false)).isInstanceOf(SQLException.class);
            physical.succeedOn("setAutoCommit");

            proxy.close();

            assertThat(physical.calls("getAutoCommit")).isOne();
            assertThat(physical.calls("setAutoCommit")).as("still on: nothing to put back").isOne();
        }

        @Test
        void h2IsPutBackInTheStateItWasBorrowedIn() throws SQLException {
            Connection h2 = h2();
            try (Statement s = h2.createStatement()) {
                s.execute("create schema other");
            }
            ConnectionDefaults defaults = ConnectionDefaults.readFrom(h2);
            ProxyConnection proxy = new ProxyConnection(h2, defaults, pool);
            proxy.setAutoCommit(false);
            proxy.setReadOnly(true);
            proxy.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            proxy.setSchema("OTHER");

            proxy.close();

            assertThat(ConnectionDefaults.readFrom(h2)).isEqualTo(defaults);
            assertThat(pool.evicted()).isFalse();
        }
    }

    /** The ways a borrower dirties a transaction through a statement. */
    enum Execution {
        EXECUTE, EXECUTE_UPDATE, EXECUTE_QUERY, ADD_BATCH, EXECUTE_BATCH;

        void run(Statement s) throws SQLException {
            switch (this) {
                case EXECUTE -> s.execute("update t set x = 1");
                case EXECUTE_UPDATE -> s.executeUpdate("update t set x = 1");
                case EXECUTE_QUERY -> s.executeQuery("select x from t for update");
                case ADD_BATCH -> s.addBatch("update t set x = 1");
                case EXECUTE_BATCH -> s.executeBatch();
            }
        }
    }

    @Nested
    class Transactions {
        @ParameterizedTest
        @EnumSource(Execution.class)
        void aDirtyTransactionIsRolledBack(Execution execution) throws SQLException {
            ProxyConnection proxy = proxy();
            proxy.setAutoCommit(false);
            execution.run(proxy.createStatement());

            proxy.close();

            assertThat(physical.calls("rollback")).isOne();
            assertThat(physical.autoCommit).as("put back after the rollback").isTrue();
            assertThat(pool.evicted()).isFalse();
        }

        @Test
        void theRollbackUndoesTheBorrowersWorkInH2() throws SQLException {
            Connection h2 = h2();
            ProxyConnection proxy = proxy(h2);
            proxy.setAutoCommit(false);
            try (Statement s = proxy.createStatement()) {
                s.executeUpdate("insert into t values (1)");
            }

            proxy.close();

            assertThat(rows(h2)).isZero();
            assertThat(h2.getAutoCommit()).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"prepared", "callable", "batch"})
        void preparedAndCallableExecutionDirtiesTheTransactionToo(String kind) throws SQLException {
            Connection h2 = h2();
            ProxyConnection proxy = proxy(h2);
            proxy.setAutoCommit(false);
            proxy.commit(); // nothing dirty before the statement under test
            PreparedStatement statement = kind.equals("callable")
                    ? proxy.prepareCall("insert into t values (?)")
                    : proxy.prepareStatement("insert into t values (?)");
            statement.setInt(1, 1);
            if (kind.equals("batch")) {
                statement.addBatch();
                statement.executeBatch();
            } else {
                statement.executeUpdate();
            }

            proxy.close();

            assertThat(rows(h2)).isZero();
        }

        @Test
        void noRollbackWhenNothingRanSinceTheTransactionBegan() throws SQLException {
            ProxyConnection proxy = proxy();
            proxy.setAutoCommit(false);
            proxy.getTransactionIsolation();

            proxy.close();

            assertThat(physical.calls("rollback")).isZero();
        }

        @Test
        void noRollbackAfterACommit() throws SQLException {
            ProxyConnection proxy = proxy();
            proxy.setAutoCommit(false);
            proxy.createStatement().execute("update t set x = 1");
            proxy.commit();

            proxy.close();

            assertThat(physical.calls("rollback")).isZero();
        }

        @Test
        void noSecondRollbackAfterTheBorrowersRollback() throws SQLException {
            ProxyConnection proxy = proxy();
            proxy.setAutoCommit(false);
            proxy.createStatement().execute("update t set x = 1");
            proxy.rollback();

            proxy.close();

            assertThat(physical.calls("rollback")).isOne();
        }

        @Test
        void noRollbackInAutoCommitMode() throws SQLException {
            ProxyConnection proxy = proxy();
            proxy.createStatement().execute("update t set x = 1");

            proxy.close();

            assertThat(physical.calls("rollback")).isZero();
        }

        @Test
        void aConnectionBorrowedWithAutoCommitOffIsRolledBackWhenDirty() throws SQLException {
            physical.autoCommit = false;
            ProxyConnection proxy = proxy();
            proxy.createStatement().executeUpdate("update t set x = 1");

            proxy.close();

            assertThat(physical.calls("rollback")).isOne();
            assertThat(physical.calls("setAutoCommit")).isZero();
        }

        @Test
        void turningAutoCommitOnCommitsTheDirtyTransaction() throws SQLException {
            Connection h2 = h2();
            ProxyConnection proxy = proxy(h2);
            proxy.setAutoCommit(false);
            try (Statement s = proxy.createStatement()) {
                s.executeUpdate("insert into t values (1)");
            }
            proxy.setAutoCommit(true);

            proxy.close();

            assertThat(rows(h2)).isOne();
        }

        @Test
        void turningAutoCommitOnLeavesNothingToRollBack() throws SQLException {
            ProxyConnection proxy = proxy();
            proxy.setAutoCommit(false);
            proxy.createStatement().execute("update t set x = 1");
            proxy.setAutoCommit(true);
            proxy.setAutoCommit(false);

            proxy.close();

            assertThat(physical.calls("rollback")).isZero();
        }

        @Test
        void afterUnwrappingTheDriversConnectionCloseAssumesTheWorst() throws SQLException {
            ProxyConnection proxy = proxy();
            FakeConnection raw = proxy.unwrap(FakeConnection.class);
            assertThat(raw).isSameAs(physical);
            raw.setAutoCommit(false); // behind the proxy's back
            raw.createStatement().execute("update t set x = 1");

            proxy.close();

            assertThat(physical.calls("rollback")).isOne();
            assertThat(physical.autoCommit).isTrue();
        }
    }

    @Nested
    class Eviction {
        @ParameterizedTest
        @ValueSource(strings = {"08S01", "57P01", "0A000"})
        void aFatalSqlStateFromExecuteIsRethrownUnchangedAndEvicts(String state) throws SQLException {
            ProxyConnection proxy = proxy();
            SQLException fatal = new SQLException("server gone", state);
            physical.failOn("Statement.execute", fatal);
            Statement statement = proxy.createStatement();

            assertThatThrownBy(() -> statement.execute("select 1")).isSameAs(fatal);
            proxy.close();

            assertThat(pool.evicted()).isTrue();
            assertThat(physical.calls("clearWarnings")).as("no cleanup talk with a dead server").isZero();
        }

        @Test
        void aDuplicateKeyErrorDoesNotEvict() throws SQLException {
            SQLException duplicate = new SQLException("duplicate key", "23505");
            physical.failOn("Statement.executeUpdate", duplicate);
            ProxyConnection proxy = proxy();

            assertThatThrownBy(() -> proxy.createStatement().executeUpdate("insert")).isSameAs(duplicate);
            proxy.close();

            assertThat(pool.evicted()).isFalse();
        }

        @Test
        void aTimeoutDoesNotEvict() throws SQLException {
            SQLException timeout = new SQLTimeoutException("canceling statement due to statement timeout", "57014");
            physical.failOn("Statement.execute", timeout);
            ProxyConnection proxy = proxy();

            assertThatThrownBy(() -> proxy.createStatement().execute("select pg_sleep(10)")).isSameAs(timeout);
            proxy.close();

            assertThat(pool.evicted()).isFalse();
        }

        @Test
        void aFatalSqlStateFromAConnectionCallEvicts() throws SQLException {
            SQLException fatal = new SQLException("connection failure", "08006");
            physical.failOn("commit", fatal);
            ProxyConnection proxy = proxy();

            assertThatThrownBy(proxy::commit).isSameAs(fatal);
            proxy.close();

            assertThat(pool.evicted()).isTrue();
        }

        @Test
        void aRealH2ErrorIsRethrownAndDoesNotEvict() throws SQLException {
            ProxyConnection proxy = proxy(h2());
            try (Statement s = proxy.createStatement()) {
                s.executeUpdate("insert into t values (1)");
                Throwable thrown = catchThrowable(() -> s.executeUpdate("insert into t values (1)"));
                assertThat(thrown).isInstanceOf(SQLException.class);
                assertThat(((SQLException) thrown).getSQLState()).isEqualTo("23505");
            }
            proxy.close();

            assertThat(pool.evicted()).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"setReadOnly", "rollback", "clearWarnings"})
        void aResetThatFailsEvicts(String failing) throws SQLException {
            ProxyConnection proxy = proxy();
            proxy.setReadOnly(true);
            proxy.setAutoCommit(false);
            proxy.createStatement().execute("update t set x = 1");
            physical.failOn(failing, new SQLException("cannot", "42000")); // not fatal by itself

            proxy.close();

            assertThat(pool.evicted()).isTrue();
        }

        @Test
        void aConnectionTheDriverSaysIsInvalidIsEvicted() throws SQLException {
            ProxyConnection proxy = proxy();
            physical.closed = true;

            assertThat(proxy.isValid(1)).isFalse();
            proxy.close();

            assertThat(pool.evicted()).isTrue();
        }
    }

    @Nested
    class ClosedProxy {
        @Test
        void everyCallThrowsConnectionIsClosedWith08003WithoutReachingTheDriver() throws SQLException {
            ProxyConnection proxy = proxy();
            proxy.close();
            int callsBefore = physical.calls("createStatement") + physical.calls("setAutoCommit")
                    + physical.calls("unwrap") + physical.calls("isWrapperFor") + physical.calls("commit");

            for (ThrowingCall call : List.<ThrowingCall>of(proxy::createStatement, () -> proxy.setAutoCommit(false),
                    proxy::commit, () -> proxy.unwrap(Connection.class), () -> proxy.isWrapperFor(Connection.class),
                    () -> proxy.prepareStatement("select 1"), proxy::getMetaData)) {
                Throwable thrown = catchThrowable(call::run);
                assertThat(thrown).isInstanceOf(SQLException.class).hasMessage("Connection is closed");
                assertThat(((SQLException) thrown).getSQLState()).isEqualTo("08003");
            }
            assertThat(physical.calls("createStatement") + physical.calls("setAutoCommit") + physical.calls("unwrap")
                    + physical.calls("isWrapperFor") + physical.calls("commit")).isEqualTo(callsBefore);
        }

        @Test
        void closeIsClosedIsValidAndAbortStillAnswer() throws SQLException {
            ProxyConnection proxy = proxy();
            proxy.close();

            proxy.close();
            proxy.abort(Runnable::run);

            assertThat(proxy.isClosed()).isTrue();
            assertThat(proxy.isValid(1)).isFalse();
            assertThat(physical.calls("isClosed") + physical.calls("isValid") + physical.calls("abort")).isZero();
            assertThat(pool.count()).isOne();
        }

        @Test
        void itsStatementsResultSetsAndMetadataAreClosedToo() throws SQLException {
            ProxyConnection proxy = proxy(h2());
            Statement statement = proxy.createStatement();
            ResultSet rs = statement.executeQuery("select 1");
            var metadata = proxy.getMetaData();
            proxy.close();

            assertThat(statement.isClosed()).isTrue();
            assertThatThrownBy(() -> statement.execute("select 1")).hasMessage("Statement is closed");
            assertThatThrownBy(statement::getConnection).hasMessage("Statement is closed");
            statement.close(); // no-op
            assertThat(rs.isClosed()).isTrue();
            assertThatThrownBy(rs::next).hasMessage("ResultSet is closed");
            assertThatThrownBy(rs::getStatement).hasMessage("ResultSet is closed");
            rs.close(); // no-op
            assertThatThrownBy(metadata::getConnection).hasMessage("Connection is closed");
            assertThatThrownBy(() -> metadata.getTables(null, null, "%", null)).hasMessage("Connection is closed");
        }
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
