package dev.tidepool.jdbc;

/**
 * Makes the {@link MetricsTracker} of a data source when its pool starts: the counterpart of
 * HikariCP's {@code MetricsTrackerFactory}. Set it with
 * {@link TidepoolConfig#setMetricsTrackerFactory}; for Micrometer, {@code pool-micrometer}
 * provides one, and {@link TidepoolConfig#setMetricRegistry} finds it by itself.
 *
 * <pre>{@code
 * config.setMetricsTrackerFactory((poolName, stats) -> new MetricsTracker() {
 *     @Override public void recordConnectionTimeout() {
 *         log.warn("{} timed out handing out a connection", poolName);
 *     }
 * });
 * }</pre>
 */
@FunctionalInterface
public interface MetricsTrackerFactory {
    /**
     * The tracker for one pool.
     *
     * @param poolName  the pool's name
     * @param poolStats the pool's live figures, to publish as gauges
     * @return the tracker, not null
     */
    MetricsTracker create(String poolName, PoolStats poolStats);
}
