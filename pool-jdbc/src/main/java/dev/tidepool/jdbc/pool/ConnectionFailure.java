package dev.tidepool.jdbc.pool;

import java.sql.SQLException;

/**
 * Carries a driver's {@link SQLException} out of the pool's {@code create()}, which cannot throw
 * checked exceptions; {@code getConnection()} unwraps it.
 */
final class ConnectionFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Whether the connection opened but could not be set up (a configuration error, not an outage). */
    private final boolean setup;

    ConnectionFailure(SQLException cause, boolean setup) {
        super(cause.getMessage(), cause, false, false); // the cause has the stack trace that matters
        this.setup = setup;
    }

    /** True if the connection opened but its setup or first check failed. */
    boolean isSetup() {
        return setup;
    }

    @Override
    public SQLException getCause() {
        return (SQLException) super.getCause();
    }
}
