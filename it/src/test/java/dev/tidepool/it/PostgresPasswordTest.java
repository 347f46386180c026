package dev.tidepool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tidepool.jdbc.PoolInitializationException;
import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.TidepoolDataSource;
import dev.tidepool.testsupport.postgres.PostgresServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Password authentication (scram-sha-256) as the server enforces it, and the password kept out of sight. */
@ExtendWith(PostgresExtension.class)
class PostgresPasswordTest {
    private final PostgresServer postgres;

    PostgresPasswordTest(PostgresServer postgres) {
        this.postgres = postgres;
    }

    @Test
    void wrongPasswordFailsTheConstructorWithoutShowingIt() throws SQLException {
        String app = PostgresServer.uniqueName("wrong-password");
        String wrong = PostgresServer.randomPassword();
        TidepoolConfig config = ItPostgres.config(postgres, app);
        config.setPassword(wrong);

        PoolInitializationException failure =
                catchThrowableOfType(PoolInitializationException.class, () -> new TidepoolDataSource(config).close());

        assertThat(failure).as("constructor fails").isNotNull();
        assertAuthenticationFailure(failure, wrong);
        assertThat(config.toString()).doesNotContain(wrong);
        assertThat(postgres.backendCount(app)).isZero();
    }

    @Test
    void wrongPasswordFailsTheFirstGetConnectionOfABeanStyleDataSource() throws SQLException {
        String app = PostgresServer.uniqueName("wrong-password-bean");
        String wrong = PostgresServer.randomPassword();
        try (TidepoolDataSource dataSource = new TidepoolDataSource()) {
            dataSource.setJdbcUrl(postgres.jdbcUrl());
            dataSource.setUsername(postgres.username());
            dataSource.setPassword(wrong);
            dataSource.addDataSourceProperty("ApplicationName", app);

            // As HikariCP: the driver's SQLException itself, so code catching SQLException sees it.
            SQLException failure = catchThrowableOfType(SQLException.class, () -> dataSource.getConnection().close());

            assertThat((Throwable) failure).as("first getConnection fails").isNotNull();
            assertAuthenticationFailure(failure, wrong);
            assertThat(dataSource.toString()).doesNotContain(wrong);
        }
        assertThat(postgres.backendCount(app)).isZero();
    }

    @Test
    void rightPasswordConnects() throws SQLException {
        TidepoolConfig config = ItPostgres.config(postgres, PostgresServer.uniqueName("password"));
        try (TidepoolDataSource pool = new TidepoolDataSource(config);
             Connection c = pool.getConnection()) {
            assertThat(Jdbc.text(c, "select current_user")).isEqualTo(postgres.username());
            assertThat(pool.toString()).doesNotContain(postgres.password());
        }
    }

    private static void assertAuthenticationFailure(PoolInitializationException failure, String password) {
        assertThat(failure.getCause()).isInstanceOf(SQLException.class);
        assertAuthenticationFailure(failure, (SQLException) failure.getCause(), password);
    }

    private static void assertAuthenticationFailure(SQLException failure, String password) {
        assertAuthenticationFailure(failure, failure, password);
    }

    private static void assertAuthenticationFailure(Exception failure, SQLException cause, String password) {
        assertThat(cause.getSQLState()).as("invalid_password, from %s", cause).isEqualTo("28P01");

        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertThat(failure.getMessage()).doesNotContain(password);
        assertThat(cause.getMessage()).doesNotContain(password);
        assertThat(failure.toString()).doesNotContain(password);
        assertThat(cause.toString()).doesNotContain(password);
        assertThat(trace.toString()).as("the whole stack trace, causes included").doesNotContain(password);
    }
}
