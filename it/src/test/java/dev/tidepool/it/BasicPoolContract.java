package dev.tidepool.it;

import static dev.tidepool.it.Jdbc.execute;
import static dev.tidepool.it.Jdbc.number;
import static dev.tidepool.it.Jdbc.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.TidepoolDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Borrowing and returning through {@link TidepoolDataSource}, the same for every database: a
 * subclass names the database and the SQL that reads a session's state back from the server.
 * Every pool here has one connection, so the next borrower gets the very session the previous
 * one left, and must find it as the configuration says, whatever the previous borrower did.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BasicPoolContract {
    private static final String TABLE = "basic_rows";

    /** A connection outside the pool, open for the whole class (it also keeps an in-memory database alive). */
    private Connection direct;

    /** A new configuration for a pool on this database (URL and credentials). */
    protected abstract TidepoolConfig config();

    /** A connection outside any pool; the caller closes it. */
    protected abstract Connection connectDirectly() throws SQLException;

    /** A query whose one value identifies the server session (the physical connection). */
    protected abstract String sessionIdQuery();

    /** A query for the session's transaction isolation as the server sees it ("read committed", ...). */
    protected abstract String isolationQuery();

    /** A query for whether the current transaction is read-only ("on"/"off"), or null if the database has none. */
    protected abstract String readOnlyQuery();

    /** A query for the current schema as the server sees it. */
    protected abstract String currentSchemaQuery();

    /** The schema a new connection starts in, spelt as the database reports it. */
    protected abstract String defaultSchema();

    /** A second schema, spelt as the database reports it; this class creates and drops it. */
    protected abstract String otherSchema();

    @BeforeAll
    void createTables() throws SQLException {
        direct = connectDirectly();
        execute(direct,
                "create schema " + otherSchema(),
                "create table " + TABLE + " (id int primary key, note varchar(40))");
    }

    @BeforeEach
    void emptyTable() throws SQLException {
        execute(direct, "delete from " + TABLE);
    }

    @AfterAll
    void dropTables() throws SQLException {
        if (direct != null) {
            try (Connection c = direct) {
                execute(c, "drop table " + TABLE, "drop schema " + otherSchema());
            }
        }
    }

    private TidepoolDataSource poolOfOne() {
        TidepoolConfig config = config();
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(Jdbc.PATIENCE.toMillis());
        return new TidepoolDataSource(config);
    }

    @Test
    void borrowAndReturn() throws SQLException {
        try (TidepoolDataSource pool = poolOfOne()) {
            Connection first = pool.getConnection();
            String session = text(first, sessionIdQuery());
            assertThat(pool.getActiveConnections()).isEqualTo(1);
            assertThat(pool.getIdleConnections()).isZero();

            first.close();
            assertThat(first.isClosed()).isTrue();
            assertThatExceptionOfType(SQLException.class).isThrownBy(first::createStatement)
                    .satisfies(e -> assertThat(e.getSQLState()).isEqualTo("08003"));
            assertThat(pool.getActiveConnections()).isZero();
            assertThat(pool.getIdleConnections()).isEqualTo(1);

            try (Connection second = pool.getConnection()) {
                assertThat(text(second, sessionIdQuery())).as("the same session, reused").isEqualTo(session);
                assertThat(number(second, "select 40 + 2")).isEqualTo(42);
            }
            assertThat(pool.getTotalConnections()).isEqualTo(1);
            assertThat(pool.getActiveConnections()).isZero();
        }
    }

    @Test
    void nextBorrowerStartsFromTheConfiguredState() throws SQLException {
        try (TidepoolDataSource pool = poolOfOne()) {
            String session;
            try (Connection c = pool.getConnection()) {
                session = text(c, sessionIdQuery());
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
                c.setReadOnly(true);
                c.setSchema(otherSchema());
                // In force on the server, not only in the driver's memory; returned mid-transaction.
                assertThat(text(c, isolationQuery())).isEqualToIgnoringCase("serializable");
                if (readOnlyQuery() != null) {
                    assertThat(text(c, readOnlyQuery())).isEqualToIgnoringCase("on");
                }
                assertThat(text(c, currentSchemaQuery())).isEqualTo(otherSchema());
            }

            try (Connection c = pool.getConnection()) {
                assertThat(text(c, sessionIdQuery())).as("the same session").isEqualTo(session);
                assertThat(c.getAutoCommit()).isTrue();
                assertThat(c.isReadOnly()).isFalse();
                assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
                assertThat(c.getSchema()).isEqualTo(defaultSchema());
                assertThat(text(c, isolationQuery())).isEqualToIgnoringCase("read committed");
                if (readOnlyQuery() != null) {
                    assertThat(text(c, readOnlyQuery())).isEqualToIgnoringCase("off");
                }
                assertThat(text(c, currentSchemaQuery())).isEqualTo(defaultSchema());
                // Writable and auto-committing: another session sees the row at once.
                execute(c, "insert into " + TABLE + " values (1, 'after reset')");
            }
            assertThat(number(direct, "select count(*) from " + TABLE + " where id = 1")).isEqualTo(1);
        }
    }

    @Test
    void unfinishedTransactionIsRolledBack() throws SQLException {
        try (TidepoolDataSource pool = poolOfOne()) {
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                execute(c, "insert into " + TABLE + " values (2, 'never committed')",
                        "insert into " + TABLE + " values (3, 'never committed')");
                assertThat(number(c, "select count(*) from " + TABLE)).isEqualTo(2);
            }

            try (Connection c = pool.getConnection()) {
                assertThat(number(c, "select count(*) from " + TABLE)).isZero();
                assertThat(c.getAutoCommit()).isTrue();
                execute(c, "insert into " + TABLE + " values (2, 'committed')");
            }
            assertThat(number(direct, "select count(*) from " + TABLE)).isEqualTo(1);
        }
    }

    @Test
    void failedTransactionIsRolledBack() throws SQLException {
        execute(direct, "insert into " + TABLE + " values (4, 'existing')");
        try (TidepoolDataSource pool = poolOfOne()) {
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                execute(c, "insert into " + TABLE + " values (5, 'never committed')");
                // A duplicate key; PostgreSQL then refuses everything until the transaction ends.
                assertThatExceptionOfType(SQLException.class)
                        .isThrownBy(() -> execute(c, "insert into " + TABLE + " values (4, 'duplicate')"));
            }

            try (Connection c = pool.getConnection()) {
                assertThat(number(c, "select count(*) from " + TABLE)).isEqualTo(1);
                execute(c, "insert into " + TABLE + " values (6, 'committed')");
            }
            assertThat(number(direct, "select count(*) from " + TABLE)).isEqualTo(2);
        }
    }
}
