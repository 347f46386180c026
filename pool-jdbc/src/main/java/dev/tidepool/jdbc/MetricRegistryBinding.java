package dev.tidepool.jdbc;

/**
 * How {@link TidepoolConfig#setMetricRegistry} turns a metrics registry into a
 * {@link MetricsTrackerFactory} without pool-jdbc depending on any metrics library: modules
 * provide implementations through {@link java.util.ServiceLoader} (pool-micrometer provides one
 * for Micrometer's {@code MeterRegistry}), and the setter asks each whether it supports the
 * registry it was given.
 *
 * <pre>{@code
 * public final class MyBinding implements MetricRegistryBinding {
 *     public String registryType() { return "com.example.Metrics"; }
 *     public boolean supports(Object registry) { return registry instanceof com.example.Metrics; }
 *     public MetricsTrackerFactory trackerFactory(Object registry) { return new MyFactory((com.example.Metrics) registry); }
 * }
 * // META-INF/services/dev.tidepool.jdbc.MetricRegistryBinding names MyBinding
 * }</pre>
 */
public interface MetricRegistryBinding {
    /**
     * The registry type this binding serves, for messages.
     *
     * @return a class name
     */
    String registryType();

    /**
     * Whether {@code registry} is a registry this binding serves.
     *
     * @param registry what was passed to {@code setMetricRegistry}, not null
     * @return true if {@link #trackerFactory} accepts it
     */
    boolean supports(Object registry);

    /**
     * A factory whose trackers record into {@code registry}.
     *
     * @param registry a registry {@link #supports} accepted
     * @return the factory
     */
    MetricsTrackerFactory trackerFactory(Object registry);
}
