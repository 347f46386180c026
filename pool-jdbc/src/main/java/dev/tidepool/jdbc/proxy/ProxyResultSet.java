package dev.tidepool.jdbc.proxy;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * The {@link ResultSet} that proxy statements and metadata hand out. Every call goes to the driver's result set;
 * this proxy adds:
 * <ul>
 *   <li>{@link #getStatement()} returns the proxy statement, never the driver's;
 *   <li>insertRow, updateRow and deleteRow write to the database, so they dirty the connection's transaction;
 *   <li>a fatal SQLException marks the connection for eviction; once this result set or its connection is
 *       closed, every call throws "ResultSet is closed" without reaching the driver.
 * </ul>
 */
final class ProxyResultSet implements ResultSet {
    private final ProxyConnection connection;
    /** The proxy statement that made this result set; null for metadata results (see getStatement()). */
    private final ProxyStatement statement;
    private final ResultSet delegate;
    private boolean closed;
    /** For a metadata result: the proxy of the driver's statement, made on first getStatement(). */
    private ProxyStatement driverStatement;

    ProxyResultSet(ProxyConnection connection, ProxyStatement statement, ResultSet delegate) {
        this.connection = connection;
        this.statement = statement;
        this.delegate = delegate;
    }

    boolean wraps(ResultSet rs) {
        return delegate == rs;
    }

    private ResultSet open() throws SQLException {
        if (closed || connection.isProxyClosed()) {
            throw new SQLException("ResultSet is closed", "HY010"); // as ProxyStatement.closedException()
        }
        return delegate;
    }

    private ResultSet openDirty() throws SQLException {
        ResultSet rs = open();
        connection.markDirty();
        return rs;
    }

    private <E extends SQLException> E check(E e) {
        return connection.check(e);
    }

    // ---- lifecycle and wrapper

    @Override public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        if (connection.isProxyClosed()) {
            return; // closed with its statement by the connection's close(); that connection is not ours now
        }
        try {
            delegate.close();
        } catch (SQLException e) {
            throw check(e);
        } finally {
            if (statement != null) {
                statement.resultSetClosed(this);
            }
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

    /**
     * The proxy statement that made this result set. For a metadata result: a proxy of the driver's statement,
     * or null if the driver has none. That proxy is not tracked by the connection: the driver owns the statement.
     */
    @Override public Statement getStatement() throws SQLException {
        try {
            ResultSet rs = open();
            if (statement != null) {
                return statement;
            }
            if (driverStatement == null) {
                Statement s = rs.getStatement();
                if (s instanceof CallableStatement cs) {
                    driverStatement = new ProxyCallableStatement(connection, cs);
                } else if (s instanceof PreparedStatement ps) {
                    driverStatement = new ProxyPreparedStatement(connection, ps);
                } else if (s != null) {
                    driverStatement = new ProxyStatement(connection, s);
                }
            }
            return driverStatement;
        } catch (SQLException e) {
            throw check(e);
        }
    }

    /**
     * Returns the driver's result set if it is an {@code iface}, else asks the driver. The borrower may then
     * change rows behind this proxy's back, so the transaction counts as dirty.
     */
    @Override public <T> T unwrap(Class<T> iface) throws SQLException {
        try {
            ResultSet rs = openDirty();
            return iface.isInstance(rs) ? iface.cast(rs) : rs.unwrap(iface);
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public boolean isWrapperFor(Class<?> iface) throws SQLException {
        try {
            ResultSet rs = open();
            return iface.isInstance(rs) || rs.isWrapperFor(iface);
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public String toString() {
        return "ProxyResultSet[" + delegate + "]";
    }

    // ---- Row changes: they write to the database, so they dirty the transaction

    @Override public void insertRow() throws SQLException {
        try { openDirty().insertRow(); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateRow() throws SQLException {
        try { openDirty().updateRow(); } catch (SQLException e) { throw check(e); }
    }

    @Override public void deleteRow() throws SQLException {
        try { openDirty().deleteRow(); } catch (SQLException e) { throw check(e); }
    }

    // ---- Cursor movement and row state

    @Override public boolean next() throws SQLException {
        try { return open().next(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean isBeforeFirst() throws SQLException {
        try { return open().isBeforeFirst(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean isAfterLast() throws SQLException {
        try { return open().isAfterLast(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean isFirst() throws SQLException {
        try { return open().isFirst(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean isLast() throws SQLException {
        try { return open().isLast(); } catch (SQLException e) { throw check(e); }
    }

    @Override public void beforeFirst() throws SQLException {
        try { open().beforeFirst(); } catch (SQLException e) { throw check(e); }
    }

    @Override public void afterLast() throws SQLException {
        try { open().afterLast(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean first() throws SQLException {
        try { return open().first(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean last() throws SQLException {
        try { return open().last(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getRow() throws SQLException {
        try { return open().getRow(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean absolute(int row) throws SQLException {
        try { return open().absolute(row); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean relative(int rows) throws SQLException {
        try { return open().relative(rows); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean previous() throws SQLException {
        try { return open().previous(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean rowUpdated() throws SQLException {
        try { return open().rowUpdated(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean rowInserted() throws SQLException {
        try { return open().rowInserted(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean rowDeleted() throws SQLException {
        try { return open().rowDeleted(); } catch (SQLException e) { throw check(e); }
    }

    @Override public void refreshRow() throws SQLException {
        try { open().refreshRow(); } catch (SQLException e) { throw check(e); }
    }

    @Override public void cancelRowUpdates() throws SQLException {
        try { open().cancelRowUpdates(); } catch (SQLException e) { throw check(e); }
    }

    @Override public void moveToInsertRow() throws SQLException {
        try { open().moveToInsertRow(); } catch (SQLException e) { throw check(e); }
    }

    @Override public void moveToCurrentRow() throws SQLException {
        try { open().moveToCurrentRow(); } catch (SQLException e) { throw check(e); }
    }

    // ---- Properties, metadata and warnings

    @Override public boolean wasNull() throws SQLException {
        try { return open().wasNull(); } catch (SQLException e) { throw check(e); }
    }

    @Override public SQLWarning getWarnings() throws SQLException {
        try { return open().getWarnings(); } catch (SQLException e) { throw check(e); }
    }

    @Override public void clearWarnings() throws SQLException {
        try { open().clearWarnings(); } catch (SQLException e) { throw check(e); }
    }

    @Override public String getCursorName() throws SQLException {
        try { return open().getCursorName(); } catch (SQLException e) { throw check(e); }
    }

    @Override public ResultSetMetaData getMetaData() throws SQLException {
        try { return open().getMetaData(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int findColumn(String columnLabel) throws SQLException {
        try { return open().findColumn(columnLabel); } catch (SQLException e) { throw check(e); }
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

    @Override public int getType() throws SQLException {
        try { return open().getType(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getConcurrency() throws SQLException {
        try { return open().getConcurrency(); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getHoldability() throws SQLException {
        try { return open().getHoldability(); } catch (SQLException e) { throw check(e); }
    }

    // ---- Getters by column index

    @Override public String getString(int columnIndex) throws SQLException {
        try { return open().getString(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean getBoolean(int columnIndex) throws SQLException {
        try { return open().getBoolean(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public byte getByte(int columnIndex) throws SQLException {
        try { return open().getByte(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public short getShort(int columnIndex) throws SQLException {
        try { return open().getShort(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getInt(int columnIndex) throws SQLException {
        try { return open().getInt(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public long getLong(int columnIndex) throws SQLException {
        try { return open().getLong(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public float getFloat(int columnIndex) throws SQLException {
        try { return open().getFloat(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public double getDouble(int columnIndex) throws SQLException {
        try { return open().getDouble(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Deprecated @Override public BigDecimal getBigDecimal(int columnIndex, int scale) throws SQLException {
        try { return open().getBigDecimal(columnIndex, scale); } catch (SQLException e) { throw check(e); }
    }

    @Override public byte[] getBytes(int columnIndex) throws SQLException {
        try { return open().getBytes(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public Date getDate(int columnIndex) throws SQLException {
        try { return open().getDate(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public Time getTime(int columnIndex) throws SQLException {
        try { return open().getTime(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public Timestamp getTimestamp(int columnIndex) throws SQLException {
        try { return open().getTimestamp(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public InputStream getAsciiStream(int columnIndex) throws SQLException {
        try { return open().getAsciiStream(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Deprecated @Override public InputStream getUnicodeStream(int columnIndex) throws SQLException {
        try { return open().getUnicodeStream(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public InputStream getBinaryStream(int columnIndex) throws SQLException {
        try { return open().getBinaryStream(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public Object getObject(int columnIndex) throws SQLException {
        try { return open().getObject(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public Reader getCharacterStream(int columnIndex) throws SQLException {
        try { return open().getCharacterStream(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public BigDecimal getBigDecimal(int columnIndex) throws SQLException {
        try { return open().getBigDecimal(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public Object getObject(int columnIndex, Map<String, Class<?>> map) throws SQLException {
        try { return open().getObject(columnIndex, map); } catch (SQLException e) { throw check(e); }
    }

    @Override public Ref getRef(int columnIndex) throws SQLException {
        try { return open().getRef(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public Blob getBlob(int columnIndex) throws SQLException {
        try { return open().getBlob(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public Clob getClob(int columnIndex) throws SQLException {
        try { return open().getClob(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public Array getArray(int columnIndex) throws SQLException {
        try { return open().getArray(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public Date getDate(int columnIndex, Calendar cal) throws SQLException {
        try { return open().getDate(columnIndex, cal); } catch (SQLException e) { throw check(e); }
    }

    @Override public Time getTime(int columnIndex, Calendar cal) throws SQLException {
        try { return open().getTime(columnIndex, cal); } catch (SQLException e) { throw check(e); }
    }

    @Override public Timestamp getTimestamp(int columnIndex, Calendar cal) throws SQLException {
        try { return open().getTimestamp(columnIndex, cal); } catch (SQLException e) { throw check(e); }
    }

    @Override public URL getURL(int columnIndex) throws SQLException {
        try { return open().getURL(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public RowId getRowId(int columnIndex) throws SQLException {
        try { return open().getRowId(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public NClob getNClob(int columnIndex) throws SQLException {
        try { return open().getNClob(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public SQLXML getSQLXML(int columnIndex) throws SQLException {
        try { return open().getSQLXML(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public String getNString(int columnIndex) throws SQLException {
        try { return open().getNString(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public Reader getNCharacterStream(int columnIndex) throws SQLException {
        try { return open().getNCharacterStream(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public <T> T getObject(int columnIndex, Class<T> type) throws SQLException {
        try { return open().getObject(columnIndex, type); } catch (SQLException e) { throw check(e); }
    }

    // ---- Getters by column label

    @Override public String getString(String columnLabel) throws SQLException {
        try { return open().getString(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean getBoolean(String columnLabel) throws SQLException {
        try { return open().getBoolean(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public byte getByte(String columnLabel) throws SQLException {
        try { return open().getByte(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public short getShort(String columnLabel) throws SQLException {
        try { return open().getShort(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public int getInt(String columnLabel) throws SQLException {
        try { return open().getInt(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public long getLong(String columnLabel) throws SQLException {
        try { return open().getLong(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public float getFloat(String columnLabel) throws SQLException {
        try { return open().getFloat(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public double getDouble(String columnLabel) throws SQLException {
        try { return open().getDouble(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Deprecated @Override public BigDecimal getBigDecimal(String columnLabel, int scale) throws SQLException {
        try { return open().getBigDecimal(columnLabel, scale); } catch (SQLException e) { throw check(e); }
    }

    @Override public byte[] getBytes(String columnLabel) throws SQLException {
        try { return open().getBytes(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public Date getDate(String columnLabel) throws SQLException {
        try { return open().getDate(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public Time getTime(String columnLabel) throws SQLException {
        try { return open().getTime(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public Timestamp getTimestamp(String columnLabel) throws SQLException {
        try { return open().getTimestamp(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public InputStream getAsciiStream(String columnLabel) throws SQLException {
        try { return open().getAsciiStream(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Deprecated @Override public InputStream getUnicodeStream(String columnLabel) throws SQLException {
        try { return open().getUnicodeStream(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public InputStream getBinaryStream(String columnLabel) throws SQLException {
        try { return open().getBinaryStream(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public Object getObject(String columnLabel) throws SQLException {
        try { return open().getObject(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public Reader getCharacterStream(String columnLabel) throws SQLException {
        try { return open().getCharacterStream(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public BigDecimal getBigDecimal(String columnLabel) throws SQLException {
        try { return open().getBigDecimal(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public Object getObject(String columnLabel, Map<String, Class<?>> map) throws SQLException {
        try { return open().getObject(columnLabel, map); } catch (SQLException e) { throw check(e); }
    }

    @Override public Ref getRef(String columnLabel) throws SQLException {
        try { return open().getRef(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public Blob getBlob(String columnLabel) throws SQLException {
        try { return open().getBlob(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public Clob getClob(String columnLabel) throws SQLException {
        try { return open().getClob(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public Array getArray(String columnLabel) throws SQLException {
        try { return open().getArray(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public Date getDate(String columnLabel, Calendar cal) throws SQLException {
        try { return open().getDate(columnLabel, cal); } catch (SQLException e) { throw check(e); }
    }

    @Override public Time getTime(String columnLabel, Calendar cal) throws SQLException {
        try { return open().getTime(columnLabel, cal); } catch (SQLException e) { throw check(e); }
    }

    @Override public Timestamp getTimestamp(String columnLabel, Calendar cal) throws SQLException {
        try { return open().getTimestamp(columnLabel, cal); } catch (SQLException e) { throw check(e); }
    }

    @Override public URL getURL(String columnLabel) throws SQLException {
        try { return open().getURL(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public RowId getRowId(String columnLabel) throws SQLException {
        try { return open().getRowId(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public NClob getNClob(String columnLabel) throws SQLException {
        try { return open().getNClob(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public SQLXML getSQLXML(String columnLabel) throws SQLException {
        try { return open().getSQLXML(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public String getNString(String columnLabel) throws SQLException {
        try { return open().getNString(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public Reader getNCharacterStream(String columnLabel) throws SQLException {
        try { return open().getNCharacterStream(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public <T> T getObject(String columnLabel, Class<T> type) throws SQLException {
        try { return open().getObject(columnLabel, type); } catch (SQLException e) { throw check(e); }
    }

    // ---- Updaters by column index (they change the row buffer only; updateRow/insertRow write it)

    @Override public void updateNull(int columnIndex) throws SQLException {
        try { open().updateNull(columnIndex); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateBoolean(int columnIndex, boolean x) throws SQLException {
        try { open().updateBoolean(columnIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateByte(int columnIndex, byte x) throws SQLException {
        try { open().updateByte(columnIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateShort(int columnIndex, short x) throws SQLException {
        try { open().updateShort(columnIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateInt(int columnIndex, int x) throws SQLException {
        try { open().updateInt(columnIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateLong(int columnIndex, long x) throws SQLException {
        try { open().updateLong(columnIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateFloat(int columnIndex, float x) throws SQLException {
        try { open().updateFloat(columnIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateDouble(int columnIndex, double x) throws SQLException {
        try { open().updateDouble(columnIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateBigDecimal(int columnIndex, BigDecimal x) throws SQLException {
        try { open().updateBigDecimal(columnIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateString(int columnIndex, String x) throws SQLException {
        try { open().updateString(columnIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateBytes(int columnIndex, byte[] x) throws SQLException {
        try { open().updateBytes(columnIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateDate(int columnIndex, Date x) throws SQLException {
        try { open().updateDate(columnIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateTime(int columnIndex, Time x) throws SQLException {
        try { open().updateTime(columnIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateTimestamp(int columnIndex, Timestamp x) throws SQLException {
        try { open().updateTimestamp(columnIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateAsciiStream(int columnIndex, InputStream x, int length) throws SQLException {
        try { open().updateAsciiStream(columnIndex, x, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateBinaryStream(int columnIndex, InputStream x, int length) throws SQLException {
        try { open().updateBinaryStream(columnIndex, x, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateCharacterStream(int columnIndex, Reader x, int length) throws SQLException {
        try { open().updateCharacterStream(columnIndex, x, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateObject(int columnIndex, Object x, int scaleOrLength) throws SQLException {
        try { open().updateObject(columnIndex, x, scaleOrLength); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateObject(int columnIndex, Object x) throws SQLException {
        try { open().updateObject(columnIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateRef(int columnIndex, Ref x) throws SQLException {
        try { open().updateRef(columnIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateBlob(int columnIndex, Blob x) throws SQLException {
        try { open().updateBlob(columnIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateClob(int columnIndex, Clob x) throws SQLException {
        try { open().updateClob(columnIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateArray(int columnIndex, Array x) throws SQLException {
        try { open().updateArray(columnIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateRowId(int columnIndex, RowId x) throws SQLException {
        try { open().updateRowId(columnIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateNString(int columnIndex, String nString) throws SQLException {
        try { open().updateNString(columnIndex, nString); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateNClob(int columnIndex, NClob nClob) throws SQLException {
        try { open().updateNClob(columnIndex, nClob); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateSQLXML(int columnIndex, SQLXML xmlObject) throws SQLException {
        try { open().updateSQLXML(columnIndex, xmlObject); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateNCharacterStream(int columnIndex, Reader x, long length) throws SQLException {
        try { open().updateNCharacterStream(columnIndex, x, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateAsciiStream(int columnIndex, InputStream x, long length) throws SQLException {
        try { open().updateAsciiStream(columnIndex, x, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateBinaryStream(int columnIndex, InputStream x, long length) throws SQLException {
        try { open().updateBinaryStream(columnIndex, x, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateCharacterStream(int columnIndex, Reader x, long length) throws SQLException {
        try { open().updateCharacterStream(columnIndex, x, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateBlob(int columnIndex, InputStream inputStream, long length) throws SQLException {
        try { open().updateBlob(columnIndex, inputStream, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateClob(int columnIndex, Reader reader, long length) throws SQLException {
        try { open().updateClob(columnIndex, reader, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateNClob(int columnIndex, Reader reader, long length) throws SQLException {
        try { open().updateNClob(columnIndex, reader, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateNCharacterStream(int columnIndex, Reader x) throws SQLException {
        try { open().updateNCharacterStream(columnIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateAsciiStream(int columnIndex, InputStream x) throws SQLException {
        try { open().updateAsciiStream(columnIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateBinaryStream(int columnIndex, InputStream x) throws SQLException {
        try { open().updateBinaryStream(columnIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateCharacterStream(int columnIndex, Reader x) throws SQLException {
        try { open().updateCharacterStream(columnIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateBlob(int columnIndex, InputStream inputStream) throws SQLException {
        try { open().updateBlob(columnIndex, inputStream); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateClob(int columnIndex, Reader reader) throws SQLException {
        try { open().updateClob(columnIndex, reader); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateNClob(int columnIndex, Reader reader) throws SQLException {
        try { open().updateNClob(columnIndex, reader); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateObject(
            int columnIndex, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
        try {
            open().updateObject(columnIndex, x, targetSqlType, scaleOrLength);
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public void updateObject(int columnIndex, Object x, SQLType targetSqlType) throws SQLException {
        try { open().updateObject(columnIndex, x, targetSqlType); } catch (SQLException e) { throw check(e); }
    }

    // ---- Updaters by column label

    @Override public void updateNull(String columnLabel) throws SQLException {
        try { open().updateNull(columnLabel); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateBoolean(String columnLabel, boolean x) throws SQLException {
        try { open().updateBoolean(columnLabel, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateByte(String columnLabel, byte x) throws SQLException {
        try { open().updateByte(columnLabel, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateShort(String columnLabel, short x) throws SQLException {
        try { open().updateShort(columnLabel, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateInt(String columnLabel, int x) throws SQLException {
        try { open().updateInt(columnLabel, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateLong(String columnLabel, long x) throws SQLException {
        try { open().updateLong(columnLabel, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateFloat(String columnLabel, float x) throws SQLException {
        try { open().updateFloat(columnLabel, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateDouble(String columnLabel, double x) throws SQLException {
        try { open().updateDouble(columnLabel, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateBigDecimal(String columnLabel, BigDecimal x) throws SQLException {
        try { open().updateBigDecimal(columnLabel, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateString(String columnLabel, String x) throws SQLException {
        try { open().updateString(columnLabel, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateBytes(String columnLabel, byte[] x) throws SQLException {
        try { open().updateBytes(columnLabel, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateDate(String columnLabel, Date x) throws SQLException {
        try { open().updateDate(columnLabel, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateTime(String columnLabel, Time x) throws SQLException {
        try { open().updateTime(columnLabel, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateTimestamp(String columnLabel, Timestamp x) throws SQLException {
        try { open().updateTimestamp(columnLabel, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateAsciiStream(String columnLabel, InputStream x, int length) throws SQLException {
        try { open().updateAsciiStream(columnLabel, x, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateBinaryStream(String columnLabel, InputStream x, int length) throws SQLException {
        try { open().updateBinaryStream(columnLabel, x, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateCharacterStream(String columnLabel, Reader reader, int length) throws SQLException {
        try {
            open().updateCharacterStream(columnLabel, reader, length);
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public void updateObject(String columnLabel, Object x, int scaleOrLength) throws SQLException {
        try { open().updateObject(columnLabel, x, scaleOrLength); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateObject(String columnLabel, Object x) throws SQLException {
        try { open().updateObject(columnLabel, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateRef(String columnLabel, Ref x) throws SQLException {
        try { open().updateRef(columnLabel, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateBlob(String columnLabel, Blob x) throws SQLException {
        try { open().updateBlob(columnLabel, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateClob(String columnLabel, Clob x) throws SQLException {
        try { open().updateClob(columnLabel, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateArray(String columnLabel, Array x) throws SQLException {
        try { open().updateArray(columnLabel, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateRowId(String columnLabel, RowId x) throws SQLException {
        try { open().updateRowId(columnLabel, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateNString(String columnLabel, String nString) throws SQLException {
        try { open().updateNString(columnLabel, nString); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateNClob(String columnLabel, NClob nClob) throws SQLException {
        try { open().updateNClob(columnLabel, nClob); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateSQLXML(String columnLabel, SQLXML xmlObject) throws SQLException {
        try { open().updateSQLXML(columnLabel, xmlObject); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateNCharacterStream(
            String columnLabel, Reader reader, long length) throws SQLException {
        try {
            open().updateNCharacterStream(columnLabel, reader, length);
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public void updateAsciiStream(String columnLabel, InputStream x, long length) throws SQLException {
        try { open().updateAsciiStream(columnLabel, x, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateBinaryStream(String columnLabel, InputStream x, long length) throws SQLException {
        try { open().updateBinaryStream(columnLabel, x, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateCharacterStream(
            String columnLabel, Reader reader, long length) throws SQLException {
        try {
            open().updateCharacterStream(columnLabel, reader, length);
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public void updateBlob(String columnLabel, InputStream inputStream, long length) throws SQLException {
        try { open().updateBlob(columnLabel, inputStream, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateClob(String columnLabel, Reader reader, long length) throws SQLException {
        try { open().updateClob(columnLabel, reader, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateNClob(String columnLabel, Reader reader, long length) throws SQLException {
        try { open().updateNClob(columnLabel, reader, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateNCharacterStream(String columnLabel, Reader reader) throws SQLException {
        try { open().updateNCharacterStream(columnLabel, reader); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateAsciiStream(String columnLabel, InputStream x) throws SQLException {
        try { open().updateAsciiStream(columnLabel, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateBinaryStream(String columnLabel, InputStream x) throws SQLException {
        try { open().updateBinaryStream(columnLabel, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateCharacterStream(String columnLabel, Reader reader) throws SQLException {
        try { open().updateCharacterStream(columnLabel, reader); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateBlob(String columnLabel, InputStream inputStream) throws SQLException {
        try { open().updateBlob(columnLabel, inputStream); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateClob(String columnLabel, Reader reader) throws SQLException {
        try { open().updateClob(columnLabel, reader); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateNClob(String columnLabel, Reader reader) throws SQLException {
        try { open().updateNClob(columnLabel, reader); } catch (SQLException e) { throw check(e); }
    }

    @Override public void updateObject(
            String columnLabel, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
        try {
            open().updateObject(columnLabel, x, targetSqlType, scaleOrLength);
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public void updateObject(String columnLabel, Object x, SQLType targetSqlType) throws SQLException {
        try { open().updateObject(columnLabel, x, targetSqlType); } catch (SQLException e) { throw check(e); }
    }
}
