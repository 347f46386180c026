package dev.tidepool.jmx;

/**
 * A {@code TidepoolDataSource} seen through JMX, registered as
 * {@code dev.tidepool:type=DataSource,name=<poolName>}: by itself when the data source has
 * {@code registerMbeans=true} and pool-jmx is on the class or module path, or explicitly with
 * {@link TidepoolMBeans#register(dev.tidepool.jdbc.TidepoolDataSource)}. The names are HikariCP's
 * (its pool and config MXBeans in one); every attribute is an open type, so JConsole edits the
 * writable ones in place. No attribute carries a password.
 *
 * <pre>{@code
 * TidepoolConfig config = new TidepoolConfig();
 * config.setJdbcUrl("jdbc:postgresql://db/app");
 * config.setPoolName("app");
 * config.setRegisterMbeans(true);             // dev.tidepool:type=DataSource,name=app
 * TidepoolDataSource dataSource = new TidepoolDataSource(config);
 *
 * DataSourceMXBean bean = JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(),
 *         TidepoolMBeans.dataSourceName("app"), DataSourceMXBean.class);
 * bean.setMaximumPoolSize(30);                // a live resize
 * }</pre>
 *
 * <p>Writable attributes act on the running pool at once: {@code MaximumPoolSize} is a resize
 * (shrinking closes idle connections beyond it at once), raising {@code MinimumIdle} connects at
 * once (lowering it lets idle connections beyond it retire after {@code IdleTimeout}), the timeouts apply to the next borrow or housekeeping round,
 * {@code Fairness} to the next return and borrow. A bad value
 * (negative, {@code MinimumIdle} above {@code MaximumPoolSize} or the other way round) throws
 * {@link IllegalArgumentException} to the client and changes nothing.
 */
public interface DataSourceMXBean {
    /** {@return the most connections the pool keeps} */
    int getMaximumPoolSize();

    /**
     * Resizes the pool, live: shrinking closes idle connections beyond the new size at once, busy
     * ones as they come back.
     *
     * @param maximumPoolSize the most connections the pool keeps from now on
     * @throws IllegalArgumentException if below 1 or below {@code MinimumIdle} (nothing changes)
     */
    void setMaximumPoolSize(int maximumPoolSize);

    /** {@return the idle connections the pool tries to keep} */
    int getMinimumIdle();

    /**
     * Sets the idle connections to keep: raising it connects at once, in the background; lowering it
     * lets idle connections beyond it retire once idle for {@code IdleTimeout}.
     *
     * @param minimumIdle the idle connections to keep from now on
     * @throws IllegalArgumentException if negative or above {@code MaximumPoolSize} (nothing changes)
     */
    void setMinimumIdle(int minimumIdle);

    /** {@return how long {@code getConnection()} waits for a connection, in milliseconds} */
    long getConnectionTimeout();

    /**
     * Sets how long the next {@code getConnection()} calls wait, in milliseconds.
     *
     * @param connectionTimeoutMillis the longest wait for a connection, in milliseconds
     * @throws IllegalArgumentException if out of range (nothing changes)
     */
    void setConnectionTimeout(long connectionTimeoutMillis);

    /** {@return how long a connection may sit idle (beyond {@code MinimumIdle}) before it is closed, in milliseconds; 0: forever} */
    long getIdleTimeout();

    /**
     * Sets the idle timeout in milliseconds; the pool applies it in a housekeeping round that starts now.
     *
     * @param idleTimeoutMillis the idle timeout, in milliseconds; 0: forever
     * @throws IllegalArgumentException if negative (nothing changes)
     */
    void setIdleTimeout(long idleTimeoutMillis);

    /** {@return how long a connection lives before it is retired, in milliseconds; 0: no limit} */
    long getMaxLifetime();

    /**
     * Sets the maximum lifetime in milliseconds; the pool applies it in a housekeeping round that starts now.
     *
     * @param maxLifetimeMillis the maximum lifetime, in milliseconds; 0: no limit
     * @throws IllegalArgumentException if negative (nothing changes)
     */
    void setMaxLifetime(long maxLifetimeMillis);

