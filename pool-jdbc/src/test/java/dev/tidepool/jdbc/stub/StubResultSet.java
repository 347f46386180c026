package dev.tidepool.jdbc.stub;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
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
import java.sql.Types;
import java.util.Calendar;
import java.util.Map;

/**
 * The result of a stub query: forward-only, read-only, with one {@code int} column labelled
 * {@value #COLUMN} and either no row or one row whose value is 1 (what {@code SELECT 1} returns).
 * The column reads as any number type, boolean, string or bytes; the other types and all updates
 * throw {@code SQLFeatureNotSupportedException}. Closing it closes nothing else unless its statement
 * is set to {@code closeOnCompletion}; closing the statement or the connection closes it.
 */
@SuppressWarnings("deprecation")
public final class StubResultSet implements ResultSet {
    /** The label of the one column, as PostgreSQL names an unnamed {@code SELECT 1} column. */
    public static final String COLUMN = "?column?";

    /** The metadata of every stub result: one {@code int4} column. */
    static final ResultSetMetaData META_DATA = new MetaData();

    /** Null for the result sets of {@link StubDatabaseMetaData}. */
    private final StubStatement statement;
    private final int rows;
    /** 0: before the first row, 1: on it, 2: after the last. */
    private int position;
    private boolean closed;
    private int fetchSize;

    StubResultSet(StubStatement statement, int rows) {
        this.statement = statement;
        this.rows = rows;
    }

    private void checkOpen() throws SQLException {
        if (closed || (statement != null && statement.isClosed())) {
            throw new SQLException("ResultSet is closed", "55000");
        }
    }

    /** The value of the current row, checking the column index and that there is a current row. */
    private int value(int columnIndex) throws SQLException {
        checkOpen();
        if (columnIndex != 1) {
            throw new SQLException("The column index is out of range: " + columnIndex + ", number of columns: 1",
                    "22023");
        }
        if (position != 1 || rows == 0) {
            throw new SQLException("ResultSet not positioned properly, perhaps you need to call next.", "24000");
        }
        return 1;
    }

    void closeQuietly() {
        closed = true;
    }

    // ------------------------------------------------------------ navigation

    @Override
    public boolean next() throws SQLException {
        checkOpen();
        if (position == 0 && rows > 0) {
            position = 1;
            return true;
        }
        position = 2;
        return false;
    }

    @Override
    public boolean isBeforeFirst() throws SQLException {
        checkOpen();
        return position == 0 && rows > 0;
    }

    @Override
    public boolean isAfterLast() throws SQLException {
        checkOpen();
        return position == 2 && rows > 0;
    }

    @Override
    public boolean isFirst() throws SQLException {
        checkOpen();
        return position == 1;
    }

    @Override
    public boolean isLast() throws SQLException {
        checkOpen();
        return position == 1;
    }

    @Override
    public int getRow() throws SQLException {
        checkOpen();
        return position == 1 ? 1 : 0;
    }

    @Override
    public void beforeFirst() throws SQLException {
        throw forwardOnly();
    }

    @Override
    public void afterLast() throws SQLException {
        throw forwardOnly();
    }

    @Override
    public boolean first() throws SQLException {
        throw forwardOnly();
    }

    @Override
    public boolean last() throws SQLException {
        throw forwardOnly();
    }

    @Override
    public boolean absolute(int row) throws SQLException {
        throw forwardOnly();
    }

    @Override
    public boolean relative(int rows) throws SQLException {
        throw forwardOnly();
    }

    @Override
    public boolean previous() throws SQLException {
        throw forwardOnly();
    }

    private SQLException forwardOnly() throws SQLException {
        checkOpen();
        return new SQLException("Operation requires a scrollable ResultSet, but this ResultSet is FORWARD_ONLY.",
                "24000");
    }

    @Override
    public boolean rowUpdated() throws SQLException {
        checkOpen();
        return false;
    }

    @Override
    public boolean rowInserted() throws SQLException {
        checkOpen();
        return false;
    }

    @Override
    public boolean rowDeleted() throws SQLException {
        checkOpen();
        return false;
    }

    // ------------------------------------------------------------ the one column

