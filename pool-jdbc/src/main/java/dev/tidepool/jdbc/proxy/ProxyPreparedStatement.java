package dev.tidepool.jdbc.proxy;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;

/**
 * The {@link PreparedStatement} a {@link ProxyConnection} hands out: {@link ProxyStatement}'s tracking, dirty
 * flag, result set wrapping and fatal-error check, for the methods {@code PreparedStatement} adds. Parameter
 * setters are plain delegation.
 */
sealed class ProxyPreparedStatement extends ProxyStatement implements PreparedStatement
        permits ProxyCallableStatement {
    private final PreparedStatement delegate;

    ProxyPreparedStatement(ProxyConnection connection, PreparedStatement delegate) {
        super(connection, delegate);
        this.delegate = delegate;
    }

    private PreparedStatement ps() throws SQLException {
        open();
        return delegate;
    }

    private PreparedStatement psDirty() throws SQLException {
        openDirty();
        return delegate;
    }

    // ---- Execution: each call dirties the transaction

    @Override public ResultSet executeQuery() throws SQLException {
        try { return wrap(psDirty().executeQuery()); } catch (SQLException e) { throw check(e); }
    }

    @Override public int executeUpdate() throws SQLException {
        try { return psDirty().executeUpdate(); } catch (SQLException e) { throw check(e); }
    }

    @Override public boolean execute() throws SQLException {
        try { return psDirty().execute(); } catch (SQLException e) { throw check(e); }
    }

    @Override public void addBatch() throws SQLException {
        try { psDirty().addBatch(); } catch (SQLException e) { throw check(e); }
    }

    @Override public long executeLargeUpdate() throws SQLException {
        try { return psDirty().executeLargeUpdate(); } catch (SQLException e) { throw check(e); }
    }

    // ---- Parameters

    @Override public void setNull(int parameterIndex, int sqlType) throws SQLException {
        try { ps().setNull(parameterIndex, sqlType); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setBoolean(int parameterIndex, boolean x) throws SQLException {
        try { ps().setBoolean(parameterIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setByte(int parameterIndex, byte x) throws SQLException {
        try { ps().setByte(parameterIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setShort(int parameterIndex, short x) throws SQLException {
        try { ps().setShort(parameterIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setInt(int parameterIndex, int x) throws SQLException {
        try { ps().setInt(parameterIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setLong(int parameterIndex, long x) throws SQLException {
        try { ps().setLong(parameterIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setFloat(int parameterIndex, float x) throws SQLException {
        try { ps().setFloat(parameterIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setDouble(int parameterIndex, double x) throws SQLException {
        try { ps().setDouble(parameterIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setBigDecimal(int parameterIndex, BigDecimal x) throws SQLException {
        try { ps().setBigDecimal(parameterIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setString(int parameterIndex, String x) throws SQLException {
        try { ps().setString(parameterIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setBytes(int parameterIndex, byte[] x) throws SQLException {
        try { ps().setBytes(parameterIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setDate(int parameterIndex, Date x) throws SQLException {
        try { ps().setDate(parameterIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setTime(int parameterIndex, Time x) throws SQLException {
        try { ps().setTime(parameterIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setTimestamp(int parameterIndex, Timestamp x) throws SQLException {
        try { ps().setTimestamp(parameterIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setAsciiStream(int parameterIndex, InputStream x, int length) throws SQLException {
        try { ps().setAsciiStream(parameterIndex, x, length); } catch (SQLException e) { throw check(e); }
    }

    @Deprecated @Override public void setUnicodeStream(
            int parameterIndex, InputStream x, int length) throws SQLException {
        try { ps().setUnicodeStream(parameterIndex, x, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setBinaryStream(int parameterIndex, InputStream x, int length) throws SQLException {
        try { ps().setBinaryStream(parameterIndex, x, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void clearParameters() throws SQLException {
        try { ps().clearParameters(); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException {
        try { ps().setObject(parameterIndex, x, targetSqlType); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setObject(int parameterIndex, Object x) throws SQLException {
        try { ps().setObject(parameterIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setCharacterStream(int parameterIndex, Reader reader, int length) throws SQLException {
        try { ps().setCharacterStream(parameterIndex, reader, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setRef(int parameterIndex, Ref x) throws SQLException {
        try { ps().setRef(parameterIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setBlob(int parameterIndex, Blob x) throws SQLException {
        try { ps().setBlob(parameterIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setClob(int parameterIndex, Clob x) throws SQLException {
        try { ps().setClob(parameterIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setArray(int parameterIndex, Array x) throws SQLException {
        try { ps().setArray(parameterIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setDate(int parameterIndex, Date x, Calendar cal) throws SQLException {
        try { ps().setDate(parameterIndex, x, cal); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setTime(int parameterIndex, Time x, Calendar cal) throws SQLException {
        try { ps().setTime(parameterIndex, x, cal); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setTimestamp(int parameterIndex, Timestamp x, Calendar cal) throws SQLException {
        try { ps().setTimestamp(parameterIndex, x, cal); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setNull(int parameterIndex, int sqlType, String typeName) throws SQLException {
        try { ps().setNull(parameterIndex, sqlType, typeName); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setURL(int parameterIndex, URL x) throws SQLException {
        try { ps().setURL(parameterIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setRowId(int parameterIndex, RowId x) throws SQLException {
        try { ps().setRowId(parameterIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setNString(int parameterIndex, String value) throws SQLException {
        try { ps().setNString(parameterIndex, value); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setNCharacterStream(int parameterIndex, Reader value, long length) throws SQLException {
        try { ps().setNCharacterStream(parameterIndex, value, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setNClob(int parameterIndex, NClob value) throws SQLException {
        try { ps().setNClob(parameterIndex, value); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setClob(int parameterIndex, Reader reader, long length) throws SQLException {
        try { ps().setClob(parameterIndex, reader, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setBlob(int parameterIndex, InputStream inputStream, long length) throws SQLException {
        try { ps().setBlob(parameterIndex, inputStream, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setNClob(int parameterIndex, Reader reader, long length) throws SQLException {
        try { ps().setNClob(parameterIndex, reader, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setSQLXML(int parameterIndex, SQLXML xmlObject) throws SQLException {
        try { ps().setSQLXML(parameterIndex, xmlObject); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setObject(
            int parameterIndex, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        try {
            ps().setObject(parameterIndex, x, targetSqlType, scaleOrLength);
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public void setAsciiStream(int parameterIndex, InputStream x, long length) throws SQLException {
        try { ps().setAsciiStream(parameterIndex, x, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setBinaryStream(int parameterIndex, InputStream x, long length) throws SQLException {
        try { ps().setBinaryStream(parameterIndex, x, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setCharacterStream(int parameterIndex, Reader reader, long length) throws SQLException {
        try { ps().setCharacterStream(parameterIndex, reader, length); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setAsciiStream(int parameterIndex, InputStream x) throws SQLException {
        try { ps().setAsciiStream(parameterIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setBinaryStream(int parameterIndex, InputStream x) throws SQLException {
        try { ps().setBinaryStream(parameterIndex, x); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setCharacterStream(int parameterIndex, Reader reader) throws SQLException {
        try { ps().setCharacterStream(parameterIndex, reader); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setNCharacterStream(int parameterIndex, Reader value) throws SQLException {
        try { ps().setNCharacterStream(parameterIndex, value); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setClob(int parameterIndex, Reader reader) throws SQLException {
        try { ps().setClob(parameterIndex, reader); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setBlob(int parameterIndex, InputStream inputStream) throws SQLException {
        try { ps().setBlob(parameterIndex, inputStream); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setNClob(int parameterIndex, Reader reader) throws SQLException {
        try { ps().setNClob(parameterIndex, reader); } catch (SQLException e) { throw check(e); }
    }

    @Override public void setObject(
            int parameterIndex, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
        try {
            ps().setObject(parameterIndex, x, targetSqlType, scaleOrLength);
        } catch (SQLException e) {
            throw check(e);
        }
    }

    @Override public void setObject(int parameterIndex, Object x, SQLType targetSqlType) throws SQLException {
        try { ps().setObject(parameterIndex, x, targetSqlType); } catch (SQLException e) { throw check(e); }
    }

    // ---- Metadata

    @Override public ResultSetMetaData getMetaData() throws SQLException {
        try { return ps().getMetaData(); } catch (SQLException e) { throw check(e); }
    }

    @Override public ParameterMetaData getParameterMetaData() throws SQLException {
        try { return ps().getParameterMetaData(); } catch (SQLException e) { throw check(e); }
    }
}
