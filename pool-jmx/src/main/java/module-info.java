/**
 * Tidepool's JMX support: {@link dev.tidepool.jmx.TidepoolMBeans} registers a
 * {@link dev.tidepool.core.ResourcePool}, a {@link dev.tidepool.core.GreenPool} or a
 * {@code TidepoolDataSource} as an MXBean on the platform MBeanServer, so JConsole or any JMX
 * client can watch and resize it live.
 */
module dev.tidepool.jmx {
    // Transitive: the API takes pools and hands out ObjectNames, so a user needs these too.
    requires transitive java.management;
    requires transitive dev.tidepool.core;
    requires transitive dev.tidepool.jdbc;

    exports dev.tidepool.jmx;

    // registerMbeans=true: pool-jdbc finds this through ServiceLoader, without depending on pool-jmx.
    provides dev.tidepool.jdbc.MBeanRegistrar with dev.tidepool.jmx.JdbcMBeanRegistrar;
}