    @Override
    public int findColumn(String columnLabel) throws SQLException {
        checkOpen();
        if (COLUMN.equals(columnLabel)) {
            return 1;
        }
        throw new SQLException("The column name " + columnLabel + " was not found in this ResultSet.", "42703");
    }

    @Override
    public boolean wasNull() throws SQLException {
        checkOpen();
        return false;
    }

    @Override
    public String getString(int columnIndex) throws SQLException {
        return Integer.toString(value(columnIndex));
    }

    @Override
    public String getString(String columnLabel) throws SQLException {
        return getString(findColumn(columnLabel));
    }

    @Override
    public boolean getBoolean(int columnIndex) throws SQLException {
        return value(columnIndex) != 0;
    }

    @Override
    public boolean getBoolean(String columnLabel) throws SQLException {
        return getBoolean(findColumn(columnLabel));
    }

    @Override
    public byte getByte(int columnIndex) throws SQLException {
        return (byte) value(columnIndex);
    }

    @Override
    public byte getByte(String columnLabel) throws SQLException {
        return getByte(findColumn(columnLabel));
    }

    @Override
    public short getShort(int columnIndex) throws SQLException {
        return (short) value(columnIndex);
    }

    @Override
    public short getShort(String columnLabel) throws SQLException {
        return getShort(findColumn(columnLabel));
    }

    @Override
    public int getInt(int columnIndex) throws SQLException {
        return value(columnIndex);
    }

    @Override
    public int getInt(String columnLabel) throws SQLException {
        return getInt(findColumn(columnLabel));
    }

    @Override
    public long getLong(int columnIndex) throws SQLException {
        return value(columnIndex);
    }

    @Override
    public long getLong(String columnLabel) throws SQLException {
        return getLong(findColumn(columnLabel));
    }

    @Override
    public float getFloat(int columnIndex) throws SQLException {
        return value(columnIndex);
    }

    @Override
    public float getFloat(String columnLabel) throws SQLException {
        return getFloat(findColumn(columnLabel));
    }

    @Override
    public double getDouble(int columnIndex) throws SQLException {
        return value(columnIndex);
    }

    @Override
    public double getDouble(String columnLabel) throws SQLException {
        return getDouble(findColumn(columnLabel));
    }

    @Override
    public BigDecimal getBigDecimal(int columnIndex) throws SQLException {
        return BigDecimal.valueOf(value(columnIndex));
    }

    @Override
    public BigDecimal getBigDecimal(String columnLabel) throws SQLException {
        return getBigDecimal(findColumn(columnLabel));
    }

    @Override
    public BigDecimal getBigDecimal(int columnIndex, int scale) throws SQLException {
        return getBigDecimal(columnIndex).setScale(scale);
    }

    @Override
    public BigDecimal getBigDecimal(String columnLabel, int scale) throws SQLException {
        return getBigDecimal(findColumn(columnLabel), scale);
    }

