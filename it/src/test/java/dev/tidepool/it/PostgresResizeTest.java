package dev.tidepool.it;

import static dev.tidepool.it.Jdbc.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.TidepoolDataSource;
import dev.tidepool.testsupport.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Live shrink as the database sees it: {@code pg_stat_activity}, filtered by this pool's application name. */
@ExtendWith(PostgresExtension.class)
class PostgresResizeTest {
    private final PostgresServer postgres;

    PostgresResizeTest(PostgresServer postgres) {
        this.postgres = postgres;
    }

    private TidepoolDataSource poolOfTwenty(String app, boolean explicitMinimumIdle) {
        TidepoolConfig config = ItPostgres.config(postgres, app);
        config.setMaximumPoolSize(20);
        if (explicitMinimumIdle) {
            config.setMinimumIdle(20);
        }
        config.setConnectionTimeout(Jdbc.PATIENCE.toMillis());
        TidepoolDataSource pool = new TidepoolDataSource(config);
        assertThat(pool.getMinimumIdle()).isEqualTo(20);
        await().until(() -> postgres.backendCount(app) == 20 && pool.getIdleConnections() == 20);
        return pool;
    }

    @Test
    void shrinkClosesIdleConnectionsAtOnce() throws SQLException {
        String app = PostgresServer.uniqueName("shrink");
        // minimumIdle left unset follows maximumPoolSize (20, then 5), as in HikariCP.
        try (TidepoolDataSource pool = poolOfTwenty(app, false)) {
            pool.resize(5);
            await().until(() -> postgres.backendCount(app) == 5);
            assertThat(pool.getTotalConnections()).isEqualTo(5);
            assertThat(pool.getMinimumIdle()).isEqualTo(5);
        }
        await().until(() -> postgres.backendCount(app) == 0);
    }

    @Test
    void shrinkWithExplicitMinimumIdleLowersItFirst() throws SQLException {
        String app = PostgresServer.uniqueName("shrink-min");
        // An explicit minimumIdle of 20 may not exceed the maximum, so an operator lowers it first.
        try (TidepoolDataSource pool = poolOfTwenty(app, true)) {
            pool.setMinimumIdle(5);
            pool.resize(5);
            await().until(() -> postgres.backendCount(app) == 5);
            assertThat(pool.getTotalConnections()).isEqualTo(5);
        }
    }

    @Test
    void shrinkClosesBusyConnectionsWhenTheyComeBack() throws SQLException {
        String app = PostgresServer.uniqueName("shrink-busy");
        try (TidepoolDataSource pool = poolOfTwenty(app, false)) {
            List<Connection> busy = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    busy.add(pool.getConnection());
                }
                pool.resize(5);
                // The 12 idle go at once; the 8 busy stay with their borrowers.
                await().until(() -> postgres.backendCount(app) == 8);
                for (Connection c : busy) {
                    assertThat(Jdbc.number(c, "select 1")).isEqualTo(1);
                }
            } finally {
                for (Connection c : busy) {
                    c.close();
                }
            }
            await().until(() -> postgres.backendCount(app) == 5);
            assertThat(pool.getTotalConnections()).isEqualTo(5);
        }
    }
}
