package dev.tidepool.jdbc.proxy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

/**
 * The {@link Statement} a {@link ProxyConnection} hands out. Every call goes to the driver's statement; this proxy
 * adds:
 * <ul>
 *   <li>tracking: the connection closes it if the borrower does not, and forgets it when the borrower does;
 *   <li>the dirty flag: every execute and addBatch tells the connection that close() may need to roll back;
 *   <li>{@link #getConnection()} returns the proxy connection, and result sets come back as {@link ProxyResultSet}s
 *       whose {@code getStatement()} is this proxy;
 *   <li>a fatal SQLException marks the connection for eviction; once this statement or its connection is closed,
 *       every call throws "Statement is closed" without reaching the driver.
 * </ul>
 * The prepared and callable proxies extend this one, as their interfaces extend {@code Statement}.
 */
sealed class ProxyStatement implements Statement permits ProxyPreparedStatement {
    final ProxyConnection connection;
    private final Statement delegate;
    /**
     * Closed through this proxy, by the borrower or by the connection's close(). A plain field: the latter may
     * run in another thread, but it sets the connection's volatile closed flag first, which open() also reads.
     */
    private boolean closed;
    private boolean closeOnCompletion;
    /** The last result set handed out, so that asking again for the same one returns the same proxy. */
    private ProxyResultSet resultSet;

    ProxyStatement(ProxyConnection connection, Statement delegate) {
        this.connection = connection;
        this.delegate = delegate;
    }

    /** What every call on a closed statement throws (HY010, SQL/CLI's "function sequence error"). */
    static SQLException closedException() {
        return new SQLException("Statement is closed", "HY010");
    }

    /** The driver's statement, if this proxy and its connection are still open. */
    final Statement open() throws SQLException {
        if (closed || connection.isProxyClosed()) {
            throw closedException();
        }
        return delegate;
    }

    /** {@link #open()} for a call that runs SQL: the connection's transaction becomes dirty. */
    final Statement openDirty() throws SQLException {
        Statement s = open();
        connection.markDirty();
        return s;
    }

    final <E extends SQLException> E check(E e) {
        return connection.check(e);
    }

    /** Wraps a result set of this statement; the same driver result set gets the same proxy. */
    final ResultSet wrap(ResultSet rs) {
        if (rs == null) {
            return null;
        }
        ProxyResultSet last = resultSet;
        if (last != null && last.wraps(rs)) {
            return last;
        }
        return resultSet = new ProxyResultSet(connection, this, rs);
    }

    /** Closes the driver's statement for the connection's close(), even if the borrower is closing it too. */
    final void closeByConnection() throws SQLException {
        closed = true;
        resultSet = null;
        delegate.close();
    }

    /**
     * One of this statement's result sets was closed. With closeOnCompletion the driver may have closed this
     * statement with it; if so, forget it now, since the borrower has no reason to close it again.
     */
    final void resultSetClosed(ProxyResultSet rs) {
        if (resultSet == rs) {
            resultSet = null;
        }
        if (!closeOnCompletion || closed) {
            return;
        }
        try {
            if (delegate.isClosed()) {
                closed = true;
                connection.untrack(this);
            }
        } catch (SQLException e) {
            check(e); // only to see whether it is fatal: the result set's close() itself went well
        }
    }

    // ---- lifecycle and wrapper

