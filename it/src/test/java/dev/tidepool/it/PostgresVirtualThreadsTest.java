package dev.tidepool.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.TidepoolDataSource;
import dev.tidepool.testsupport.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Many virtual threads, few connections, one hot row: nothing lost, nothing leaked. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresVirtualThreadsTest {
    private static final int THREADS = 1_000;
    private static final int TRANSACTIONS_EACH = 3;
    private static final int POOL_SIZE = 10;

    private final PostgresServer postgres;

    PostgresVirtualThreadsTest(PostgresServer postgres) {
        this.postgres = postgres;
    }

    @BeforeAll
    void createCounter() throws SQLException {
        try (Connection c = postgres.connect()) {
            Jdbc.execute(c, "create table it_counter (id int primary key, n bigint not null)",
                    "insert into it_counter values (1, 0)");
        }
    }

    @AfterAll
    void dropCounter() throws SQLException {
        try (Connection c = postgres.connect()) {
            Jdbc.execute(c, "drop table it_counter");
        }
    }

    @Test
    void thousandVirtualThreadsShareTenConnections() throws Exception {
        String app = PostgresServer.uniqueName("virtual-threads");
        TidepoolConfig config = ItPostgres.config(postgres, app);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setConnectionTimeout(60_000); // a thousand in line; the point is that all get through
        try (TidepoolDataSource pool = new TidepoolDataSource(config)) {
            Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
            try {
                for (int i = 0; i < THREADS; i++) {
                    threads.execute(() -> {
                        try {
                            go.await();
                            for (int t = 0; t < TRANSACTIONS_EACH; t++) {
                                increment(pool);
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    });
                }
                go.countDown();
                threads.shutdown();
                assertThat(threads.awaitTermination(Jdbc.PATIENCE.toSeconds() * 6, TimeUnit.SECONDS))
                        .as("all threads finished").isTrue();
            } finally {
                threads.shutdownNow();
            }

            assertThat(failures).isEmpty();
            try (Connection c = pool.getConnection()) {
                assertThat(Jdbc.number(c, "select n from it_counter where id = 1"))
                        .isEqualTo((long) THREADS * TRANSACTIONS_EACH);
            }
            assertThat(pool.getActiveConnections()).as("no connection leaked").isZero();
            assertThat(pool.getThreadsAwaitingConnection()).isZero();
            assertThat(pool.getTotalConnections()).isLessThanOrEqualTo(POOL_SIZE);
            assertThat(pool.stats().borrowCount()).isGreaterThanOrEqualTo((long) THREADS * TRANSACTIONS_EACH);
            assertThat(postgres.backendCount(app)).isLessThanOrEqualTo(POOL_SIZE);
        }
    }

    private static void increment(TidepoolDataSource pool) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement update = c.prepareStatement("update it_counter set n = n + 1 where id = 1")) {
                if (update.executeUpdate() != 1) {
                    throw new AssertionError("the counter row is missing");
                }
            }
            c.commit();
        }
    }
}
