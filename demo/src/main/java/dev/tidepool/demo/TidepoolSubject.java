package dev.tidepool.demo;

import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.TidepoolDataSource;
import dev.tidepool.jmx.TidepoolMBeans;
import javax.management.ObjectName;
import javax.sql.DataSource;

/**
 * A {@link TidepoolDataSource} with the demo's {@link PoolSettings}, registered as the MBean
 * {@code dev.tidepool:type=DataSource,name=<poolName>} ({@code registerMbeans=true}; pool-jmx is on
 * the class path, and pool-jdbc finds it by itself).
 */
final class TidepoolSubject implements PoolSubject {
    private final TidepoolDataSource dataSource;

    TidepoolSubject(PoolSettings settings, String poolName) {
        TidepoolConfig config = new TidepoolConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.username());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.maximumPoolSize());
        config.setMinimumIdle(PoolSettings.MINIMUM_IDLE);
        config.setConnectionTimeout(PoolSettings.CONNECTION_TIMEOUT.toMillis());
        config.setPoolName(poolName);
        config.setRegisterMbeans(true);
        this.dataSource = new TidepoolDataSource(config);
    }

    @Override
    public String label() {
        return "Tidepool";
    }

    @Override
    public String poolName() {
        return dataSource.getPoolName();
    }

    @Override
    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public ObjectName sizeBean() {
        return TidepoolMBeans.dataSourceName(poolName());
    }

    @Override
    public int maximumPoolSize() {
        return dataSource.getMaximumPoolSize();
    }

    @Override
    public int activeConnections() {
        return dataSource.getActiveConnections();
    }

    @Override
    public int idleConnections() {
        return dataSource.getIdleConnections();
    }

    @Override
    public int threadsAwaitingConnection() {
        return dataSource.getThreadsAwaitingConnection();
    }

    @Override
    public int totalConnections() {
        return dataSource.getTotalConnections();
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
