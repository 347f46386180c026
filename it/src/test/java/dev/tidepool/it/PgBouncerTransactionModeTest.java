package dev.tidepool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidepool.jdbc.PgBouncerPreset;
import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.TidepoolDataSource;
import dev.tidepool.testsupport.pgbouncer.PgBouncerBinary;
import dev.tidepool.testsupport.pgbouncer.PgBouncerServer;
import dev.tidepool.testsupport.pgbouncer.PgBouncerVersion;
import dev.tidepool.testsupport.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A Tidepool pool behind PgBouncer in transaction mode, where consecutive transactions of one
 * client connection run on different PostgreSQL backends: what works with the settings
 * {@link PgBouncerPreset} applies, and what breaks without them.
 *
 * <p>The tests make the move between backends certain instead of likely: a {@link Blocker}, a
 * client outside the pool, holds a server connection in an open transaction between the pool's
 * transactions. PgBouncer reuses its most recently used server connection, which is the one the
 * pool's client has just released, so the blocker takes exactly that one and the pool's next
 * transaction must run on another; every test checks with {@code pg_backend_pid()} that it did.
 *
 * <p>Each test runs with both presets: {@link PgBouncerPreset#TRANSACTION_POOLING}
 * ({@code prepareThreshold=0}) everywhere, {@link PgBouncerPreset#TRANSACTION_POOLING_PREPARED_STATEMENTS}
 * (pgjdbc's named statements, tracked by PgBouncer's {@code max_prepared_statements}) only where
 * the installed PgBouncer is 1.21 or later; elsewhere that variant is skipped, saying so in the
 * build log with the version found.
 */
class PgBouncerTransactionModeTest {
    /** Room for the pool's client, a blocker and a check at once. */
    private static final int SERVER_CONNECTIONS = 4;
    private static final String TABLE = "tm_accounts";

    private static ItPgBouncer servers;
    private static PgBouncerServer pgbouncer;
    private static PostgresServer postgres;

    @BeforeAll
    static void start() throws SQLException {
        boolean tracksNamedStatements = PgBouncerBinary.find()
                .map(binary -> binary.version().supportsPreparedStatements()).orElse(false);
        Map<String, String> settings = new HashMap<>();
        settings.put("default_pool_size", Integer.toString(SERVER_CONNECTIONS));
        // PgBouncer's default, spelled out: the most recently released server connection goes
        // out first, which is what lets the Blocker take exactly the one the pool just used.
        settings.put("server_round_robin", "0");
        if (tracksNamedStatements) {
            settings.put("max_prepared_statements", "100");
        }
        servers = ItPgBouncer.start(PgBouncerTransactionModeTest.class, Map.of(), settings);
        if (!servers.available()) {
            return;
        }
        pgbouncer = servers.pgbouncer();
        postgres = servers.postgres();
        try (Connection connection = postgres.connect()) {
            Jdbc.execute(connection, "create table " + TABLE + " (id int primary key, balance int not null)");
        }
    }

    @AfterAll
    static void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    @BeforeEach
    void freshRows() throws SQLException {
        servers.requireAvailable();
        try (Connection connection = postgres.connect()) {
            Jdbc.execute(connection, "truncate " + TABLE,
                    "insert into " + TABLE + " select id, 0 from generate_series(1, 10) id");
        }
    }

    @Test
    void theInstalledVersionDecidesWhichPreparedStatementsAreTested() throws SQLException {
        PgBouncerVersion version = pgbouncer.version();
        String shown = pgbouncer.console().show("VERSION").get(0).values().iterator().next();

        assertThat(PgBouncerVersion.parse(shown)).as("SHOW VERSION").isEqualTo(version);
        assertThat(pgbouncer.setting("pool_mode")).contains("transaction");
        assertThat(pgbouncer.setting("max_prepared_statements").isPresent())
                .as("max_prepared_statements exists in PgBouncer " + version)
                .isEqualTo(version.supportsPreparedStatements());
        System.out.println("[tidepool-it] PgBouncer " + version + ": prepareThreshold=0 tested; protocol-level"
                + " prepared statements (max_prepared_statements) " + (version.supportsPreparedStatements()
                ? "tested" : "need 1.21 or later, SKIPPED"));
    }

    @ParameterizedTest
    @EnumSource(PgBouncerPreset.class)
    void preparedStatementsWorkWhileTransactionsMoveBetweenBackends(PgBouncerPreset preset) throws SQLException {
        requireSupported(preset);
        for (boolean autoCommit : new boolean[] {false, true}) {
            try (TidepoolDataSource pool = pool(preset, autoCommit); Connection connection = pool.getConnection();
                 Blocker blocker = new Blocker()) {
                assertThat(runPreparedAcrossBackends(connection, blocker)).as("backends used, autoCommit " + autoCommit)
                        .hasSizeGreaterThan(1);
            }
        }
    }

    @Test
    void withoutThePresetPgjdbcNamedStatementsBreak() throws SQLException {
        if (pgbouncer.version().supportsPreparedStatements()) {
            ItPgBouncer.skipLoudly("PgBouncer " + pgbouncer.version() + " tracks named prepared statements"
                    + " (max_prepared_statements): the failure without the preset cannot happen there, SKIPPED");
        }
        TidepoolConfig config = ItPostgres.config(postgres, PostgresServer.uniqueName("no-preset"));
        config.setJdbcUrl(pgbouncer.jdbcUrl());
        config.setMaximumPoolSize(1);
        config.setAutoCommit(false);
        try (TidepoolDataSource pool = new TidepoolDataSource(config); Connection connection = pool.getConnection();
             Blocker blocker = new Blocker()) {
            // pgjdbc names a statement on its 5th execution; the 6th runs on another backend. (In
            // auto-commit pgjdbc re-prepares and retries; inside a transaction it cannot.)
            assertThatThrownBy(() -> runPreparedAcrossBackends(connection, blocker))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("prepared statement")
                    .hasMessageContaining("does not exist");
        }
    }

    @ParameterizedTest
    @EnumSource(PgBouncerPreset.class)
    void batchesWorkWhileTransactionsMoveBetweenBackends(PgBouncerPreset preset) throws SQLException {
        requireSupported(preset);
        Set<Integer> backends = new HashSet<>();
        try (TidepoolDataSource pool = pool(preset, true); Connection connection = pool.getConnection();
             Blocker blocker = new Blocker();
             PreparedStatement insert = connection.prepareStatement(
                     "insert into " + TABLE + " (id, balance) values (?, ?)")) {
            for (int batch = 0; batch < 8; batch++) {
                for (int i = 0; i < 25; i++) {
                    insert.setInt(1, 100 + batch * 25 + i);
                    insert.setInt(2, batch);
                    insert.addBatch();
                }
                assertThat(insert.executeBatch()).hasSize(25).containsOnly(1);
                backends.add(Jdbc.backendPid(connection));
                blocker.toggle();
            }
        }
        assertThat(backends).as("backends used").hasSizeGreaterThan(1);
        try (Connection direct = postgres.connect()) {
            assertThat(Jdbc.number(direct, "select count(*) from " + TABLE + " where id >= 100")).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(PgBouncerPreset.class)
    void aTransactionStaysOnOneBackendAndCommitsOrRollsBackWhole(PgBouncerPreset preset) throws SQLException {
        requireSupported(preset);
        try (TidepoolDataSource pool = pool(preset, false); Connection connection = pool.getConnection();
             Blocker blocker = new Blocker()) {
            int first = Jdbc.backendPid(connection);
            blocker.hold(); // would take the backend, were it free: it is not, the transaction holds it
            Jdbc.execute(connection, "update " + TABLE + " set balance = balance + 7 where id = 1");
            assertThat(Jdbc.backendPid(connection)).as("same backend within the transaction").isEqualTo(first);
            connection.rollback();
            blocker.release();

            Jdbc.execute(connection, "update " + TABLE + " set balance = balance + 5 where id = 2");
            try (PreparedStatement batch = connection.prepareStatement(
                    "update " + TABLE + " set balance = balance + ? where id = ?")) {
                for (int id = 3; id <= 5; id++) {
                    batch.setInt(1, id);
                    batch.setInt(2, id);
                    batch.addBatch();
                }
                batch.executeBatch();
            }
            connection.commit();
        }
        try (Connection direct = postgres.connect()) {
            assertThat(Jdbc.number(direct, "select balance from " + TABLE + " where id = 1")).as("rolled back").isZero();
            assertThat(Jdbc.number(direct, "select sum(balance) from " + TABLE + " where id between 2 and 5"))
                    .as("committed").isEqualTo(5 + 3 + 4 + 5);
        }
    }

    @ParameterizedTest
    @EnumSource(PgBouncerPreset.class)
    void aConnectionReturnedMidTransactionIsRolledBackBeforePgBouncerServesAnyoneElse(PgBouncerPreset preset)
            throws SQLException {
        requireSupported(preset);
        try (TidepoolDataSource pool = pool(preset, true)) {
            Connection careless = pool.getConnection();
            careless.setAutoCommit(false);
            Jdbc.execute(careless, "update " + TABLE + " set balance = balance + 100 where id = 1");
            assertThat(Integer.parseInt(pgbouncer.pool().get("sv_active"))).as("server linked mid-transaction")
                    .isEqualTo(1);

            careless.close(); // no commit, no rollback

            // Already rolled back when close() returned: PgBouncer holds no server for this client,
            // PostgreSQL has no transaction open, the row lock is gone and so is the change.
            assertThat(Integer.parseInt(pgbouncer.pool().get("sv_active"))).as("servers linked to clients").isZero();
            try (Connection admin = postgres.connectAsAdmin()) {
                assertThat(Jdbc.number(admin, "select count(*) from pg_stat_activity where usename = '"
                        + postgres.username() + "' and state like 'idle in transaction%'")).isZero();
            }
            try (Connection direct = postgres.connect()) {
                direct.setAutoCommit(false);
                assertThat(Jdbc.number(direct, "select balance from " + TABLE + " where id = 1 for update nowait"))
                        .as("unlocked and unchanged").isZero();
                direct.rollback();
            }
            try (Connection next = pool.getConnection()) {
                assertThat(next.getAutoCommit()).isTrue();
                Jdbc.execute(next, "update " + TABLE + " set balance = balance + 1 where id = 1");
            }
        }
        try (Connection direct = postgres.connect()) {
            assertThat(Jdbc.number(direct, "select balance from " + TABLE + " where id = 1")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(PgBouncerPreset.class)
    void thePoolsResetNeedsNoSessionStateToSurviveBetweenTransactions(PgBouncerPreset preset) throws SQLException {
        requireSupported(preset);
        try (TidepoolDataSource pool = pool(preset, true); Blocker blocker = new Blocker()) {
            int used;
            try (Connection reader = pool.getConnection()) {
                reader.setReadOnly(true);
                reader.setAutoCommit(false);
                used = Jdbc.backendPid(reader);
                assertThatThrownBy(() -> Jdbc.execute(reader, "update " + TABLE + " set balance = 1 where id = 1"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("read-only");
                reader.rollback();
            }
            assertThat(blocker.hold()).as("the blocker has the reader's backend").isEqualTo(used);
            try (Connection writer = pool.getConnection()) {
                assertThat(writer.isReadOnly()).isFalse();
                assertThat(writer.getAutoCommit()).isTrue();
                assertThat(Jdbc.backendPid(writer)).as("another backend").isNotEqualTo(used);
                Jdbc.execute(writer, "update " + TABLE + " set balance = 3 where id = 3");
            }
            blocker.release();
            try (Connection writer = pool.getConnection()) {
                assertThat(Jdbc.backendPid(writer)).as("the reader's backend again").isEqualTo(used);
                Jdbc.execute(writer, "update " + TABLE + " set balance = 4 where id = 4");
            }
        }
        try (Connection direct = postgres.connect()) {
            assertThat(Jdbc.number(direct, "select sum(balance) from " + TABLE + " where id in (3, 4)")).isEqualTo(7);
        }
    }

    @ParameterizedTest
    @EnumSource(PgBouncerPreset.class)
    void validationLeavesNoTransactionOpenOnAnIdleConnection(PgBouncerPreset preset) throws SQLException {
        requireSupported(preset);
        TidepoolConfig config = servers.config(PostgresServer.uniqueName("validated"), preset);
        config.setMaximumPoolSize(1);
        config.setAutoCommit(false);
        config.setConnectionTestQuery("SELECT 1");
        try (TidepoolDataSource pool = new TidepoolDataSource(config)) {
            assertThat(serversLinkedAfterAValidatedBorrow(pool)).as("servers linked after validation").isZero();
        }
        // The control: the same pool with HikariCP's default keeps the test query's transaction open.
        TidepoolConfig hikariDefault = ItPostgres.config(postgres, PostgresServer.uniqueName("not-isolated"));
        hikariDefault.setJdbcUrl(pgbouncer.jdbcUrl());
        hikariDefault.setMaximumPoolSize(1);
        hikariDefault.setAutoCommit(false);
        hikariDefault.setConnectionTestQuery("SELECT 1");
        hikariDefault.setIsolateInternalQueries(false);
        hikariDefault.addDataSourceProperty("prepareThreshold", "0");
        try (TidepoolDataSource pool = new TidepoolDataSource(hikariDefault)) {
            assertThat(serversLinkedAfterAValidatedBorrow(pool)).as("servers linked, not isolated").isEqualTo(1);
        }
    }

    @Test
    void sessionStateLeaksBetweenClientsTransactionScopedStateDoesNot() throws SQLException {
        Properties unnamed = new Properties();
        unnamed.setProperty("prepareThreshold", "0");
        try (Connection first = pgbouncer.connect(unnamed); Connection second = pgbouncer.connect(unnamed)) {
            int backend = (int) Jdbc.number(first,
                    "select pg_backend_pid() from (select set_config('tidepool.session_note', 'left behind', false)) s");
            assertThat(settingSeenOn(second, backend, "tidepool.session_note"))
                    .as("a session SET reaches the next client of the backend").isEqualTo("left behind");

            first.setAutoCommit(false);
            int local = (int) Jdbc.number(first,
                    "select pg_backend_pid() from (select set_config('tidepool.local_note', 'mine', true)) s");
            Jdbc.execute(first, "select pg_advisory_xact_lock(20)",
                    "create temp table tm_scratch (i int) on commit drop", "insert into tm_scratch values (1)");
            first.commit();
            assertThat(settingSeenOn(second, local, "tidepool.local_note")).as("SET LOCAL ends with the transaction")
                    .isNullOrEmpty();
            try (Connection admin = postgres.connectAsAdmin()) {
                assertThat(Jdbc.number(admin, "select count(*) from pg_locks where locktype = 'advisory'"))
                        .as("transaction-scoped advisory locks are released").isZero();
                assertThat(Jdbc.number(admin, "select count(*) from pg_class where relname = 'tm_scratch'"))
                        .as("ON COMMIT DROP temp tables are gone").isZero();
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** A pool of one connection through PgBouncer with {@code preset}. */
    private static TidepoolDataSource pool(PgBouncerPreset preset, boolean autoCommit) {
        TidepoolConfig config = servers.config(PostgresServer.uniqueName("tx-mode"), preset);
        config.setMaximumPoolSize(1);
        config.setAutoCommit(autoCommit);
        return new TidepoolDataSource(config);
    }

    /** Skips, loudly, a preset the installed PgBouncer cannot serve. */
    private static void requireSupported(PgBouncerPreset preset) {
        if (preset == PgBouncerPreset.TRANSACTION_POOLING_PREPARED_STATEMENTS
                && !pgbouncer.version().supportsPreparedStatements()) {
            ItPgBouncer.skipLoudly("PgBouncer " + pgbouncer.version() + " has no max_prepared_statements (1.21 or"
                    + " later): the protocol-level prepared statement variant is SKIPPED; the prepareThreshold=0"
                    + " variant ran");
        }
    }

    /**
     * Runs one prepared statement 12 times, each in a transaction of its own (committed if
     * auto-commit is off), the blocker taking and giving back the backend just used after each,
     * and returns the backends that served it.
     */
    private static Set<Integer> runPreparedAcrossBackends(Connection connection, Blocker blocker) throws SQLException {
        Set<Integer> backends = new HashSet<>();
        try (PreparedStatement query = connection.prepareStatement("select ?::int + 1, pg_backend_pid()")) {
            for (int i = 0; i < 12; i++) {
                query.setInt(1, i);
                try (ResultSet row = query.executeQuery()) {
                    assertThat(row.next()).isTrue();
                    assertThat(row.getInt(1)).isEqualTo(i + 1);
                    backends.add(row.getInt(2));
                }
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
                blocker.toggle();
            }
        }
        return backends;
    }

    /** Borrows after the pool's one connection idled past the 500 ms check bypass; counts servers linked then. */
    private static int serversLinkedAfterAValidatedBorrow(TidepoolDataSource pool) throws SQLException {
        Jdbc.await().pollDelay(Duration.ofMillis(600)).until(() -> pool.getIdleConnections() == 1);
        try (Connection borrowed = pool.getConnection()) {
            int linked = Integer.parseInt(pgbouncer.pool().get("sv_active"));
            borrowed.rollback();
            return linked;
        }
    }

    /**
     * The value of {@code setting} as {@code client} sees it on backend {@code backend}: it asks
     * (each time in a transaction of its own) until PgBouncer gives it that backend.
     */
    private static String settingSeenOn(Connection client, int backend, String setting) throws SQLException {
        try (PreparedStatement ask = client.prepareStatement(
                "select current_setting(?, true), pg_backend_pid()")) {
            ask.setString(1, setting);
            for (int attempt = 0; attempt < 50; attempt++) {
                try (ResultSet row = ask.executeQuery()) {
                    row.next();
                    if (row.getInt(2) == backend) {
                        return row.getString(1);
                    }
                }
            }
        }
        throw new AssertionError("PgBouncer never gave the client backend " + backend + " in 50 transactions");
    }

    /**
     * A client outside the pool that can hold one PgBouncer server connection in an open
     * transaction. PgBouncer hands out its most recently released server connection first, so
     * {@link #hold()} right after the pool's client released one takes that very one.
     */
    private static final class Blocker implements AutoCloseable {
        private final Connection connection;
        private boolean holding;

        Blocker() throws SQLException {
            Properties unnamed = new Properties();
            unnamed.setProperty("prepareThreshold", "0");
            connection = pgbouncer.connect(unnamed);
            connection.setAutoCommit(false);
        }

        /** Opens a transaction, which links a server connection, and returns its backend's pid. */
        int hold() throws SQLException {
            holding = true;
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("select pg_backend_pid()")) {
                row.next();
                return row.getInt(1);
            }
        }

        /** Ends the transaction: the server connection goes back to PgBouncer. */
        void release() throws SQLException {
            holding = false;
            connection.commit();
        }

        void toggle() throws SQLException {
            if (holding) {
                release();
            } else {
                hold();
            }
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }
}
