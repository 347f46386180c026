/**
 * Tidepool's JDBC pool: {@link dev.tidepool.jdbc.TidepoolDataSource}, a drop-in
 * {@link javax.sql.DataSource} that takes HikariCP's property names, backed by
 * {@link dev.tidepool.core.ResourcePool}.
 */
module dev.tidepool.jdbc {
    requires transitive java.sql;
    requires transitive dev.tidepool.core;
    // dataSourceJNDI and a metricRegistry given as a JNDI name.
    requires java.naming;

    exports dev.tidepool.jdbc;

    // registerMbeans=true finds pool-jmx (or any other registrar) at run time, never at compile time.
    uses dev.tidepool.jdbc.MBeanRegistrar;
    // setMetricRegistry finds pool-micrometer (or any other binding) the same way.
    uses dev.tidepool.jdbc.MetricRegistryBinding;
}
