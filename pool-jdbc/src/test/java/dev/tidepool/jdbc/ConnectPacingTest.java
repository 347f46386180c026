package dev.tidepool.jdbc;

import static dev.tidepool.jdbc.StubPools.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tidepool.jdbc.stub.StubDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A database that refuses every connect while 200 borrowers keep asking: the pool tries a few
 * connects a second in all, not one per borrower; every borrower fails with an SQLException of
 * class 08 within its connectionTimeout; the figures show no connection that is not open; and the
 * pool serves again once the database does.
 */
class ConnectPacingTest {
    private static final int BORROWERS = 200;
    private static final long LOAD_NANOS = TimeUnit.SECONDS.toNanos(2);

    @RegisterExtension
    final StubPools pools = new StubPools("pacing", 300);

    @Test
    void whileTheDatabaseIsDownTheBorrowersShareAFewConnectsASecond() throws Exception {
        StubDatabase db = pools.db();
        TidepoolConfig config = pools.config(10);
        config.setInitializationFailTimeout(-1); // start without a first connection
        TidepoolDataSource ds = pools.open(config);
        db.failAllConnects("connection refused");

        long attemptsBefore = db.connectAttempts();
        long start = System.nanoTime();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger served = new AtomicInteger();
        List<Thread> borrowers = new ArrayList<>();
        for (int i = 0; i < BORROWERS; i++) {
            borrowers.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() - start < LOAD_NANOS) {
                    try (Connection c = ds.getConnection()) {
                        served.incrementAndGet();
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
            }));
        }
        AtomicLong mostTotal = new AtomicLong();
        AtomicLong mostActive = new AtomicLong();
        while (borrowers.stream().anyMatch(Thread::isAlive)) {
            mostTotal.accumulateAndGet(ds.getTotalConnections(), Math::max);
            mostActive.accumulateAndGet(ds.getActiveConnections(), Math::max);
            borrowers.getFirst().join(1);
        }
        for (Thread borrower : borrowers) {
            borrower.join();
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) + 1;
        long attempts = db.connectAttempts() - attemptsBefore;

        // Paced pool-wide: one attempt per 10 ms doubling to 250 ms. Without it, every failed
        // connect handed its slot to the next borrower, who connected at once.
        assertThat(attempts).as("connect attempts in about %d s", seconds).isLessThanOrEqualTo(30 + 8 * seconds);
        assertThat(served).hasValue(0);
        assertThat(failures).isNotEmpty().allSatisfy(e -> assertThat(e).isInstanceOf(SQLException.class)
                .satisfies(s -> assertThat(((SQLException) s).getSQLState()).startsWith("08")));
        assertThat(mostTotal).as("total while nothing was open").hasValue(0);
        assertThat(mostActive).as("active while nothing was open").hasValue(0);

        db.stopFailingConnects();
        await().until(() -> {
            try (Connection c = ds.getConnection()) {
                return c.isValid(1);
            } catch (SQLException e) {
                return false;
            }
        });
        await().until(() -> ds.getActiveConnections() == 0 && ds.getTotalConnections() == db.openConnections());
        assertThat(ds.getTotalConnections()).isEqualTo(ds.getIdleConnections()).isLessThanOrEqualTo(10);
    }
}
