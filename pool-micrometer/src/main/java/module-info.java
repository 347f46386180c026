/**
 * Tidepool's Micrometer meters: {@link dev.tidepool.micrometer.TidepoolDataSourceMetrics} and
 * {@link dev.tidepool.micrometer.MicrometerMetricsTrackerFactory} for a {@code TidepoolDataSource}
 * (HikariCP's meter vocabulary under {@code tidepool.connections}, and HikariCP's own names on
 * request), {@link dev.tidepool.micrometer.ResourcePoolMetrics} and
 * {@link dev.tidepool.micrometer.GreenPoolMetrics}.
 */
// Micrometer's jar is an automatic module (micrometer.core); its types are in this API, so it is
// required transitively all the same.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.tidepool.micrometer {
    requires transitive dev.tidepool.core;
    requires transitive micrometer.core;
    // Optional: only the data source meters need pool-jdbc; ResourcePool and GreenPool users do not.
    // Transitive for those who have it: its types are in the data source meters' API.
    requires static transitive dev.tidepool.jdbc;

    exports dev.tidepool.micrometer;

    // TidepoolConfig.setMetricRegistry(meterRegistry) finds this through ServiceLoader.
    provides dev.tidepool.jdbc.MetricRegistryBinding with dev.tidepool.micrometer.MicrometerRegistryBinding;
}
