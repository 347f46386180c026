package dev.tidepool.jdbc.proxy;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The state every borrower gets a connection in: what the configuration asked for, or what the
 * driver chose where it asked for nothing. A {@link ProxyConnection} puts back, on close, each of
 * these that its borrower changed.
 *
 * @param autoCommit     the auto-commit mode
 * @param readOnly       the read-only mode
 * @param isolation      the {@code Connection.TRANSACTION_*} level
 * @param catalog        the catalog, may be null
 * @param schema         the schema, may be null
 * @param networkTimeout the network timeout in milliseconds, 0 for none
 */
public record ConnectionDefaults(boolean autoCommit, boolean readOnly, int isolation, String catalog, String schema,
                          int networkTimeout) {

    /** Reads the state a physical connection is in now (after the pool set it up). */
    public static ConnectionDefaults readFrom(Connection connection) throws SQLException {
        int networkTimeout;
        try {
            networkTimeout = connection.getNetworkTimeout();
        } catch (SQLException | UnsupportedOperationException | AbstractMethodError e) {
            networkTimeout = -1; // the driver has none; never reset it
        }
        String schema;
        try {
            schema = connection.getSchema();
        } catch (SQLException | UnsupportedOperationException | AbstractMethodError e) {
            schema = null;
        }
        return new ConnectionDefaults(connection.getAutoCommit(), connection.isReadOnly(),
                connection.getTransactionIsolation(), connection.getCatalog(), schema, networkTimeout);
    }
}
