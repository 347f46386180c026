package dev.tidepool.jdbc.pool;

import dev.tidepool.jdbc.proxy.ConnectionReturn;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One borrow under leak detection: if the connection is not back within the threshold, a warning
 * names the borrowing thread and shows where it borrowed (HikariCP's {@code ProxyLeakTask}); if it
 * comes back after that, a second line says so. Made only when a threshold is set: a borrow
 * without leak detection costs no stack trace and no timer.
 */
final class LeakWatch implements ConnectionReturn, Runnable {
    private static final System.Logger LOG = System.getLogger(JdbcPool.LOGGER_NAME);

    private final JdbcPool pool;
    private final Exception borrowedAt;
    private final String thread;
    private final long thresholdMs;
    private final ScheduledFuture<?> timer;
    private volatile boolean reported;

    LeakWatch(JdbcPool pool, Connection physical, long thresholdMs) {
        this.pool = pool;
        this.thresholdMs = thresholdMs;
        Thread borrower = Thread.currentThread();
        this.thread = borrower.getName().isEmpty() ? borrower.toString() : borrower.getName();
        this.borrowedAt = new Exception("Apparent connection leak detected");
        this.timer = pool.schedule(TimeUnit.MILLISECONDS.toNanos(thresholdMs), this);
    }

    /** The threshold passed with the connection still out. */
    @Override
    public void run() {
        reported = true;
        LOG.log(Level.WARNING, pool.poolName() + " - connection leak detection triggered: a connection borrowed by "
                + thread + " has been out for more than " + thresholdMs + " ms; it was borrowed here:", borrowedAt);
    }

    @Override
    public void returnConnection(Connection physical, boolean evict) {
        returnConnection(physical, evict, 0L);
    }

    @Override
    public void returnConnection(Connection physical, boolean evict, long lentNanos) {
        timer.cancel(false);
        if (reported) {
            LOG.log(Level.INFO, () -> pool.poolName() + " - previously reported leaked connection borrowed by "
                    + thread + " was returned to the pool (unleaked)");
        }
        pool.returnConnection(physical, evict, lentNanos);
    }

    @Override
    public boolean evicts(SQLException e) {
        return pool.evicts(e);
    }

    @Override
    public ConnectionReturn owner() {
        return pool;
    }
}
