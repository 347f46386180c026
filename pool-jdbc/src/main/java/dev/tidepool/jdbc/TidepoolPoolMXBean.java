package dev.tidepool.jdbc;

/**
 * A running pool's figures and operator actions, as {@link TidepoolDataSource#getTidepoolPoolMXBean()}
 * returns them: the counterpart of HikariCP's {@code HikariPoolMXBean}, with the same members.
 * pool-jmx registers a richer MXBean for JConsole; this one is for code that used
 * {@code getHikariPoolMXBean()}.
 *
 * <pre>{@code
 * TidepoolPoolMXBean pool = dataSource.getTidepoolPoolMXBean();
 * if (pool != null && pool.getThreadsAwaitingConnection() > 0) {
 *     log.warn("{} callers waiting, {} active", pool.getThreadsAwaitingConnection(), pool.getActiveConnections());
 * }
 * }</pre>
 */
public interface TidepoolPoolMXBean {
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
     * Connections open, busy or idle.
     *
     * @return the total
     */
    int getTotalConnections();

    /**
     * Callers waiting for a connection.
     *
     * @return the waiting count
     */
    int getThreadsAwaitingConnection();

    /** Retires every connection: idle ones at once, busy ones when they come back. */
    void softEvictConnections();

    /** Holds new borrowers until {@link #resumePool()}. */
    void suspendPool();

    /** Lets held and new borrowers go on. */
    void resumePool();
}
