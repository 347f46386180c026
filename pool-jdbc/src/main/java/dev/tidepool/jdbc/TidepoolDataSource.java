package dev.tidepool.jdbc;

import dev.tidepool.core.PoolListener;
import dev.tidepool.core.ResourcePool;
import dev.tidepool.jdbc.pool.JdbcPool;
import java.io.Closeable;
import java.io.PrintWriter;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A pooling {@link DataSource} that a HikariCP user switches to by changing one class name: it
 * takes {@code HikariConfig}'s property names, defaults and meanings (see {@link TidepoolConfig}),
 * and its pool is a {@link ResourcePool} of connections, built for virtual threads and fair:
 * callers that must wait are served in the order they came (by default; {@code fairness}
 * {@code BOUNDED(<n>ms)} lets returning and arriving threads go first, for at most that long).
 *
 * <pre>{@code
 * TidepoolConfig config = new TidepoolConfig();
 * config.setJdbcUrl("jdbc:postgresql://db/app");
 * config.setUsername("app");
 * config.setPassword(secret);
 * config.setMaximumPoolSize(20);
 *
 * try (TidepoolDataSource dataSource = new TidepoolDataSource(config)) {
 *     try (Connection connection = dataSource.getConnection();
 *          PreparedStatement query = connection.prepareStatement("select name from users where id = ?")) {
 *         query.setLong(1, id);
 *         ...
 *     }                                  // the connection goes back, its state reset
 *     dataSource.resize(5);              // live: idle connections beyond 5 close at once
 * }
 * }</pre>
 *
 * <p>Bean style (Spring, JNDI) works too: {@code new TidepoolDataSource()}, then the setters; the
 * pool starts on the first {@link #getConnection()}. Once it runs, the configuration is sealed
 * except for the settings an operator may change live (sizes and timeouts, as on HikariCP's
 * config MXBean, and the fairness); those setters act on the running pool at once.
 *
 * <p>What a borrower gets is a proxy: {@code close()} returns the connection (closing the
 * statements left open, rolling back an unfinished transaction, and putting back any state the
 * borrower changed); a connection that reported a fatal SQLState is closed rather than reused.
 */
public class TidepoolDataSource extends TidepoolConfig implements DataSource, Closeable {
    private static final System.Logger LOG = System.getLogger(TidepoolDataSource.class.getName());

    private final ReentrantLock startLock = new ReentrantLock();
    private volatile JdbcPool pool;
    private volatile boolean closed;
    /** Listeners added before the pool started; handed to it when it does. */
    private final List<PoolListener> pendingListeners = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> registrations = new CopyOnWriteArrayList<>();

    /**
     * A data source configured through its setters; the pool starts on the first
     * {@link #getConnection()}.
     */
    public TidepoolDataSource() {
        super();
    }

    /**
     * A data source with {@code config}'s settings, started at once: the first connection is
     * made as {@code initializationFailTimeout} says.
     *
     * @param config the settings, copied: later changes to {@code config} do not reach this data source
     * @throws IllegalArgumentException    if the configuration is invalid (the message names the property)
     * @throws PoolInitializationException if the first connection could not be made in time
     */
    public TidepoolDataSource(TidepoolConfig config) {
        super(new java.util.Properties());
        config.validate();
        config.copyStateTo(this);
        startLock.lock();
        try {
            start();
        } finally {
            startLock.unlock();
        }
    }

    // ---------------------------------------------------------------- DataSource

    /**
     * A connection from the pool, waiting at most {@code connectionTimeout}.
     *
     * @throws java.sql.SQLTransientConnectionException if none was free in time; the message says
     *         {@code total, active, idle, waiting} and the cause is the last connect failure
     * @throws SQLException if the data source is closed, or the caller was interrupted; for a
     *         bean-style data source whose pool starts here, also the driver's failure if the
     *         database cannot be reached (see {@code initializationFailTimeout})
     * @throws IllegalArgumentException for a bean-style data source whose configuration is invalid
     */
    @Override
    public Connection getConnection() throws SQLException {
        JdbcPool running = pool;
        if (running == null) {
            running = startLazily();
        }
        if (closed) {
            throw running.closedException();
        }
        return running.getConnection();
    }

    /** Not supported, as in HikariCP: a pool's connections all belong to one user. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("a pooled DataSource hands out connections of its configured user only");
    }

    /**
     * Starts a bean-style data source. A database that cannot be reached is an
     * {@link SQLException} here, as in HikariCP: the driver's own (the cause of the
     * {@link PoolInitializationException} the constructor would throw), so code that catches
     * {@code SQLException} around {@code getConnection()} sees it. A configuration error stays an
     * {@link IllegalArgumentException}.
     */
    private JdbcPool startLazily() throws SQLException {
        startLock.lock();
        try {
            if (pool == null) {
                if (closed) {
                    throw new SQLException("TidepoolDataSource " + getPoolName() + " has been closed", "08003");
                }
                validate();
                try {
                    start();
                } catch (PoolInitializationException e) {
                    if (e.getCause() instanceof SQLException cause) {
                        throw cause;
                    }
                    throw new SQLException(e.getMessage(), "08001", e);
                }
            }
            return pool;
        } finally {
            startLock.unlock();
        }
    }

    /** Called under {@link #startLock} with a validated configuration. */
    private void start() {
        LOG.log(Level.INFO, () -> getPoolName() + " - starting");
        JdbcPool starting = new JdbcPool(this, driver(), effectiveMetricsTrackerFactory());
        for (PoolListener listener : pendingListeners) {
            starting.connections().addListener(listener);
        }
        starting.start(); // throws PoolInitializationException, having closed what it opened
        pool = starting;
        seal();
        if (isRegisterMbeans()) {
            registerMBeans();
        }
    }

    private void registerMBeans() {
        List<MBeanRegistrar> found = new ArrayList<>();
        ServiceLoader.load(MBeanRegistrar.class).forEach(found::add);
        if (found.isEmpty()) {
            LOG.log(Level.WARNING, () -> getPoolName() + " - registerMbeans is true, but no MBeanRegistrar is on the"
                    + " class path: add dev.tidepool:pool-jmx");
        }
        for (MBeanRegistrar registrar : found) {
            try {
                registrations.add(registrar.register(this));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, () -> getPoolName() + " - " + registrar.getClass().getName() + " failed", e);
            }
        }
    }

    /** The pool, or an exception if it never started. */
    private JdbcPool running() {
        JdbcPool running = pool;
        if (running == null) {
            throw new IllegalStateException("pool " + getPoolName() + " has not started: call getConnection() first");
        }
        return running;
    }

    // ---------------------------------------------------------------- live settings

    /**
     * Sets the maximum pool size; on a running pool this is {@link #resize}: shrinking closes idle
     * connections beyond the new size at once, busy ones as they come back.
     */
    @Override
    public void setMaximumPoolSize(int maxPoolSize) {
        super.setMaximumPoolSize(maxPoolSize);
        JdbcPool running = pool;
        if (running != null) {
            running.resize(getMaximumPoolSize());
        }
    }

    /** Sets the minimum idle count; a running pool connects or retires idle connections to follow. */
    /** Sets the user name; on a running pool, the connections opened with the old one retire (see {@link #setCredentials}). */
    @Override
    public void setUsername(String username) {
        super.setUsername(username);
        retireForNewCredentials();
    }

    /** Sets the password; on a running pool, the connections opened with the old one retire (see {@link #setCredentials}). */
    @Override
    public void setPassword(String password) {
        super.setPassword(password);
        retireForNewCredentials();
    }

    /**
     * Sets user name and password together. On a running pool, every connection opened with the
     * old ones retires gently, as maxLifetime would retire it: idle ones close at once and are
     * replaced with new ones, busy ones close when their borrowers return them, so no borrower
     * sees an error. While a {@link CredentialsProvider} is set, new connections take the
     * provider's credentials instead, and this change retires nothing.
     */
    @Override
    public void setCredentials(Credentials credentials) {
        super.setCredentials(credentials);
        retireForNewCredentials();
    }

    private void retireForNewCredentials() {
        JdbcPool running = pool;
        if (running != null && getCredentialsProvider() == null) {
            LOG.log(Level.INFO, () -> getPoolName() + " - credentials changed: retiring the connections opened with"
                    + " the old ones as they come back");
            running.softEvict();
        }
    }

    @Override
    public void setMinimumIdle(int minIdle) {
        super.setMinimumIdle(minIdle);
        housekeepSoon();
    }

    /** Sets the idle timeout; a running pool applies it in its next round, which starts now. */
    @Override
    public void setIdleTimeout(long idleTimeoutMs) {
        super.setIdleTimeout(idleTimeoutMs);
        housekeepSoon();
    }

    /** Sets the maximum lifetime; a running pool applies it in its next round, which starts now. */
    @Override
    public void setMaxLifetime(long maxLifetimeMs) {
        super.setMaxLifetime(maxLifetimeMs);
        housekeepSoon();
    }

    /**
     * Sets the metrics registry; on a running pool that has no metrics yet, the pool publishes to
     * it from now on (HikariCP's rule: once).
     */
    @Override
    public void setMetricRegistry(Object metricRegistry) {
        startLock.lock();
        try {
            super.setMetricRegistry(metricRegistry);
            trackIfRunning();
        } finally {
            startLock.unlock();
        }
    }

    /**
     * Sets the metrics tracker factory; on a running pool that has no metrics yet, the pool
     * reports to it from now on (HikariCP's rule: once).
     */
    @Override
    public void setMetricsTrackerFactory(MetricsTrackerFactory metricsTrackerFactory) {
        startLock.lock();
        try {
            super.setMetricsTrackerFactory(metricsTrackerFactory);
            trackIfRunning();
        } finally {
            startLock.unlock();
        }
    }

    /** Under {@link #startLock}: a pool that started without metrics starts reporting now. */
    private void trackIfRunning() {
        JdbcPool running = pool;
        MetricsTrackerFactory factory = effectiveMetricsTrackerFactory();
        if (running != null && !closed && factory != null) {
            running.track(factory);
        }
    }

    private void housekeepSoon() {
        JdbcPool running = pool;
        if (running != null) {
            running.housekeepSoon();
        }
    }

    /**
     * Sets the fairness; on a running pool it applies at once (see
     * {@link TidepoolConfig#setFairness}), so an operator can switch a pool to throughput for a
     * batch run and back. Before the pool starts it is the setting it starts with; after
     * {@link #close()} it is only stored.
     *
     * @param fairness {@code STRICT}, {@code BOUNDED} or {@code BOUNDED(<n>ms)}
     */
    @Override
    public void setFairness(String fairness) {
        super.setFairness(fairness);
        JdbcPool running = pool;
        if (running != null && !closed) {
            running.applyFairness();
        }
    }

    /**
     * Same as {@link #setMaximumPoolSize}: the live resize HikariCP lacks (it only stops creating).
     *
     * @param maximumPoolSize the most connections the pool keeps from now on
     */
    public void resize(int maximumPoolSize) {
        setMaximumPoolSize(maximumPoolSize);
    }

    // ---------------------------------------------------------------- operator actions

    /**
     * Retires every connection: idle ones close at once, busy ones when they come back; new
     * borrowers get new connections.
     *
     * @throws IllegalStateException if the pool has not started
     */
    public void softEvictConnections() {
        running().softEvict();
    }

    /**
     * Holds new {@code getConnection()} calls (for at most their {@code connectionTimeout}) until
     * {@link #resumePool()}; connections already out are unaffected. Works whether or not
     * {@code allowPoolSuspension} was set (HikariCP needs it; Tidepool accepts it and needs nothing).
     *
     * @throws IllegalStateException if the pool has not started
     */
    public void suspendPool() {
        running().suspend();
    }

    /**
     * Lets held and new {@code getConnection()} calls go on.
     *
     * @throws IllegalStateException if the pool has not started
     */
    public void resumePool() {
        running().resume();
    }

    /**
     * Closes the pool: idle connections at once, busy ones when they come back; waiting and later
     * {@code getConnection()} calls throw. A second call does nothing.
     */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /**
     * Closes the pool gracefully: it stops lending at once (callers waiting for a connection, and
     * later ones, get an {@link SQLException} saying the pool is closed), closes idle connections,
     * and waits up to {@code drainTimeout} for the borrowed ones to come back, closing each as it
     * does; connections still out after that are closed under their borrowers. Returns when every
     * connection is closed or the timeout has passed. A second call does nothing.
     *
     * <pre>{@code
     * Runtime.getRuntime().addShutdownHook(new Thread(() -> dataSource.close(Duration.ofSeconds(10))));
     * }</pre>
     *
     * @param drainTimeout how long in-flight work may take to return its connections; zero closes
     *                     busy connections as they come back, without waiting
     * @return true if every connection came back (or none was out), false if some were closed
     *         under their borrowers
     * @throws IllegalArgumentException if {@code drainTimeout} is negative
     */
    public boolean close(Duration drainTimeout) {
        long drainNanos = drainTimeout.toNanos();
        if (drainNanos < 0) {
            throw new IllegalArgumentException("drainTimeout cannot be negative, was " + drainTimeout);
        }
        startLock.lock();
        try {
            if (closed) {
                return true;
            }
            closed = true;
        } finally {
            startLock.unlock();
        }
        JdbcPool running = pool;
        boolean drained = true;
        if (running != null) {
            drained = running.close(drainNanos);
        }
        for (AutoCloseable registration : registrations) {
            try {
                registration.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, () -> getPoolName() + " - unregistering failed", e);
            }
        }
        registrations.clear();
        return drained;
    }

    /** {@return whether {@link #close()} was called} */
    public boolean isClosed() {
        return closed;
    }

    /** {@return whether the pool has started, is not closed, and is not suspended (as HikariCP's {@code isRunning})} */
    public boolean isRunning() {
        JdbcPool running = pool;
        return running != null && !closed && !running.isSuspended();
    }

    /**
     * Retires a connection this data source lent: closed when its borrower returns it (at once if
     * it is back already), never lent again; as HikariCP's {@code evictConnection}. Does nothing
     * before the pool starts or after it closes.
     *
     * @param connection a connection from {@link #getConnection()}
     * @throws IllegalArgumentException if {@code connection} did not come from this data source
     */
    public void evictConnection(Connection connection) {
        JdbcPool running = pool;
        if (running != null && !closed) {
            running.evictConnection(connection);
        }
    }

    /**
     * The running pool's figures and operator actions (HikariCP's {@code getHikariPoolMXBean()}).
     *
     * @return the pool's view, or null before the pool starts
     */
    public TidepoolPoolMXBean getTidepoolPoolMXBean() {
        return pool == null ? null : new PoolView();
    }

    // ---------------------------------------------------------------- monitoring

    /** {@return connections borrowed right now (0 before the pool starts)} */
    public int getActiveConnections() {
        JdbcPool running = pool;
        return running == null ? 0 : running.activeConnections();
    }

    /** {@return connections idle in the pool right now} */
    public int getIdleConnections() {
        JdbcPool running = pool;
        return running == null ? 0 : running.connections().idle();
    }

    /**
     * {@return connections open right now, busy or idle: {@code active + idle}} Not the ones being
     * opened (nor, for a moment, one being validated), as in HikariCP: while the database is down
     * the pool holds slots for connects that wait their turn, and a dashboard should not show them
     * as connections.
     */
    public int getTotalConnections() {
        JdbcPool running = pool;
        return running == null ? 0 : running.totalConnections();
    }

    /** {@return callers waiting in {@code getConnection()} right now} */
    public int getThreadsAwaitingConnection() {
        JdbcPool running = pool;
        return running == null ? 0 : running.connections().waiting();
    }

    /**
     * Callers turned away at once because {@code maximumThreadsAwaitingConnection} were already
     * waiting (0 before the pool starts).
     *
     * @return the number of shed {@code getConnection()} calls so far
     */
    public long getShedConnectionRequests() {
        JdbcPool running = pool;
        return running == null ? 0 : running.shedRequests();
    }

    /** {@return the pool's counters: connections made and closed, borrows, timeouts, wait times} */
    public ResourcePool.Stats stats() {
        JdbcPool running = pool;
        return running == null ? new ResourcePool.Stats(0, 0, 0, 0, 0, 0) : running.connections().stats();
    }

    /**
     * Registers a listener for exhaustion, timeouts and close (kept until the pool starts).
     *
     * @param listener the listener to call
     */
    public void addListener(PoolListener listener) {
        JdbcPool running = pool;
        if (running == null) {
            pendingListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
        } else {
            running.connections().addListener(listener);
        }
    }

    /**
     * Removes a listener; true if it was registered.
     *
     * @param listener the listener to remove
     * @return whether it was registered
     */
    public boolean removeListener(PoolListener listener) {
        boolean pending = pendingListeners.remove(listener);
        JdbcPool running = pool;
        return (running != null && running.connections().removeListener(listener)) || pending;
    }

    // ---------------------------------------------------------------- the rest of DataSource

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        DataSource target = target();
        return target == null ? null : target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        DataSource target = target();
        if (target != null) {
            target.setLogWriter(out);
        }
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        DataSource target = target();
        if (target != null) {
            target.setLoginTimeout(seconds);
        }
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        DataSource target = target();
        return target == null ? 0 : target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("Tidepool logs through System.Logger");
    }

    /** This data source, or the wrapped one (through {@code dataSource}/{@code dataSourceClassName}). */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        DataSource target = target();
        if (target != null) {
            if (iface.isInstance(target)) {
                return iface.cast(target);
            }
            return target.unwrap(iface);
        }
        throw new SQLException(getClass().getName() + " does not wrap a " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return true;
        }
        DataSource target = target();
        return target != null && (iface.isInstance(target) || target.isWrapperFor(iface));
    }

    private DataSource target() {
        JdbcPool running = pool;
        return running != null ? running.factory().dataSource() : getDataSource();
    }

    /**
     * The pool's name and live figures, e.g. {@code TidepoolDataSource (orders: total=10,
     * active=3, idle=7, waiting=0)}, with {@code suspended} or {@code closed} when it is; never a
     * URL or a password.
     */
    @Override
    public String toString() {
        JdbcPool running = pool;
        if (running == null) {
            return "TidepoolDataSource (" + getPoolName() + (closed ? ": closed)" : ": not started)");
        }
        ResourcePool<Connection> connections = running.connections();
        return "TidepoolDataSource (" + getPoolName() + ": total=" + running.totalConnections() + ", active="
                + running.activeConnections() + ", idle=" + connections.idle() + ", waiting=" + connections.waiting()
                + (closed ? ", closed" : running.isSuspended() ? ", suspended" : "") + ")";
    }

    /** What {@link #getTidepoolPoolMXBean()} hands out: this data source's own figures and actions. */
    private final class PoolView implements TidepoolPoolMXBean {
        @Override public int getIdleConnections() {
            return TidepoolDataSource.this.getIdleConnections();
        }

        @Override public int getActiveConnections() {
            return TidepoolDataSource.this.getActiveConnections();
        }

        @Override public int getTotalConnections() {
            return TidepoolDataSource.this.getTotalConnections();
        }

        @Override public int getThreadsAwaitingConnection() {
            return TidepoolDataSource.this.getThreadsAwaitingConnection();
        }

        @Override public void softEvictConnections() {
            TidepoolDataSource.this.softEvictConnections();
        }

        @Override public void suspendPool() {
            TidepoolDataSource.this.suspendPool();
        }

        @Override public void resumePool() {
            TidepoolDataSource.this.resumePool();
        }
    }
}
