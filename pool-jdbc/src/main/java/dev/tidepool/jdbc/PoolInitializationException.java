package dev.tidepool.jdbc;

/**
 * The pool could not make its first connection within {@code initializationFailTimeout} (HikariCP's
 * {@code PoolInitializationException}). Thrown by {@link TidepoolDataSource#TidepoolDataSource(TidepoolConfig)};
 * the cause is the driver's last failure (an {@link java.sql.SQLException}). The first
 * {@code getConnection()} of a bean-style data source throws that {@code SQLException} itself, as
 * HikariCP does.
 *
 * <pre>{@code
 * try {
 *     dataSource = new TidepoolDataSource(config);
 * } catch (PoolInitializationException e) {
 *     log.error("database unreachable at start", e.getCause());
 * }
 * }</pre>
 */
public class PoolInitializationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message and the failure that caused it.
     *
     * @param message what failed, naming the pool
     * @param cause the failure that caused it
     */
    public PoolInitializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
