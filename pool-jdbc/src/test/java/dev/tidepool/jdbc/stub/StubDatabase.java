package dev.tidepool.jdbc.stub;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One named database of the {@link StubDriver}: what {@code jdbc:stub:<name>} connects to. It holds
 * no data; it counts what its connections do and holds the fault switches tests flip at run time.
 *
 * <p>Databases live in a static registry: {@link #named(String)} creates or returns one,
 * {@link #reset(String)} puts one back to its initial state, {@link #remove(String)} forgets it.
 * A test that runs in parallel with others should use a database name of its own.
 *
 * <h2>Counters</h2>
 * {@link #openConnections()} is a gauge (connected and not yet closed); the others count events
 * since the database was created or last {@linkplain #reset(String) reset}: connect attempts,
 * connections opened, connections closed, failed connects, {@code isValid} calls, statements
 * executed, open statements (a gauge), commits and rollbacks.
 *
 * <h2>Switches</h2>
 * Every switch takes effect for the next operation on any thread (the fields are volatile).
 *
 * <ul>
 *   <li>{@link #connectDelay(Duration)}: every connect sleeps this long first.</li>
 *   <li>{@link #failNextConnects(int, String)}, {@link #failAllConnects(String)},
 *       {@link #stopFailingConnects()}: connects throw {@code SQLException} with SQLState
 *       {@code 08001} and the given message.</li>
 *   <li>{@link #requireCredentials(String, String)}: a connect with another user or password throws
 *       SQLState {@code 28P01} {@code password authentication failed for user "<user>"} (the
 *       password never appears in a message).</li>
 *   <li>{@link #failNextExecutes(int, String)}, {@link #failAllExecutes(String)},
 *       {@link #stopFailingExecutes()}: {@code execute*} calls throw {@code SQLException} with the
 *       given SQLState (for example {@code 08S01} or {@code 57P01}).</li>
 *   <li>{@link #executeDelay(Duration)}: every {@code execute*} sleeps this long. A statement's
 *       query timeout that is shorter ends it early with {@code SQLTimeoutException} {@code 57014};
 *       a connection's network timeout that is shorter ends it with {@code 08006} and breaks that
 *       connection, as a socket read timeout does.</li>
 *   <li>{@link #isValidDelay(Duration)}: every {@code isValid} sleeps this long (at most its own
 *       timeout, after which it returns false).</li>
 *   <li>{@link #failValidation(boolean)}: {@code isValid} returns false.</li>
 *   <li>{@link #killOpenConnections()}: every connection open now is broken: from then on its
 *       operations throw {@code 08006} and {@code isValid} returns false. Connections made later
 *       are fine.</li>
 *   <li>{@link #emptyResults(boolean)}: queries return no rows instead of one.</li>
 *   <li>{@link #recordSql(boolean)}: keep every executed SQL string for {@link #executedSql()}.</li>
 * </ul>
 *
 * <h2>URL parameters</h2>
 * {@code jdbc:stub:<name>;key=value;...} sets switches the same way. They configure the database
 * once: on the first connect that carries parameters after the database was created or reset.
 * Later connects do not apply them again, so a pool that reconnects does not undo what a test set
 * at run time, and "the next N" counts down across connects. Keys (unknown keys fail the connect):
 *
 * <table>
 *   <caption>URL parameters</caption>
 *   <tr><th>key</th><th>same as</th></tr>
 *   <tr><td>{@code connectDelayMs}</td><td>{@link #connectDelay(Duration)}</td></tr>
 *   <tr><td>{@code failConnects} (a count, or {@code all})</td><td>{@link #failNextConnects(int, String)},
 *       {@link #failAllConnects(String)}</td></tr>
 *   <tr><td>{@code connectFailureMessage}</td><td>the message of those failures</td></tr>
 *   <tr><td>{@code requiredUser}, {@code requiredPassword}</td><td>{@link #requireCredentials(String, String)}</td></tr>
 *   <tr><td>{@code failExecutes} (a count, or {@code all})</td><td>{@link #failNextExecutes(int, String)},
 *       {@link #failAllExecutes(String)}</td></tr>
 *   <tr><td>{@code executeFailureState}</td><td>their SQLState (default {@code 08S01})</td></tr>
 *   <tr><td>{@code executeDelayMs}</td><td>{@link #executeDelay(Duration)}</td></tr>
 *   <tr><td>{@code isValidDelayMs}</td><td>{@link #isValidDelay(Duration)}</td></tr>
 *   <tr><td>{@code failValidation} ({@code true}/{@code false})</td><td>{@link #failValidation(boolean)}</td></tr>
 *   <tr><td>{@code emptyResults} ({@code true}/{@code false})</td><td>{@link #emptyResults(boolean)}</td></tr>
 *   <tr><td>{@code user}, {@code password}</td><td>not a switch: the credentials this connect presents
 *       when the connect's {@code Properties} have none</td></tr>
 * </table>
 */
public final class StubDatabase {
    /** Default SQLState of injected execute failures: communication link failure. */
    public static final String DEFAULT_EXECUTE_FAILURE_STATE = "08S01";

    private static final ConcurrentHashMap<String, StubDatabase> REGISTRY = new ConcurrentHashMap<>();

    private final String name;
    private final AtomicLong connectionIds = new AtomicLong();

    // ------------------------------------------------------------ counters
    private final LongAdder openConnections = new LongAdder();
    private final LongAdder openStatements = new LongAdder();
    private final LongAdder connectAttempts = new LongAdder();
    private final LongAdder connectionsOpened = new LongAdder();
    private final LongAdder connectionsClosed = new LongAdder();
    private final LongAdder failedConnects = new LongAdder();
    private final LongAdder isValidCalls = new LongAdder();
    private final LongAdder statementsExecuted = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final LongAdder rollbacks = new LongAdder();

    // ------------------------------------------------------------ switches
    private volatile long connectDelayNanos;
    private final Countdown connectFailures = new Countdown();
    private volatile String connectFailureMessage;
    private volatile Credentials requiredCredentials;
    private final Countdown executeFailures = new Countdown();
    private volatile Fault executeFault = new Fault(DEFAULT_EXECUTE_FAILURE_STATE, null, 0);
    private volatile long executeDelayNanos;
    private volatile long isValidDelayNanos;
    private volatile boolean failValidation;
    private volatile boolean emptyResults;
    private volatile boolean recordSql;
    /** Whether statements are counted; see {@link #countStatements(boolean)}. */
    private volatile boolean countStatements = true;
    private final ConcurrentLinkedQueue<String> sqlLog = new ConcurrentLinkedQueue<>();
    /** Bumped by {@link #killOpenConnections()}; a connection made under an older value is dead. */
    private final AtomicInteger killEpoch = new AtomicInteger();
    /** Whether URL parameters were applied since creation or the last reset. */
    private final AtomicBoolean urlConfigured = new AtomicBoolean();

    private StubDatabase(String name) {
        this.name = name;
        clearSwitches();
    }

    // ------------------------------------------------------------ registry

    /** The database with this name, created (with every switch off) if there is none. */
    public static StubDatabase named(String name) {
        checkName(name);
        return REGISTRY.computeIfAbsent(name, StubDatabase::new);
    }

    /**
     * Puts the database with this name back to its initial state, creating it if needed: every
     * switch off, every counter zero except the gauges {@link #openConnections()} and
     * {@link #openStatements()} (connections open now stay open, and so do connections killed
     * before), and the next connect with URL parameters applies them again.
     *
     * @return the database, the same object {@link #named(String)} returned before
     */
    public static StubDatabase reset(String name) {
        StubDatabase db = named(name);
        db.clearSwitches();
        db.connectAttempts.reset();
        db.connectionsOpened.reset();
        db.connectionsClosed.reset();
        db.failedConnects.reset();
        db.isValidCalls.reset();
        db.statementsExecuted.reset();
        db.commits.reset();
        db.rollbacks.reset();
        db.sqlLog.clear();
        db.urlConfigured.set(false);
        return db;
    }

    /**
     * Forgets the database with this name: the next {@link #named(String)} or connect creates a new
     * one. Connections of the old one keep working and keep counting on the old object.
     *
     * @return the database removed, or null if there was none
     */
    public static StubDatabase remove(String name) {
        return REGISTRY.remove(name);
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf(';') >= 0) {
            throw new IllegalArgumentException("a stub database name is non-empty and has no ';': '" + name + "'");
        }
    }

    private void clearSwitches() {
        connectDelayNanos = 0;
        connectFailures.set(0);
        connectFailureMessage = null;
        requiredCredentials = null;
        executeFailures.set(0);
        executeFault = new Fault(DEFAULT_EXECUTE_FAILURE_STATE, null, 0);
        executeDelayNanos = 0;
        isValidDelayNanos = 0;
        failValidation = false;
        emptyResults = false;
        recordSql = false;
        countStatements = true;
    }

    /** The database's name. */
    public String name() {
        return name;
    }

    /** {@code jdbc:stub:<name>}, with no parameters. */
    public String url() {
        return StubDriver.URL_PREFIX + name;
    }

    // ------------------------------------------------------------ counters

    /** Connections opened and not yet closed (killed ones count until they are closed). */
    public long openConnections() {
        return openConnections.sum();
    }

    /** Statements (of any kind) created and not yet closed, on connections not yet closed. */
    public long openStatements() {
        return openStatements.sum();
    }

    /** Every call of the driver's {@code connect} for this database, successful or not. */
    public long connectAttempts() {
        return connectAttempts.sum();
    }

    /** Connects that succeeded. */
    public long connectionsOpened() {
        return connectionsOpened.sum();
    }

    /** Connections closed (by {@code close()} or {@code abort()}), counted once each. */
    public long connectionsClosed() {
        return connectionsClosed.sum();
    }

    /** Connects that threw: injected failures, wrong credentials, an interrupted connect delay. */
    public long failedConnects() {
        return failedConnects.sum();
    }

    /** Calls of {@code Connection.isValid}, whatever they returned. */
    public long isValidCalls() {
        return isValidCalls.sum();
    }

    /** Statements that executed successfully (each batch entry counts as one). */
    public long statementsExecuted() {
        return statementsExecuted.sum();
    }

    /** Successful {@code Connection.commit()} calls, plus the commits implied by switching auto-commit on mid-transaction. */
    public long commits() {
        return commits.sum();
    }

    /** Successful {@code Connection.rollback()} calls (with or without a savepoint). */
    public long rollbacks() {
        return rollbacks.sum();
    }

    /** The SQL executed since {@link #recordSql(boolean) recordSql(true)}, in order. */
    public List<String> executedSql() {
        return List.copyOf(sqlLog);
    }

    // ------------------------------------------------------------ switches

    /** Every connect sleeps this long before it does anything else; zero for none. */
    public StubDatabase connectDelay(Duration delay) {
        connectDelayNanos = nanos(delay);
        return this;
    }

    /** The next {@code n} connects throw {@code SQLException} {@code 08001} with a default message. */
    public StubDatabase failNextConnects(int n) {
        return failNextConnects(n, null);
    }

    /**
     * The next {@code n} connects throw {@code SQLException} with SQLState {@code 08001} and this
     * message (null: a default one); {@code n = 0} turns the failures off.
     */
    public StubDatabase failNextConnects(int n, String message) {
        if (n < 0) {
            throw new IllegalArgumentException("n < 0: " + n);
        }
        connectFailureMessage = message;
        connectFailures.set(n);
        return this;
    }

    /** Every connect throws {@code SQLException} {@code 08001} with this message until {@link #stopFailingConnects()}. */
    public StubDatabase failAllConnects(String message) {
        connectFailureMessage = message;
        connectFailures.set(Countdown.ALWAYS);
        return this;
    }

    /** Connects succeed again (as far as injected failures go). */
    public StubDatabase stopFailingConnects() {
        connectFailures.set(0);
        return this;
    }

    /**
     * Connects must present this user and password (both compared exactly; null for either means
     * any value is accepted for it). {@code requireCredentials(null, null)} turns the check off.
     */
    public StubDatabase requireCredentials(String user, String password) {
        requiredCredentials = user == null && password == null ? null : new Credentials(user, password);
        return this;
    }

    /** The next {@code n} {@code execute*} calls throw {@code SQLException} with this SQLState. */
    public StubDatabase failNextExecutes(int n, String sqlState) {
        return failNextExecutes(n, sqlState, null, 0);
    }

    /** The next {@code n} {@code execute*} calls throw {@code SQLException} with this SQLState and message. */
    public StubDatabase failNextExecutes(int n, String sqlState, String message) {
        return failNextExecutes(n, sqlState, message, 0);
    }

    /**
     * The next {@code n} {@code execute*} calls throw {@code SQLException} with this SQLState (may
     * be null), message (null: a default one) and vendor error code; {@code n = 0} turns the
     * failures off.
     */
    public StubDatabase failNextExecutes(int n, String sqlState, String message, int vendorCode) {
        if (n < 0) {
            throw new IllegalArgumentException("n < 0: " + n);
        }
        executeFault = new Fault(sqlState, message, vendorCode);
        executeFailures.set(n);
        return this;
    }

    /** Every {@code execute*} call throws {@code SQLException} with this SQLState until {@link #stopFailingExecutes()}. */
    public StubDatabase failAllExecutes(String sqlState) {
        return failAllExecutes(sqlState, null);
    }

    /** Every {@code execute*} call throws this SQLState and message until {@link #stopFailingExecutes()}. */
    public StubDatabase failAllExecutes(String sqlState, String message) {
        executeFault = new Fault(sqlState, message, 0);
        executeFailures.set(Countdown.ALWAYS);
        return this;
    }

    /** Executes succeed again (as far as injected failures go). */
    public StubDatabase stopFailingExecutes() {
        executeFailures.set(0);
        return this;
    }

    /** Every {@code execute*} call sleeps this long; zero for none. */
    public StubDatabase executeDelay(Duration delay) {
        executeDelayNanos = nanos(delay);
        return this;
    }

    /** Every {@code isValid} call sleeps this long (at most its timeout); zero for none. */
    public StubDatabase isValidDelay(Duration delay) {
        isValidDelayNanos = nanos(delay);
        return this;
    }

    /** While on, {@code isValid} returns false (after counting the call and any delay). */
    public StubDatabase failValidation(boolean on) {
        failValidation = on;
        return this;
    }

    /** While on, queries return a result with no rows (default: one row). */
    public StubDatabase emptyResults(boolean on) {
        emptyResults = on;
        return this;
    }

    /**
     * Whether statements opened, closed and executed are counted ({@link #openStatements()},
     * {@link #statementsExecuted()}); on by default. A benchmark of statement proxies turns it off
     * before it opens a pool, as HikariCP-benchmark's stub driver counts nothing: the database-wide
     * counters are shared by all threads, and two threads bumping them on every statement measured
     * the counters, not the pools (HikariCP's forks of StatementBench on 2 threads spread from 16 to
     * 27 ops/µs with them, 31 to 34 without).
     */
    public StubDatabase countStatements(boolean on) {
        countStatements = on;
        return this;
    }

    /** While on, every executed SQL string is kept for {@link #executedSql()}; turning it on clears the log. */
    public StubDatabase recordSql(boolean on) {
        if (on) {
            sqlLog.clear();
        }
        recordSql = on;
        return this;
    }

    /**
     * Breaks every connection open now: from now on its operations throw {@code SQLException}
     * {@code 08006} and its {@code isValid} returns false; {@code close()} still works and counts.
     * Connections made afterwards are not affected.
     *
     * @return how many connections were open (and are now broken)
     */
    public long killOpenConnections() {
        killEpoch.incrementAndGet();
        return openConnections.sum();
    }

    @Override
    public String toString() {
        return "StubDatabase[" + name + ": open=" + openConnections() + ", opened=" + connectionsOpened()
                + ", closed=" + connectionsClosed() + ", executed=" + statementsExecuted() + "]";
    }

    // ------------------------------------------------------------ driver side

    /** Applies URL parameters once per creation/reset; called by the driver on connect. */
    void configureFromUrl(Map<String, String> params) throws SQLException {
        validate(params); // on every connect, so a bad URL always fails
        if (params.isEmpty() || !urlConfigured.compareAndSet(false, true)) {
            return;
        }
        String failureMessage = params.get("connectFailureMessage");
        String failureState = params.getOrDefault("executeFailureState", DEFAULT_EXECUTE_FAILURE_STATE);
        for (Map.Entry<String, String> e : params.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "connectDelayMs" -> connectDelay(Duration.ofMillis(parseLong(e.getKey(), v)));
                case "failConnects" -> {
                    if (v.equalsIgnoreCase("all")) {
                        failAllConnects(failureMessage);
                    } else {
                        failNextConnects((int) parseLong(e.getKey(), v), failureMessage);
                    }
                }
                case "requiredUser", "requiredPassword" -> requireCredentials(params.get("requiredUser"),
                        params.get("requiredPassword"));
                case "failExecutes" -> {
                    if (v.equalsIgnoreCase("all")) {
                        failAllExecutes(failureState);
                    } else {
                        failNextExecutes((int) parseLong(e.getKey(), v), failureState);
                    }
                }
                case "executeDelayMs" -> executeDelay(Duration.ofMillis(parseLong(e.getKey(), v)));
                case "isValidDelayMs" -> isValidDelay(Duration.ofMillis(parseLong(e.getKey(), v)));
                case "failValidation" -> failValidation(parseBoolean(e.getKey(), v));
                case "emptyResults" -> emptyResults(parseBoolean(e.getKey(), v));
                default -> {
                    // user, password, connectFailureMessage, executeFailureState: read above or by the driver
                }
            }
        }
    }

    private static void validate(Map<String, String> params) throws SQLException {
        for (Map.Entry<String, String> e : params.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "connectDelayMs", "executeDelayMs", "isValidDelayMs" -> parseLong(e.getKey(), v);
                case "failConnects", "failExecutes" -> {
                    if (!v.equalsIgnoreCase("all") && parseLong(e.getKey(), v) > Integer.MAX_VALUE) {
                        throw new SQLException("stub URL parameter " + e.getKey() + " is too large: " + v, "08001");
                    }
                }
                case "failValidation", "emptyResults" -> parseBoolean(e.getKey(), v);
                default -> {
                    // free text
                }
            }
        }
    }

    private static long parseLong(String key, String value) throws SQLException {
        try {
            long v = Long.parseLong(value.trim());
            if (v < 0) {
                throw new NumberFormatException("negative");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new SQLException("stub URL parameter " + key + " needs a non-negative number, got '" + value + "'",
                    "08001", e);
        }
    }

    private static boolean parseBoolean(String key, String value) throws SQLException {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new SQLException("stub URL parameter " + key + " needs true or false, got '" + value + "'",
                    "08001");
        };
    }

    /** The driver's connect: counts, applies the connect switches, and returns a new connection. */
    StubConnection connect(String user, String password) throws SQLException {
        connectAttempts.increment();
        try {
            long delay = connectDelayNanos;
            if (delay > 0) {
                sleep(delay, "08001", "connect interrupted");
            }
            if (connectFailures.tryConsume()) {
                String message = connectFailureMessage;
                throw new SQLException(message != null ? message
                        : "Connection to stub database " + name + " refused (injected failure)", "08001");
            }
            Credentials required = requiredCredentials;
            if (required != null && !required.accept(user, password)) {
                throw new SQLException("password authentication failed for user \"" + user + "\"", "28P01");
            }
        } catch (SQLException e) {
            failedConnects.increment();
            throw e;
        }
        StubConnection connection = new StubConnection(this, connectionIds.incrementAndGet(), killEpoch.get(), user);
        openConnections.increment();
        connectionsOpened.increment();
        return connection;
    }

    // Called by connections and statements; these are on the benchmark's hot path, so they only
    // read volatiles and add to LongAdders.

    boolean killedSince(int epoch) {
        return killEpoch.get() != epoch;
    }

    void connectionClosed(int statementsStillOpen) {
        openConnections.decrement();
        connectionsClosed.increment();
        if (statementsStillOpen != 0 && countStatements) {
            openStatements.add(-statementsStillOpen);
        }
    }

    void statementOpened() {
        if (countStatements) {
            openStatements.increment();
        }
    }

    void statementClosed() {
        if (countStatements) {
            openStatements.decrement();
        }
    }

    /**
     * Before a statement executes: the execute switches. Throws the injected failure, or sleeps
     * the execute delay (bounded by the timeouts, see the class comment).
     *
     * @param queryTimeoutSeconds   the statement's query timeout, 0 for none
     * @param networkTimeoutMillis  the connection's network timeout, 0 for none
     * @return true if the network timeout expired (the caller breaks the connection and throws)
     */
    boolean beforeExecute(String sql, int queryTimeoutSeconds, int networkTimeoutMillis) throws SQLException {
        if (executeFailures.tryConsume()) {
            Fault f = executeFault;
            throw new SQLException(f.message != null ? f.message
                    : "injected failure (SQLState " + f.sqlState + ") in stub database " + name, f.sqlState, f.vendorCode);
        }
        long delay = executeDelayNanos;
        if (delay > 0) {
            long queryLimit = queryTimeoutSeconds > 0 ? queryTimeoutSeconds * 1_000_000_000L : Long.MAX_VALUE;
            long networkLimit = networkTimeoutMillis > 0 ? networkTimeoutMillis * 1_000_000L : Long.MAX_VALUE;
            if (queryLimit <= networkLimit && delay > queryLimit) {
                sleep(queryLimit, "57014", "statement interrupted");
                throw new java.sql.SQLTimeoutException("canceling statement due to statement timeout", "57014");
            }
            if (delay > networkLimit) {
                sleep(networkLimit, "08006", "statement interrupted");
                return true;
            }
            sleep(delay, "57014", "statement interrupted");
        }
        if (recordSql && sql != null) {
            sqlLog.add(sql);
        }
        return false;
    }

    void executed(int statements) {
        if (countStatements) {
            statementsExecuted.add(statements);
        }
    }

    void recordBatchSql(String sql) {
        if (recordSql && sql != null) {
            sqlLog.add(sql);
        }
    }

    boolean emptyResults() {
        return emptyResults;
    }

    /** An {@code isValid} call: counts it, sleeps its delay (at most the timeout), and answers. */
    boolean validate(int timeoutSeconds) throws SQLException {
        isValidCalls.increment();
        long delay = isValidDelayNanos;
        if (delay > 0) {
            long limit = timeoutSeconds > 0 ? timeoutSeconds * 1_000_000_000L : Long.MAX_VALUE;
            if (delay > limit) {
                sleep(limit, "08006", "isValid interrupted");
                return false;
            }
            sleep(delay, "08006", "isValid interrupted");
        }
        return !failValidation;
    }

    /** An {@code isValid} call on a closed or broken connection: counted, answered false at once. */
    void countDeadValidation() {
        isValidCalls.increment();
    }

    void committed() {
        commits.increment();
    }

    void rolledBack() {
        rollbacks.increment();
    }

    private static void sleep(long nanos, String sqlState, String message) throws SQLException {
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException(message, sqlState, e);
        }
    }

    private static long nanos(Duration d) {
        Objects.requireNonNull(d, "delay");
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative delay: " + d);
        }
        return d.toNanos();
    }

    /** An injected execute failure. */
    private record Fault(String sqlState, String message, int vendorCode) {
    }

    /** Required credentials; null parts accept anything. */
    private record Credentials(String user, String password) {
        boolean accept(String u, String p) {
            return (user == null || user.equals(u)) && (password == null || password.equals(p));
        }

        @Override
        public String toString() {
            return "Credentials[user=" + user + ", password=***]";
        }
    }

    /** "The next N" (N &gt; 0), "always" ({@link #ALWAYS}) or off (0); lock-free. */
    private static final class Countdown extends AtomicInteger {
        static final int ALWAYS = -1;

        /** True if this call is one that fails. A single volatile read when off. */
        boolean tryConsume() {
            for (;;) {
                int left = get();
                if (left == 0) {
                    return false;
                }
                if (left == ALWAYS) {
                    return true;
                }
                if (compareAndSet(left, left - 1)) {
                    return true;
                }
            }
        }
    }
}
