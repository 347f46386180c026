package dev.tidepool.it;

import dev.tidepool.core.GreenPool;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * The load a fault is injected under: a {@link GreenPool} of {@code workers} virtual threads, each
 * borrowing a connection, running one short query and returning the connection, again and again
 * until {@link #stop}. Every request is recorded with its outcome and its times (started, got its
 * connection, ended, all {@code System.nanoTime()}), so a test can judge each request against the
 * moment the fault began or ended.
 *
 * <p>Each worker appends to a list of its own (no contention between workers); the lists are read
 * only after {@link #stop} has seen every worker end. What a test watches while the load runs is
 * kept in atomics: successes so far, the latest start of a request that succeeded, and how many
 * connections the workers hold right now and at most (a worker counts its connection from the
 * moment {@code getConnection()} returned it until just before it calls {@code close()}, so the
 * count never runs ahead of what the pool has handed out).
 *
 * <p>Workers are named {@code load-<n>}: a leak report names the thread that borrowed, which is
 * how {@link FaultRun} tells a report about a connection still out from one about a returned one.
 */
final class QueryLoad {
    /** What a request runs: short, with a result to read. */
    static final String QUERY = "select 1";

    /**
     * One request: {@code borrowedNanos} is 0 if it never got a connection; {@code failure} is
     * null if it succeeded, else whatever reached the application (any type, so a test can insist
     * on {@link java.sql.SQLException}).
     */
    record Request(String worker, long startNanos, long borrowedNanos, long endNanos, Throwable failure) {
        boolean succeeded() {
            return failure == null;
        }

        /** Whether it failed before it had a connection (in {@code getConnection()}). */
        boolean failedBorrowing() {
            return failure != null && borrowedNanos == 0L;
        }

        long latencyNanos() {
            return endNanos - startNanos;
        }

        /** How long its statement ran (from the borrow to the end), or 0 if it never borrowed. */
        long statementNanos() {
            return borrowedNanos == 0L ? 0L : endNanos - borrowedNanos;
        }
    }

    private final DataSource dataSource;
    private final GreenPool workers;
    private final List<List<Request>> perWorker = new ArrayList<>();
    private final LongAdder successes = new LongAdder();
    private final AtomicLong lastSuccessStartNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicInteger borrowedNow = new AtomicInteger();
    private final AtomicInteger borrowedMax = new AtomicInteger();
    private volatile boolean running = true;

    private QueryLoad(DataSource dataSource, int workerCount) {
        this.dataSource = dataSource;
        this.workers = new GreenPool(workerCount, "fault-load");
    }

    /** Starts {@code workers} virtual threads issuing {@link #QUERY} through {@code dataSource}. */
    static QueryLoad start(DataSource dataSource, int workers) throws InterruptedException {
        QueryLoad load = new QueryLoad(dataSource, workers);
        for (int i = 0; i < workers; i++) {
            List<Request> mine = new ArrayList<>();
            load.perWorker.add(mine);
            String name = "load-" + i;
            load.workers.spawnN(() -> load.work(name, mine));
        }
        return load;
    }

    private void work(String name, List<Request> requests) {
        Thread.currentThread().setName(name);
        while (running) {
            requests.add(request(name));
        }
    }

    private Request request(String name) {
        long start = System.nanoTime();
        long borrowed = 0L;
        Throwable failure = null;
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            borrowed = System.nanoTime();
            countBorrowed();
            try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(QUERY)) {
                row.next();
            }
        } catch (Throwable e) {
            failure = e;
        } finally {
            if (connection != null) {
                borrowedNow.decrementAndGet();
                try {
                    connection.close();
                } catch (Throwable e) {
                    failure = failure != null ? failure : e;
                }
            }
        }
        if (failure == null) {
            successes.increment();
            lastSuccessStartNanos.accumulateAndGet(start, Math::max);
        }
        return new Request(name, start, borrowed, System.nanoTime(), failure);
    }

    private void countBorrowed() {
        int now = borrowedNow.incrementAndGet();
        for (int max = borrowedMax.get(); now > max && !borrowedMax.compareAndSet(max, now); max = borrowedMax.get()) {
            // another worker raised the maximum meanwhile: compare again
        }
    }

    /** Requests that succeeded so far. */
    long successes() {
        return successes.sum();
    }

    /** The start of the latest-starting request that succeeded so far, or Long.MIN_VALUE. */
    long lastSuccessStartNanos() {
        return lastSuccessStartNanos.get();
    }

    /** The most connections the workers ever held at once. */
    int borrowedMax() {
        return borrowedMax.get();
    }

    /**
     * Lets each worker finish the request it is in and stops it; true if all ended within
     * {@code patience} (false: some thread is still blocked).
     */
    boolean stop(Duration patience) throws InterruptedException {
        running = false;
        boolean ended = workers.join(patience);
        workers.shutdown();
        return ended;
    }

    /** Every request, in no particular order; only after {@link #stop} returned true. */
    List<Request> requests() {
        List<Request> all = new ArrayList<>();
        perWorker.forEach(all::addAll);
        return all;
    }

    static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
