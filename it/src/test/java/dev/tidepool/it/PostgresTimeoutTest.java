package dev.tidepool.it;

import static dev.tidepool.it.Jdbc.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.TidepoolDataSource;
import dev.tidepool.testsupport.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code connectionTimeout} is kept by the clock, not by how long the database takes. */
@ExtendWith(PostgresExtension.class)
class PostgresTimeoutTest {
    private static final int POOL_SIZE = 10;
    private static final long TIMEOUT_MS = 300;
    private static final int SLEEP_SECONDS = 5;

    private final PostgresServer postgres;

    PostgresTimeoutTest(PostgresServer postgres) {
        this.postgres = postgres;
    }

    @Test
    void getConnectionTimesOutWhileEveryConnectionIsInASlowQuery() throws Exception {
        String app = PostgresServer.uniqueName("slow");
        TidepoolConfig config = ItPostgres.config(postgres, app);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setConnectionTimeout(TIMEOUT_MS);
        config.setValidationTimeout(250); // may not exceed connectionTimeout
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        try (TidepoolDataSource pool = new TidepoolDataSource(config)) {
            await().until(() -> pool.getIdleConnections() == POOL_SIZE);
            CountDownLatch holding = new CountDownLatch(POOL_SIZE);
            List<Future<String>> sleepers = new ArrayList<>();
            for (int i = 0; i < POOL_SIZE; i++) {
                sleepers.add(threads.submit(() -> {
                    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                        holding.countDown();
                        s.execute("select pg_sleep(" + SLEEP_SECONDS + ")");
                        return "slept";
                    } catch (SQLException e) {
                        return e.getSQLState(); // 57014 once cancelled below
                    }
                }));
            }
            try {
                assertThat(holding.await(Jdbc.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
                await().until(() -> sleeping(app) == POOL_SIZE);

                long start = System.nanoTime();
                assertThatExceptionOfType(SQLTransientConnectionException.class)
                        .isThrownBy(() -> pool.getConnection().close())
                        .withMessageContaining("total=10, active=10");
                long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

                assertThat(waitedMs).as("waited about connectionTimeout").isBetween(TIMEOUT_MS - 50, 2_500L);
                assertThat(sleepers).as("the sleeps are still running").noneMatch(Future::isDone);
                assertThat(sleeping(app)).isEqualTo(POOL_SIZE);
            } finally {
                // Not worth waiting for: cancel the sleeps. The connections survive a cancel.
                for (int pid : postgres.backendPids(app)) {
                    postgres.cancelBackend(pid);
                }
            }
            for (Future<String> sleeper : sleepers) {
                assertThat(sleeper.get(Jdbc.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isIn("57014", "slept");
            }
            await().until(() -> pool.getActiveConnections() == 0);
            assertThat(pool.getTotalConnections()).isEqualTo(POOL_SIZE);
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(Jdbc.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Backends of {@code app} running the sleep right now. */
    private int sleeping(String app) throws SQLException {
        try (Connection admin = postgres.connectAsAdmin();
             PreparedStatement query = admin.prepareStatement("select count(*) from pg_stat_activity"
                     + " where application_name = ? and state = 'active' and query like 'select pg_sleep%'")) {
            query.setString(1, app);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }
}
