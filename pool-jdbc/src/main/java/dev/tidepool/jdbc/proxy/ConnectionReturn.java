package dev.tidepool.jdbc.proxy;

import java.sql.Connection;

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
}
