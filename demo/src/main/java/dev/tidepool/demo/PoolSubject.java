package dev.tidepool.demo;

import javax.management.ObjectName;
import javax.sql.DataSource;

/**
 * A connection pool under the demo's workload, seen the same way whichever pool it is: the
 * {@link DataSource} the clients borrow from, and the gauges the live view shows. Both pools are
 * made with the same settings (see {@link PoolSettings}).
 */
interface PoolSubject extends AutoCloseable {
    /** What the tables call it: {@code Tidepool}, {@code HikariCP 7.1.0}. */
    String label();

    /** The pool's name, as JMX shows it. */
    String poolName();

    DataSource dataSource();

    /** The MBean whose {@code MaximumPoolSize} resizes this pool. */
    ObjectName sizeBean();

    /** The pool's current maximum size, which a JMX client may change while the demo runs. */
    int maximumPoolSize();

    int activeConnections();

    int idleConnections();

    int threadsAwaitingConnection();

    int totalConnections();

    @Override
    void close();
}
