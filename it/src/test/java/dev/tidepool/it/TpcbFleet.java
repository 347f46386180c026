package dev.tidepool.it;

import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.TidepoolDataSource;
import dev.tidepool.testsupport.tpcb.TpcbTransfer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * A fleet: several {@link TidepoolDataSource}s standing in for as many application instances,
 * and virtual threads running pgbench's TPC-B transaction ({@link TpcbTransfer}) on them, thread
 * {@code i} on instance {@code i % instances}, until a deadline or {@link Load#stop()}.
 *
 * <p>Each thread records every transaction it ran ({@link Outcome}: when it asked for a
 * connection, when it got one, when it had committed and given it back, and whether it worked) in
 * a list of its own, read only after the threads have ended; the live counters that tests wait on
 * ({@link Load#successes()}, {@link Load#lastSuccessNanos(int)}) are adders and atomics, so the
 * bookkeeping shares nothing contended between threads but those. A transaction that fails with an
 * {@link SQLException} is counted and the thread goes on (as an application would, with its next
 * request); anything else thrown is kept in {@link Load#unexpected()}, which the fault tests
 * require to stay empty.
 *
 * <pre>{@code
 * try (TpcbFleet fleet = TpcbFleet.open(configs)) {
 *     fleet.awaitFull();
 *     TpcbFleet.Load load = fleet.start(1000, 1, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
 *     List<TpcbFleet.Outcome> outcomes = load.awaitEnd();
 * }
 * }</pre>
 */
final class TpcbFleet implements AutoCloseable {
    /** How long {@link Load#stop()} and {@link Load#awaitEnd()} wait for the threads to finish their last transaction. */
    private static final Duration DRAIN = Duration.ofSeconds(30);

    /**
     * One transaction as its thread saw it ({@link System#nanoTime()} readings).
     *
     * @param thread      the thread's index
     * @param instance    the data source it used
     * @param startNanos  before {@code getConnection()}
     * @param grantedNanos after {@code getConnection()} returned, 0 if it threw
     * @param endNanos    after the commit (or the failure) and the connection's {@code close()}
     * @param ok          whether it committed
     */
    record Outcome(int thread, int instance, long startNanos, long grantedNanos, long endNanos, boolean ok) {
        /** How long {@code getConnection()} took. */
        long waitNanos() {
            return (grantedNanos == 0 ? endNanos : grantedNanos) - startNanos;
        }
    }

    private final List<TidepoolDataSource> instances;

    private TpcbFleet(List<TidepoolDataSource> instances) {
        this.instances = instances;
    }

    /** Starts one data source per configuration; if one fails to start, closes those started and throws. */
    static TpcbFleet open(List<TidepoolConfig> configs) {
        List<TidepoolDataSource> started = new ArrayList<>();
        try {
            for (TidepoolConfig config : configs) {
                started.add(new TidepoolDataSource(config));
            }
            return new TpcbFleet(List.copyOf(started));
        } catch (RuntimeException e) {
            started.forEach(TidepoolDataSource::close);
            throw e;
        }
    }

    List<TidepoolDataSource> instances() {
        return instances;
    }

    /** Waits (bounded) until every data source holds its maximum of connections. */
    void awaitFull() {
        Jdbc.await().atMost(Duration.ofSeconds(30)).until(() -> instances.stream()
                .allMatch(ds -> ds.getTotalConnections() == ds.getMaximumPoolSize()));
    }

    /** Connections the fleet holds, idle and in use. */
    int totalConnections() {
        return instances.stream().mapToInt(TidepoolDataSource::getTotalConnections).sum();
    }

    /** Connections the fleet has lent out right now. */
    int activeConnections() {
        return instances.stream().mapToInt(TidepoolDataSource::getActiveConnections).sum();
    }

    /**
     * Starts {@code threads} virtual threads running TPC-B transactions on a schema of
     * {@code scale}, each until {@code deadlineNanos} ({@link System#nanoTime()}; a transaction
     * begun before it is finished), or, with {@code deadlineNanos} 0, until {@link Load#stop()}.
     */
    Load start(int threads, int scale, long deadlineNanos) {
        return new Load(threads, scale, deadlineNanos);
    }

    /** Closes every data source. */
    @Override
    public void close() {
        instances.forEach(TidepoolDataSource::close);
    }

    /** The threads of one run and what they recorded. */
    final class Load {
        private final List<Thread> threads = new ArrayList<>();
        private final List<List<Outcome>> recorded = new ArrayList<>();
        private final LongAdder successes = new LongAdder();
        private final LongAdder failures = new LongAdder();
        private final AtomicLongArray lastSuccess;
        private final AtomicReference<SQLException> firstFailure = new AtomicReference<>();
        private final ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        private volatile boolean stopping;

        private Load(int count, int scale, long deadlineNanos) {
            lastSuccess = new AtomicLongArray(instances.size());
            for (int i = 0; i < count; i++) {
                List<Outcome> mine = new ArrayList<>();
                recorded.add(mine);
                int thread = i;
                threads.add(Thread.ofVirtual().name("tpcb-fleet-", i)
                        .start(() -> loop(thread, thread % instances.size(), scale, deadlineNanos, mine)));
            }
        }

        private void loop(int thread, int instance, int scale, long deadlineNanos, List<Outcome> mine) {
            TidepoolDataSource dataSource = instances.get(instance);
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (!stopping && (deadlineNanos == 0 || System.nanoTime() - deadlineNanos < 0)) {
                TpcbTransfer.Ids ids = TpcbTransfer.draw(random, scale);
                long start = System.nanoTime();
                long granted = 0;
                boolean ok = false;
                try (Connection connection = dataSource.getConnection()) {
                    granted = System.nanoTime();
                    TpcbTransfer.run(connection, ids);
                    ok = true;
                } catch (SQLException e) {
                    failures.increment();
                    firstFailure.compareAndSet(null, e);
                } catch (RuntimeException | Error e) {
                    unexpected.add(e);
                }
                long end = System.nanoTime();
                mine.add(new Outcome(thread, instance, start, granted, end, ok));
                if (ok) {
                    successes.increment();
                    lastSuccess.accumulateAndGet(instance, end, Math::max);
                }
            }
        }

        /** Transactions committed so far. */
        long successes() {
            return successes.sum();
        }

        /** Transactions failed so far (an SQLException). */
        long failures() {
            return failures.sum();
        }

        /** When instance {@code instance} last committed a transaction, 0 if never. */
        long lastSuccessNanos(int instance) {
            return lastSuccess.get(instance);
        }

        /** The first SQLException any thread saw, or null. */
        SQLException firstFailure() {
            return firstFailure.get();
        }

        /** What was thrown that is not an SQLException. */
        List<Throwable> unexpected() {
            return List.copyOf(unexpected);
        }

        /** Tells the threads to stop after their current transaction, and waits for them. */
        List<Outcome> stop() throws InterruptedException {
            stopping = true;
            return awaitEnd();
        }

        /**
         * Waits (at most 30 s) for every thread to end, then returns every outcome, thread by thread.
         *
         * @throws IllegalStateException if a thread is still running after the wait
         */
        List<Outcome> awaitEnd() throws InterruptedException {
            long deadline = System.nanoTime() + DRAIN.toNanos();
            for (Thread thread : threads) {
                if (!thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                    throw new IllegalStateException(thread.getName() + " still running after "
                            + DRAIN.toSeconds() + " s");
                }
            }
            List<Outcome> all = new ArrayList<>();
            recorded.forEach(all::addAll);
            return all;
        }

        /** For messages: counts so far. */
        @Override
        public String toString() {
            return successes.sum() + " committed, " + failures.sum() + " failed, first failure: "
                    + (firstFailure.get() == null ? "none" : firstFailure.get().getSQLState() + " "
                    + firstFailure.get().getMessage());
        }
    }

    /** The {@code p}-th percentile (0 < p ≤ 100) of {@code sorted}, nearest rank; 0 for none. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    /** Nanoseconds as milliseconds with two decimals. */
    static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f", nanos / (double) TimeUnit.MILLISECONDS.toNanos(1));
    }
}
