package dev.tidepool.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.sql.DataSource;

/**
 * A {@link HikariDataSource} with the demo's {@link PoolSettings}, registered by HikariCP itself as
 * {@code com.zaxxer.hikari:type=Pool (<poolName>)} and {@code type=PoolConfig (<poolName>)}; the
 * latter's {@code MaximumPoolSize} is writable, as Tidepool's is.
 */
final class HikariSubject implements PoolSubject {
    private final HikariDataSource dataSource;
    private final HikariPoolMXBean pool;
    private final String label;

    HikariSubject(PoolSettings settings, String poolName, String version) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.username());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.maximumPoolSize());
        config.setMinimumIdle(PoolSettings.MINIMUM_IDLE);
        config.setConnectionTimeout(PoolSettings.CONNECTION_TIMEOUT.toMillis());
        config.setPoolName(poolName);
        config.setRegisterMbeans(true);
        this.dataSource = new HikariDataSource(config);
        this.pool = dataSource.getHikariPoolMXBean();
        this.label = "HikariCP " + version;
    }

    @Override
    public String label() {
        return label;
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
        try {
            return new ObjectName("com.zaxxer.hikari:type=PoolConfig (" + poolName() + ")");
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException("pool name " + poolName() + " makes no ObjectName", e);
        }
    }

    @Override
    public int maximumPoolSize() {
        return dataSource.getHikariConfigMXBean().getMaximumPoolSize();
    }

    @Override
    public int activeConnections() {
        return pool.getActiveConnections();
    }

    @Override
    public int idleConnections() {
        return pool.getIdleConnections();
    }

    @Override
    public int threadsAwaitingConnection() {
        return pool.getThreadsAwaitingConnection();
    }

    @Override
    public int totalConnections() {
        return pool.getTotalConnections();
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
