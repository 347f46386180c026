package dev.tidepool.jdbc.proxy;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The pool's side of one borrow. A {@link ProxyConnection} calls it exactly once, from its first
 * {@code close()} (or {@code abort()}), after it has closed the borrower's statements and put the
 * connection back in its {@link ConnectionDefaults} state.
 */
public interface ConnectionReturn {
    /**
     * Takes the physical connection back.
     *
     * @param physical the driver's connection the proxy wrapped
     * @param evict    true if the connection is broken (a fatal SQLState was seen, or the reset
     *                 failed): the pool closes it instead of keeping it
     */
    void returnConnection(Connection physical, boolean evict);

    /**
     * Takes the physical connection back, as {@link #returnConnection(Connection, boolean)} does,
     * knowing when it was lent (for usage metrics); what a {@link ProxyConnection} calls.
     *
     * @param physical  the driver's connection the proxy wrapped
     * @param evict     true if the connection is broken
     * @param lentNanos the {@code System.nanoTime()} of the borrow, or 0 if it was not read
     */
    default void returnConnection(Connection physical, boolean evict, long lentNanos) {
        returnConnection(physical, evict);
    }

    /**
     * The pool this return leads to in the end (a leak watch wraps the pool's own).
     *
     * @return the pool's return
     */
    default ConnectionReturn owner() {
        return this;
    }

    /**
     * Whether {@code e}, seen on the connection, means the pool must close it rather than lend it
     * again; by default the SQLState rules of {@link SqlStates}. The pool overrides this with the
     * configured {@code SQLExceptionOverride}.
     *
     * @param e what the driver threw
     * @return true to evict the connection when it comes back
     */
    default boolean evicts(SQLException e) {
        return SqlStates.isFatal(e);
    }
}
