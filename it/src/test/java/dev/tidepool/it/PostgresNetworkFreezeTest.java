package dev.tidepool.it;

import static dev.tidepool.it.FaultRun.ms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tidepool.it.QueryLoad.Request;
import dev.tidepool.testsupport.postgres.PostgresServer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The network between a loaded pool and its server freezes for {@value #FREEZE_SECONDS} s (a
 * {@link FreezableProxy} stops forwarding): no error, no reset, the bytes stop. The pool cannot
 * interrupt a thread blocked in a socket read; only the driver's own timeouts can. So:
 * <ul>
 *   <li>without driver timeouts, the statements under way wait out the freeze, the other requests
 *       time out in {@code getConnection()}, the pool never hands out more than
 *       {@code maximumPoolSize} connections, and it serves again within a second of the thaw;
 *   <li>with pgjdbc's {@code socketTimeout} and {@code connectTimeout} set, a statement fails
 *       within {@code socketTimeout}, a borrow within {@code connectionTimeout}, and the pool
 *       recovers as fast.
 * </ul>
 */
@ExtendWith(ClassPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresNetworkFreezeTest {
    private static final int FREEZE_SECONDS = 8;
    /** pgjdbc's socketTimeout and connectTimeout, in seconds as the driver takes them. */
    private static final int DRIVER_TIMEOUT_SECONDS = 1;
    /** The bound: the pool serves again this soon after the network does. */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(1);

    private final PostgresServer postgres;
    private FreezableProxy proxy;

    PostgresNetworkFreezeTest(PostgresServer postgres) {
        this.postgres = postgres;
    }

    @BeforeAll
    void startProxy() throws Exception {
        proxy = FreezableProxy.to(postgres.jdbcUrl());
    }

    @AfterAll
    void closeProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void withoutDriverTimeoutsStatementsWaitOutTheFreezeAndThePoolStaysWithinItsSize() throws Exception {
        try (FaultRun run = FaultRun.start(postgres, "freeze", config -> config.setJdbcUrl(proxy.jdbcUrl(postgres.jdbcUrl())))) {
            Freeze freeze = freeze(run);
            List<Request> requests = run.stopLoad();

            assertThat(freeze.mostConnections).as("connections the pool had at once while frozen")
                    .isLessThanOrEqualTo(FaultRun.POOL_SIZE);
            assertThat(run.load.borrowedMax()).as("connections handed out at once").isLessThanOrEqualTo(FaultRun.POOL_SIZE);
            // Nothing can fail but a borrow that found every connection stuck: within connectionTimeout.
            List<Request> failed = requests.stream().filter(r -> !r.succeeded()).toList();
            assertThat(failed).as("failures: %s", FaultRun.bySqlState(requests)).isNotEmpty()
                    .allMatch(Request::failedBorrowing).allSatisfy(r -> assertThat(r.latencyNanos()).as("%s", r)
                            .isLessThanOrEqualTo(timeoutNanos() + FaultRun.TIMER_SLACK_NANOS));
            Request longest = requests.stream().max(Comparator.comparingLong(Request::latencyNanos)).orElseThrow();
            assertThat(longest.statementNanos()).as("a statement under way waits out the freeze: %s", longest)
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(FREEZE_SECONDS).toNanos());
            long recovered = assertRecovered(requests, freeze);

            run.verifyAfterLoad(requests);
            FaultRun.report("network freeze, no driver timeouts", failed.size() + " of " + requests.size()
                    + " requests failed " + FaultRun.bySqlState(requests) + " (getConnection() timeouts, slowest "
                    + ms(failed.stream().mapToLong(Request::latencyNanos).max().orElse(0L)) + "); longest request "
                    + ms(longest.latencyNanos()) + "; at most " + run.load.borrowedMax()
                    + " connections out; serving again " + ms(recovered) + " after the thaw");
        }
    }

    @Test
    void withSocketAndConnectTimeoutsRequestsFailWithinThem() throws Exception {
        try (FaultRun run = FaultRun.start(postgres, "freeze-timeouts", config -> {
            config.setJdbcUrl(proxy.jdbcUrl(postgres.jdbcUrl()));
            config.addDataSourceProperty("socketTimeout", Integer.toString(DRIVER_TIMEOUT_SECONDS));
            config.addDataSourceProperty("connectTimeout", Integer.toString(DRIVER_TIMEOUT_SECONDS));
        })) {
            Freeze freeze = freeze(run);
            List<Request> requests = run.stopLoad();

            assertThat(freeze.mostConnections).isLessThanOrEqualTo(FaultRun.POOL_SIZE);
            assertThat(run.load.borrowedMax()).isLessThanOrEqualTo(FaultRun.POOL_SIZE);
            long socketTimeout = Duration.ofSeconds(DRIVER_TIMEOUT_SECONDS).toNanos();
            List<Request> failed = requests.stream().filter(r -> !r.succeeded()).toList();
            List<Request> statements = failed.stream().filter(r -> !r.failedBorrowing()).toList();
            List<Request> borrows = failed.stream().filter(Request::failedBorrowing).toList();
            assertThat(statements).as("statements cut off by socketTimeout").isNotEmpty()
                    .allSatisfy(r -> assertThat(r.statementNanos()).as("%s", r)
                            .isLessThanOrEqualTo(socketTimeout + FaultRun.TIMER_SLACK_NANOS))
                    .allSatisfy(r -> assertThat(((SQLException) r.failure()).getSQLState()).as("%s", r.failure())
                            .startsWith("08"));
            assertThat(borrows).allSatisfy(r -> assertThat(r.latencyNanos()).as("%s", r)
                    .isLessThanOrEqualTo(timeoutNanos() + FaultRun.TIMER_SLACK_NANOS));
            Request longest = requests.stream().max(Comparator.comparingLong(Request::latencyNanos)).orElseThrow();
            long recovered = assertRecovered(requests, freeze);

            run.verifyAfterLoad(requests);
            FaultRun.report("network freeze, socketTimeout=connectTimeout=" + DRIVER_TIMEOUT_SECONDS + "s",
                    failed.size() + " of " + requests.size() + " requests failed " + FaultRun.bySqlState(requests)
                    + ": " + statements.size() + " statements (slowest "
                    + ms(statements.stream().mapToLong(Request::statementNanos).max().orElse(0L)) + "), "
                    + borrows.size() + " borrows (slowest "
                    + ms(borrows.stream().mapToLong(Request::latencyNanos).max().orElse(0L)) + "); longest request "
                    + ms(longest.latencyNanos()) + "; serving again " + ms(recovered) + " after the thaw");
        }
    }

    /** When the freeze began and ended, and the most connections the pool had meanwhile. */
    private record Freeze(long frozenNanos, long thawedNanos, int mostConnections) {
    }

    private Freeze freeze(FaultRun run) {
        AtomicInteger most = new AtomicInteger();
        long frozen = System.nanoTime();
        proxy.freeze();
        try {
            // The freeze lasts FREEZE_SECONDS, watched throughout: the pool stays within its size.
            FaultRun.await().during(Duration.ofSeconds(FREEZE_SECONDS)).until(() -> {
                most.accumulateAndGet(run.pool.getTotalConnections(), Math::max);
                return run.pool.getTotalConnections() <= FaultRun.POOL_SIZE;
            });
        } finally {
            proxy.thaw();
        }
        long thawed = System.nanoTime();
        run.awaitServingAfter(thawed);
        return new Freeze(frozen, thawed, most.get());
    }

    /**
     * A request that began after the thaw succeeded within {@link #RECOVERY_BOUND} of it, and no
     * request failed after that; returns how long after the thaw the first one succeeded.
     */
    private static long assertRecovered(List<Request> requests, Freeze freeze) {
        long servingAgain = requests.stream().filter(r -> r.succeeded() && r.startNanos() >= freeze.thawedNanos)
                .mapToLong(Request::endNanos).min().orElseThrow() - freeze.thawedNanos;
        assertThat(Duration.ofNanos(servingAgain)).as("serving again after the thaw").isLessThanOrEqualTo(RECOVERY_BOUND);
        long recoveredBy = freeze.thawedNanos + RECOVERY_BOUND.toNanos();
        assertThat(requests).filteredOn(r -> !r.succeeded() && r.endNanos() > recoveredBy)
                .as("failures later than %s after the thaw", RECOVERY_BOUND).isEmpty();
        return servingAgain;
    }

    private static long timeoutNanos() {
        return Duration.ofMillis(FaultRun.CONNECTION_TIMEOUT_MS).toNanos();
    }
}
