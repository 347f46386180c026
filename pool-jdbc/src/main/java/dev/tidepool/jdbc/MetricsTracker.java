package dev.tidepool.jdbc;

/**
 * Receives a running pool's events for a metrics system: the counterpart of HikariCP's
 * {@code IMetricsTracker}, with the same methods. Every method has a no-op default, so a tracker
 * implements only what it records.
 *
 * <pre>{@code
 * MetricsTracker tracker = new MetricsTracker() {
 *     @Override public void recordConnectionAcquiredNanos(long elapsedNanos) {
 *         acquireTimer.record(elapsedNanos, TimeUnit.NANOSECONDS);
 *     }
 * };
 * }</pre>
 *
 * <p>Calls come from borrowers' threads (acquired, usage, timeout) and from the pool's own
 * (created); they must be fast, thread-safe and must not throw. {@link #close()} is called once,
 * when the data source closes.
 */
public interface MetricsTracker extends AutoCloseable {
    /**
     * A physical connection was opened and set up.
     *
     * @param connectionCreatedMillis how long that took
     */
    default void recordConnectionCreatedMillis(long connectionCreatedMillis) {
    }

    /**
     * A borrower got a connection.
     *
     * @param elapsedAcquiredNanos how long it waited, from the call to {@code getConnection()}
     */
    default void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
    }

    /**
     * A borrower returned a connection.
     *
     * @param elapsedBorrowedMillis how long it held the connection
     */
    default void recordConnectionUsageMillis(long elapsedBorrowedMillis) {
    }

    /** A borrower gave up after connectionTimeout without a connection. */
    default void recordConnectionTimeout() {
    }

    /**
     * A borrower was turned away at once because {@code maximumThreadsAwaitingConnection}
     * callers were already waiting (load shedding; HikariCP has no counterpart).
     */
    default void recordConnectionShed() {
    }

    /** The data source closed: unregister what this tracker registered. */
    @Override
    default void close() {
    }
}
