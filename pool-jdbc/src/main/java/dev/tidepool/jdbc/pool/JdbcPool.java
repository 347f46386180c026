package dev.tidepool.jdbc.pool;

import dev.tidepool.core.Fairness;
import dev.tidepool.core.ItemInfo;
import dev.tidepool.jdbc.MetricsTracker;
import dev.tidepool.jdbc.MetricsTrackerFactory;
import dev.tidepool.jdbc.PoolInitializationException;
import dev.tidepool.jdbc.PoolStats;
import dev.tidepool.jdbc.SQLExceptionOverride;
import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.config.Secrets;
import dev.tidepool.jdbc.proxy.ConnectionDefaults;
import dev.tidepool.jdbc.proxy.ConnectionReturn;
import dev.tidepool.jdbc.proxy.ProxyConnection;
import dev.tidepool.jdbc.proxy.SqlStates;
import dev.tidepool.core.ResourcePool;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The running pool behind a {@link TidepoolDataSource}: a {@link ResourcePool} of physical
 * connections plus what JDBC needs around it. It reads its settings from the data source at the
 * moment it needs them, so an operator's change (JMX, setters) applies to the next borrow or the
 * next housekeeping round.
 *
 * <ul>
 *   <li>Borrowing: the core pool serves waiters first come, first served (under the
 *       {@code fairness} setting's bound, if one is set; {@code getConnection()}'s {@code poll()}
 *       fast path follows the same rule); connecting runs on a
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
    /** The background fill retries a refused connect after 10 ms, doubling up to this. */
    private static final long MAX_FILL_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final TidepoolConfig settings;
    private final String poolName;
    private final ConnectionFactory factory;
    private final ResourcePool<Connection> connections;
    /** Starts the threads that connect, close, validate and fill: virtual unless threadFactory is set. */
    private final ThreadFactory workers;
    /** Keeps the pool's time: the shared timer, or the configured scheduledExecutor. */
    private final ScheduledExecutorService timer;
    /** Decides which SQLExceptions evict; null for the SQLState rules alone. */
    private final SQLExceptionOverride exceptionOverride;
    /** Receives the pool's events; null when nobody records them, so no clock is read for it. */
    private final MetricsTracker tracker;

    /** The state every borrower starts from: read from the first connection made. */
    private volatile ConnectionDefaults defaults;
    /** The driver's last connect failure, until a connect succeeds: the cause of a timeout. */
    private final AtomicReference<SQLException> lastFailure = new AtomicReference<>();
    /** Non-null while suspended: borrowers wait on it until resumePool(). */
    private final AtomicReference<CountDownLatch> suspension = new AtomicReference<>();
    /**
     * When connecting started to fail (System.nanoTime(), never 0), or 0 while connects succeed:
     * the outage and the recovery are each logged once, not per attempt.
     */
    private final AtomicLong failingSince = new AtomicLong();
    private final AtomicBoolean housekeepingRunning = new AtomicBoolean();
    /** A round was asked for while one ran (a setting changed meanwhile): run another at once. */
    private final AtomicBoolean housekeepAgain = new AtomicBoolean();
    /** A fill was asked for since the filler last looked; the one filler thread runs while set. */
    private final AtomicBoolean fillRequested = new AtomicBoolean();
    private final AtomicBoolean fillRunning = new AtomicBoolean();
    /** Opened by close(): ends the filler's backoff at once. */
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile ScheduledFuture<?> nextHousekeeping;
    private volatile boolean closed;

    /**
     * @param settings the data source's configuration, validated; read live from then on
     * @param driver         the driver {@code driverClassName} names, or null
     * @param trackerFactory makes the metrics tracker, or null for none
     */
    public JdbcPool(TidepoolConfig settings, Driver driver, MetricsTrackerFactory trackerFactory) {
        this.settings = settings;
        this.poolName = settings.getPoolName();
        this.factory = new ConnectionFactory(settings, driver);
        this.workers = settings.getThreadFactory() != null ? settings.getThreadFactory()
                : Thread.ofVirtual().name(poolName + "-worker").factory();
        this.timer = settings.getScheduledExecutor() != null ? settings.getScheduledExecutor() : Housekeeping.shared();
        this.exceptionOverride = settings.getExceptionOverride();
        this.connections = ResourcePool.<Connection>builder(this::connect)
                .maxSize(settings.getMaximumPoolSize())
                .order(settings.getOrder())
                .fairness(Fairness.parse(settings.getFairness()))
                .validate(this::isAlive)
                .validateAfterIdle(Duration.ofMillis(ALIVE_BYPASS_MS))
                .dispose(this::closeConnection)
                .createAsync(task -> workers.newThread(task).start())
                .name(poolName)
                .build();
        this.tracker = trackerFactory == null ? null : trackerFactory.create(poolName, new Figures());
    }

    /** The live figures a metrics tracker publishes. */
    private final class Figures implements PoolStats {
        @Override public int getTotalConnections() {
            return connections.size();
        }

        @Override public int getIdleConnections() {
            return connections.idle();
        }

        @Override public int getActiveConnections() {
            return connections.inUse();
        }

        @Override public int getPendingThreads() {
            return connections.waiting();
        }

        @Override public int getMaxConnections() {
            return connections.maxSize();
        }

        @Override public int getMinConnections() {
            return settings.getMinimumIdle();
        }
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
            ConnectionFailure failure = connectFirst(initTimeoutMs);
            // A connection that opens but cannot be set up (a failing connectionTestQuery or
            // connectionInitSql) is a configuration error: it fails the start even with a timeout
            // of 0, as in HikariCP. A database that is merely down fails it only above 0.
            if (failure != null && (initTimeoutMs > 0 || failure.isSetup())) {
                close();
                throw new PoolInitializationException(poolName + " - failed to make a first connection: "
                        + mask(failure.getMessage()), failure.getCause());
            }
            if (failure != null) {
                LOG.log(Level.WARNING, () -> poolName + " - starting without a connection: " + mask(failure.getMessage()));
            } else if (settings.getMinimumIdle() == 0) {
                // The first connection only proved the database answers; minimumIdle 0 keeps none idle.
                connections.evictIdle(1, info -> true);
            }
        }
        requestFill();
        scheduleHousekeeping(housekeepingPeriodNanos());
        LOG.log(Level.INFO, () -> poolName + " - started");
    }

    private ConnectionFailure connectFirst(long initTimeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(initTimeoutMs);
        for (;;) {
            try {
                connections.addIdle();
                return null;
            } catch (ConnectionFailure e) {
                long left = deadline - System.nanoTime();
                if (initTimeoutMs == 0 || left <= 0 || e.isSetup()) {
                    return e;
                }
                try {
                    TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return e;
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
        MetricsTracker recording = tracker;
        long start = recording == null ? 0L : System.nanoTime();
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
                return lend(physical, start);
            }
        }
        return getConnectionWaiting(recording == null ? System.nanoTime() : start);
    }

    private Connection getConnectionWaiting(long start) throws SQLException {
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
                return lend(physical, start);
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
            }
        }
    }

    private void fillIfBelowMinimum() {
        // Cheapest test first: counting idle connections reads every idle stripe.
        int minimumIdle = settings.getMinimumIdle();
        if (minimumIdle > 0 && connections.size() < connections.maxSize() && connections.idle() < minimumIdle) {
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

    /** The borrower's proxy; {@code start} is when getConnection() began, read only if a tracker records it. */
    private Connection lend(Connection physical, long start) {
        MetricsTracker recording = tracker;
        long lentNanos = 0L;
        if (recording != null) {
            lentNanos = System.nanoTime();
            recording.recordConnectionAcquiredNanos(lentNanos - start);
        }
        long leakThresholdMs = settings.getLeakDetectionThreshold();
        if (leakThresholdMs > 0) {
            return new ProxyConnection(physical, defaults, new LeakWatch(this, physical, leakThresholdMs), lentNanos);
        }
        return new ProxyConnection(physical, defaults, this, lentNanos);
    }

    @Override
    public void returnConnection(Connection physical, boolean evict, long lentNanos) {
        MetricsTracker recording = tracker;
        if (recording != null && lentNanos != 0L) {
            recording.recordConnectionUsageMillis(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lentNanos));
        }
        returnConnection(physical, evict);
    }

    /**
     * The exception override's answer for each exception of the chain, in order, until one
     * decides; where it says "as usual", the SQLState rules. An override that throws counts as
     * "as usual".
     */
    @Override
    public boolean evicts(SQLException e) {
        SQLExceptionOverride override = exceptionOverride;
        if (override == null) {
            return SqlStates.isFatal(e);
        }
        int depth = 0;
        for (SQLException next = e; next != null && depth < 32; next = next.getNextException(), depth++) {
            SQLExceptionOverride.Override decision;
            try {
                decision = override.adjudicate(next);
            } catch (RuntimeException failure) {
                LOG.log(Level.DEBUG, () -> poolName + " - exceptionOverride failed; deciding as usual", failure);
                decision = SQLExceptionOverride.Override.CONTINUE_EVICT;
            }
            if (decision == SQLExceptionOverride.Override.MUST_EVICT) {
                return true;
            }
            if (decision == SQLExceptionOverride.Override.DO_NOT_EVICT) {
                return false;
            }
            if (SqlStates.isFatalOne(next)) {
                return !(e instanceof SQLTimeoutException);
            }
        }
        return false;
    }

    /**
     * Retires a connection a borrower holds (or held): closed when it comes back, or at once if
     * it is idle already (HikariCP's {@code evictConnection}).
     *
     * @throws IllegalArgumentException if {@code connection} was not lent by this pool
     */
    public void evictConnection(Connection connection) {
        if (!(connection instanceof ProxyConnection proxy) || !proxy.isLentBy(this)) {
            throw new IllegalArgumentException(poolName + " - evictConnection: " + (connection == null ? "null"
                    : "a " + connection.getClass().getName()) + " is not a connection this pool lent");
        }
        if (!proxy.markForEviction()) {
            connections.evict(proxy.physical()); // back already: idle, or lent to someone else since
        }
    }

    /** Runs {@code task} on the pool's timer after {@code nanos}; it must not block. */
    ScheduledFuture<?> schedule(long nanos, Runnable task) {
        return timer.schedule(task, nanos, TimeUnit.NANOSECONDS);
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
        MetricsTracker recording = tracker;
        if (recording != null) {
            recording.recordConnectionTimeout();
        }
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

    /**
     * The core pool's create callback: opens a connection, sets it up, and checks it once before
     * anyone uses it (the connectionTestQuery on every new connection; {@code isValid} on the
     * pool's first, so a driver that cannot answer it is found at start). Every failure, checked
     * or not, leaves as a {@link ConnectionFailure} carrying an {@link SQLException}.
     */
    private Connection connect() {
        MetricsTracker recording = tracker;
        long started = recording == null ? 0L : System.nanoTime();
        Connection connection;
        try {
            connection = factory.open();
        } catch (SQLException e) {
            throw failed(e, false);
        } catch (RuntimeException e) { // a driver that throws unchecked: still an SQLException to the caller
            throw failed(new SQLException(poolName + " - the driver failed to connect: " + mask(String.valueOf(e)),
                    "08001", e), false);
        }
        try {
            factory.setUp(connection);
            if (settings.getConnectionTestQuery() != null || defaults == null) {
                check(connection);
            }
            if (defaults == null) {
                defaults = ConnectionDefaults.readFrom(connection);
            }
        } catch (SQLException | RuntimeException e) {
            ConnectionFactory.closeQuietly(connection);
            SQLException cause = e instanceof SQLException sql ? sql
                    : new SQLException(poolName + " - setting up a new connection failed: " + mask(String.valueOf(e)),
                            "08001", e);
            throw failed(cause, true);
        }
        if (recording != null) {
            recording.recordConnectionCreatedMillis(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
        lastFailure.set(null);
        long since = failingSince.getAndSet(0L);
        if (since != 0L) {
            LOG.log(Level.INFO, () -> poolName + " - connected again after "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since) + " ms of failed attempts");
        }
        return connection;
    }

    /** Records a failed connect; the first of a run of failures is logged, the rest only at DEBUG. */
    private ConnectionFailure failed(SQLException e, boolean setup) {
        lastFailure.set(e);
        long now = System.nanoTime() | 1L; // never 0, which means "not failing"
        if (failingSince.compareAndSet(0L, now)) {
            LOG.log(Level.WARNING, () -> poolName + " - cannot " + (setup ? "set up a new connection" : "connect")
                    + " (SQLState " + e.getSQLState() + "): " + mask(e.getMessage())
                    + "; retrying, and logging again once a connect succeeds");
        } else {
            LOG.log(Level.DEBUG, () -> poolName + " - cannot connect: " + mask(e.getMessage()));
        }
        return new ConnectionFailure(e, setup);
    }

    /** The pool's validate callback: false, never an exception, for a connection that fails its check. */
    private boolean isAlive(Connection connection) {
        try {
            check(connection);
            return true;
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.DEBUG, () -> poolName + " - connection failed validation: " + mask(e.getMessage()));
            return false;
        }
    }

    /**
     * Runs the connectionTestQuery, or {@code isValid} if there is none, within validationTimeout.
     * The test query runs in a transaction of its own when auto-commit is off and
     * isolateInternalQueries is on, which rolls it back; otherwise it stays in the borrower's.
     *
     * @throws SQLException if the connection fails the check (isValid false included)
     */
    private void check(Connection connection) throws SQLException {
        long timeoutMs = settings.getValidationTimeout();
        int seconds = (int) Math.max(1L, TimeUnit.MILLISECONDS.toSeconds(timeoutMs + 999));
        String testQuery = settings.getConnectionTestQuery();
        if (testQuery == null) {
            if (!connection.isValid(seconds)) {
                throw new SQLException(poolName + " - Connection.isValid(" + seconds + ") returned false", "08003");
            }
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(seconds);
            statement.execute(testQuery);
        }
        if (settings.isIsolateInternalQueries() && !connection.getAutoCommit()) {
            connection.rollback();
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

    /** Applies the data source's {@code fairness} to the running pool, live. */
    public void applyFairness() {
        connections.setFairness(Fairness.parse(settings.getFairness()));
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
        closing.countDown();
        ScheduledFuture<?> next = nextHousekeeping;
        if (next != null) {
            next.cancel(false);
        }
        resume(); // suspended borrowers wake and find the pool closed
        connections.close();
        MetricsTracker recording = tracker;
        if (recording != null) {
            try {
                recording.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, () -> poolName + " - closing the metrics tracker failed", e);
            }
        }
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
        try {
            nextHousekeeping = schedule(delayNanos, () -> workers.newThread(this::housekeep).start());
        } catch (RejectedExecutionException e) {
            LOG.log(Level.WARNING, () -> poolName + " - the scheduledExecutor refused housekeeping (shut down?):"
                    + " maxLifetime, idleTimeout, keepalive and minimumIdle are no longer kept");
            return;
        }
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
        if (closed) {
            return;
        }
        if (!housekeepingRunning.compareAndSet(false, true)) {
            // A round is running and may have read the settings before they changed: it runs again.
            housekeepAgain.set(true);
            return;
        }
        long period = housekeepingPeriodNanos();
        try {
            retireOld(period);
            retireIdle();
            keepAlive();
            requestFill();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> poolName + " - housekeeping failed", e);
        } finally {
            housekeepingRunning.set(false);
            scheduleHousekeeping(housekeepAgain.getAndSet(false) ? 0L : period);
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

    /**
     * Asks for a fill up to minimumIdle. One filler thread at a time: a request while it runs
     * makes it look again before it stops, so no request is lost and outages never pile up
     * fillers.
     */
    public void requestFill() {
        if (closed) {
            return;
        }
        fillRequested.set(true);
        if (fillRunning.compareAndSet(false, true)) {
            workers.newThread(this::fillWhileRequested).start();
        }
    }

    private void fillWhileRequested() {
        do {
            while (fillRequested.getAndSet(false)) {
                fill();
            }
            fillRunning.set(false);
            // A request that came after the loop's last look but before the flag dropped: take it.
        } while (fillRequested.get() && fillRunning.compareAndSet(false, true));
    }

    /**
     * minimumIdle: connect until that many are idle or the pool is full. A refused connect is
     * retried after a backoff (10 ms doubling to 1 s), so idle connections come back within about
     * a second of the database doing so; close() ends the wait at once.
     */
    private void fill() {
        long backoff = FIRST_RETRY_NANOS;
        while (!closed && connections.idle() < settings.getMinimumIdle()
                && connections.size() < connections.maxSize()) {
            try {
                if (!connections.addIdle()) {
                    return;
                }
                backoff = FIRST_RETRY_NANOS;
            } catch (ConnectionFailure e) {
                if (!backOff(backoff)) {
                    return;
                }
                backoff = Math.min(backoff * 2, MAX_FILL_BACKOFF_NANOS);
            } catch (IllegalStateException e) {
                return; // closed meanwhile
            }
        }
    }

    /** Waits {@code nanos} unless the pool closes first; false if it closed (or this thread was interrupted). */
    private boolean backOff(long nanos) {
        try {
            return !closing.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    String mask(String text) {
        return Secrets.mask(text, settings.getPassword());
    }

    public String poolName() {
        return poolName;
    }
}
