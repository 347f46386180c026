package dev.tidepool.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** Small JDBC and waiting helpers for the tests. */
final class Jdbc {
    /** The bound of every wait on the database or the pool: generous, as CI machines are slow. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    private Jdbc() {
    }

    /** Awaitility with {@link #PATIENCE}, polling every 50 ms from the start. */
    static ConditionFactory await() {
        return Awaitility.await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50));
    }

    /** The first column of the first row of {@code sql}, as text. */
    static String text(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            if (!row.next()) {
                throw new SQLException("no row: " + sql);
            }
            return row.getString(1);
        }
    }

    /** The first column of the first row of {@code sql}, as a number. */
    static long number(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            if (!row.next()) {
                throw new SQLException("no row: " + sql);
            }
            return row.getLong(1);
        }
    }

    /** Runs each statement in turn. */
    static void execute(Connection connection, String... sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    /** The PostgreSQL backend serving {@code connection}. */
    static int backendPid(Connection connection) throws SQLException {
        return (int) number(connection, "select pg_backend_pid()");
    }
}