    /** {@return how long a connection may stay out before a possible leak is logged, in milliseconds; 0: off} */
    long getLeakDetectionThreshold();

    /**
     * Sets the leak detection threshold in milliseconds, for connections borrowed from now on.
     *
     * @param leakDetectionThresholdMillis the leak detection threshold, in milliseconds; 0: off
     * @throws IllegalArgumentException if negative (nothing changes)
     */
    void setLeakDetectionThreshold(long leakDetectionThresholdMillis);

    /** {@return how long a connection check may take, in milliseconds} */
    long getValidationTimeout();

    /**
     * Sets how long a connection check may take, in milliseconds.
     *
     * @param validationTimeoutMillis the longest a connection check may take, in milliseconds
     * @throws IllegalArgumentException if out of range (nothing changes)
     */
    void setValidationTimeout(long validationTimeoutMillis);

    /**
     * {@return who gets a connection first when callers wait: {@code STRICT} or
     * {@code BOUNDED(<n><unit>)}} See {@code TidepoolConfig.getFairness()}.
     */
    String getFairness();

    /**
     * Changes who gets a connection first, live: {@code STRICT}, {@code BOUNDED} or
     * {@code BOUNDED(<n>ns|us|ms|s)}, any case.
     *
     * @param fairness the new fairness, as text
     * @throws IllegalArgumentException naming the value if it is none of those (nothing changes)
     */
    void setFairness(String fairness);

    /**
     * {@return how many callers may wait for a connection at once before further ones are turned
     * away at once; -1: no bound}
     */
    int getMaximumThreadsAwaitingConnection();

    /**
     * Sets the waiting bound, live (load shedding); callers already waiting keep waiting.
     *
     * @param maximumThreadsAwaitingConnection the bound, 0 or more, or -1 for none
     * @throws IllegalArgumentException if below -1 (nothing changes)
     */
    void setMaximumThreadsAwaitingConnection(int maximumThreadsAwaitingConnection);

    /** {@return {@code getConnection()} calls turned away at once because the waiting bound was reached, so far} */
    long getShedConnectionRequests();

    /** {@return connections borrowed right now} */
    int getActiveConnections();

    /** {@return connections idle in the pool right now} */
    int getIdleConnections();

    /** {@return connections open right now, busy or idle} */
    int getTotalConnections();

    /** {@return callers waiting in {@code getConnection()} right now} */
    int getThreadsAwaitingConnection();

    /** {@return the pool's name} */
    String getPoolName();

    /** {@return successful {@code getConnection()} calls so far} */
    long getBorrowCount();

    /** {@return {@code getConnection()} calls that timed out so far} */
    long getTimeoutCount();

    /**
     * The mean time a {@code getConnection()} waited, in milliseconds, over every call that
     * succeeded or timed out (one served at once counts as 0).
     *
     * @return the mean wait, in milliseconds
     */
    double getMeanWaitMillis();

    /** {@return the longest a {@code getConnection()} has waited so far, in milliseconds} */
    long getMaxWaitMillis();

    /**
     * Same as setting {@code MaximumPoolSize}.
     *
     * @param maximumPoolSize the most connections the pool keeps from now on
     * @throws IllegalArgumentException if below 1 or below {@code MinimumIdle}
     */
    void resize(int maximumPoolSize);

    /** Retires every connection: idle ones close at once, busy ones when they come back. */
    void softEvictConnections();

    /**
     * Sets new credentials for new connections (a rotated password) and retires the connections
     * opened with the old ones as they come back. The password can be written, never read back,
     * and is never logged.
     *
     * @param username the user name
     * @param password the password
     */
    void setCredentials(String username, String password);

    /**
     * Holds new {@code getConnection()} calls (each for at most its connection timeout) until
     * {@link #resumePool()}.
     *
     * Works whether or not the data source has {@code allowPoolSuspension}.
     */
    void suspendPool();

    /**
     * Lets held and new {@code getConnection()} calls go on.
     *
     * @throws IllegalStateException if the data source has {@code allowPoolSuspension=false}
     */
    void resumePool();
}
