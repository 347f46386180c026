package dev.tidepool.testsupport.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An embedded server stopped and started again keeps its port, data and role; settings given to a
 * restart last for that run only; misuse fails clearly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedPostgresRestartTest {
    private PostgresServer postgres;

    @BeforeAll
    void start() {
        postgres = EmbeddedPostgresServer.start();
    }

    @AfterAll
    void close() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void stoppedServerRefusesConnectionsAndComesBackWithItsDataOnTheSamePort() throws SQLException {
        assertThat(postgres.canRestart()).isTrue();
        String url = postgres.jdbcUrl();
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            s.execute("create table survives_restart (id int)");
            s.execute("insert into survives_restart values (7)");
        }
        Connection open = postgres.connect();

        postgres.stop();
        postgres.stop(); // stopped already: nothing to do
        assertThatExceptionOfType(SQLException.class).as("the session a fast shutdown ended")
                .isThrownBy(() -> query(open, "select 1"));
        open.close();
        assertThatExceptionOfType(SQLException.class).isThrownBy(postgres::connect)
                .satisfies(e -> assertThat(e.getSQLState()).as("refused: %s", e).isEqualTo("08001"));

        postgres.startAgain();
        assertThat(postgres.jdbcUrl()).isEqualTo(url);
        try (Connection c = postgres.connect()) {
            assertThat(query(c, "select id from survives_restart")).isEqualTo("7");
            assertThat(query(c, "select current_user")).isEqualTo(PostgresServer.ROLE);
        }
    }

    @Test
    void settingsOfARestartLastForThatRunOnly() throws SQLException {
        postgres.stop();
        postgres.startAgain(Map.of("max_connections", "12"));
        try (Connection admin = postgres.connectAsAdmin()) {
            assertThat(query(admin, "show max_connections")).isEqualTo("12");
            assertThat(query(admin, "show fsync")).as("its own settings stay").isEqualTo("off");
        }
        postgres.stop();
        postgres.startAgain();
        try (Connection admin = postgres.connectAsAdmin()) {
            assertThat(query(admin, "show max_connections"))
                    .isEqualTo(EmbeddedPostgresServer.DEFAULT_SETTINGS.get("max_connections"));
        }
    }

    @Test
    void misuseFailsClearlyAndChangesNothing() throws SQLException {
        assertThatThrownBy(() -> postgres.startAgain()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is running");
        postgres.stop();
        assertThatThrownBy(() -> postgres.startAgain(Map.of("port", "5432")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> postgres.startAgain(Map.of("work_mem", "4MB' -c 'fsync=on")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("work_mem");
        postgres.startAgain();
        try (Connection c = postgres.connect()) {
            assertThat(query(c, "select 1")).isEqualTo("1");
        }
    }

    private static String query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