    @Override public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        resultSet = null;
        if (connection.isProxyClosed()) {
            return; // the connection's close() closes (or has closed) the driver's statement
        }
        connection.untrack(this);
        try {
            delegate.close();
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public boolean isClosed() throws SQLException {
        if (closed || connection.isProxyClosed()) {
            return true;
        }
        try {
            return delegate.isClosed();
        } catch (SQLException e) {
            throw check(e);
        }
    }

    /** The proxy connection, never the driver's. */
    @Override public Connection getConnection() throws SQLException {
        open();
        return connection;
    }

    @Override public void closeOnCompletion() throws SQLException {
        try {
            open().closeOnCompletion();
            closeOnCompletion = true;
        } catch (SQLException e) {
            throw check(e);
        }
    }

    /**
     * Returns the driver's statement if it is an {@code iface}, else asks the driver. The borrower may then run
     * SQL behind this proxy's back, so the transaction counts as dirty.
     */
    @Override public <T> T unwrap(Class<T> iface) throws SQLException {
        try {
            Statement s = openDirty();
            return iface.isInstance(s) ? iface.cast(s) : s.unwrap(iface);
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public boolean isWrapperFor(Class<?> iface) throws SQLException {
        try {
            Statement s = open();
            return iface.isInstance(s) || s.isWrapperFor(iface);
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }

    // ---- Execution: each call dirties the transaction (queries too: SELECT ... FOR UPDATE takes locks, and with
    // auto-commit off any statement opens a transaction)

    @Override public ResultSet executeQuery(String sql) throws SQLException {
        try { return wrap(openDirty().executeQuery(sql)); } catch (SQLException e) { throw check(e); }
    }

    @Override public int executeUpdate(String sql) throws SQLException {
        try { return openDirty().executeUpdate(sql); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean execute(String sql) throws SQLException {
        try { return openDirty().execute(sql); } catch (SQLException e) { throw check(e); }
    }

    @Override public void addBatch(String sql) throws SQLException {
        try { openDirty().addBatch(sql); } catch (SQLException e) { throw check(e); }
    }

    @Override public int[] executeBatch() throws SQLException {
        try { return openDirty().executeBatch(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        try { return openDirty().executeUpdate(sql, autoGeneratedKeys); } catch (SQLException e) { throw check(e); }
    }

    @Override public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        try { return openDirty().executeUpdate(sql, columnIndexes); } catch (SQLException e) { throw check(e); }
    }

    @Override public int executeUpdate(String sql, String[] columnNames) throws SQLException {
        try { return openDirty().executeUpdate(sql, columnNames); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        try { return openDirty().execute(sql, autoGeneratedKeys); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean execute(String sql, int[] columnIndexes) throws SQLException {
        try { return openDirty().execute(sql, columnIndexes); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean execute(String sql, String[] columnNames) throws SQLException {
        try { return openDirty().execute(sql, columnNames); } catch (SQLException e) { throw check(e); }
    }

    @Override public long[] executeLargeBatch() throws SQLException {
        try { return openDirty().executeLargeBatch(); } catch (SQLException e) { throw check(e); }
    }

    @Override public long executeLargeUpdate(String sql) throws SQLException {
        try { return openDirty().executeLargeUpdate(sql); } catch (SQLException e) { throw check(e); }
    }

    @Override public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        try {
            return openDirty().executeLargeUpdate(sql, autoGeneratedKeys);
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
        try {
            return openDirty().executeLargeUpdate(sql, columnIndexes);
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
        try { return openDirty().executeLargeUpdate(sql, columnNames); } catch (SQLException e) { throw check(e); }
    }

    // ---- Results: result sets come back as ProxyResultSets whose getStatement() is this proxy

    @Override public void cancel() throws SQLException {
        try { open().cancel(); } catch (SQLException e) { throw check(e); }
    }

    @Override public ResultSet getResultSet() throws SQLException {
        try { return wrap(open().getResultSet()); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getUpdateCount() throws SQLException {
        try { return open().getUpdateCount(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean getMoreResults() throws SQLException {
        try { return open().getMoreResults(); } catch (SQLException e) { throw check(e); }
    }

    @Override public void clearBatch() throws SQLException {
        try { open().clearBatch(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean getMoreResults(int current) throws SQLException {
        try { return open().getMoreResults(current); } catch (SQLException e) { throw check(e); }
    }

    @Override public ResultSet getGeneratedKeys() throws SQLException {
        try { return wrap(open().getGeneratedKeys()); } catch (SQLException e) { throw check(e); }
    }

    @Override public long getLargeUpdateCount() throws SQLException {
        try { return open().getLargeUpdateCount(); } catch (SQLException e) { throw check(e); }
    }

    // ---- SQL quoting (default methods, so drivers that quote differently are heard)

    @Override public String enquoteLiteral(String val) throws SQLException {
        try { return open().enquoteLiteral(val); } catch (SQLException e) { throw check(e); }
    }

    @Override public String enquoteIdentifier(String identifier, boolean alwaysQuote) throws SQLException {
        try { return open().enquoteIdentifier(identifier, alwaysQuote); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean isSimpleIdentifier(String identifier) throws SQLException {
        try { return open().isSimpleIdentifier(identifier); } catch (SQLException e) { throw check(e); }
    }

    @Override public String enquoteNCharLiteral(String val) throws SQLException {
        try { return open().enquoteNCharLiteral(val); } catch (SQLException e) { throw check(e); }
    }

    // ---- Properties and warnings

    @Override public int getMaxFieldSize() throws SQLException {
        try { return open().getMaxFieldSize(); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setMaxFieldSize(int max) throws SQLException {
        try { open().setMaxFieldSize(max); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getMaxRows() throws SQLException {
        try { return open().getMaxRows(); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setMaxRows(int max) throws SQLException {
        try { open().setMaxRows(max); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setEscapeProcessing(boolean enable) throws SQLException {
        try { open().setEscapeProcessing(enable); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getQueryTimeout() throws SQLException {
        try { return open().getQueryTimeout(); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setQueryTimeout(int seconds) throws SQLException {
        try { open().setQueryTimeout(seconds); } catch (SQLException e) { throw check(e); }
    }

    @Override public SQLWarning getWarnings() throws SQLException {
        try { return open().getWarnings(); } catch (SQLException e) { throw check(e); }
    }

    @Override public void clearWarnings() throws SQLException {
        try { open().clearWarnings(); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setCursorName(String name) throws SQLException {
        try { open().setCursorName(name); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setFetchDirection(int direction) throws SQLException {
        try { open().setFetchDirection(direction); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getFetchDirection() throws SQLException {
        try { return open().getFetchDirection(); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setFetchSize(int rows) throws SQLException {
        try { open().setFetchSize(rows); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getFetchSize() throws SQLException {
        try { return open().getFetchSize(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getResultSetConcurrency() throws SQLException {
        try { return open().getResultSetConcurrency(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getResultSetType() throws SQLException {
        try { return open().getResultSetType(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getResultSetHoldability() throws SQLException {
        try { return open().getResultSetHoldability(); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setPoolable(boolean poolable) throws SQLException {
        try { open().setPoolable(poolable); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean isPoolable() throws SQLException {
        try { return open().isPoolable(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean isCloseOnCompletion() throws SQLException {
        try { return open().isCloseOnCompletion(); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setLargeMaxRows(long max) throws SQLException {
        try { open().setLargeMaxRows(max); } catch (SQLException e) { throw check(e); }
    }

    @Override public long getLargeMaxRows() throws SQLException {
        try { return open().getLargeMaxRows(); } catch (SQLException e) { throw check(e); }
    }
}
