package dev.tidepool.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidepool.jdbc.stub.StubDataSource;
import dev.tidepool.jdbc.stub.StubDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outage and the recovery are logged once each even when connect attempts race with the
 * change: an attempt begun before the database came back that fails after it (a restart's "the
 * database system is starting up", a failover's "too many clients" among concurrent connects), or
 * one begun before the outage that succeeds after it, is not news. Each connect attempt here waits
 * until the test says how it ends, so the races happen in exactly this order.
 */
class OutageLogRaceTest {
    private StubDatabase db;
    private final BlockingQueue<Attempt> attempts = new LinkedBlockingQueue<>();
    private TidepoolDataSource dataSource;

    /** One connect, held until {@link #fail} or {@link #succeed}. */
    private static final class Attempt {
        final CountDownLatch decided = new CountDownLatch(1);
        volatile boolean fail;

        void fail() {
            fail = true;
            decided.countDown();
        }

        void succeed() {
            decided.countDown();
        }
    }

    @BeforeEach
    void start() {
        db = StubDatabase.reset("outage-race-" + System.nanoTime());
        StubDataSource gated = new StubDataSource() {
            @Override
            public Connection getConnection(String username, String password) throws SQLException {
                Attempt attempt = new Attempt();
                attempts.add(attempt);
                try {
                    attempt.decided.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted", "08001", e);
                }
                if (attempt.fail) {
                    throw new SQLException("Connection refused", "08001");
                }
                return super.getConnection(username, password);
            }
        };
        gated.setUrl(db.url());
        TidepoolConfig config = new TidepoolConfig();
        config.setDataSource(gated);
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(0);                  // only borrowers connect: no filler in the way
        config.setInitializationFailTimeout(-1);  // nor a first connection at start
        config.setConnectionTimeout(30_000);       // borrowers keep retrying while the test decides
        dataSource = new TidepoolDataSource(config);
    }

    @AfterEach
    void close() {
        Attempt attempt;
        while ((attempt = attempts.poll()) != null) {
            attempt.succeed();
        }
        dataSource.close();
        StubDatabase.remove(db.name());
    }

    @Test
    void attemptsRacingWithAChangeDoNotLogOneOfTheirOwn() throws Exception {
        try (LogCapture log = LogCapture.dataSource()) {
            CompletableFuture<Connection> first = borrow();
            next().fail();                                    // the database goes away: WARNING
            Attempt beganWhileDown = next();                  // the borrower's retry
            CompletableFuture<Connection> second = borrow();
            Attempt recovery = next();
            recovery.succeed();                               // back: INFO
            assertThat(second.get(10, TimeUnit.SECONDS)).isNotNull();
            beganWhileDown.fail();                            // begun before the recovery: not news

            Attempt beganAfterRecovery = next();              // the first borrower's retry
            CompletableFuture<Connection> third = borrow();
            Attempt beganBeforeSecondOutage = next();
            beganAfterRecovery.fail();                        // down again: a second WARNING
            beganBeforeSecondOutage.succeed();                // begun before that outage: not news
            assertThat(third.get(10, TimeUnit.SECONDS)).isNotNull();
            next().succeed();                                 // begun during the outage: INFO
            assertThat(first.get(10, TimeUnit.SECONDS)).isNotNull();

            assertThat(log.records()).filteredOn(r -> r.getLevel().intValue() >= Level.INFO.intValue())
                    .extracting(r -> r.getLevel() + " " + r.getMessage().replaceAll(" - .*?(cannot|connected).*", " $1"))
                    .endsWith("WARNING " + dataSource.getPoolName() + " cannot",
                            "INFO " + dataSource.getPoolName() + " connected",
                            "WARNING " + dataSource.getPoolName() + " cannot",
                            "INFO " + dataSource.getPoolName() + " connected");
            assertThat(log.count(Level.WARNING, "cannot connect")).isEqualTo(2);
            assertThat(log.count(Level.INFO, "connected again")).isEqualTo(2);
        }
    }

    /** A getConnection() on a virtual thread; the connection it got. */
    private CompletableFuture<Connection> borrow() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return dataSource.getConnection();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
    }

    /** The next connect attempt to begin, waiting for it. */
    private Attempt next() throws InterruptedException {
        Attempt attempt = attempts.poll(10, TimeUnit.SECONDS);
        assertThat(attempt).as("a connect attempt began").isNotNull();
        return attempt;
    }
}
