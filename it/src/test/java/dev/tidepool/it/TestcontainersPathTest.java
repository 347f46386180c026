package dev.tidepool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tidepool.jdbc.PoolInitializationException;
import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.TidepoolDataSource;
import dev.tidepool.testsupport.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * The Testcontainers path on its own, whichever server the other tests got: skipped (not failed)
 * where no Docker engine is reachable, as on CI.
 */
class TestcontainersPathTest {

    @Test
    void poolWorksAgainstAContainer() throws SQLException {
        // In the test, not in a @BeforeAll, so that the report counts it as skipped.
        assumeTrue(ItPostgres.dockerAvailable(), "no Docker engine reachable: the Testcontainers path is skipped");
        try (ContainerPostgres postgres = ContainerPostgres.start()) {
            String app = PostgresServer.uniqueName("container");
            try (TidepoolDataSource pool = new TidepoolDataSource(ItPostgres.config(postgres, app));
                 Connection c = pool.getConnection()) {
                assertThat(Jdbc.text(c, "select current_user")).isEqualTo(postgres.username());
                assertThat(postgres.backendCount(app)).isPositive();
            }

            TidepoolConfig wrong = ItPostgres.config(postgres, PostgresServer.uniqueName("container-wrong"));
            wrong.setPassword(PostgresServer.randomPassword());
            PoolInitializationException failure =
                    catchThrowableOfType(PoolInitializationException.class, () -> new TidepoolDataSource(wrong).close());
            assertThat(failure).isNotNull();
            assertThat(((SQLException) failure.getCause()).getSQLState()).isEqualTo("28P01");
        }
    }
}
