package dev.tidepool.jdbc.proxy;

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
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * A driver connection for fault injection: it keeps the six {@link ConnectionDefaults} properties as real state,
 * counts every call by method name, and throws the exception registered with {@link #failOn} for a method.
 * Statement calls are counted here too, as "Statement.execute" and so on. What the proxy tests do not need
 * throws UnsupportedOperationException.
 */
final class FakeConnection implements Connection {
    private final Map<String, Integer> calls = new ConcurrentHashMap<>();
    private final Map<String, SQLException> failures = new ConcurrentHashMap<>();
    final Queue<FakeStatement> statements = new ConcurrentLinkedQueue<>();
    /** Runs inside clearWarnings(), before it counts: lets a test hold a close() halfway. */
    volatile Runnable onClearWarnings = () -> { };

    volatile boolean autoCommit = true;
    volatile boolean readOnly;
    volatile int isolation = TRANSACTION_READ_COMMITTED;
    volatile String catalog = "main";
    volatile String schema = "public";
    volatile int networkTimeout;
    volatile boolean closed;

    /** The state this connection is in now, as the pool would read it. */
    ConnectionDefaults defaults() {
        return new ConnectionDefaults(autoCommit, readOnly, isolation, catalog, schema, networkTimeout);
    }

    /** Makes every later call of {@code method} ("rollback", "Statement.execute", ...) throw {@code e}. */
    FakeConnection failOn(String method, SQLException e) {
        failures.put(method, e);
        return this;
    }

    /** Undoes {@link #failOn}: {@code method} works again. */
    FakeConnection succeedOn(String method) {
        failures.remove(method);
        return this;
    }

    int calls(String method) {
        return calls.getOrDefault(method, 0);
    }

    /** Counts a call, then throws its registered failure if any. */
    void call(String method) throws SQLException {
        calls.merge(method, 1, Integer::sum);
        SQLException failure = failures.get(method);
        if (failure != null) {
            throw failure;
        }
    }

    private static UnsupportedOperationException notFaked() {
        return new UnsupportedOperationException("not faked");
    }

    // ---- faked: statements, transactions and the properties a proxy puts back

    @Override public Statement createStatement() throws SQLException {
        call("createStatement");
        FakeStatement statement = new FakeStatement(this);
        statements.add(statement);
        return statement;
    }

    @Override public void setAutoCommit(boolean autoCommit) throws SQLException {
        call("setAutoCommit");
        this.autoCommit = autoCommit;
    }

    @Override public boolean getAutoCommit() throws SQLException { call("getAutoCommit"); return autoCommit; }
    @Override public void commit() throws SQLException { call("commit"); }
    @Override public void rollback() throws SQLException { call("rollback"); }
    @Override public void setReadOnly(boolean readOnly) throws SQLException {
        call("setReadOnly");
        this.readOnly = readOnly;
    }

    @Override public boolean isReadOnly() throws SQLException { call("isReadOnly"); return readOnly; }
    @Override public void setCatalog(String catalog) throws SQLException {
        call("setCatalog");
        this.catalog = catalog;
    }

    @Override public String getCatalog() throws SQLException { call("getCatalog"); return catalog; }
    @Override public void setTransactionIsolation(int level) throws SQLException {
        call("setTransactionIsolation");
        isolation = level;
    }

    @Override public int getTransactionIsolation() throws SQLException {
        call("getTransactionIsolation");
        return isolation;
    }

    @Override public void setSchema(String schema) throws SQLException { call("setSchema"); this.schema = schema; }
    @Override public String getSchema() throws SQLException { call("getSchema"); return schema; }
    @Override public int getNetworkTimeout() throws SQLException { call("getNetworkTimeout"); return networkTimeout; }

    @Override public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        call("setNetworkTimeout");
        networkTimeout = milliseconds;
    }

    @Override public void clearWarnings() throws SQLException {
        onClearWarnings.run();
        call("clearWarnings");
    }

    @Override public SQLWarning getWarnings() throws SQLException { call("getWarnings"); return null; }
    @Override public void close() throws SQLException { call("close"); closed = true; }
    @Override public boolean isClosed() throws SQLException { call("isClosed"); return closed; }
    @Override public boolean isValid(int timeout) throws SQLException { call("isValid"); return !closed; }
    @Override public void abort(Executor executor) throws SQLException { call("abort"); closed = true; }

    @Override public <T> T unwrap(Class<T> iface) throws SQLException {
        call("unwrap");
        throw new SQLException("not a wrapper for " + iface);
    }

    @Override public boolean isWrapperFor(Class<?> iface) throws SQLException { call("isWrapperFor"); return false; }

    // ---- not needed by the tests

    @Override public PreparedStatement prepareStatement(String sql) { throw notFaked(); }
    @Override public CallableStatement prepareCall(String sql) { throw notFaked(); }
    @Override public String nativeSQL(String sql) { throw notFaked(); }
    @Override public DatabaseMetaData getMetaData() { throw notFaked(); }
    @Override public Statement createStatement(int type, int concurrency) { throw notFaked(); }
    @Override public PreparedStatement prepareStatement(String sql, int type, int concurrency) { throw notFaked(); }
    @Override public CallableStatement prepareCall(String sql, int type, int concurrency) { throw notFaked(); }
    @Override public Map<String, Class<?>> getTypeMap() { throw notFaked(); }
    @Override public void setTypeMap(Map<String, Class<?>> map) { throw notFaked(); }
    @Override public void setHoldability(int holdability) { throw notFaked(); }
    @Override public int getHoldability() { throw notFaked(); }
    @Override public Savepoint setSavepoint() { throw notFaked(); }
    @Override public Savepoint setSavepoint(String name) { throw notFaked(); }
    @Override public void rollback(Savepoint savepoint) { throw notFaked(); }
    @Override public void releaseSavepoint(Savepoint savepoint) { throw notFaked(); }
    @Override public Statement createStatement(int type, int concurrency, int holdability) { throw notFaked(); }
    @Override public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability) {
        throw notFaked();
    }
    @Override public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability) {
        throw notFaked();
    }
    @Override public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) { throw notFaked(); }
    @Override public PreparedStatement prepareStatement(String sql, int[] columnIndexes) { throw notFaked(); }
    @Override public PreparedStatement prepareStatement(String sql, String[] columnNames) { throw notFaked(); }
    @Override public Clob createClob() { throw notFaked(); }
    @Override public Blob createBlob() { throw notFaked(); }
    @Override public NClob createNClob() { throw notFaked(); }
    @Override public SQLXML createSQLXML() { throw notFaked(); }
    @Override public void setClientInfo(String name, String value) throws SQLClientInfoException { throw notFaked(); }
    @Override public void setClientInfo(Properties properties) throws SQLClientInfoException { throw notFaked(); }
    @Override public String getClientInfo(String name) { throw notFaked(); }
    @Override public Properties getClientInfo() { throw notFaked(); }
    @Override public Array createArrayOf(String typeName, Object[] elements) { throw notFaked(); }
    @Override public Struct createStruct(String typeName, Object[] attributes) { throw notFaked(); }
}
