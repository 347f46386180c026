package dev.tidepool.jdbc.proxy;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.Set;

/**
 * Which {@link SQLException}s mean the physical connection is gone for good, so the pool must
 * close it rather than hand it out again. The list is HikariCP's: SQLState class 08 (connection
 * exception), PostgreSQL's 57P01/57P02/57P03 (admin or crash shutdown, cannot connect now), 0A000
 * (feature not supported, as drivers report a dead server mid-protocol), 01002 (disconnect
 * error), Sybase's JZ0C0/JZ0C1, and the vendor codes 500150 (Redshift), 2399 and 1105 (MySQL
 * family). A timeout is not fatal: the statement failed, the connection did not.
 */
public final class SqlStates {
    private static final Set<String> FATAL_STATES = Set.of("0A000", "57P01", "57P02", "57P03", "01002",
            "JZ0C0", "JZ0C1");
    private static final Set<Integer> FATAL_CODES = Set.of(500150, 2399, 1105);

    private SqlStates() {
    }

    /** Whether {@code e}, or an exception chained to it, says the connection is broken. */
    public static boolean isFatal(SQLException e) {
        if (e instanceof SQLTimeoutException) {
            return false;
        }
        int depth = 0;
        for (SQLException next = e; next != null && depth < 32; next = next.getNextException(), depth++) {
            if (isFatalOne(next)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a failed connect says the server is up but takes no more connections (PostgreSQL's
     * 53300, too_many_connections: {@code max_connections} reached, or only the superusers' reserved
     * slots left): the connections a pool holds still serve.
     */
    public static boolean isTooManyConnections(SQLException e) {
        return "53300".equals(e.getSQLState());
    }

    /** Whether this one exception (not its chain) has a fatal SQLState or vendor code; never for a timeout. */
    public static boolean isFatalOne(SQLException e) {
        if (e instanceof SQLTimeoutException) {
            return false;
        }
        String state = e.getSQLState();
        if (state != null && (state.startsWith("08") || FATAL_STATES.contains(state))) {
            return true;
        }
        return FATAL_CODES.contains(e.getErrorCode());
    }
}
