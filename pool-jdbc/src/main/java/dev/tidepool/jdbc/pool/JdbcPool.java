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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
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
    /** The longest pause between two connect attempts while they fail, pool-wide. */
    private static final Duration CONNECT_BACKOFF = Duration.ofMillis(250);
    /** The background fill retries a refused connect after 10 ms, doubling up to this. */
    private static final long MAX_FILL_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The idle connections are swept at most this often, however many connections fail meanwhile. */
    private static final long SWEEP_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

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
    /**
     * Receives the pool's events; null when nobody records them, so no clock is read for it. Set
     * at most once: at construction, or later by {@link #track} (HikariCP's late binding).
     */
    private volatile MetricsTracker tracker;

    /** The state every borrower starts from: read from the first connection made. */
    private volatile ConnectionDefaults defaults;
    /** The driver's last connect failure, until a connect succeeds: the cause of a timeout. */
    private final AtomicReference<SQLException> lastFailure = new AtomicReference<>();
    /** Non-null while suspended: borrowers wait on it until resumePool(). */
    private final AtomicReference<CountDownLatch> suspension = new AtomicReference<>();
    /** Callers on the slow path of getConnection() right now, if maximumThreadsAwaitingConnection bounds them. */
    private final AtomicInteger waitingAdmitted = new AtomicInteger();
    private final LongAdder shedRequests = new LongAdder();
    /** A sweep of the idle connections runs (after one connection showed the server may be gone). */
    private final AtomicBoolean sweeping = new AtomicBoolean();
    /** System.nanoTime() when the last sweep started: sweeps start at most once per {@link #SWEEP_INTERVAL_NANOS}. */
    private volatile long lastSweepNanos;
    /**
     * Whether connects fail, and since when: the outage and the recovery are each logged once, not
     * per attempt. Only an attempt that began after the last change may change it again, so the
     * attempts racing with a change (begun before the database went away, or before it came
     * back) never log an outage or a recovery of their own.
     */
    private final AtomicReference<ConnectState> connectState =
            new AtomicReference<>(new ConnectState(false, System.nanoTime()));
    /**
     * Set while the database refuses more connections than the pool holds (SQLState 53300: a
     * smaller server after a failover). Not an outage, since the connections held still serve:
     * logged once when it starts and once when the pool is full again, never per refusal, however
     * the server's admission of concurrent connects interleaves successes and refusals.
     */
    private final AtomicBoolean refusedMore = new AtomicBoolean();
    private final AtomicBoolean housekeepingRunning = new AtomicBoolean();
    /** A round was asked for while one ran (a setting changed meanwhile): run another at once. */
    private final AtomicBoolean housekeepAgain = new AtomicBoolean();
    /** A fill was asked for since the filler last looked; the one filler thread runs while set. */
    private final AtomicBoolean fillRequested = new AtomicBoolean();
    private final AtomicBoolean fillRunning = new AtomicBoolean();
    /** Connections opened by {@link #connect} and not yet handed to {@link #closeConnection}. */
    private final AtomicInteger openConnections = new AtomicInteger();
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
                // While connects fail, one attempt at a time, 10 ms doubling to this apart, however
                // many borrowers wait: an outage costs the database a few connects a second.
                .createBackoff(CONNECT_BACKOFF)
                .name(poolName)
                .build();
        this.tracker = trackerFactory == null ? null : trackerFactory.create(poolName, new Figures());
    }

    /**
     * Starts reporting to a tracker made now, on a pool that started without one: what HikariCP
     * does when a metrics registry is set on a running data source (Spring Boot binds its meter
     * registry after the context's beans are made, and a data source may have started by then).
     * Borrows already out when this is called are not timed on return.
     *
     * @throws IllegalStateException if the pool has a tracker already, or is closed
     */
    public void track(MetricsTrackerFactory trackerFactory) {
        if (closed) {
            throw new IllegalStateException(poolName + " - the pool is closed; no metrics tracker can be set");
        }
        if (tracker != null) {
            throw new IllegalStateException(poolName + " - the metrics tracker can only be set once");
        }
        tracker = trackerFactory.create(poolName, new Figures()); // the data source serialises the callers
    }

    /** The live figures a metrics tracker publishes. */
    private final class Figures implements PoolStats {
        @Override public int getTotalConnections() {
            return totalConnections();
        }

        @Override public int getIdleConnections() {
            return connections.idle();
        }

        @Override public int getActiveConnections() {
            return activeConnections();
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

    /**
     * The slow path, for a caller that found no idle connection: admitted only while fewer than
     * maximumThreadsAwaitingConnection callers are on it (load shedding), counted while it is.
     */
    private Connection getConnectionWaiting(long start) throws SQLException {
        int bound = settings.getMaximumThreadsAwaitingConnection();
        if (bound < 0) {
            return awaitConnection(start);
        }
        for (;;) { // admit by CAS, so exactly the callers beyond the bound are turned away
            int admitted = waitingAdmitted.get();
            if (admitted >= bound) {
                throw shed(bound);
            }
            if (waitingAdmitted.compareAndSet(admitted, admitted + 1)) {
                break;
            }
        }
        try {
            return awaitConnection(start);
        } finally {
            waitingAdmitted.decrementAndGet();
        }
    }

    private SQLException shed(int bound) {
        shedRequests.increment();
        MetricsTracker recording = tracker;
        if (recording != null) {
            recording.recordConnectionShed();
        }
        return new SQLTransientConnectionException(poolName + " - Connection is not available: " + bound
                + " callers are already waiting (maximumThreadsAwaitingConnection=" + bound + "; total="
                + totalConnections() + ", active=" + activeConnections() + ", idle=" + connections.idle() + ")",
                "08004");
    }

    /**
     * Connections borrowed right now. The core pool's count of items out may include, for a
     * moment, a slot whose connect has not begun or has just failed; the connections this pool
     * opened and has not closed, less the idle ones, never do. Each count may be one too high
     * while a connection is being closed or validated, so the lower of the two is taken.
     */
    public int activeConnections() {
        int opened = openConnections.get();
        return Math.max(0, Math.min(connections.inUse(), opened - connections.idle()));
    }

    /**
     * Connections open right now, borrowed or idle ({@code active + idle}): not the slots whose
     * connect is under way or waits its turn, which the core pool's {@code size()} counts.
     */
    public int totalConnections() {
        return connections.idle() + activeConnections();
    }

    /** Callers turned away by load shedding so far. */
    public long shedRequests() {
        return shedRequests.sum();
    }

    private Connection awaitConnection(long start) throws SQLException {
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
                // timeout, so a database restarting under load costs latency, not errors. One that
                // takes no more connections (53300) still serves the pool's others: with callers in
                // line for them, join the line at once (at its end, so this is no spin), as a pause
                // would only keep this caller out of it until its time runs out.
                if (!SqlStates.isTooManyConnections(e.getCause()) || connections.waiting() == 0) {
                    pause(Math.min(Math.max(0L, deadline - System.nanoTime()), retry));
                    retry = Math.min(retry * 2, MAX_RETRY_NANOS);
                }
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
            boolean fatal = SqlStates.isFatal(e);
            if (fatal) {
                sweepIdleSoon();
            }
            return fatal;
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
                sweepIdleSoon();
                return true;
            }
            if (decision == SQLExceptionOverride.Override.DO_NOT_EVICT) {
                return false;
            }
            if (SqlStates.isFatalOne(next)) {
                boolean fatal = !(e instanceof SQLTimeoutException);
                if (fatal) {
                    sweepIdleSoon();
                }
                return fatal;
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
                + waitedMs + "ms (total=" + totalConnections() + ", active=" + activeConnections() + ", idle="
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
        long started = System.nanoTime();
        Connection connection;
        try {
            connection = factory.open();
        } catch (SQLException e) {
            throw failed(e, false, started);
        } catch (RuntimeException e) { // a driver that throws unchecked: still an SQLException to the caller
            throw failed(new SQLException(poolName + " - the driver failed to connect: " + mask(String.valueOf(e)),
                    "08001", e), false, started);
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
            throw failed(cause, true, started);
        }
        long now = System.nanoTime();
        if (recording != null) {
            recording.recordConnectionCreatedMillis(TimeUnit.NANOSECONDS.toMillis(now - started));
        }
        lastFailure.set(null);
        int open = openConnections.incrementAndGet();
        if (refusedMore.get() && open >= connections.maxSize() && refusedMore.compareAndSet(true, false)) {
            LOG.log(Level.INFO, () -> poolName + " - the database accepts all " + connections.maxSize()
                    + " connections again");
        }
        ConnectState outage = changeConnectState(false, started, now);
        if (outage != null) {
            LOG.log(Level.INFO, () -> poolName + " - connected again after "
                    + TimeUnit.NANOSECONDS.toMillis(now - outage.sinceNanos()) + " ms of failed attempts");
        }
        return connection;
    }

    /**
     * Records a failed connect begun at {@code startedNanos}; the first of a run of failures is
     * logged, the rest only at DEBUG.
     */
    private ConnectionFailure failed(SQLException e, boolean setup, long startedNanos) {
        lastFailure.set(e);
        if (!setup && SqlStates.isTooManyConnections(e)) {
            if (refusedMore.compareAndSet(false, true)) {
                long open = openConnections.get();
                LOG.log(Level.WARNING, () -> poolName + " - the database refuses more connections (SQLState "
                        + e.getSQLState() + "): " + mask(e.getMessage()) + "; serving with " + open + " of maximumPoolSize "
                        + connections.maxSize() + ", retrying, and logging again once the pool is full");
            } else {
                LOG.log(Level.DEBUG, () -> poolName + " - cannot connect: " + mask(e.getMessage()));
            }
            return new ConnectionFailure(e, setup);
        }
        if (changeConnectState(true, startedNanos, System.nanoTime()) != null) {
            LOG.log(Level.WARNING, () -> poolName + " - cannot " + (setup ? "set up a new connection" : "connect")
                    + " (SQLState " + e.getSQLState() + "): " + mask(e.getMessage())
                    + "; retrying, and logging again once a connect succeeds");
        } else {
            LOG.log(Level.DEBUG, () -> poolName + " - cannot connect: " + mask(e.getMessage()));
        }
        return new ConnectionFailure(e, setup);
    }


    /** Whether connects fail, since when (System.nanoTime()). */
    private record ConnectState(boolean failing, long sinceNanos) {
    }

    /**
     * Moves to {@code failing} for an attempt begun at {@code startedNanos} and ended at
     * {@code nowNanos}, if that is a change and the attempt began after the last one.
     *
     * @return the state left (the caller logs the change), or null if nothing changed
     */
    private ConnectState changeConnectState(boolean failing, long startedNanos, long nowNanos) {
        for (;;) {
            ConnectState current = connectState.get();
            if (current.failing() == failing || startedNanos - current.sinceNanos() < 0) {
                return null;
            }
            if (connectState.compareAndSet(current, new ConnectState(failing, nowNanos))) {
                return current;
            }
        }
    }

    /** The pool's validate callback: false, never an exception, for a connection that fails its check. */
    private boolean isAlive(Connection connection) {
        try {
            check(connection);
            return true;
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.DEBUG, () -> poolName + " - connection failed validation: " + mask(e.getMessage()));
            sweepIdleSoon();
            return false;
        }
    }

    /**
     * One connection showed the server may be gone (a fatal SQLState, or a failed validation):
     * check every idle connection now, each on a thread of its own, instead of letting each next
     * borrower find a dead one and pay a validation for it (a failover costs one check time, not
     * one per connection). The exception override decides what counts as fatal, so a
     * failover-aware driver's good connections are left alone. At most one sweep per second.
     */
    private void sweepIdleSoon() {
        long now = System.nanoTime();
        if (closed || now - lastSweepNanos < SWEEP_INTERVAL_NANOS || !sweeping.compareAndSet(false, true)) {
            return;
        }
        lastSweepNanos = now;
        try {
            workers.newThread(this::sweepIdle).start();
        } catch (RuntimeException e) {
            sweeping.set(false);
            throw e;
        }
    }

    private void sweepIdle() {
        try {
            List<Thread> checks = new ArrayList<>();
            connections.revalidateIdle(info -> {
                // Not here, one after another: each idle connection is checked on a thread of its own.
                checks.add(workers.newThread(() -> connections.revalidate(info.item())));
                return false;
            });
            LOG.log(Level.DEBUG, () -> poolName + " - checking " + checks.size() + " idle connections at once");
            checks.forEach(Thread::start);
            for (Thread check : checks) {
                check.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sweeping.set(false);
            requestFill();
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
        openConnections.decrementAndGet();
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
        close(0L);
    }

    /**
     * Stops lending (waiters fail, idle connections close), then waits up to {@code drainNanos}
     * for borrowed connections to come back (each closes as it does) and closes those still out.
     *
     * @return true if none was still out when it returned
     */
    public boolean close(long drainNanos) {
        if (closed) {
            return true;
        }
        closed = true;
        closing.countDown();
        ScheduledFuture<?> next = nextHousekeeping;
        if (next != null) {
            next.cancel(false);
        }
        resume(); // suspended borrowers wake and find the pool closed
        connections.close();
        boolean drained = drain(drainNanos);
        MetricsTracker recording = tracker;
        if (recording != null) {
            try {
                recording.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, () -> poolName + " - closing the metrics tracker failed", e);
            }
        }
        LOG.log(Level.INFO, () -> poolName + " - closed");
        return drained;
    }

    /**
     * After close: waits for the borrowed connections to come back (the closed core pool closes
     * each on return), then closes the ones still out under their borrowers.
     */
    private boolean drain(long drainNanos) {
        if (drainNanos > 0 && connections.inUse() > 0) {
            LOG.log(Level.INFO, () -> poolName + " - closing: waiting up to "
                    + TimeUnit.NANOSECONDS.toMillis(drainNanos) + " ms for " + connections.inUse()
                    + " borrowed connections to come back");
            long deadline = System.nanoTime() + drainNanos;
            long pauseNanos = TimeUnit.MILLISECONDS.toNanos(1);
            while (connections.inUse() > 0 && deadline - System.nanoTime() > 0) {
                // A return is not signalled to a closing pool; polling at up to 50 ms intervals
                // costs nothing that matters during a shutdown.
                LockSupport.parkNanos(Math.min(pauseNanos, Math.max(0L, deadline - System.nanoTime())));
                pauseNanos = Math.min(pauseNanos * 2, TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
        int stillOut = connections.inUse();
        if (stillOut == 0) {
            return true;
        }
        if (drainNanos > 0) {
            LOG.log(Level.WARNING, () -> poolName + " - closing: " + stillOut
                    + " connections were not returned in time; closing them under their borrowers");
            // Every item left in the closed pool is out: close its physical connection now.
            connections.evictIf(info -> {
                ConnectionFactory.closeQuietly(info.item());
                return true;
            });
        }
        return false;
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
                fillInParallel();
            }
            fillRunning.set(false);
            // A request that came after the loop's last look but before the flag dropped: take it.
        } while (fillRequested.get() && fillRunning.compareAndSet(false, true));
    }

    /**
     * Fills up to minimumIdle with up to maximumConcurrentConnects connects at once: this thread
     * and helpers share a quota of the connections missing now (so together they never open more
     * than that), so a pool of 20 refills in about three connect times rather than twenty once the
     * database answers again. Returns when the quota is met, or the pool is full or closed; a
     * request that came meanwhile makes the caller fill again.
     */
    private void fillInParallel() {
        int missing = Math.min(settings.getMinimumIdle() - connections.idle(), connections.maxSize() - connections.size());
        if (missing <= 0) {
            return;
        }
        AtomicInteger quota = new AtomicInteger(missing);
        int helpers = Math.min(missing, settings.getMaximumConcurrentConnects()) - 1;
        List<Thread> started = new ArrayList<>(Math.max(0, helpers));
        for (int i = 0; i < helpers; i++) {
            started.add(workers.newThread(() -> fill(quota, false)));
        }
        started.forEach(Thread::start);
        fill(quota, true);
        for (Thread helper : started) {
            try {
                helper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * One filler: opens idle connections while the shared quota lasts and the pool has room. While
     * connects fail only the lead filler retries, after a backoff (10 ms doubling to 1 s), so idle
     * connections come back within about a second of the database doing so; its first success
     * after a failure asks for a new round, which connects in parallel again. close() ends the
     * wait at once.
     */
    private void fill(AtomicInteger quota, boolean lead) {
        long backoff = FIRST_RETRY_NANOS;
        boolean failed = false;
        while (!closed && quota.getAndDecrement() > 0) {
            try {
                if (!connections.addIdle()) {
                    return; // full
                }
                if (failed) {
                    requestFill(); // the database answers again: the next round refills in parallel
                    return;
                }
            } catch (ConnectionFailure e) {
                quota.incrementAndGet(); // still missing
                if (!lead) {
                    return; // one filler retries while connects fail, not maximumConcurrentConnects of them
                }
                failed = true;
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
