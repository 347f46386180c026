package dev.tidepool.jdbc;

/**
 * The live figures of a running pool, as a {@link MetricsTrackerFactory} receives them: the
 * counterpart of HikariCP's {@code PoolStats}. Each call reads the pool now; nothing is cached.
 *
 * <pre>{@code
 * MetricsTrackerFactory factory = (poolName, stats) -> {
 *     registry.gauge("db.pool.active", stats, PoolStats::getActiveConnections);
 *     return new MetricsTracker() { };
 * };
 * }</pre>
 */
public interface PoolStats {
    /**
     * Connections open, busy or idle.
     *
     * @return the total
     */
    int getTotalConnections();

    /**
     * Connections idle in the pool.
     *
     * @return the idle count
     */
    int getIdleConnections();

    /**
     * Connections borrowed.
     *
     * @return the active count
     */
    int getActiveConnections();

    /**
     * Callers waiting for a connection.
     *
     * @return the waiting count
     */
    int getPendingThreads();

    /**
     * The pool's maximum size.
     *
     * @return maximumPoolSize
     */
    int getMaxConnections();

    /**
     * The pool's minimum idle count.
     *
     * @return minimumIdle
     */
    int getMinConnections();
}
