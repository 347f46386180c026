package dev.tidepool.jdbc;

/**
 * The service through which a {@link TidepoolDataSource} with {@code registerMbeans=true}
 * registers itself for monitoring, without pool-jdbc depending on the monitoring module: the
 * data source finds implementations with {@link java.util.ServiceLoader} when its pool starts, and
 * closes what they return when it closes. pool-jmx provides one that registers a JMX MXBean.
 *
 * <pre>{@code
 * public final class MyRegistrar implements MBeanRegistrar {
 *     public AutoCloseable register(TidepoolDataSource dataSource) {
 *         Gauge gauge = metrics.gauge("db.active", dataSource::getActiveConnections);
 *         return gauge::remove;
 *     }
 * }
 * // META-INF/services/dev.tidepool.jdbc.MBeanRegistrar names MyRegistrar
 * }</pre>
 */
public interface MBeanRegistrar {
    /**
     * Registers {@code dataSource}, whose pool has just started.
     *
     * @param dataSource the data source to register
     * @return what undoes the registration; closed when the data source closes
     * @throws RuntimeException if registration fails (the data source logs it and goes on)
     */
    AutoCloseable register(TidepoolDataSource dataSource);
}
