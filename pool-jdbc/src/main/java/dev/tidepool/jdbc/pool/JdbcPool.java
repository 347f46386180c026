package dev.tidepool.jdbc.pool;

import dev.tidepool.core.ItemInfo;
import dev.tidepool.jdbc.PoolInitializationException;
import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.config.Secrets;
import dev.tidepool.jdbc.proxy.ConnectionDefaults;
import dev.tidepool.jdbc.proxy.ConnectionReturn;
import dev.tidepool.jdbc.proxy.ProxyConnection;
import dev.tidepool.core.ResourcePool;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The running pool behind a {@link TidepoolDataSource}: a {@link ResourcePool} of physical
 * connections plus what JDBC needs around it. It reads its settings from the data source at the
 * moment it needs them, so an operator's change (JMX, setters) applies to the next borrow or the
 * next housekeeping round.
 *
 * <ul>
 *   <li>Borrowing: the core pool serves waiters first come, first served; connecting runs on a
 *       virtual thread ({@code createAsync}) so {@code connectionTimeout} holds however long the
 *       database takes to answer, and a connection finished after its caller gave up serves the
 *       next one. A connection idle for more than {@value #ALIVE_BYPASS_MS} ms is checked with
 *       {@code isValid} (or {@code connectionTestQuery}) before it is handed out.
 *   <li>Returning: the {@link ProxyConnection} resets what its borrower changed and calls
 *       {@link #returnConnection}; a connection that saw a fatal SQLState is discarded.
 *   <li>Housekeeping (one shared timer, work on virtual threads): maxLifetime with jitter (busy
 *       connections retire when they come back), idleTimeout down to minimumIdle, keepalive, and
 *       filling up to minimumIdle idle connections.
 * </ul>
 */
public final class JdbcPool implements ConnectionReturn {
    /** Every part of a data source logs under its name, so one logger setting covers the pool. */
    public static final String LOGGER_NAME = "dev.tidepool.jdbc.TidepoolDataSource";
    private static final System.Logger LOG = System.getLogger(LOGGER_NAME);
    /** Connections used this recently are handed out without a validity check, as HikariCP does. */
    public static final long ALIVE_BYPASS_MS = 500;
    private static final long MAX_HOUSEKEEPING_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long MIN_HOUSEKEEPING_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long FIRST_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final TidepoolConfig settings;
    private final String poolName;
    private final ConnectionFactory factory;
    private final ResourcePool<Connection> connections;
    private final ThreadFactory workers;

    /** The state every borrower starts from: read from the first connection made. */
    private volatile ConnectionDefaults defaults;
    /** The driver's last connect failure, until a connect succeeds: the cause of a timeout. */
    private final AtomicReference<SQLException> lastFailure = new AtomicReference<>();
    /** Non-null while suspended: borrowers wait on it until resumePool(). */
    private final AtomicReference<CountDownLatch> suspension = new AtomicReference<>();
    private final AtomicBoolean housekeepingRunning = new AtomicBoolean();
    private final AtomicBoolean fillRequested = new AtomicBoolean();
    private volatile ScheduledFuture<?> nextHousekeeping;
    private volatile boolean closed;

    /**
     * @param settings the data source's configuration, validated; read live from then on
     * @param driver   the driver {@code driverClassName} names, or null
     */
    public JdbcPool(TidepoolConfig settings, Driver driver) {
        this.settings = settings;
        this.poolName = settings.getPoolName();
        this.factory = new ConnectionFactory(settings, driver);
        this.workers = Thread.ofVirtual().name(poolName + "-worker").factory();
        this.connections = ResourcePool.<Connection>builder(this::connect)
                .maxSize(settings.getMaximumPoolSize())
                .order(settings.getOrder())
                .validate(this::isAlive)
                .validateAfterIdle(Duration.ofMillis(ALIVE_BYPASS_MS))
                .dispose(this::closeConnection)
                .createAsync(task -> workers.newThread(task).start())
                .name(poolName)
                .build();
    }

    public ResourcePool<Connection> connections() {
        return connections;
    }

    public ConnectionFactory factory() {
        return factory;
    }

    // ---------------------------------------------------------------- starting

    /**
     * Makes the first connection as {@code initializationFailTimeout} says (HikariCP's rule: below
     * zero, don't try; zero, try once and start anyway; above zero, keep trying that long, then
     * fail), then starts the background fill and housekeeping.
     *
     * @throws PoolInitializationException if the first connection could not be made in time
     */
    public void start() {
        long initTimeoutMs = settings.getInitializationFailTimeout();
        if (initTimeoutMs >= 0) {
            SQLException failure = connectFirst(initTimeoutMs);
            if (failure != null && initTimeoutMs > 0) {
                close();
                throw new PoolInitializationException(poolName + " - failed to make a first connection: "
                        + mask(failure.getMessage()), failure);
            }
            if (failure != null) {
                LOG.log(Level.WARNING, () -> poolName + " - starting without a connection: " + mask(failure.getMessage()));
            }
        }
        requestFill();
        scheduleHousekeeping(housekeepingPeriodNanos());
        LOG.log(Level.INFO, () -> poolName + " - started");
    }

    private SQLException connectFirst(long initTimeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(initTimeoutMs);
        for (;;) {
            try {
                connections.addIdle();
                return null;
            } catch (ConnectionFailure e) {
                long left = deadline - System.nanoTime();
                if (initTimeoutMs == 0 || left <= 0) {
                    return e.getCause();
                }
                try {
                    TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return e.getCause();
                }
            }
        }
    }

    // ---------------------------------------------------------------- borrowing

    /**
     * A connection within {@code connectionTimeout}, or an exception saying why not.
     *
     * @throws SQLTransientConnectionException on timeout: the message gives total, active, idle
     *                                         and waiting; the cause is the last connect failure
     * @throws SQLException                    if the pool is closed, or the caller is interrupted
     */
    public Connection getConnection() throws SQLException {
        // The fast path: an idle connection now, with no clock read (on a VM a clock read can cost
        // more than the rest of the borrow). The clock starts only for a caller that has to wait.
        if (suspension.get() == null) {
            Connection physical;
            try {
                physical = connections.poll();
            } catch (IllegalStateException e) {
                if (connections.isClosed()) {
                    throw closedException();
                }
                throw e;
            }
            if (physical != null) {
                fillIfBelowMinimum();
                return lend(physical);
            }
        }
        return getConnectionWaiting();
    }

    private Connection getConnectionWaiting() throws SQLException {
        long start = System.nanoTime();
        long timeout = TimeUnit.MILLISECONDS.toNanos(settings.getConnectionTimeout());
        long deadline = start + timeout;
        long retry = FIRST_RETRY_NANOS;
        long left = awaitResumed(start, deadline) ? deadline - System.nanoTime() : timeout;
        for (;;) {
            if (left <= 0) {
                throw timedOut(start); // after a failed connect: don't start one nobody can wait for
            }
            try {
                Connection physical = connections.get(left, TimeUnit.NANOSECONDS);
                fillIfBelowMinimum();
                return lend(physical);
            } catch (TimeoutException e) {
                throw timedOut(start);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException(poolName + " - interrupted while waiting for a connection", "08001", e);
            } catch (ConnectionFailure e) {
                // The database refused this attempt; HikariCP's rule is to keep trying until the
                // timeout, so a database restarting under load costs latency, not errors.
                pause(Math.min(Math.max(0L, deadline - System.nanoTime()), retry));
                retry = Math.min(retry * 2, MAX_RETRY_NANOS);
                left = deadline - System.nanoTime();
            } catch (IllegalStateException e) {
                if (connections.isClosed()) {
                    throw closedException();
                }
                throw e;
            } catch (RuntimeException e) { // a driver that throws unchecked from connect()
                throw new SQLException(poolName + " - connecting failed: " + mask(String.valueOf(e)), "08001", e);
            }
        }
    }

    private void fillIfBelowMinimum() {
        if (connections.size() < connections.maxSize() && connections.idle() < settings.getMinimumIdle()) {
            requestFill(); // below minimumIdle with room to grow: connect ahead of the next borrower
        }
    }

    private void pause(long nanos) throws SQLException {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException(poolName + " - interrupted while waiting for a connection", "08001", e);
        }
    }

    private Connection lend(Connection physical) {
        long leakThresholdMs = settings.getLeakDetectionThreshold();
        if (leakThresholdMs > 0) {
            return new ProxyConnection(physical, defaults, new LeakWatch(this, physical, leakThresholdMs));
        }
        return new ProxyConnection(physical, defaults, this);
    }

    @Override
    public void returnConnection(Connection physical, boolean evict) {
        if (evict) {
            LOG.log(Level.DEBUG, () -> poolName + " - evicting a broken connection");
            connections.discard(physical);
        } else {
            connections.put(physical);
        }
    }

    private SQLException timedOut(long start) {
        SQLException cause = lastFailure.get();
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return new SQLTransientConnectionException(poolName + " - Connection is not available, request timed out after "
                + waitedMs + "ms (total=" + connections.size() + ", active=" + connections.inUse() + ", idle="
                + connections.idle() + ", waiting=" + connections.waiting() + ")",
                cause != null ? cause.getSQLState() : null, cause);
    }

    public SQLException closedException() {
        return new SQLException("TidepoolDataSource " + poolName + " has been closed", "08003");
    }

    // ---------------------------------------------------------------- the core pool's callbacks

    private Connection connect() {
        try {
            Connection connection = factory.connect();
            if (defaults == null) {
                defaults = ConnectionDefaults.readFrom(connection);
            }
            lastFailure.set(null);
            return connection;
        } catch (SQLException e) {
            lastFailure.set(e);
            LOG.log(Level.DEBUG, () -> poolName + " - cannot connect: " + mask(e.getMessage()));
            throw new ConnectionFailure(e);
        }
    }

    private boolean isAlive(Connection connection) {
        long timeoutMs = settings.getValidationTimeout();
        int seconds = (int) Math.max(1L, TimeUnit.MILLISECONDS.toSeconds(timeoutMs + 999));
        String testQuery = settings.getConnectionTestQuery();
        try {
            if (testQuery == null) {
                return connection.isValid(seconds);
            }
            try (Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(seconds);
                statement.execute(testQuery);
            }
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.DEBUG, () -> poolName + " - connection failed validation: " + mask(e.getMessage()));
            return false;
        }
    }

    /** Closes on a virtual thread: a dead network can hold {@code close()} for minutes. */
    private void closeConnection(Connection connection) {
        workers.newThread(() -> ConnectionFactory.closeQuietly(connection)).start();
        requestFill();
    }

    // ---------------------------------------------------------------- operator actions

    public void resize(int maximumPoolSize) {
        connections.resize(maximumPoolSize);
        requestFill();
    }

    public void softEvict() {
        connections.evictAll();
        requestFill();
    }

    public void suspend() {
        suspension.compareAndSet(null, new CountDownLatch(1));
    }

    public void resume() {
        CountDownLatch gate = suspension.getAndSet(null);
        if (gate != null) {
            gate.countDown();
        }
    }

    public boolean isSuspended() {
        return suspension.get() != null;
    }

    /** Holds the caller while the pool is suspended; true if it had to wait. */
    private boolean awaitResumed(long start, long deadline) throws SQLException {
        CountDownLatch gate = suspension.get();
        if (gate == null) {
            return false;
        }
        try {
            if (!gate.await(Math.max(0L, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw timedOut(start);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException(poolName + " - interrupted while the pool was suspended", "08001", e);
        }
        if (closed) {
            throw closedException();
        }
        return true;
    }

    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ScheduledFuture<?> next = nextHousekeeping;
        if (next != null) {
            next.cancel(false);
        }
        resume(); // suspended borrowers wake and find the pool closed
        connections.close();
        LOG.log(Level.INFO, () -> poolName + " - closed");
    }

    public boolean isClosed() {
        return closed;
    }

    // ---------------------------------------------------------------- housekeeping

    /** Runs a housekeeping round now (after a setting changed), then on the usual period. */
    public void housekeepSoon() {
        scheduleHousekeeping(0L);
    }

    private void scheduleHousekeeping(long delayNanos) {
        if (closed) {
            return;
        }
        ScheduledFuture<?> previous = nextHousekeeping;
        nextHousekeeping = Housekeeping.after(delayNanos, () -> workers.newThread(this::housekeep).start());
        if (previous != null && delayNanos == 0L) {
            previous.cancel(false);
        }
    }

    /**
     * Often enough that maxLifetime, idleTimeout and keepalive act close to their time (each is
     * at least four rounds long), never more than every 30 s as HikariCP.
     */
    long housekeepingPeriodNanos() {
        long period = MAX_HOUSEKEEPING_PERIOD_NANOS;
        for (long ms : new long[] {settings.getMaxLifetime(), settings.getIdleTimeout(), settings.getKeepaliveTime()}) {
            if (ms > 0) {
                period = Math.min(period, TimeUnit.MILLISECONDS.toNanos(ms) / 4);
            }
        }
        return Math.max(period, MIN_HOUSEKEEPING_PERIOD_NANOS);
    }

    private void housekeep() {
        if (closed || !housekeepingRunning.compareAndSet(false, true)) {
            return;
        }
        long period = housekeepingPeriodNanos();
        try {
            retireOld(period);
            retireIdle();
            keepAlive();
            fill();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> poolName + " - housekeeping failed", e);
        } finally {
            housekeepingRunning.set(false);
            scheduleHousekeeping(period);
        }
    }

    /**
     * maxLifetime: each connection retires a little early (up to 2.5% of the lifetime, fixed per
     * connection, so they don't all reconnect in the same instant), and a round early, so none
     * outlives the limit a database or firewall imposes.
     */
    private void retireOld(long periodNanos) {
        long lifetime = TimeUnit.MILLISECONDS.toNanos(settings.getMaxLifetime());
        if (lifetime <= 0) {
            return;
        }
        long now = System.nanoTime();
        long floor = lifetime / 2;
        connections.evictIf(info -> now - info.createdNanos() > Math.max(floor, lifetime - jitter(info, lifetime / 40) - periodNanos));
    }

    /** idleTimeout: idle connections beyond minimumIdle, idle longest first. */
    private void retireIdle() {
        long idleTimeout = TimeUnit.MILLISECONDS.toNanos(settings.getIdleTimeout());
        int minIdle = settings.getMinimumIdle();
        if (idleTimeout <= 0 || minIdle >= settings.getMaximumPoolSize()) {
            return;
        }
        long now = System.nanoTime();
        connections.evictIdle(connections.idle() - minIdle, info -> now - info.returnedNanos() > idleTimeout);
    }

    /** keepalive: check idle connections not checked (or used) for keepaliveTime, less jitter. */
    private void keepAlive() {
        long keepalive = TimeUnit.MILLISECONDS.toNanos(settings.getKeepaliveTime());
        if (keepalive <= 0) {
            return;
        }
        long now = System.nanoTime();
        connections.revalidateIdle(info -> now - Math.max(info.validatedNanos(), info.returnedNanos())
                > keepalive - jitter(info, keepalive / 10));
    }

    private static long jitter(ItemInfo<?> info, long range) {
        if (range <= 0) {
            return 0L;
        }
        long mixed = System.identityHashCode(info.item()) * 0x9E3779B97F4A7C15L;
        return Math.floorMod(mixed ^ (mixed >>> 31), range);
    }

    /** Asks for a fill on a virtual thread; requests while one is pending merge into it. */
    public void requestFill() {
        if (!closed && fillRequested.compareAndSet(false, true)) {
            workers.newThread(() -> {
                fillRequested.set(false);
                fill();
            }).start();
        }
    }

    /** minimumIdle: connect until that many are idle or the pool is full; stop at the first failure. */
    private void fill() {
        while (!closed && connections.idle() < settings.getMinimumIdle()
                && connections.size() < connections.maxSize()) {
            try {
                if (!connections.addIdle()) {
                    return;
                }
            } catch (ConnectionFailure e) {
                return; // logged by connect(); the next round or borrower tries again
            } catch (IllegalStateException e) {
                return; // closed meanwhile
            }
        }
    }

    String mask(String text) {
        return Secrets.mask(text, settings.getPassword());
    }

    public String poolName() {
        return poolName;
    }
}