    @Override
    public byte[] getBytes(int columnIndex) throws SQLException {
        return getString(columnIndex).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public byte[] getBytes(String columnLabel) throws SQLException {
        return getBytes(findColumn(columnLabel));
    }

    @Override
    public Object getObject(int columnIndex) throws SQLException {
        return value(columnIndex);
    }

    @Override
    public Object getObject(String columnLabel) throws SQLException {
        return getObject(findColumn(columnLabel));
    }

    @Override
    public Object getObject(int columnIndex, Map<String, Class<?>> map) throws SQLException {
        return getObject(columnIndex);
    }

    @Override
    public Object getObject(String columnLabel, Map<String, Class<?>> map) throws SQLException {
        return getObject(findColumn(columnLabel));
    }

    @Override
    public <T> T getObject(int columnIndex, Class<T> type) throws SQLException {
        int v = value(columnIndex);
        Object converted;
        if (type == Integer.class || type == Object.class || type == Number.class) {
            converted = v;
        } else if (type == Long.class) {
            converted = (long) v;
        } else if (type == Short.class) {
            converted = (short) v;
        } else if (type == String.class) {
            converted = Integer.toString(v);
        } else if (type == Boolean.class) {
            converted = v != 0;
        } else if (type == BigDecimal.class) {
            converted = BigDecimal.valueOf(v);
        } else if (type == Double.class) {
            converted = (double) v;
        } else {
            throw new SQLFeatureNotSupportedException("cannot convert an int column to " + type.getName());
        }
        return type.cast(converted);
    }

    @Override
    public <T> T getObject(String columnLabel, Class<T> type) throws SQLException {
        return getObject(findColumn(columnLabel), type);
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        checkOpen();
        return META_DATA;
    }

    // ------------------------------------------------------------ the rest of the state

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (statement != null) {
                statement.resultSetClosed(this);
            }
        }
    }

    @Override
    public boolean isClosed() {
        return closed || (statement != null && statement.isClosed());
    }

    @Override
    public Statement getStatement() throws SQLException {
        checkOpen();
        return statement;
    }

    @Override
    public int getType() throws SQLException {
        checkOpen();
        return TYPE_FORWARD_ONLY;
    }

    @Override
    public int getConcurrency() throws SQLException {
        checkOpen();
        return CONCUR_READ_ONLY;
    }

    @Override
    public int getHoldability() throws SQLException {
        checkOpen();
        return HOLD_CURSORS_OVER_COMMIT;
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
        return FETCH_FORWARD;
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        checkOpen();
        if (direction != FETCH_FORWARD) {
            throw forwardOnly();
        }
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
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("StubResultSet is not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    private SQLException unsupported(String method) throws SQLException {
        checkOpen();
        return new SQLFeatureNotSupportedException("StubResultSet does not support " + method);
    }

    // ------------------------------------------------------------ other types, cursors and updates: not supported

    @Override
    public void cancelRowUpdates() throws SQLException {
        throw unsupported("cancelRowUpdates");
    }

    @Override
    public void deleteRow() throws SQLException {
        throw unsupported("deleteRow");
    }

    @Override
    public Array getArray(String columnLabel) throws SQLException {
        throw unsupported("getArray");
    }

    @Override
    public Array getArray(int columnIndex) throws SQLException {
        throw unsupported("getArray");
    }

    @Override
    public InputStream getAsciiStream(String columnLabel) throws SQLException {
        throw unsupported("getAsciiStream");
    }

    @Override
    public InputStream getAsciiStream(int columnIndex) throws SQLException {
        throw unsupported("getAsciiStream");
    }

    @Override
    public InputStream getBinaryStream(String columnLabel) throws SQLException {
        throw unsupported("getBinaryStream");
    }

    @Override
    public InputStream getBinaryStream(int columnIndex) throws SQLException {
        throw unsupported("getBinaryStream");
    }

    @Override
    public Blob getBlob(String columnLabel) throws SQLException {
        throw unsupported("getBlob");
    }

    @Override
    public Blob getBlob(int columnIndex) throws SQLException {
        throw unsupported("getBlob");
    }

    @Override
    public Reader getCharacterStream(String columnLabel) throws SQLException {
        throw unsupported("getCharacterStream");
    }

    @Override
    public Reader getCharacterStream(int columnIndex) throws SQLException {
        throw unsupported("getCharacterStream");
    }

    @Override
    public Clob getClob(String columnLabel) throws SQLException {
        throw unsupported("getClob");
    }

    @Override
    public Clob getClob(int columnIndex) throws SQLException {
        throw unsupported("getClob");
    }

    @Override
    public String getCursorName() throws SQLException {
        throw unsupported("getCursorName");
    }

    @Override
    public Date getDate(String columnLabel, Calendar cal) throws SQLException {
        throw unsupported("getDate");
    }

    @Override
    public Date getDate(String columnLabel) throws SQLException {
        throw unsupported("getDate");
    }

    @Override
    public Date getDate(int columnIndex, Calendar cal) throws SQLException {
        throw unsupported("getDate");
    }

    @Override
    public Date getDate(int columnIndex) throws SQLException {
        throw unsupported("getDate");
    }

    @Override
    public Reader getNCharacterStream(String columnLabel) throws SQLException {
        throw unsupported("getNCharacterStream");
    }

    @Override
    public Reader getNCharacterStream(int columnIndex) throws SQLException {
        throw unsupported("getNCharacterStream");
    }

    @Override
    public NClob getNClob(String columnLabel) throws SQLException {
        throw unsupported("getNClob");
    }

    @Override
    public NClob getNClob(int columnIndex) throws SQLException {
        throw unsupported("getNClob");
    }

    @Override
    public String getNString(String columnLabel) throws SQLException {
        throw unsupported("getNString");
    }

    @Override
    public String getNString(int columnIndex) throws SQLException {
        throw unsupported("getNString");
    }

    @Override
    public Ref getRef(String columnLabel) throws SQLException {
        throw unsupported("getRef");
    }

    @Override
    public Ref getRef(int columnIndex) throws SQLException {
        throw unsupported("getRef");
    }

    @Override
    public RowId getRowId(String columnLabel) throws SQLException {
        throw unsupported("getRowId");
    }

    @Override
    public RowId getRowId(int columnIndex) throws SQLException {
        throw unsupported("getRowId");
    }

    @Override
    public SQLXML getSQLXML(String columnLabel) throws SQLException {
        throw unsupported("getSQLXML");
    }

    @Override
    public SQLXML getSQLXML(int columnIndex) throws SQLException {
        throw unsupported("getSQLXML");
    }

    @Override
    public Time getTime(String columnLabel, Calendar cal) throws SQLException {
        throw unsupported("getTime");
    }

    @Override
    public Time getTime(String columnLabel) throws SQLException {
        throw unsupported("getTime");
    }

    @Override
    public Time getTime(int columnIndex, Calendar cal) throws SQLException {
        throw unsupported("getTime");
    }

    @Override
    public Time getTime(int columnIndex) throws SQLException {
        throw unsupported("getTime");
    }

    @Override
    public Timestamp getTimestamp(String columnLabel, Calendar cal) throws SQLException {
        throw unsupported("getTimestamp");
    }

    @Override
    public Timestamp getTimestamp(String columnLabel) throws SQLException {
        throw unsupported("getTimestamp");
    }

    @Override
    public Timestamp getTimestamp(int columnIndex, Calendar cal) throws SQLException {
        throw unsupported("getTimestamp");
    }

    @Override
    public Timestamp getTimestamp(int columnIndex) throws SQLException {
        throw unsupported("getTimestamp");
    }

    @Override
    public URL getURL(String columnLabel) throws SQLException {
        throw unsupported("getURL");
    }

    @Override
    public URL getURL(int columnIndex) throws SQLException {
        throw unsupported("getURL");
    }

    @Override
    public InputStream getUnicodeStream(String columnLabel) throws SQLException {
        throw unsupported("getUnicodeStream");
    }

    @Override
    public InputStream getUnicodeStream(int columnIndex) throws SQLException {
        throw unsupported("getUnicodeStream");
    }

    @Override
    public void insertRow() throws SQLException {
        throw unsupported("insertRow");
    }

    @Override
    public void moveToCurrentRow() throws SQLException {
        throw unsupported("moveToCurrentRow");
    }

    @Override
    public void moveToInsertRow() throws SQLException {
        throw unsupported("moveToInsertRow");
    }

    @Override
    public void refreshRow() throws SQLException {
        throw unsupported("refreshRow");
    }

    @Override
    public void updateArray(String columnLabel, Array x) throws SQLException {
        throw unsupported("updateArray");
    }

    @Override
    public void updateArray(int columnIndex, Array x) throws SQLException {
        throw unsupported("updateArray");
    }

    @Override
    public void updateAsciiStream(String columnLabel, InputStream x, int length) throws SQLException {
        throw unsupported("updateAsciiStream");
    }

    @Override
    public void updateAsciiStream(String columnLabel, InputStream x, long length) throws SQLException {
        throw unsupported("updateAsciiStream");
    }

    @Override
    public void updateAsciiStream(String columnLabel, InputStream x) throws SQLException {
        throw unsupported("updateAsciiStream");
    }

    @Override
    public void updateAsciiStream(int columnIndex, InputStream x, int length) throws SQLException {
        throw unsupported("updateAsciiStream");
    }

    @Override
    public void updateAsciiStream(int columnIndex, InputStream x, long length) throws SQLException {
        throw unsupported("updateAsciiStream");
    }

    @Override
    public void updateAsciiStream(int columnIndex, InputStream x) throws SQLException {
        throw unsupported("updateAsciiStream");
    }

    @Override
    public void updateBigDecimal(String columnLabel, BigDecimal x) throws SQLException {
        throw unsupported("updateBigDecimal");
    }

    @Override
    public void updateBigDecimal(int columnIndex, BigDecimal x) throws SQLException {
        throw unsupported("updateBigDecimal");
    }

    @Override
    public void updateBinaryStream(String columnLabel, InputStream x, int length) throws SQLException {
        throw unsupported("updateBinaryStream");
    }

    @Override
    public void updateBinaryStream(String columnLabel, InputStream x, long length) throws SQLException {
        throw unsupported("updateBinaryStream");
    }

    @Override
    public void updateBinaryStream(String columnLabel, InputStream x) throws SQLException {
        throw unsupported("updateBinaryStream");
    }

    @Override
    public void updateBinaryStream(int columnIndex, InputStream x, int length) throws SQLException {
        throw unsupported("updateBinaryStream");
    }

    @Override
    public void updateBinaryStream(int columnIndex, InputStream x, long length) throws SQLException {
        throw unsupported("updateBinaryStream");
    }

    @Override
    public void updateBinaryStream(int columnIndex, InputStream x) throws SQLException {
        throw unsupported("updateBinaryStream");
    }

    @Override
    public void updateBlob(String columnLabel, InputStream x, long length) throws SQLException {
        throw unsupported("updateBlob");
    }

    @Override
    public void updateBlob(String columnLabel, InputStream x) throws SQLException {
        throw unsupported("updateBlob");
    }

    @Override
    public void updateBlob(String columnLabel, Blob x) throws SQLException {
        throw unsupported("updateBlob");
    }

    @Override
    public void updateBlob(int columnIndex, InputStream x, long length) throws SQLException {
        throw unsupported("updateBlob");
    }

    @Override
    public void updateBlob(int columnIndex, InputStream x) throws SQLException {
        throw unsupported("updateBlob");
    }

    @Override
    public void updateBlob(int columnIndex, Blob x) throws SQLException {
        throw unsupported("updateBlob");
    }

    @Override
    public void updateBoolean(String columnLabel, boolean x) throws SQLException {
        throw unsupported("updateBoolean");
    }

    @Override
    public void updateBoolean(int columnIndex, boolean x) throws SQLException {
        throw unsupported("updateBoolean");
    }

    @Override
    public void updateByte(String columnLabel, byte x) throws SQLException {
        throw unsupported("updateByte");
    }

    @Override
    public void updateByte(int columnIndex, byte x) throws SQLException {
        throw unsupported("updateByte");
    }

    @Override
    public void updateBytes(String columnLabel, byte[] x) throws SQLException {
        throw unsupported("updateBytes");
    }

    @Override
    public void updateBytes(int columnIndex, byte[] x) throws SQLException {
        throw unsupported("updateBytes");
    }

    @Override
    public void updateCharacterStream(String columnLabel, Reader x, int length) throws SQLException {
        throw unsupported("updateCharacterStream");
    }

    @Override
    public void updateCharacterStream(String columnLabel, Reader x, long length) throws SQLException {
        throw unsupported("updateCharacterStream");
    }

    @Override
    public void updateCharacterStream(String columnLabel, Reader x) throws SQLException {
        throw unsupported("updateCharacterStream");
    }

    @Override
    public void updateCharacterStream(int columnIndex, Reader x, int length) throws SQLException {
        throw unsupported("updateCharacterStream");
    }

    @Override
    public void updateCharacterStream(int columnIndex, Reader x, long length) throws SQLException {
        throw unsupported("updateCharacterStream");
    }

    @Override
    public void updateCharacterStream(int columnIndex, Reader x) throws SQLException {
        throw unsupported("updateCharacterStream");
    }

    @Override
    public void updateClob(String columnLabel, Reader x, long length) throws SQLException {
        throw unsupported("updateClob");
    }

    @Override
    public void updateClob(String columnLabel, Reader x) throws SQLException {
        throw unsupported("updateClob");
    }

    @Override
    public void updateClob(String columnLabel, Clob x) throws SQLException {
        throw unsupported("updateClob");
    }

    @Override
    public void updateClob(int columnIndex, Reader x, long length) throws SQLException {
        throw unsupported("updateClob");
    }

    @Override
    public void updateClob(int columnIndex, Reader x) throws SQLException {
        throw unsupported("updateClob");
    }

    @Override
    public void updateClob(int columnIndex, Clob x) throws SQLException {
        throw unsupported("updateClob");
    }

    @Override
    public void updateDate(String columnLabel, Date x) throws SQLException {
        throw unsupported("updateDate");
    }

    @Override
    public void updateDate(int columnIndex, Date x) throws SQLException {
        throw unsupported("updateDate");
    }

    @Override
    public void updateDouble(String columnLabel, double x) throws SQLException {
        throw unsupported("updateDouble");
    }

    @Override
    public void updateDouble(int columnIndex, double x) throws SQLException {
        throw unsupported("updateDouble");
    }

    @Override
    public void updateFloat(String columnLabel, float x) throws SQLException {
        throw unsupported("updateFloat");
    }

    @Override
    public void updateFloat(int columnIndex, float x) throws SQLException {
        throw unsupported("updateFloat");
    }

    @Override
    public void updateInt(String columnLabel, int x) throws SQLException {
        throw unsupported("updateInt");
    }

    @Override
    public void updateInt(int columnIndex, int x) throws SQLException {
        throw unsupported("updateInt");
    }

    @Override
    public void updateLong(String columnLabel, long x) throws SQLException {
        throw unsupported("updateLong");
    }

    @Override
    public void updateLong(int columnIndex, long x) throws SQLException {
        throw unsupported("updateLong");
    }

    @Override
    public void updateNCharacterStream(String columnLabel, Reader x, long length) throws SQLException {
        throw unsupported("updateNCharacterStream");
    }

    @Override
    public void updateNCharacterStream(String columnLabel, Reader x) throws SQLException {
        throw unsupported("updateNCharacterStream");
    }

    @Override
    public void updateNCharacterStream(int columnIndex, Reader x, long length) throws SQLException {
        throw unsupported("updateNCharacterStream");
    }

    @Override
    public void updateNCharacterStream(int columnIndex, Reader x) throws SQLException {
        throw unsupported("updateNCharacterStream");
    }

    @Override
    public void updateNClob(String columnLabel, Reader x, long length) throws SQLException {
        throw unsupported("updateNClob");
    }

    @Override
    public void updateNClob(String columnLabel, Reader x) throws SQLException {
        throw unsupported("updateNClob");
    }

    @Override
    public void updateNClob(String columnLabel, NClob x) throws SQLException {
        throw unsupported("updateNClob");
    }

    @Override
    public void updateNClob(int columnIndex, Reader x, long length) throws SQLException {
        throw unsupported("updateNClob");
    }

    @Override
    public void updateNClob(int columnIndex, Reader x) throws SQLException {
        throw unsupported("updateNClob");
    }

    @Override
    public void updateNClob(int columnIndex, NClob x) throws SQLException {
        throw unsupported("updateNClob");
    }

    @Override
    public void updateNString(String columnLabel, String x) throws SQLException {
        throw unsupported("updateNString");
    }

    @Override
    public void updateNString(int columnIndex, String x) throws SQLException {
        throw unsupported("updateNString");
    }

    @Override
    public void updateNull(String columnLabel) throws SQLException {
        throw unsupported("updateNull");
    }

    @Override
    public void updateNull(int columnIndex) throws SQLException {
        throw unsupported("updateNull");
    }

    @Override
    public void updateObject(String columnLabel, Object x, int length) throws SQLException {
        throw unsupported("updateObject");
    }

    @Override
    public void updateObject(String columnLabel, Object x) throws SQLException {
        throw unsupported("updateObject");
    }

    @Override
    public void updateObject(int columnIndex, Object x, int length) throws SQLException {
        throw unsupported("updateObject");
    }

    @Override
    public void updateObject(int columnIndex, Object x) throws SQLException {
        throw unsupported("updateObject");
    }

    @Override
    public void updateRef(String columnLabel, Ref x) throws SQLException {
        throw unsupported("updateRef");
    }

    @Override
    public void updateRef(int columnIndex, Ref x) throws SQLException {
        throw unsupported("updateRef");
    }

    @Override
    public void updateRowId(String columnLabel, RowId x) throws SQLException {
        throw unsupported("updateRowId");
    }

    @Override
    public void updateRowId(int columnIndex, RowId x) throws SQLException {
        throw unsupported("updateRowId");
    }

    @Override
    public void updateRow() throws SQLException {
        throw unsupported("updateRow");
    }

    @Override
    public void updateSQLXML(String columnLabel, SQLXML x) throws SQLException {
        throw unsupported("updateSQLXML");
    }

    @Override
    public void updateSQLXML(int columnIndex, SQLXML x) throws SQLException {
        throw unsupported("updateSQLXML");
    }

    @Override
    public void updateShort(String columnLabel, short x) throws SQLException {
        throw unsupported("updateShort");
    }

    @Override
    public void updateShort(int columnIndex, short x) throws SQLException {
        throw unsupported("updateShort");
    }

    @Override
    public void updateString(String columnLabel, String x) throws SQLException {
        throw unsupported("updateString");
    }

    @Override
    public void updateString(int columnIndex, String x) throws SQLException {
        throw unsupported("updateString");
    }

    @Override
    public void updateTime(String columnLabel, Time x) throws SQLException {
        throw unsupported("updateTime");
    }

    @Override
    public void updateTime(int columnIndex, Time x) throws SQLException {
        throw unsupported("updateTime");
    }

    @Override
    public void updateTimestamp(String columnLabel, Timestamp x) throws SQLException {
        throw unsupported("updateTimestamp");
    }

    @Override
    public void updateTimestamp(int columnIndex, Timestamp x) throws SQLException {
        throw unsupported("updateTimestamp");
    }

    /** One {@code int4} column labelled {@value #COLUMN}. */
    private static final class MetaData implements ResultSetMetaData {
        private static void check(int column) throws SQLException {
            if (column != 1) {
                throw new SQLException("The column index is out of range: " + column + ", number of columns: 1",
                        "22023");
            }
        }

        @Override
        public int getColumnCount() {
            return 1;
        }

        @Override
        public boolean isAutoIncrement(int column) throws SQLException {
            check(column);
            return false;
        }

        @Override
        public boolean isCaseSensitive(int column) throws SQLException {
            check(column);
            return false;
        }

        @Override
        public boolean isSearchable(int column) throws SQLException {
            check(column);
            return true;
        }

        @Override
        public boolean isCurrency(int column) throws SQLException {
            check(column);
            return false;
        }

        @Override
        public int isNullable(int column) throws SQLException {
            check(column);
            return columnNullableUnknown;
        }

        @Override
        public boolean isSigned(int column) throws SQLException {
            check(column);
            return true;
        }

        @Override
        public int getColumnDisplaySize(int column) throws SQLException {
            check(column);
            return 11;
        }

        @Override
        public String getColumnLabel(int column) throws SQLException {
            check(column);
            return COLUMN;
        }

        @Override
        public String getColumnName(int column) throws SQLException {
            check(column);
            return COLUMN;
        }

        @Override
        public String getSchemaName(int column) throws SQLException {
            check(column);
            return "";
        }

        @Override
        public int getPrecision(int column) throws SQLException {
            check(column);
            return 10;
        }

        @Override
        public int getScale(int column) throws SQLException {
            check(column);
            return 0;
        }

        @Override
        public String getTableName(int column) throws SQLException {
            check(column);
            return "";
        }

        @Override
        public String getCatalogName(int column) throws SQLException {
            check(column);
            return "";
        }

        @Override
        public int getColumnType(int column) throws SQLException {
            check(column);
            return Types.INTEGER;
        }

        @Override
        public String getColumnTypeName(int column) throws SQLException {
            check(column);
            return "int4";
        }

        @Override
        public boolean isReadOnly(int column) throws SQLException {
            check(column);
            return true;
        }

        @Override
        public boolean isWritable(int column) throws SQLException {
            check(column);
            return false;
        }

        @Override
        public boolean isDefinitelyWritable(int column) throws SQLException {
            check(column);
            return false;
        }

        @Override
        public String getColumnClassName(int column) throws SQLException {
            check(column);
            return Integer.class.getName();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            if (iface.isInstance(this)) {
                return iface.cast(this);
            }
            throw new SQLException("not a wrapper for " + iface.getName());
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return iface.isInstance(this);
        }
    }
}
