package dev.tidepool.jdbc.pool;

import java.sql.SQLException;

/**
 * Carries a driver's {@link SQLException} out of the pool's {@code create()}, which cannot throw
 * checked exceptions; {@code getConnection()} unwraps it.
 */
final class ConnectionFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConnectionFailure(SQLException cause) {
        super(cause.getMessage(), cause, false, false); // the cause has the stack trace that matters
    }

    @Override
    public SQLException getCause() {
        return (SQLException) super.getCause();
    }
}
