package dev.tidepool.it;

import static dev.tidepool.it.Jdbc.backendPid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.tidepool.it.QueryLoad.Request;
import dev.tidepool.testsupport.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Slow statements stopped under load, by {@code Statement.setQueryTimeout} or by an administrator's
 * {@code pg_cancel_backend}: the statement fails with 57014 (query_canceled), the connection goes
 * on working and stays in the pool; a transaction the cancel aborted is rolled back when the
 * connection comes back, so the next borrower never gets it dirty.
 */
@ExtendWith(ClassPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresSlowQueryTest {
    private static final String SLEEP = "select pg_sleep(30)";
    private static final String TABLE = "slow_rows";

    private final PostgresServer postgres;

    PostgresSlowQueryTest(PostgresServer postgres) {
        this.postgres = postgres;
    }

    @BeforeAll
    void createTable() throws SQLException {
        try (Connection c = postgres.connect()) {
            Jdbc.execute(c, "create table " + TABLE + " (id int primary key)");
        }
    }

    @AfterAll
    void dropTable() throws SQLException {
        try (Connection c = postgres.connect()) {
            Jdbc.execute(c, "drop table " + TABLE);
        }
    }

    @Test
    void queryTimeoutLeavesTheConnectionReusable() throws Exception {
        try (FaultRun run = FaultRun.start(postgres, "query-timeout", config -> { })) {
            long disposed = run.pool.stats().disposedCount();
            int pid;
            try (Connection c = run.pool.getConnection(); Statement slow = c.createStatement()) {
                pid = backendPid(c);
                slow.setQueryTimeout(1);
                assertThatExceptionOfType(SQLException.class).isThrownBy(() -> slow.executeQuery(SLEEP))
                        .satisfies(e -> assertThat(e.getSQLState()).as("%s", e).isEqualTo("57014"));
                assertThat(backendPid(c)).as("the same session answers").isEqualTo(pid);
            }
            assertKept(run, pid, disposed);
            finish(run, "query timeout");
        }
    }

    @Test
    void cancelledQueryLeavesTheConnectionReusable() throws Exception {
        try (FaultRun run = FaultRun.start(postgres, "cancel", config -> { })) {
            long disposed = run.pool.stats().disposedCount();
            int pid;
            try (Connection c = run.pool.getConnection()) {
                pid = backendPid(c);
                CompletableFuture<SQLException> sleeping = sleepOn(c);
                FaultRun.await().until(() -> sleeping(pid));
                assertThat(postgres.cancelBackend(pid)).isTrue();
                assertThat(sleeping.get(FaultRun.PATIENCE.toSeconds(), TimeUnit.SECONDS).getSQLState()).isEqualTo("57014");
                assertThat(backendPid(c)).as("the same session answers").isEqualTo(pid);
            }
            assertKept(run, pid, disposed);
            finish(run, "pg_cancel_backend");
        }
    }

    @Test
    void transactionAbortedByACancelIsRolledBackOnReturn() throws Exception {
        try (FaultRun run = FaultRun.start(postgres, "aborted", config -> { })) {
            long disposed = run.pool.stats().disposedCount();
            int pid;
            try (Connection c = run.pool.getConnection()) {
                pid = backendPid(c);
                c.setAutoCommit(false);
                Jdbc.execute(c, "insert into " + TABLE + " values (1)");
                CompletableFuture<SQLException> sleeping = sleepOn(c);
                FaultRun.await().until(() -> sleeping(pid));
                assertThat(postgres.cancelBackend(pid)).isTrue();
                assertThat(sleeping.get(FaultRun.PATIENCE.toSeconds(), TimeUnit.SECONDS).getSQLState()).isEqualTo("57014");
                assertThatExceptionOfType(SQLException.class).as("the transaction is aborted")
                        .isThrownBy(() -> backendPid(c))
                        .satisfies(e -> assertThat(e.getSQLState()).as("%s", e).isEqualTo("25P02"));
                // Returned as it is: no rollback, no commit.
            }
            assertKept(run, pid, disposed);
            // The load borrows the connection again at once; the server must never see that session in
            // the aborted transaction again, and the row is gone.
            FaultRun.await().during(java.time.Duration.ofMillis(500)).until(() -> !inTransaction(pid));
            try (Connection c = postgres.connect()) {
                assertThat(Jdbc.number(c, "select count(*) from " + TABLE)).isZero();
            }
            finish(run, "transaction aborted by a cancel");
        }
    }

    /** The connection kept its backend and stays in the pool; the load never saw a failure. */
    private void assertKept(FaultRun run, int pid, long disposedBefore) throws SQLException {
        assertThat(run.pool.stats().disposedCount()).as("no connection was closed").isEqualTo(disposedBefore);
        assertThat(postgres.backendPids(run.app)).contains(pid).hasSize(FaultRun.POOL_SIZE);
    }

    private static void finish(FaultRun run, String fault) throws Exception {
        run.awaitServingAfter(System.nanoTime());
        List<Request> requests = run.stopLoad();
        assertThat(requests).as("failures the load saw (a dirty connection would fail with 25P02): %s",
                FaultRun.bySqlState(requests)).allMatch(Request::succeeded);
        run.verifyAfterLoad(requests);
        FaultRun.report(fault, requests.size() + " requests of the load around it, none failed; the connection"
                + " kept its backend");
    }

    /** Runs {@link #SLEEP} on {@code connection} in a virtual thread; what it threw, or null. */
    private static CompletableFuture<SQLException> sleepOn(Connection connection) {
        return CompletableFuture.supplyAsync(() -> {
            try (Statement statement = connection.createStatement()) {
                statement.executeQuery(SLEEP);
                return null;
            } catch (SQLException e) {
                return e;
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
    }

    /** Whether backend {@code pid} is running the sleep right now. */
    private boolean sleeping(int pid) throws SQLException {
        return activity(pid, "state = 'active' and query = '" + SLEEP + "'");
    }

    /** Whether backend {@code pid} is in a transaction (open, or aborted) right now. */
    private boolean inTransaction(int pid) throws SQLException {
        return activity(pid, "state like 'idle in transaction%'");
    }

    private boolean activity(int pid, String condition) throws SQLException {
        try (Connection admin = postgres.connectAsAdmin();
             PreparedStatement query = admin.prepareStatement(
                     "select count(*) from pg_stat_activity where pid = ? and " + condition)) {
            query.setInt(1, pid);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1) > 0;
            }
        }
    }
}
