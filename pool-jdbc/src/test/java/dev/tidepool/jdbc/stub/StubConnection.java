package dev.tidepool.jdbc.stub;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.ClientInfoStatus;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection to a {@link StubDatabase}. It keeps the JDBC state a pool resets (auto-commit,
 * read-only, isolation, catalog, schema, network timeout, holdability, type map, client info) and
 * behaves like a PostgreSQL connection where it matters to a pool:
 *
 * <ul>
 *   <li>Defaults: auto-commit on, read-write, {@code READ_COMMITTED}, catalog = the database name,
 *       schema {@code public}, network timeout 0.</li>
 *   <li>After {@code close()} every method but {@code close}, {@code isClosed}, {@code isValid}
 *       (false) and {@code abort} throws {@code SQLException} "Connection is closed" ({@code 08003}).
 *       Closing a connection closes its statements.</li>
 *   <li>Once broken ({@link StubDatabase#killOpenConnections()}, or an execute that outlived the
 *       network timeout) the same methods throw {@code 08006} and {@code isValid} returns false.</li>
 *   <li>{@code commit()} and {@code rollback()} in auto-commit mode throw {@code 25P01}; switching
 *       auto-commit on in the middle of a transaction commits it; changing read-only or the
 *       isolation level in the middle of a transaction throws {@code 25001}. A transaction starts
 *       with the first statement executed while auto-commit is off.</li>
 * </ul>
 *
 * <p>Like a real driver's connection it is meant to be used by one thread at a time; {@code close},
 * {@code abort} and the closed and broken flags are safe to use from any thread.
 */
public final class StubConnection extends StubConnectionPad implements Connection {
    private static final VarHandle CLOSED;
    private static final VarHandle OPEN_STATEMENTS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CLOSED = lookup.findVarHandle(StubConnection.class, "closed", boolean.class);
            OPEN_STATEMENTS = lookup.findVarHandle(StubConnection.class, "openStatements", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@link #openStatements} once the connection is closed: no statement may open or count down. */
    private static final int STATEMENTS_CLOSED = -1;

    private final StubDatabase db;
    private final long id;
    private final int epoch;
    private final String user;

    private volatile boolean closed;
    private volatile boolean broken;
    /** Statements of this connection not yet closed, or {@link #STATEMENTS_CLOSED}. */
    private volatile int openStatements;

    // JDBC state: one thread at a time, as with any driver's connection.
    private boolean autoCommit = true;
    private boolean readOnly;
    private int isolation = TRANSACTION_READ_COMMITTED;
    private String catalog;
    private String schema = "public";
    private int networkTimeout;
    private int holdability = ResultSet.HOLD_CURSORS_OVER_COMMIT;
    private Map<String, Class<?>> typeMap;
    private Properties clientInfo;
    private boolean inTransaction;

    StubConnection(StubDatabase db, long id, int epoch, String user) {
        this.db = db;
        this.id = id;
        this.epoch = epoch;
        this.user = user;
        this.catalog = db.name();
    }

    // ------------------------------------------------------------ for tests

    /** The database this connection belongs to. */
    public StubDatabase database() {
        return db;
    }

    /** This connection's number within its database: 1 for the first connection ever made, and so on. */
    public long id() {
        return id;
    }

    /** The user this connection was opened with (null if none was given). */
    public String user() {
        return user;
    }

    /** Whether the connection is broken: killed, or timed out on the network. Closed connections are not broken. */
    public boolean isBroken() {
        return broken || db.killedSince(epoch);
    }

    /** Whether a transaction is open: a statement ran since the last commit or rollback with auto-commit off. */
    public boolean inTransaction() {
        return inTransaction;
    }

    @Override
    public String toString() {
        return "StubConnection[" + db.name() + "#" + id + (closed ? ", closed" : isBroken() ? ", broken" : "") + "]";
    }

    // ------------------------------------------------------------ package-private, for statements

    /** Throws unless the connection is open and not broken. On the hot path: three volatile reads. */
    void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException("Connection is closed", "08003");
        }
        if (broken || db.killedSince(epoch)) {
            throw new SQLException("An I/O error occurred while sending to the backend (stub connection "
                    + db.name() + "#" + id + " is broken)", "08006");
        }
    }

    StubDatabase db() {
        return db;
    }

    int networkTimeoutMillis() {
        return networkTimeout;
    }

    /** An execute outlived the network timeout: the connection is gone, as after a socket read timeout. */
    SQLException breakOnNetworkTimeout() {
        broken = true;
        return new SQLException("An I/O error occurred while sending to the backend (Read timed out after "
                + networkTimeout + " ms)", "08006");
    }

    /** A statement of this connection executed successfully. */
    void executed() {
        if (!autoCommit) {
            inTransaction = true;
        }
    }

    /** Counts a new statement; throws if the connection is closed meanwhile. */
    void statementOpened() throws SQLException {
        for (;;) {
            int n = openStatements;
            if (n == STATEMENTS_CLOSED) {
                throw new SQLException("Connection is closed", "08003");
            }
            if (OPEN_STATEMENTS.compareAndSet(this, n, n + 1)) {
                db.statementOpened();
                return;
            }
        }
    }

    /** A statement closed; does nothing if this connection closed first (it counted the statement then). */
    void statementClosed() {
        for (;;) {
            int n = openStatements;
            if (n == STATEMENTS_CLOSED) {
                return;
            }
            if (OPEN_STATEMENTS.compareAndSet(this, n, n - 1)) {
                db.statementClosed();
                return;
            }
        }
    }

    // ------------------------------------------------------------ statements

    @Override
    public Statement createStatement() throws SQLException {
        checkOpen();
        return new StubStatement(this, null);
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        checkOpen();
        return new StubStatement(this, null);
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        checkOpen();
        return new StubStatement(this, null);
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return prepare(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        return prepare(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
                                              int resultSetHoldability) throws SQLException {
        return prepare(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        return prepare(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        return prepare(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        return prepare(sql);
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        return prepare(sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        return prepare(sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
                                         int resultSetHoldability) throws SQLException {
        return prepare(sql);
    }

    private StubStatement prepare(String sql) throws SQLException {
        checkOpen();
        if (sql == null) {
            throw new SQLException("SQL is null", "22004");
        }
        return new StubStatement(this, sql);
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        checkOpen();
        return sql;
    }

    // ------------------------------------------------------------ transactions

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        checkOpen();
        if (autoCommit && !this.autoCommit && inTransaction) {
            inTransaction = false;
            db.committed(); // JDBC: turning auto-commit on mid-transaction commits it
        }
        this.autoCommit = autoCommit;
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        checkOpen();
        return autoCommit;
    }

    @Override
    public void commit() throws SQLException {
        checkOpen();
        if (autoCommit) {
            throw new SQLException("Cannot commit when autoCommit is enabled.", "25P01");
        }
        inTransaction = false;
        db.committed();
    }

    @Override
    public void rollback() throws SQLException {
        checkOpen();
        if (autoCommit) {
            throw new SQLException("Cannot rollback when autoCommit is enabled.", "25P01");
        }
        inTransaction = false;
        db.rolledBack();
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        checkOpen();
        if (autoCommit) {
            throw new SQLException("Cannot rollback when autoCommit is enabled.", "25P01");
        }
        checkSavepoint(savepoint);
        db.rolledBack();
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return newSavepoint(null);
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        return newSavepoint(Objects.requireNonNull(name, "name"));
    }

    private Savepoint newSavepoint(String name) throws SQLException {
        checkOpen();
        if (autoCommit) {
            throw new SQLException("Cannot establish a savepoint in auto-commit mode.", "25P01");
        }
        inTransaction = true;
        return new StubSavepoint(this, name);
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        checkOpen();
        checkSavepoint(savepoint);
    }

    private void checkSavepoint(Savepoint savepoint) throws SQLException {
        if (!(savepoint instanceof StubSavepoint s) || s.connection != this) {
            throw new SQLException("not a savepoint of this connection: " + savepoint, "3B001");
        }
    }

    // ------------------------------------------------------------ close

    @Override
    public void close() {
        if (CLOSED.compareAndSet(this, false, true)) {
            int stillOpen = (int) OPEN_STATEMENTS.getAndSet(this, STATEMENTS_CLOSED);
            db.connectionClosed(stillOpen);
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        if (closed) {
            return;
        }
        if (executor == null) {
            throw new SQLException("executor is null", "22004");
        }
        close();
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        if (timeout < 0) {
            throw new SQLException("timeout < 0: " + timeout, "22023");
        }
        if (closed || isBroken()) {
            db.countDeadValidation();
            return false;
        }
        return db.validate(timeout);
    }

    // ------------------------------------------------------------ state a pool resets

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        checkOpen();
        if (inTransaction && readOnly != this.readOnly) {
            throw new SQLException("Cannot change transaction read-only property in the middle of a transaction.",
                    "25001");
        }
        this.readOnly = readOnly;
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkOpen();
        return readOnly;
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        checkOpen();
        this.catalog = catalog;
    }

    @Override
    public String getCatalog() throws SQLException {
        checkOpen();
        return catalog;
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        checkOpen();
        this.schema = schema;
    }

    @Override
    public String getSchema() throws SQLException {
        checkOpen();
        return schema;
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        checkOpen();
        switch (level) {
            case TRANSACTION_READ_UNCOMMITTED, TRANSACTION_READ_COMMITTED, TRANSACTION_REPEATABLE_READ,
                 TRANSACTION_SERIALIZABLE -> {
            }
            default -> throw new SQLException("invalid transaction isolation level " + level, "22023");
        }
        if (inTransaction && level != isolation) {
            throw new SQLException("Cannot change transaction isolation level in the middle of a transaction.",
                    "25001");
        }
        this.isolation = level;
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        checkOpen();
        return isolation;
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        checkOpen();
        if (executor == null) {
            throw new SQLException("executor is null", "22004");
        }
        if (milliseconds < 0) {
            throw new SQLException("network timeout < 0: " + milliseconds, "22023");
        }
        this.networkTimeout = milliseconds;
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        checkOpen();
        return networkTimeout;
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        checkOpen();
        if (holdability != ResultSet.HOLD_CURSORS_OVER_COMMIT && holdability != ResultSet.CLOSE_CURSORS_AT_COMMIT) {
            throw new SQLException("invalid holdability " + holdability, "22023");
        }
        this.holdability = holdability;
    }

    @Override
    public int getHoldability() throws SQLException {
        checkOpen();
        return holdability;
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        checkOpen();
        return typeMap == null ? new HashMap<>() : new HashMap<>(typeMap);
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        checkOpen();
        this.typeMap = map == null ? null : new HashMap<>(map);
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        checkOpenForClientInfo(name);
        if (clientInfo == null) {
            clientInfo = new Properties();
        }
        if (value == null) {
            clientInfo.remove(name);
        } else {
            clientInfo.setProperty(name, value);
        }
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        checkOpenForClientInfo(null);
        clientInfo = new Properties();
        if (properties != null) {
            for (String name : properties.stringPropertyNames()) {
                clientInfo.setProperty(name, properties.getProperty(name));
            }
        }
    }

    private void checkOpenForClientInfo(String name) throws SQLClientInfoException {
        try {
            checkOpen();
        } catch (SQLException e) {
            Map<String, ClientInfoStatus> failed = name == null ? Map.of()
                    : Map.of(name, ClientInfoStatus.REASON_UNKNOWN);
            throw new SQLClientInfoException(e.getMessage(), e.getSQLState(), failed, e);
        }
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        checkOpen();
        return clientInfo == null ? null : clientInfo.getProperty(name);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        checkOpen();
        Properties copy = new Properties();
        if (clientInfo != null) {
            copy.putAll(clientInfo);
        }
        return copy;
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        checkOpen();
        return new StubDatabaseMetaData(this);
    }

    // ------------------------------------------------------------ not supported

    @Override
    public Clob createClob() throws SQLException {
        throw unsupported("createClob");
    }

    @Override
    public Blob createBlob() throws SQLException {
        throw unsupported("createBlob");
    }

    @Override
    public NClob createNClob() throws SQLException {
        throw unsupported("createNClob");
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        throw unsupported("createSQLXML");
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        throw unsupported("createArrayOf");
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        throw unsupported("createStruct");
    }

    private SQLException unsupported(String method) throws SQLException {
        checkOpen();
        return new SQLFeatureNotSupportedException("StubConnection does not support " + method);
    }

    // ------------------------------------------------------------ Wrapper

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("StubConnection is not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    /** A savepoint of one connection. */
    private static final class StubSavepoint implements Savepoint {
        private static final AtomicInteger IDS = new AtomicInteger();
        final StubConnection connection;
        final String name;
        final int id = IDS.incrementAndGet();

        StubSavepoint(StubConnection connection, String name) {
            this.connection = connection;
            this.name = name;
        }

        @Override
        public int getSavepointId() throws SQLException {
            if (name != null) {
                throw new SQLException("a named savepoint has no id", "3B001");
            }
            return id;
        }

        @Override
        public String getSavepointName() throws SQLException {
            if (name == null) {
                throw new SQLException("an unnamed savepoint has no name", "3B001");
            }
            return name;
        }
    }

    /** Trailing padding: see {@link StubConnectionPad}. */
    @SuppressWarnings("unused")
    private long q0, q1, q2, q3, q4, q5, q6, q7;
}
