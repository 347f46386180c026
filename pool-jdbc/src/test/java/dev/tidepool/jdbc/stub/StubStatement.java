package dev.tidepool.jdbc.stub;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.BatchUpdateException;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * A {@link Statement}, {@link java.sql.PreparedStatement} or {@link CallableStatement} of a
 * {@link StubConnection}: one class for all three. A plain statement has no SQL of its own
 * ({@code createStatement()}); a prepared or callable one has the SQL it was prepared with and
 * refuses the {@code execute(String)} family, as JDBC requires.
 *
 * <p>Executing counts on the {@link StubDatabase} and applies its execute switches. A query (SQL
 * that starts with {@code SELECT}, {@code VALUES}, {@code WITH}, {@code SHOW} or {@code TABLE})
 * yields a {@link StubResultSet} of one row with one {@code int} column valued 1 (no rows while
 * {@link StubDatabase#emptyResults(boolean)} is on); {@code INSERT}, {@code UPDATE}, {@code DELETE}
 * and {@code MERGE} report one row changed, anything else zero. Parameters are accepted and
 * ignored; out parameters all read as SQL {@code NULL}.
 *
 * <p>Creating, executing and closing a statement allocates nothing but the statement itself (the
 * result set is made only when asked for) and takes no lock.
 */
@SuppressWarnings("deprecation")
public final class StubStatement implements CallableStatement {
    private final StubConnection connection;
    private final StubDatabase db;
    /** The SQL of a prepared or callable statement; null for a plain statement. */
    private final String sql;

    private volatile boolean closed;
    private int queryTimeout;
    private long maxRows;
    private int maxFieldSize;
    private int fetchSize;
    private int fetchDirection = ResultSet.FETCH_FORWARD;
    private boolean poolable;
    private boolean closeOnCompletion;
    /** addBatch calls since the last executeBatch or clearBatch. */
    private int batch;

    // The current result: a result set (made lazily) or an update count.
    private boolean hasResultSet;
    private int resultRows;
    private StubResultSet resultSet;
    private long updateCount = -1;

    StubStatement(StubConnection connection, String sql) throws SQLException {
        this.connection = connection;
        this.db = connection.db();
        this.sql = sql;
        this.poolable = sql != null;
        connection.statementOpened();
    }

    /** The SQL this statement was prepared with; null for a plain statement. */
    public String sql() {
        return sql;
    }

    @Override
    public String toString() {
        return "StubStatement[" + connection + (sql != null ? ", " + sql : "") + (closed ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------ state checks

    private void checkOpen() throws SQLException {
        if (closed) {
            if (connection.isClosed()) {
                throw new SQLException("Connection is closed", "08003");
            }
            throw new SQLException("Statement is closed", "55000");
        }
        connection.checkOpen();
    }

    private void checkPlain() throws SQLException {
        if (sql != null) {
            throw new SQLException("Can't use query methods that take a query string on a PreparedStatement.",
                    "42809");
        }
    }

    private String preparedSql() throws SQLException {
        if (sql == null) {
            throw new SQLException("no SQL: this statement was not prepared", "42809");
        }
        return sql;
    }

    // ------------------------------------------------------------ executing

    /** Runs one statement: switches, counters, result. Returns whether the result is a result set. */
    private boolean run(String text) throws SQLException {
        checkOpen();
        if (text == null) {
            throw new SQLException("SQL is null", "22004");
        }
        closeResult();
        if (db.beforeExecute(text, queryTimeout, connection.networkTimeoutMillis())) {
            throw connection.breakOnNetworkTimeout();
        }
        db.executed(1);
        connection.executed();
        int kind = classify(text);
        if (kind == QUERY) {
            hasResultSet = true;
            resultRows = db.emptyResults() ? 0 : 1;
            updateCount = -1;
            return true;
        }
        hasResultSet = false;
        updateCount = kind == DML ? 1 : 0;
        return false;
    }

    private static final int QUERY = 0;
    private static final int DML = 1;
    private static final int OTHER = 2;

    /** Query, DML or other, from the first keyword; allocation-free. */
    static int classify(String text) {
        int i = 0;
        int n = text.length();
        while (i < n && (Character.isWhitespace(text.charAt(i)) || text.charAt(i) == '(')) {
            i++;
        }
        if (startsWith(text, i, "select") || startsWith(text, i, "values") || startsWith(text, i, "with")
                || startsWith(text, i, "show") || startsWith(text, i, "table")) {
            return QUERY;
        }
        if (startsWith(text, i, "insert") || startsWith(text, i, "update") || startsWith(text, i, "delete")
                || startsWith(text, i, "merge")) {
            return DML;
        }
        return OTHER;
    }

    private static boolean startsWith(String text, int at, String keyword) {
        return text.regionMatches(true, at, keyword, 0, keyword.length());
    }

    private void closeResult() {
        StubResultSet rs = resultSet;
        if (rs != null) {
            resultSet = null;
            rs.closeQuietly();
        }
        hasResultSet = false;
        updateCount = -1;
    }

    /** Called by our result set when it is closed; closes this statement if closeOnCompletion is set. */
    void resultSetClosed(StubResultSet rs) {
        if (resultSet == rs) {
            resultSet = null;
        }
        if (closeOnCompletion && !closed) {
            close();
        }
    }

    private StubResultSet query(String text) throws SQLException {
        run(text);
        StubResultSet rs = new StubResultSet(this, hasResultSet ? resultRows : 0);
        hasResultSet = true;
        resultSet = rs;
        return rs;
    }

    private long update(String text) throws SQLException {
        run(text);
        return hasResultSet ? 0 : updateCount;
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        checkPlain();
        return run(sql);
    }

    @Override
    public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        checkPlain();
        return run(sql);
    }

    @Override
    public boolean execute(String sql, int[] columnIndexes) throws SQLException {
        checkPlain();
        return run(sql);
    }

    @Override
    public boolean execute(String sql, String[] columnNames) throws SQLException {
        checkPlain();
        return run(sql);
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        checkPlain();
        return query(sql);
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        checkPlain();
        return (int) update(sql);
    }

    @Override
    public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        checkPlain();
        return (int) update(sql);
    }

    @Override
    public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        checkPlain();
        return (int) update(sql);
    }

    @Override
    public int executeUpdate(String sql, String[] columnNames) throws SQLException {
        checkPlain();
        return (int) update(sql);
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        checkPlain();
        return update(sql);
    }

    @Override
    public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        checkPlain();
        return update(sql);
    }

    @Override
    public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
        checkPlain();
        return update(sql);
    }

    @Override
    public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
        checkPlain();
        return update(sql);
    }

    @Override
    public boolean execute() throws SQLException {
        return run(preparedSql());
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        return query(preparedSql());
    }

    @Override
    public int executeUpdate() throws SQLException {
        return (int) update(preparedSql());
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        return update(preparedSql());
    }

    // ------------------------------------------------------------ batches

    @Override
    public void addBatch(String sql) throws SQLException {
        checkOpen();
        checkPlain();
        if (sql == null) {
            throw new SQLException("SQL is null", "22004");
        }
        db.recordBatchSql(sql);
        batch++;
    }

    @Override
    public void addBatch() throws SQLException {
        checkOpen();
        preparedSql();
        batch++;
    }

    @Override
    public void clearBatch() throws SQLException {
        checkOpen();
        batch = 0;
    }

    @Override
    public int[] executeBatch() throws SQLException {
        long[] counts = runBatch();
        int[] result = new int[counts.length];
        for (int i = 0; i < counts.length; i++) {
            result[i] = (int) counts[i];
        }
        return result;
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        return runBatch();
    }

    private long[] runBatch() throws SQLException {
        checkOpen();
        closeResult();
        int n = batch;
        batch = 0;
        if (n == 0) {
            return new long[0];
        }
        try {
            if (db.beforeExecute(sql, queryTimeout, connection.networkTimeoutMillis())) {
                throw connection.breakOnNetworkTimeout();
            }
        } catch (SQLException e) {
            throw new BatchUpdateException(e.getMessage(), e.getSQLState(), e.getErrorCode(), new long[0], e);
        }
        db.executed(n);
        connection.executed();
        long[] counts = new long[n];
        java.util.Arrays.fill(counts, sql == null ? SUCCESS_NO_INFO : 1);
        return counts;
    }

    // ------------------------------------------------------------ results

    @Override
    public ResultSet getResultSet() throws SQLException {
        checkOpen();
        if (!hasResultSet) {
            return null;
        }
        if (resultSet == null) {
            resultSet = new StubResultSet(this, resultRows);
        }
        return resultSet;
    }

    @Override
    public int getUpdateCount() throws SQLException {
        checkOpen();
        return (int) updateCount;
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        checkOpen();
        return updateCount;
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        checkOpen();
        closeResult();
        return false;
    }

    @Override
    public boolean getMoreResults(int current) throws SQLException {
        checkOpen();
        closeResult();
        return false;
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        checkOpen();
        return new StubResultSet(this, 0);
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        checkOpen();
        return StubResultSet.META_DATA;
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        checkOpen();
        throw new SQLFeatureNotSupportedException("StubStatement has no parameter metadata");
    }

    /** Every out parameter reads as SQL NULL. */
    @Override
    public boolean wasNull() throws SQLException {
        checkOpen();
        return true;
    }

    // ------------------------------------------------------------ close

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeResult();
            connection.statementClosed();
        }
    }

    @Override
    public boolean isClosed() {
        return closed || connection.isClosed();
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        checkOpen();
        closeOnCompletion = true;
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        checkOpen();
        return closeOnCompletion;
    }

    @Override
    public void cancel() throws SQLException {
        checkOpen();
    }

    @Override
    public Connection getConnection() throws SQLException {
        checkOpen();
        return connection;
    }

    // ------------------------------------------------------------ settings

    @Override
    public int getQueryTimeout() throws SQLException {
        checkOpen();
        return queryTimeout;
    }

    @Override
    public void setQueryTimeout(int seconds) throws SQLException {
        checkOpen();
        if (seconds < 0) {
            throw new SQLException("query timeout < 0: " + seconds, "22023");
        }
        queryTimeout = seconds;
    }

    @Override
    public int getMaxRows() throws SQLException {
        checkOpen();
        return (int) Math.min(maxRows, Integer.MAX_VALUE);
    }

    @Override
    public void setMaxRows(int max) throws SQLException {
        setLargeMaxRows(max);
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        checkOpen();
        return maxRows;
    }

    @Override
    public void setLargeMaxRows(long max) throws SQLException {
        checkOpen();
        if (max < 0) {
            throw new SQLException("max rows < 0: " + max, "22023");
        }
        maxRows = max;
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        checkOpen();
        return maxFieldSize;
    }

    @Override
    public void setMaxFieldSize(int max) throws SQLException {
        checkOpen();
        if (max < 0) {
            throw new SQLException("max field size < 0: " + max, "22023");
        }
        maxFieldSize = max;
    }

    @Override
    public int getFetchSize() throws SQLException {
        checkOpen();
        return fetchSize;
    }

    @Override
    public void setFetchSize(int rows) throws SQLException {
        checkOpen();
        if (rows < 0) {
            throw new SQLException("fetch size < 0: " + rows, "22023");
        }
        fetchSize = rows;
    }

    @Override
    public int getFetchDirection() throws SQLException {
        checkOpen();
        return fetchDirection;
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        checkOpen();
        if (direction != ResultSet.FETCH_FORWARD && direction != ResultSet.FETCH_REVERSE
                && direction != ResultSet.FETCH_UNKNOWN) {
            throw new SQLException("invalid fetch direction " + direction, "22023");
        }
        fetchDirection = direction;
    }

    @Override
    public boolean isPoolable() throws SQLException {
        checkOpen();
        return poolable;
    }

    @Override
    public void setPoolable(boolean poolable) throws SQLException {
        checkOpen();
        this.poolable = poolable;
    }

    @Override
    public void setEscapeProcessing(boolean enable) throws SQLException {
        checkOpen();
    }

    @Override
    public void setCursorName(String name) throws SQLException {
        checkOpen();
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        checkOpen();
        return ResultSet.CONCUR_READ_ONLY;
    }

    @Override
    public int getResultSetType() throws SQLException {
        checkOpen();
        return ResultSet.TYPE_FORWARD_ONLY;
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        checkOpen();
        return ResultSet.HOLD_CURSORS_OVER_COMMIT;
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

    // ------------------------------------------------------------ Wrapper

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("StubStatement is not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    // ------------------------------------------------------------ parameters: accepted and ignored;
    // out parameters: all SQL NULL
    @Override
    public void clearParameters() throws SQLException {
        checkOpen();
    }

    @Override
    public Array getArray(String name) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Array getArray(int index) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public BigDecimal getBigDecimal(String name) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public BigDecimal getBigDecimal(int index, int scale) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public BigDecimal getBigDecimal(int index) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Blob getBlob(String name) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Blob getBlob(int index) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public boolean getBoolean(String name) throws SQLException {
        checkOpen();
        return false;
    }

    @Override
    public boolean getBoolean(int index) throws SQLException {
        checkOpen();
        return false;
    }

    @Override
    public byte getByte(String name) throws SQLException {
        checkOpen();
        return 0;
    }

    @Override
    public byte getByte(int index) throws SQLException {
        checkOpen();
        return 0;
    }

    @Override
    public byte[] getBytes(String name) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public byte[] getBytes(int index) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Reader getCharacterStream(String name) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Reader getCharacterStream(int index) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Clob getClob(String name) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Clob getClob(int index) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Date getDate(String name, Calendar cal) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Date getDate(String name) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Date getDate(int index, Calendar cal) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Date getDate(int index) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public double getDouble(String name) throws SQLException {
        checkOpen();
        return 0;
    }

    @Override
    public double getDouble(int index) throws SQLException {
        checkOpen();
        return 0;
    }

    @Override
    public float getFloat(String name) throws SQLException {
        checkOpen();
        return 0;
    }

    @Override
    public float getFloat(int index) throws SQLException {
        checkOpen();
        return 0;
    }

    @Override
    public int getInt(String name) throws SQLException {
        checkOpen();
        return 0;
    }

    @Override
    public int getInt(int index) throws SQLException {
        checkOpen();
        return 0;
    }

    @Override
    public long getLong(String name) throws SQLException {
        checkOpen();
        return 0;
    }

    @Override
    public long getLong(int index) throws SQLException {
        checkOpen();
        return 0;
    }

    @Override
    public Reader getNCharacterStream(String name) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Reader getNCharacterStream(int index) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public NClob getNClob(String name) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public NClob getNClob(int index) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public String getNString(String name) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public String getNString(int index) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public <T> T getObject(String name, Class<T> type) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Object getObject(String name, Map<String, Class<?>> map) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Object getObject(String name) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public <T> T getObject(int index, Class<T> type) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Object getObject(int index, Map<String, Class<?>> map) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Object getObject(int index) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Ref getRef(String name) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Ref getRef(int index) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public RowId getRowId(String name) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public RowId getRowId(int index) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public SQLXML getSQLXML(String name) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public SQLXML getSQLXML(int index) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public short getShort(String name) throws SQLException {
        checkOpen();
        return 0;
    }

    @Override
    public short getShort(int index) throws SQLException {
        checkOpen();
        return 0;
    }

    @Override
    public String getString(String name) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public String getString(int index) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Time getTime(String name, Calendar cal) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Time getTime(String name) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Time getTime(int index, Calendar cal) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Time getTime(int index) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Timestamp getTimestamp(String name, Calendar cal) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Timestamp getTimestamp(String name) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Timestamp getTimestamp(int index, Calendar cal) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public Timestamp getTimestamp(int index) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public URL getURL(String name) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public URL getURL(int index) throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public void registerOutParameter(String name, int sqlType, String typeName) throws SQLException {
        checkOpen();
    }

    @Override
    public void registerOutParameter(String name, int sqlType, int scale) throws SQLException {
        checkOpen();
    }

    @Override
    public void registerOutParameter(String name, int sqlType) throws SQLException {
        checkOpen();
    }

    @Override
    public void registerOutParameter(int index, int sqlType, String typeName) throws SQLException {
        checkOpen();
    }

    @Override
    public void registerOutParameter(int index, int sqlType, int scale) throws SQLException {
        checkOpen();
    }

    @Override
    public void registerOutParameter(int index, int sqlType) throws SQLException {
        checkOpen();
    }

    @Override
    public void setArray(int index, Array x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setAsciiStream(String name, InputStream x, int length) throws SQLException {
        checkOpen();
    }

    @Override
    public void setAsciiStream(String name, InputStream x, long length) throws SQLException {
        checkOpen();
    }

    @Override
    public void setAsciiStream(String name, InputStream x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setAsciiStream(int index, InputStream x, int length) throws SQLException {
        checkOpen();
    }

    @Override
    public void setAsciiStream(int index, InputStream x, long length) throws SQLException {
        checkOpen();
    }

    @Override
    public void setAsciiStream(int index, InputStream x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setBigDecimal(String name, BigDecimal x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setBigDecimal(int index, BigDecimal x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setBinaryStream(String name, InputStream x, int length) throws SQLException {
        checkOpen();
    }

    @Override
    public void setBinaryStream(String name, InputStream x, long length) throws SQLException {
        checkOpen();
    }

    @Override
    public void setBinaryStream(String name, InputStream x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setBinaryStream(int index, InputStream x, int length) throws SQLException {
        checkOpen();
    }

    @Override
    public void setBinaryStream(int index, InputStream x, long length) throws SQLException {
        checkOpen();
    }

    @Override
    public void setBinaryStream(int index, InputStream x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setBlob(String name, InputStream x, long length) throws SQLException {
        checkOpen();
    }

    @Override
    public void setBlob(String name, InputStream x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setBlob(String name, Blob x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setBlob(int index, InputStream x, long length) throws SQLException {
        checkOpen();
    }

    @Override
    public void setBlob(int index, InputStream x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setBlob(int index, Blob x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setBoolean(String name, boolean x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setBoolean(int index, boolean x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setByte(String name, byte x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setByte(int index, byte x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setBytes(String name, byte[] x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setBytes(int index, byte[] x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setCharacterStream(String name, Reader x, int length) throws SQLException {
        checkOpen();
    }

    @Override
    public void setCharacterStream(String name, Reader x, long length) throws SQLException {
        checkOpen();
    }

    @Override
    public void setCharacterStream(String name, Reader x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setCharacterStream(int index, Reader x, int length) throws SQLException {
        checkOpen();
    }

    @Override
    public void setCharacterStream(int index, Reader x, long length) throws SQLException {
        checkOpen();
    }

    @Override
    public void setCharacterStream(int index, Reader x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setClob(String name, Reader x, long length) throws SQLException {
        checkOpen();
    }

    @Override
    public void setClob(String name, Reader x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setClob(String name, Clob x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setClob(int index, Reader x, long length) throws SQLException {
        checkOpen();
    }

    @Override
    public void setClob(int index, Reader x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setClob(int index, Clob x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setDate(String name, Date x, Calendar cal) throws SQLException {
        checkOpen();
    }

    @Override
    public void setDate(String name, Date x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setDate(int index, Date x, Calendar cal) throws SQLException {
        checkOpen();
    }

    @Override
    public void setDate(int index, Date x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setDouble(String name, double x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setDouble(int index, double x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setFloat(String name, float x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setFloat(int index, float x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setInt(String name, int x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setInt(int index, int x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setLong(String name, long x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setLong(int index, long x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setNCharacterStream(String name, Reader x, long length) throws SQLException {
        checkOpen();
    }

    @Override
    public void setNCharacterStream(String name, Reader x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setNCharacterStream(int index, Reader x, long length) throws SQLException {
        checkOpen();
    }

    @Override
    public void setNCharacterStream(int index, Reader x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setNClob(String name, Reader x, long length) throws SQLException {
        checkOpen();
    }

    @Override
    public void setNClob(String name, Reader x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setNClob(String name, NClob x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setNClob(int index, Reader x, long length) throws SQLException {
        checkOpen();
    }

    @Override
    public void setNClob(int index, Reader x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setNClob(int index, NClob x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setNString(String name, String x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setNString(int index, String x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setNull(String name, int sqlType, String typeName) throws SQLException {
        checkOpen();
    }

    @Override
    public void setNull(String name, int sqlType) throws SQLException {
        checkOpen();
    }

    @Override
    public void setNull(int index, int sqlType, String typeName) throws SQLException {
        checkOpen();
    }

    @Override
    public void setNull(int index, int sqlType) throws SQLException {
        checkOpen();
    }

    @Override
    public void setObject(String name, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        checkOpen();
    }

    @Override
    public void setObject(String name, Object x, int targetSqlType) throws SQLException {
        checkOpen();
    }

    @Override
    public void setObject(String name, Object x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setObject(int index, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        checkOpen();
    }

    @Override
    public void setObject(int index, Object x, int targetSqlType) throws SQLException {
        checkOpen();
    }

    @Override
    public void setObject(int index, Object x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setRef(int index, Ref x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setRowId(String name, RowId x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setRowId(int index, RowId x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setSQLXML(String name, SQLXML x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setSQLXML(int index, SQLXML x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setShort(String name, short x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setShort(int index, short x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setString(String name, String x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setString(int index, String x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setTime(String name, Time x, Calendar cal) throws SQLException {
        checkOpen();
    }

    @Override
    public void setTime(String name, Time x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setTime(int index, Time x, Calendar cal) throws SQLException {
        checkOpen();
    }

    @Override
    public void setTime(int index, Time x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setTimestamp(String name, Timestamp x, Calendar cal) throws SQLException {
        checkOpen();
    }

    @Override
    public void setTimestamp(String name, Timestamp x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setTimestamp(int index, Timestamp x, Calendar cal) throws SQLException {
        checkOpen();
    }

    @Override
    public void setTimestamp(int index, Timestamp x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setURL(String name, URL x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setURL(int index, URL x) throws SQLException {
        checkOpen();
    }

    @Override
    public void setUnicodeStream(int index, InputStream x, int length) throws SQLException {
        checkOpen();
    }
}
