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
 * database system is starting up"), or one begun before the outage that succeeds after it, is not
 * news. A database that takes no more connections (53300, after a failover to a smaller server)
 * is not an outage: that is logged once, and once more when the pool is full again, however
 * successes and refusals interleave. Each connect attempt here waits until the test says how it
 * ends, so the races happen in exactly this order.
 */
class OutageLogRaceTest {
    private StubDatabase db;
    private final BlockingQueue<Attempt> attempts = new LinkedBlockingQueue<>();
    private TidepoolDataSource dataSource;

    /** One connect, held until {@link #fail}, {@link #refuse} or {@link #succeed}. */
    private static final class Attempt {
        final CountDownLatch decided = new CountDownLatch(1);
        volatile String failure;

        void fail() {
            failure = "08001";
            decided.countDown();
        }

        /** PostgreSQL's answer when max_connections is reached. */
        void refuse() {
            failure = "53300";
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
                if (attempt.failure != null) {
                    throw new SQLException(attempt.failure.equals("53300") ? "FATAL: sorry, too many clients already"
                            : "Connection refused", attempt.failure);
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

    @Test
    void refusalsForMoreConnectionsAreLoggedOnceUntilThePoolIsFull() throws Exception {
        try (LogCapture log = LogCapture.dataSource()) {
            Connection first = borrow(Attempt::succeed);
            Connection second = borrow(Attempt::succeed);
            CompletableFuture<Connection> third = borrow();
            next().refuse();                                  // full at 2: WARNING
            next().succeed();                                 // the retry gets a third: not full yet, no INFO
            assertThat(third.get(10, TimeUnit.SECONDS)).isNotNull();
            CompletableFuture<Connection> fourth = borrow();
            next().refuse();                                  // refused again: nothing new to say
            assertThat(log.count(Level.WARNING, "refuses more connections")).isOne();
            next().succeed();                                 // the fourth of 4: full again, INFO
            assertThat(fourth.get(10, TimeUnit.SECONDS)).isNotNull();

            assertThat(log.records()).filteredOn(r -> r.getLevel().intValue() >= Level.INFO.intValue())
                    .extracting(r -> r.getLevel() + " " + r.getMessage())
                    .filteredOn(line -> !line.endsWith(" - starting") && !line.endsWith(" - started"))
                    .containsExactly("WARNING " + dataSource.getPoolName() + " - the database refuses more connections"
                            + " (SQLState 53300): FATAL: sorry, too many clients already; serving with 2 of"
                            + " maximumPoolSize 4, retrying, and logging again once the pool is full",
                            "INFO " + dataSource.getPoolName() + " - the database accepts all 4 connections again");
            assertThat(log.count(Level.WARNING, "cannot connect")).as("not an outage").isZero();
            first.close();
            second.close();
        }
    }

    /** A getConnection() whose one connect attempt ends as {@code outcome} says. */
    private Connection borrow(java.util.function.Consumer<Attempt> outcome) throws Exception {
        CompletableFuture<Connection> borrowed = borrow();
        outcome.accept(next());
        return borrowed.get(10, TimeUnit.SECONDS);
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
