package dev.tidepool.it;

import static dev.tidepool.it.Jdbc.await;
import static dev.tidepool.it.Jdbc.backendPid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.TidepoolDataSource;
import dev.tidepool.testsupport.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Connections that die under the pool: killed by {@code pg_terminate_backend} from another
 * session, as an administrator, a failover or a proxy would.
 */
@ExtendWith(PostgresExtension.class)
class PostgresEvictionTest {
    private final PostgresServer postgres;

    PostgresEvictionTest(PostgresServer postgres) {
        this.postgres = postgres;
    }

    private TidepoolConfig config(String applicationName, int size) {
        TidepoolConfig config = ItPostgres.config(postgres, applicationName);
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(Jdbc.PATIENCE.toMillis());
        return config;
    }

    @Test
    void connectionKilledWhileBorrowedIsEvicted() throws SQLException {
        String app = PostgresServer.uniqueName("evict");
        // One connection: if the pool kept the dead one, the next borrower would get it (it was
        // used a moment ago, so it is handed out without a validity check).
        try (TidepoolDataSource pool = new TidepoolDataSource(config(app, 1))) {
            Connection borrowed = pool.getConnection();
            int killed = backendPid(borrowed);
            assertThat(postgres.terminateBackend(killed)).isTrue();

            assertThatExceptionOfType(SQLException.class).as("the borrower's next statement fails")
                    .isThrownBy(() -> backendPid(borrowed))
                    .satisfies(failure -> assertThat(failure.getSQLState()).as("SQLState of %s", failure)
                            .satisfiesAnyOf(state -> assertThat(state).isEqualTo("57P01"), // admin_shutdown
                                    state -> assertThat(state).startsWith("08")));          // connection exception
            borrowed.close();
            assertThat(pool.stats().disposedCount()).as("the dead connection was closed, not kept").isEqualTo(1);

            try (Connection next = pool.getConnection()) {
                int pid = backendPid(next);
                assertThat(pid).isNotEqualTo(killed);
                assertThat(postgres.backendPids(app)).containsExactly(pid);
            }
            assertThat(pool.getTotalConnections()).isEqualTo(1);
        }
    }

    @Test
    void idleConnectionsKilledAreReplacedOnBorrow() throws SQLException {
        String app = PostgresServer.uniqueName("idle-kill");
        try (TidepoolDataSource pool = new TidepoolDataSource(config(app, 3))) {
            await().until(() -> pool.getIdleConnections() == 3 && postgres.backendCount(app) == 3);
            List<Integer> killed = postgres.backendPids(app);
            for (int pid : killed) {
                assertThat(postgres.terminateBackend(pid)).isTrue();
            }
            long disposedBefore = pool.stats().disposedCount();

            // Idle for more than 500 ms, each is checked before it is handed out. The pool cannot
            // know they died; it still counts them as idle.
            await().pollDelay(Duration.ofMillis(600))
                    .until(() -> postgres.backendCount(app) == 0 && pool.getIdleConnections() == 3);

            List<Connection> borrowed = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Connection c = pool.getConnection();
                    borrowed.add(c);
                    assertThat(backendPid(c)).as("a live connection, not a killed one").isNotIn(killed);
                }
            } finally {
                for (Connection c : borrowed) {
                    c.close();
                }
            }
            assertThat(pool.stats().disposedCount() - disposedBefore).as("the dead ones were closed").isEqualTo(3);
            assertThat(postgres.backendCount(app)).isEqualTo(3);
            assertThat(pool.getActiveConnections()).isZero();
        }
    }
}
