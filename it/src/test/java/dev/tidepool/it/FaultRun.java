package dev.tidepool.it;

import static dev.tidepool.it.QueryLoad.millis;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tidepool.it.QueryLoad.Request;
import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.TidepoolDataSource;
import dev.tidepool.testsupport.postgres.PostgresServer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * One fault test's pool, load and log, set up the way the issue measured them (a pool of
 * {@value #POOL_SIZE}, {@value #WORKERS} virtual threads running {@code select 1} through it,
 * {@code connectionTimeout} {@value #CONNECTION_TIMEOUT_MS} ms), and the checks every fault test
 * ends with once the load has stopped:
 * <ul>
 *   <li>every worker ended: no thread is left blocked;
 *   <li>no exception type other than {@link SQLException} reached the application;
 *   <li>idle + active = total, nobody waiting, nothing borrowed;
 *   <li>{@code pg_stat_activity} shows no more backends than {@code maximumPoolSize} for the
 *       pool's application name;
 *   <li>no leak report about a connection that had been returned: leak detection is on
 *       ({@value #LEAK_THRESHOLD_MS} ms, its minimum), each report names the borrowing worker, and
 *       that worker must have held a connection for the whole threshold at the report's moment;
 *       the check runs until a threshold has passed since the load stopped, so a watch left
 *       behind by a returned connection has had the time to fire.
 * </ul>
 */
final class FaultRun implements AutoCloseable {
    static final int POOL_SIZE = 10;
    static final int WORKERS = 200;
    static final long CONNECTION_TIMEOUT_MS = 2_000;
    static final long LEAK_THRESHOLD_MS = 2_000;
    /**
     * How late a timeout may be noticed: when its timer fires, the waiter's virtual thread must get
     * a carrier thread again before it can throw, and on a 2-core machine whose cores are busy
     * (the load itself, the server, other builds) that took up to 96 ms (two CPU-bound processes
     * beside the test).
     */
    static final long TIMER_SLACK_NANOS = Duration.ofMillis(200).toNanos();
    /**
     * The most connects a pool may try in {@code nanos} while they fail: it paces them pool-wide,
     * one attempt per interval of 10 ms doubling to 250 ms (about 4 a second), so 4 a second plus
     * the ramp, doubled for slack. Without the pacing each failure handed its slot straight to the
     * next of 200 borrowers, about 1,100 attempts a second.
     */
    static long pacedConnectBound(long nanos) {
        return 20 + 8 * Math.max(1L, TimeUnit.NANOSECONDS.toSeconds(nanos) + 1);
    }

    /** Requests that must succeed before a fault is injected: the pool is full and warm. */
    private static final long WARM_UP_REQUESTS = 2_000;
    /** Long enough for any fault here to have passed; a test that hangs fails instead. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    final PostgresServer postgres;
    final String app;
    final TidepoolDataSource pool;
    final PoolLog log;
    final QueryLoad load;
    private long stoppedNanos;

    private FaultRun(PostgresServer postgres, String app, TidepoolDataSource pool, PoolLog log, QueryLoad load) {
        this.postgres = postgres;
        this.app = app;
        this.pool = pool;
        this.log = log;
        this.load = load;
    }

    /**
     * A pool on {@code postgres} (its settings adjusted by {@code adjust}: a proxy's URL, driver
     * timeouts), full, under a load that has served {@value #WARM_UP_REQUESTS} requests.
     */
    static FaultRun start(PostgresServer postgres, String name, Consumer<TidepoolConfig> adjust)
            throws InterruptedException {
        String app = PostgresServer.uniqueName(name);
        TidepoolConfig config = ItPostgres.config(postgres, app);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        config.setValidationTimeout(1_000);
        config.setLeakDetectionThreshold(LEAK_THRESHOLD_MS);
        adjust.accept(config);
        PoolLog log = PoolLog.of(app);
        TidepoolDataSource pool = null;
        QueryLoad load = null;
        try {
            pool = new TidepoolDataSource(config);
            TidepoolDataSource started = pool;
            await().until(() -> started.getIdleConnections() == POOL_SIZE);
            load = QueryLoad.start(pool, WORKERS);
            QueryLoad running = load;
            await().until(() -> running.successes() >= WARM_UP_REQUESTS);
            return new FaultRun(postgres, app, pool, log, load);
        } catch (RuntimeException | Error | InterruptedException e) {
            if (load != null) {
                load.stop(PATIENCE);
            }
            if (pool != null) {
                pool.close();
            }
            log.close();
            throw e;
        }
    }

    /** Awaitility bounded by {@link #PATIENCE}, polling every 10 ms. */
    static ConditionFactory await() {
        return Awaitility.await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
    }

    /** Waits until a request that started after {@code nanos} has succeeded: the pool serves. */
    void awaitServingAfter(long nanos) {
        await().until(() -> load.lastSuccessStartNanos() > nanos);
    }

    /**
     * Stops the load, insisting that every worker ends (no thread is left blocked), and returns
     * every request it made.
     */
    List<Request> stopLoad() throws InterruptedException {
        assertThat(load.stop(PATIENCE)).as("every worker ended: no thread is left blocked").isTrue();
        stoppedNanos = System.nanoTime();
        return load.requests();
    }

    /** The checks every fault test ends with (see the class comment); after {@link #stopLoad()}. */
    void verifyAfterLoad(List<Request> requests) throws SQLException {
        List<Throwable> notSql = requests.stream().map(Request::failure)
                .filter(f -> f != null && !(f instanceof SQLException)).toList();
        assertThat(notSql).as("exceptions other than SQLException that reached the application").isEmpty();

        // A slot lost on the way (neither idle, nor borrowed, nor being connected) would count as
        // active for good; the background fill may be connecting now and then, so wait for a moment
        // between its attempts.
        await().until(() -> pool.getActiveConnections() == 0
                && pool.getIdleConnections() + pool.getActiveConnections() == pool.getTotalConnections());
        assertThat(pool.getThreadsAwaitingConnection()).as("waiting after the load stopped: %s", pool).isZero();
        assertThat(pool.getTotalConnections()).isLessThanOrEqualTo(POOL_SIZE);
        await().until(() -> postgres.backendCount(app) <= POOL_SIZE);

        // A leak watch a returned connection left behind fires within a threshold of its borrow:
        // none may appear until a threshold (and a margin) has passed since the last borrow.
        long quietNanos = stoppedNanos + Duration.ofMillis(LEAK_THRESHOLD_MS + 500).toNanos() - System.nanoTime();
        if (quietNanos > 0) {
            Awaitility.await().during(Duration.ofNanos(quietNanos)).atMost(Duration.ofNanos(quietNanos).plus(PATIENCE))
                    .pollInterval(Duration.ofMillis(50)).until(() -> falseLeakReports(requests).isEmpty());
        }
        assertThat(falseLeakReports(requests)).as("leak reports about connections already returned").isEmpty();
    }

    private static final Pattern LEAK_REPORT = Pattern.compile("borrowed by (\\S+) has been out");

    /** Leak reports whose worker held no connection for a whole threshold at the report's moment. */
    private List<String> falseLeakReports(List<Request> requests) {
        Map<String, List<Request>> byWorker = requests.stream().filter(r -> r.borrowedNanos() != 0L)
                .collect(Collectors.groupingBy(Request::worker));
        long threshold = Duration.ofMillis(LEAK_THRESHOLD_MS).toNanos();
        long clockSlack = Duration.ofMillis(100).toNanos(); // the watch starts a moment before the borrow is recorded
        return log.lines(Level.WARNING, "leak detection triggered").stream().filter(line -> {
            Matcher worker = LEAK_REPORT.matcher(line.message());
            if (!worker.find()) {
                return true;
            }
            return byWorker.getOrDefault(worker.group(1), List.of()).stream().noneMatch(r ->
                    r.borrowedNanos() - clockSlack <= line.nanos() - threshold && r.endNanos() >= line.nanos());
        }).map(PoolLog.Line::message).toList();
    }

    /** Failures by SQLState ({@code null} as "none"), for messages and reports. */
    static Map<String, Long> bySqlState(List<Request> requests) {
        return requests.stream().filter(r -> !r.succeeded()).collect(Collectors.groupingBy(
                r -> r.failure() instanceof SQLException e && e.getSQLState() != null ? e.getSQLState()
                        : r.failure().getClass().getSimpleName(), TreeMap::new, Collectors.counting()));
    }

    /** Prints a line of measured figures to the build's output, where docs/integration-tests.md takes them from. */
    static void report(String fault, String figures) {
        System.out.printf("[tidepool-it] fault %s: %s%n", fault, figures);
    }

    static String ms(long nanos) {
        return millis(nanos) + " ms";
    }

    @Override
    public void close() throws InterruptedException {
        try {
            load.stop(PATIENCE);
        } finally {
            pool.close();
            log.close();
        }
    }
}
