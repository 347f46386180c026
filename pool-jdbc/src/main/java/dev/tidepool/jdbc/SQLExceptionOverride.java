package dev.tidepool.jdbc;

import java.sql.SQLException;

/**
 * Decides, for an {@link SQLException} a borrower saw on a connection, whether the pool closes
 * that connection instead of lending it again: the counterpart of HikariCP's
 * {@code SQLExceptionOverride}, with the same members, so an implementation ports by changing
 * its imports. Without an override the pool evicts on the SQLStates HikariCP treats as fatal
 * (class 08, 57P01 to 57P03, 0A000, 01002, and a few vendor codes).
 *
 * <p>Set an instance with {@link TidepoolConfig#setExceptionOverride} or a class with a public
 * no-argument constructor with {@link TidepoolConfig#setExceptionOverrideClassName}.
 *
 * <pre>{@code
 * public final class KeepOnDeadlock implements SQLExceptionOverride {
 *     @java.lang.Override
 *     public Override adjudicate(SQLException e) {
 *         return "40P01".equals(e.getSQLState()) ? Override.DO_NOT_EVICT : Override.CONTINUE_EVICT;
 *     }
 * }
 * }</pre>
 *
 * <p>It is called on the borrower's thread for every {@link SQLException} that passes through the
 * connection, its statements or result sets, so it must be fast and must not throw.
 */
public interface SQLExceptionOverride {
    /** What to do with the connection that saw an exception. */
    enum Override {
        /** Decide as usual: evict if the SQLState is one the pool treats as fatal. */
        CONTINUE_EVICT,
        /** Keep the connection, whatever the SQLState says. */
        DO_NOT_EVICT,
        /** Evict the connection, whatever the SQLState says. */
        MUST_EVICT
    }

    /**
     * The decision for {@code sqlException}; by default {@link Override#CONTINUE_EVICT}.
     *
     * @param sqlException what the driver threw
     * @return the decision, not null
     */
    default Override adjudicate(SQLException sqlException) {
        return Override.CONTINUE_EVICT;
    }
}
