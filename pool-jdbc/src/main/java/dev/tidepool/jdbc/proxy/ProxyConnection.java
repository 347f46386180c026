package dev.tidepool.jdbc.proxy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * The {@link Connection} a borrower gets from the pool. Every call goes to the driver's connection; what this
 * proxy adds is what makes it safe to hand that connection to the next borrower:
 * <ul>
 *   <li>{@link #close()} gives the physical connection back through {@link ConnectionReturn}, exactly once, after
 *       closing the statements the borrower left open, rolling back an unfinished transaction, putting back the
 *       {@link ConnectionDefaults} state the borrower changed, and clearing warnings;
 *   <li>a fatal {@link SQLException} ({@link SqlStates#isFatal}) thrown through this proxy, its statements, result
 *       sets or metadata marks the connection for eviction, and is rethrown unchanged;
 *   <li>once closed, the proxy and everything it handed out refuse every call, so a borrower that keeps a
 *       reference cannot reach a connection that now belongs to someone else;
 *   <li>statements, result sets and metadata are proxies too, and lead back to this proxy
 *       ({@code getConnection()}, {@code getStatement()}), never to the driver's objects.
 * </ul>
 *
 * <p>Threading: JDBC connections are used by one thread at a time, so the per-borrow bookkeeping (open
 * statements, the dirty flag, the state the borrower set) lives in plain fields with no locks. Only the closed and
 * evict flags are volatile: close() may come from another thread (a watchdog, {@link #abort}), and it wins exactly
 * once through a CAS.
 */
public final class ProxyConnection implements Connection {
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(ProxyConnection.class, "closeState", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final ProxyStatement[] NO_STATEMENTS = {};
    /** Runs the reset's setNetworkTimeout work in the closing thread (as HikariCP does): no executor to own. */
    private static final Executor IN_CALLER = Runnable::run;

    // Bits of `unknown`, one per ConnectionDefaults property.
    private static final int AUTO_COMMIT = 1;
    private static final int READ_ONLY = 2;
    private static final int ISOLATION = 4;
    private static final int CATALOG = 8;
    private static final int SCHEMA = 16;
    private static final int NETWORK_TIMEOUT = 32;

    private final Connection delegate;
    private final ConnectionDefaults defaults;
    private final ConnectionReturn pool;
    /** System.nanoTime() at the borrow, for usage metrics; 0 when nobody records them. */
    private final long lentNanos;

    /**
     * 0 while open, 1 once closed: an int, not a boolean, because a CAS on a boolean field is
     * emulated with a loop around an int CAS, and this one runs on every return.
     */
    private volatile int closeState;
    /** A fatal SQLException was seen (or abort() was called): the pool must close the physical connection. */
    private volatile boolean evict;

    /** Something ran since the last commit or rollback that a rollback should undo (HikariCP: commit state dirty). */
    private boolean dirty;
    /**
     * The borrower called the driver's connection (any method but close): only then can it carry
     * warnings to clear, so a connection borrowed and returned untouched costs no driver call.
     */
    private boolean touched;
    // The state as the borrower last set it through this proxy; each field holds a value only once its bit is in
    // `set` (before that the default applies), so a borrow costs no copying and close() makes no driver round
    // trip for a property the borrower never touched.
    private boolean autoCommit;
    private boolean readOnly;
    private int isolation;
    private String catalog;
    private String schema;
    private int networkTimeout;
    /**
     * Properties whose value on the driver is unknown (a setter threw halfway, or, for auto-commit, the borrower
     * unwrapped the driver's connection): close() puts these back whatever this proxy thinks they are, except
     * auto-commit, which it asks the driver for.
     */
    private int unknown;
    /**
     * Properties the borrower set through this proxy: their getters answer from the fields above
     * with no driver call (as HikariCP's do), unless the property is also {@link #unknown}.
     */
    private int set;

    /** The statements open on this connection, oldest first; an array list, as statements are many and short. */
    private ProxyStatement[] statements = NO_STATEMENTS;
    private int statementCount;

    /**
     * @param physical the driver's connection, in its {@code defaults} state
     * @param defaults the state to put back on close
     * @param pool     takes {@code physical} back, once, when this proxy closes
     */
    public ProxyConnection(Connection physical, ConnectionDefaults defaults, ConnectionReturn pool) {
        this(physical, defaults, pool, 0L);
    }

    /**
     * @param physical  the driver's connection, in its {@code defaults} state
     * @param defaults  the state to put back on close
     * @param pool      takes {@code physical} back, once, when this proxy closes
     * @param lentNanos System.nanoTime() of the borrow, handed back on return; 0 if not read
     */
    public ProxyConnection(Connection physical, ConnectionDefaults defaults, ConnectionReturn pool, long lentNanos) {
        this.lentNanos = lentNanos;
        this.delegate = Objects.requireNonNull(physical, "physical");
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    // ---- for the statement, result set and metadata proxies

    /** Whether this proxy is closed: everything it handed out then refuses calls. */
    boolean isProxyClosed() {
        return closeState != 0;
    }

    /** A statement ran (or may have run) on this connection: close() must roll back if a transaction is open. */
    void markDirty() {
        dirty = true;
    }

    /**
     * Marks the connection for eviction if {@code e} says it is broken, and returns {@code e} for the caller to
     * rethrow. After close the pool already has its answer, and this proxy's own "is closed" exceptions (08003)
     * must not count, so nothing is marked then.
     */
    <E extends SQLException> E check(E e) {
        if (closeState == 0 && pool.evicts(e)) {
            evict = true;
        }
        return e;
    }

    /** Whether this proxy was lent by {@code owner} (directly or through a wrapper such as a leak watch). */
    public boolean isLentBy(ConnectionReturn owner) {
        return pool.owner() == owner;
    }

    /** The driver's connection behind this proxy, for the pool that lent it. */
    public Connection physical() {
        return delegate;
    }

    /**
     * Marks the connection to be closed instead of kept when this proxy returns it (HikariCP's
     * {@code evictConnection}).
     *
     * @return false if the proxy had already closed: the caller must evict the physical
     *         connection through the pool instead
     */
    public boolean markForEviction() {
        evict = true;
        return closeState == 0; // closed meanwhile: close() may have read evict before this set it
    }

    /** What every call on a closed connection throws (08003: connection does not exist). */
    static SQLException closedException() {
        return new SQLException("Connection is closed", "08003");
    }

    /** How many statements this proxy tracks as open: for tests and diagnostics. */
    int openStatementCount() {
        return statementCount;
    }

    /** Forgets a statement its borrower closed, so a long borrow running many statements does not grow. */
    void untrack(ProxyStatement statement) {
        // Local copies and bounds checks: close() may clear the fields from another thread meanwhile.
        ProxyStatement[] list = statements;
        int n = Math.min(statementCount, list.length);
        for (int i = n - 1; i >= 0; i--) { // newest first: statements tend to close in reverse order of opening
            if (list[i] == statement) {
                System.arraycopy(list, i + 1, list, i, n - i - 1);
                list[n - 1] = null;
                statementCount = n - 1;
                return;
            }
        }
    }

    private <S extends ProxyStatement> S track(S statement) throws SQLException {
        ProxyStatement[] list = statements;
        int n = statementCount;
        if (n >= list.length) {
            list = Arrays.copyOf(list, Math.max(8, n * 2));
            statements = list;
        }
        list[n] = statement;
        statementCount = n + 1;
        if (closeState != 0) { // close() raced with this call and may not have seen the new statement: close it here
            statement.closeByConnection();
            throw closedException();
        }
        return statement;
    }

    private Statement statement(Statement s) throws SQLException {
        return track(new ProxyStatement(this, s));
    }

    private PreparedStatement prepared(PreparedStatement s) throws SQLException {
        return track(new ProxyPreparedStatement(this, s));
    }

    private CallableStatement callable(CallableStatement s) throws SQLException {
        return track(new ProxyCallableStatement(this, s));
    }

    private Connection open() throws SQLException {
        if (closeState != 0) {
            throw closedException();
        }
        touched = true;
        return delegate;
    }

    /** {@link #open()} for setClientInfo, whose only checked exception is SQLClientInfoException. */
    private Connection openForClientInfo() throws SQLClientInfoException {
        if (closeState != 0) {
            throw new SQLClientInfoException("Connection is closed", "08003", Map.of());
        }
        touched = true;
        return delegate;
    }

    private Connection openDirty() throws SQLException {
        Connection c = open();
        dirty = true;
        return c;
    }

    // ---- closing

    /**
     * Closes the statements the borrower left open, rolls back a dirty transaction, puts back the state the
     * borrower changed, clears warnings, and gives the physical connection back to the pool: evicted if a fatal
     * error was seen or any of this cleanup failed. Only the first call does anything; it never throws a
     * SQLException, since the connection is back with the pool whatever happened.
     */
    @Override public void close() {
        if (!CLOSED.compareAndSet(this, 0, 1)) {
            return;
        }
        boolean cleanedUp = false;
        try {
            closeStatements();
            if (!evict) { // a broken connection gets closed: talking to it would only cost time
                rollbackAndReset();
            }
            cleanedUp = true;
        } catch (SQLException | RuntimeException e) {
            // The connection is in a state we cannot vouch for: the pool closes it instead of lending it again.
        } finally {
            pool.returnConnection(delegate, evict || !cleanedUp, lentNanos);
        }
    }

    /**
     * Marks the connection for eviction and closes this proxy without the reset, since the pool will close the
     * physical connection. The driver's own abort runs first: it unblocks a thread stuck in a call on this
     * connection, which closing statements (or the pool's close) could otherwise wait for. As JDBC asks, a null
     * executor is refused and a closed connection ignores the call.
     */
    @Override public void abort(Executor executor) throws SQLException {
        if (closeState != 0) {
            return;
        }
        if (executor == null) {
            throw new SQLException("abort needs an Executor");
        }
        if (!CLOSED.compareAndSet(this, 0, 1)) {
            return;
        }
        evict = true;
        try {
            try {
                delegate.abort(executor);
            } catch (SQLException | RuntimeException e) {
                // Evicted either way: the pool closes the physical connection.
            }
            closeStatements();
        } finally {
            pool.returnConnection(delegate, true, lentNanos);
        }
    }

    @Override public boolean isClosed() throws SQLException {
        if (closeState != 0) {
            return true;
        }
        try {
            boolean physicalClosed = delegate.isClosed();
            if (physicalClosed) {
                evict = true; // the driver gave up on it: nothing to give back
            }
            return physicalClosed;
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public boolean isValid(int timeout) throws SQLException {
        if (closeState != 0) {
            return false;
        }
        touched = true;
        try {
            boolean valid = delegate.isValid(timeout);
            if (!valid) {
                evict = true; // the driver says it is broken; the next borrower would find out the hard way
            }
            return valid;
        } catch (SQLException e) {
            throw check(e);
        }
    }

    /** Closes every tracked statement; a failure is ignored unless it is fatal, which evicts. */
    private void closeStatements() {
        // Copy, then clear: a thread still using this connection cannot disturb the loop (no shared iterator).
        ProxyStatement[] list = statements;
        int n = Math.min(statementCount, list.length);
        statements = NO_STATEMENTS;
        statementCount = 0;
        for (int i = 0; i < n; i++) {
            ProxyStatement statement = list[i];
            if (statement == null) {
                continue; // a racing untrack() shifted the array under us
            }
            try {
                statement.closeByConnection();
            } catch (SQLException e) {
                if (pool.evicts(e)) {
                    evict = true;
                }
            } catch (RuntimeException e) {
                // A driver bug in Statement.close(): the statement is gone for us either way.
            }
        }
    }

    /** Rolls back a dirty transaction and puts back each property that differs from the defaults. */
    private void rollbackAndReset() throws SQLException {
        Connection c = delegate;
        if ((set | unknown) == 0) { // the common borrow: no property changed, nothing to compare
            if (dirty && !defaults.autoCommit()) {
                c.rollback();
            }
            if (touched) {
                c.clearWarnings();
            }
            return;
        }
        // Unknown auto-commit (a setter threw, or the borrower unwrapped the connection): ask the driver.
        boolean actualAutoCommit = (unknown & AUTO_COMMIT) != 0 ? c.getAutoCommit() : currentAutoCommit();
        if (!actualAutoCommit && dirty) {
            c.rollback(); // before resetting auto-commit, which would commit the borrower's leftovers
        }
        if (actualAutoCommit != defaults.autoCommit()) {
            c.setAutoCommit(defaults.autoCommit());
        }
        if (needsReset(READ_ONLY, readOnly == defaults.readOnly())) {
            c.setReadOnly(defaults.readOnly());
        }
        if (needsReset(ISOLATION, isolation == defaults.isolation())) {
            c.setTransactionIsolation(defaults.isolation());
        }
        // No null catalog or schema is put back: setCatalog(null)/setSchema(null) mean different things per driver.
        if (defaults.catalog() != null && needsReset(CATALOG, defaults.catalog().equals(catalog))) {
            c.setCatalog(defaults.catalog());
        }
        if (defaults.schema() != null && needsReset(SCHEMA, defaults.schema().equals(schema))) {
            c.setSchema(defaults.schema());
        }
        // -1: the driver has no network timeout (ConnectionDefaults.readFrom), so there is nothing to put back.
        int defaultTimeout = defaults.networkTimeout();
        if (defaultTimeout >= 0 && needsReset(NETWORK_TIMEOUT, networkTimeout == defaultTimeout)) {
            c.setNetworkTimeout(IN_CALLER, defaultTimeout);
        }
        if (touched) {
            c.clearWarnings();
        }
    }

    /** Whether the borrower set {@code property} here and its value on the driver is known. */
    private boolean knows(int property) {
        return (set & property) != 0 && (unknown & property) == 0;
    }

    /**
     * Whether close() must put {@code property} back: its value on the driver is unknown, or the
     * borrower set it here to something else than the default ({@code sameAsDefault} compares the
     * field, which holds a value only once the borrower set it).
     */
    private boolean needsReset(int property, boolean sameAsDefault) {
        return (unknown & property) != 0 || ((set & property) != 0 && !sameAsDefault);
    }

    /** Auto-commit as this proxy knows it: what the borrower set here, else the default. */
    private boolean currentAutoCommit() {
        return (set & AUTO_COMMIT) != 0 ? autoCommit : defaults.autoCommit();
    }

    // ---- state that close() puts back: each setter records what it set. The property is "unknown" while the
    // driver call runs, so that one that throws halfway leaves it to be put back.

    @Override public void setAutoCommit(boolean autoCommit) throws SQLException {
        try {
            Connection c = open();
            boolean wasOn = currentAutoCommit() && (unknown & AUTO_COMMIT) == 0;
            unknown |= AUTO_COMMIT;
            c.setAutoCommit(autoCommit);
            if (autoCommit || wasOn) {
                dirty = false; // turned on: the driver committed; turned off from on: a new transaction starts
            }
            this.autoCommit = autoCommit;
            unknown &= ~AUTO_COMMIT;
            set |= AUTO_COMMIT;
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public void commit() throws SQLException {
        try {
            open().commit();
            dirty = false;
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public void rollback() throws SQLException {
        try {
            open().rollback();
            dirty = false;
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public void setReadOnly(boolean readOnly) throws SQLException {
        try {
            Connection c = open();
            unknown |= READ_ONLY;
            c.setReadOnly(readOnly);
            this.readOnly = readOnly;
            unknown &= ~READ_ONLY;
            set |= READ_ONLY;
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public void setTransactionIsolation(int level) throws SQLException {
        try {
            Connection c = open();
            unknown |= ISOLATION;
            c.setTransactionIsolation(level);
            isolation = level;
            unknown &= ~ISOLATION;
            set |= ISOLATION;
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public void setCatalog(String catalog) throws SQLException {
        try {
            Connection c = open();
            unknown |= CATALOG;
            c.setCatalog(catalog);
            this.catalog = catalog;
            unknown &= ~CATALOG;
            set |= CATALOG;
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public void setSchema(String schema) throws SQLException {
        try {
            Connection c = open();
            unknown |= SCHEMA;
            c.setSchema(schema);
            this.schema = schema;
            unknown &= ~SCHEMA;
            set |= SCHEMA;
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        try {
            Connection c = open();
            unknown |= NETWORK_TIMEOUT;
            c.setNetworkTimeout(executor, milliseconds);
            networkTimeout = milliseconds;
            unknown &= ~NETWORK_TIMEOUT;
            set |= NETWORK_TIMEOUT;
        } catch (SQLException e) {
            throw check(e);
        }
    }

    // ---- wrapper and metadata: nothing here leads back to the pool or to the driver's connection by accident

    @Override public DatabaseMetaData getMetaData() throws SQLException {
        try {
            return new ProxyDatabaseMetaData(this, open().getMetaData());
        } catch (SQLException e) {
            throw check(e);
        }
    }

    /**
     * Returns the driver's connection if it is an {@code iface}, else asks the driver. Whatever the borrower does
     * with what it gets is out of this proxy's sight, so close() then assumes a transaction may be open and asks
     * the driver for its auto-commit mode.
     */
    @Override public <T> T unwrap(Class<T> iface) throws SQLException {
        try {
            Connection c = open();
            T unwrapped = iface.isInstance(c) ? iface.cast(c) : c.unwrap(iface);
            dirty = true;
            unknown |= AUTO_COMMIT;
            return unwrapped;
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public boolean isWrapperFor(Class<?> iface) throws SQLException {
        try {
            Connection c = open();
            return iface.isInstance(c) || c.isWrapperFor(iface);
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public String toString() {
        return "ProxyConnection[" + delegate + (closeState != 0 ? ", closed]" : "]");
    }

    // ---- Statements: tracked, so that close() can close what the borrower left open

    @Override public Statement createStatement() throws SQLException {
        try { return statement(open().createStatement()); } catch (SQLException e) { throw check(e); }
    }

    @Override public PreparedStatement prepareStatement(String sql) throws SQLException {
        try { return prepared(open().prepareStatement(sql)); } catch (SQLException e) { throw check(e); }
    }

    @Override public CallableStatement prepareCall(String sql) throws SQLException {
        try { return callable(open().prepareCall(sql)); } catch (SQLException e) { throw check(e); }
    }

    @Override public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        try {
            return statement(open().createStatement(resultSetType, resultSetConcurrency));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public PreparedStatement prepareStatement(
            String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        try {
            return prepared(open().prepareStatement(sql, resultSetType, resultSetConcurrency));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public CallableStatement prepareCall(
            String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        try {
            return callable(open().prepareCall(sql, resultSetType, resultSetConcurrency));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public Statement createStatement(
            int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
        try {
            return statement(open().createStatement(resultSetType, resultSetConcurrency, resultSetHoldability));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public PreparedStatement prepareStatement(
            String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
        try {
            return prepared(open().prepareStatement(sql, resultSetType, resultSetConcurrency,
                    resultSetHoldability));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public CallableStatement prepareCall(
            String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
        try {
            return callable(open().prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        try {
            return prepared(open().prepareStatement(sql, autoGeneratedKeys));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        try {
            return prepared(open().prepareStatement(sql, columnIndexes));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        try {
            return prepared(open().prepareStatement(sql, columnNames));
        } catch (SQLException e) {
            throw check(e);
        }
    }

    // ---- Transactions: a savepoint is a statement (it opens a transaction); rollback to one keeps it open

    @Override public Savepoint setSavepoint() throws SQLException {
        try { return openDirty().setSavepoint(); } catch (SQLException e) { throw check(e); }
    }

    @Override public Savepoint setSavepoint(String name) throws SQLException {
        try { return openDirty().setSavepoint(name); } catch (SQLException e) { throw check(e); }
    }

    @Override public void rollback(Savepoint savepoint) throws SQLException {
        try { open().rollback(savepoint); } catch (SQLException e) { throw check(e); }
    }

    @Override public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        try { open().releaseSavepoint(savepoint); } catch (SQLException e) { throw check(e); }
    }

    // ---- Getters, and state that close() does not put back (holdability, type map and client info are not
    // in ConnectionDefaults)

    @Override public boolean getAutoCommit() throws SQLException {
        try {
            Connection c = open();
            return knows(AUTO_COMMIT) ? autoCommit : c.getAutoCommit();
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public boolean isReadOnly() throws SQLException {
        try {
            Connection c = open();
            return knows(READ_ONLY) ? readOnly : c.isReadOnly();
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public String getCatalog() throws SQLException {
        try {
            Connection c = open();
            return knows(CATALOG) ? catalog : c.getCatalog();
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public int getTransactionIsolation() throws SQLException {
        try {
            Connection c = open();
            return knows(ISOLATION) ? isolation : c.getTransactionIsolation();
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public Map<String, Class<?>> getTypeMap() throws SQLException {
        try { return open().getTypeMap(); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        try { open().setTypeMap(map); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setHoldability(int holdability) throws SQLException {
        try { open().setHoldability(holdability); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getHoldability() throws SQLException {
        try { return open().getHoldability(); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setClientInfo(String name, String value) throws SQLClientInfoException {
        try { openForClientInfo().setClientInfo(name, value); } catch (SQLClientInfoException e) { throw check(e); }
    }

    @Override public void setClientInfo(Properties properties) throws SQLClientInfoException {
        try { openForClientInfo().setClientInfo(properties); } catch (SQLClientInfoException e) { throw check(e); }
    }

    @Override public String getClientInfo(String name) throws SQLException {
        try { return open().getClientInfo(name); } catch (SQLException e) { throw check(e); }
    }

    @Override public Properties getClientInfo() throws SQLException {
        try { return open().getClientInfo(); } catch (SQLException e) { throw check(e); }
    }

    @Override public String getSchema() throws SQLException {
        try {
            Connection c = open();
            return knows(SCHEMA) ? schema : c.getSchema();
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public int getNetworkTimeout() throws SQLException {
        try {
            Connection c = open();
            return knows(NETWORK_TIMEOUT) ? networkTimeout : c.getNetworkTimeout();
        } catch (SQLException e) {
            throw check(e);
        }
    }

    // ---- Factories and warnings

    @Override public String nativeSQL(String sql) throws SQLException {
        try { return open().nativeSQL(sql); } catch (SQLException e) { throw check(e); }
    }

    @Override public SQLWarning getWarnings() throws SQLException {
        try { return open().getWarnings(); } catch (SQLException e) { throw check(e); }
    }

    @Override public void clearWarnings() throws SQLException {
        try { open().clearWarnings(); } catch (SQLException e) { throw check(e); }
    }

    @Override public Clob createClob() throws SQLException {
        try { return open().createClob(); } catch (SQLException e) { throw check(e); }
    }

    @Override public Blob createBlob() throws SQLException {
        try { return open().createBlob(); } catch (SQLException e) { throw check(e); }
    }

    @Override public NClob createNClob() throws SQLException {
        try { return open().createNClob(); } catch (SQLException e) { throw check(e); }
    }

    @Override public SQLXML createSQLXML() throws SQLException {
        try { return open().createSQLXML(); } catch (SQLException e) { throw check(e); }
    }

    @Override public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        try { return open().createArrayOf(typeName, elements); } catch (SQLException e) { throw check(e); }
    }

    @Override public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        try { return open().createStruct(typeName, attributes); } catch (SQLException e) { throw check(e); }
    }

    // ---- Requests and sharding (default methods, so the driver's own behaviour passes through)

    @Override public void beginRequest() throws SQLException {
        try { open().beginRequest(); } catch (SQLException e) { throw check(e); }
    }

    @Override public void endRequest() throws SQLException {
        try { open().endRequest(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean setShardingKeyIfValid(
            ShardingKey shardingKey, ShardingKey superShardingKey, int timeout) throws SQLException {
        try {
            return open().setShardingKeyIfValid(shardingKey, superShardingKey, timeout);
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public boolean setShardingKeyIfValid(ShardingKey shardingKey, int timeout) throws SQLException {
        try {
            return open().setShardingKeyIfValid(shardingKey, timeout);
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public void setShardingKey(
            ShardingKey shardingKey, ShardingKey superShardingKey) throws SQLException {
        try { open().setShardingKey(shardingKey, superShardingKey); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setShardingKey(ShardingKey shardingKey) throws SQLException {
        try { open().setShardingKey(shardingKey); } catch (SQLException e) { throw check(e); }
    }
}
