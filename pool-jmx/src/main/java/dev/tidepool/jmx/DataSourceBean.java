package dev.tidepool.jmx;

import dev.tidepool.jdbc.Credentials;
import dev.tidepool.jdbc.TidepoolDataSource;
import java.util.Map;
import javax.management.ObjectName;

/**
 * {@link DataSourceMXBean} over a live {@link TidepoolDataSource}: every read and write goes to the
 * data source, whose setters check the value and act on the running pool.
 */
final class DataSourceBean extends PoolBean implements DataSourceMXBean {
    private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry("MaximumPoolSize", "The most connections the pool keeps. Writable: a live resize; shrinking "
                    + "closes idle connections beyond it at once, busy ones as they come back"),
            Map.entry("MinimumIdle", "The idle connections the pool keeps ready. Writable: raising it connects "
                    + "at once; below it, idle connections beyond it retire after IdleTimeout"),
            Map.entry("ConnectionTimeout", "How long getConnection() waits, in ms. Writable: applies to the next calls"),
            Map.entry("IdleTimeout", "How long a connection beyond MinimumIdle may sit idle before it is closed, "
                    + "in ms (0: forever). Writable"),
            Map.entry("MaxLifetime", "How long a connection lives before it is retired, in ms (0: no limit). Writable"),
            Map.entry("LeakDetectionThreshold", "How long a connection may stay out before a possible leak is "
                    + "logged, in ms (0: off). Writable"),
            Map.entry("ValidationTimeout", "How long a connection check may take, in ms. Writable"),
            Map.entry("MaximumThreadsAwaitingConnection", "How many callers may wait for a connection at once;"
                    + " beyond it getConnection() fails at once (-1: no bound). Writable"),
            Map.entry("ShedConnectionRequests", "getConnection() calls turned away at once because"
                    + " MaximumThreadsAwaitingConnection callers were already waiting, so far"),
            Map.entry("Fairness", "Who gets a connection first when callers wait: STRICT (first come, first served) "
                    + "or BOUNDED(<n>ms) (returning and arriving threads may go first until a waiter has waited that "
                    + "long). Writable, live"),
            Map.entry("ActiveConnections", "Connections borrowed right now"),
            Map.entry("IdleConnections", "Connections idle in the pool right now"),
            Map.entry("TotalConnections", "Connections open right now, busy or idle"),
            Map.entry("ThreadsAwaitingConnection", "Callers waiting in getConnection() right now"),
            Map.entry("PoolName", "The pool's name"),
            Map.entry("BorrowCount", "Successful getConnection() calls so far"),
            Map.entry("TimeoutCount", "getConnection() calls that timed out so far"),
            Map.entry("MeanWaitMillis", "Mean wait of a getConnection() in ms, over calls that succeeded or "
                    + "timed out (one served at once counts as 0)"),
            Map.entry("MaxWaitMillis", "The longest a getConnection() has waited so far, in ms"),
            Map.entry("resize", "Resizes the pool, live (same as setting MaximumPoolSize)"),
            Map.entry("softEvictConnections", "Retires every connection: idle ones close at once, busy ones when "
                    + "they come back"),
            Map.entry("suspendPool", "Holds new getConnection() calls until resumePool()"),
            Map.entry("setCredentials", "Sets the user name and password of new connections and retires the"
                    + " connections opened with the old ones as they come back (the password is never readable)"),
            Map.entry("resumePool", "Lets held and new getConnection() calls go on"));

    private final TidepoolDataSource dataSource;

    DataSourceBean(TidepoolDataSource dataSource, ObjectName objectName, NotificationPolicy policy) {
        super(objectName, dataSource.getPoolName(), policy);
        this.dataSource = dataSource;
    }

    // The setters of TidepoolDataSource (TidepoolConfig) check each value before storing it and
    // before touching the pool, so a refused write changes nothing; the bean adds no checks of its
    // own that could drift from theirs.

    @Override
    public int getMaximumPoolSize() {
        return dataSource.getMaximumPoolSize();
    }

    @Override
    public void setMaximumPoolSize(int maximumPoolSize) {
        dataSource.setMaximumPoolSize(maximumPoolSize);
    }

    @Override
    public int getMinimumIdle() {
        return dataSource.getMinimumIdle();
    }

    @Override
    public void setMinimumIdle(int minimumIdle) {
        dataSource.setMinimumIdle(minimumIdle);
    }

    @Override
    public long getConnectionTimeout() {
        return dataSource.getConnectionTimeout();
    }

    @Override
    public void setConnectionTimeout(long connectionTimeoutMillis) {
        dataSource.setConnectionTimeout(connectionTimeoutMillis);
    }

    @Override
    public long getIdleTimeout() {
        return dataSource.getIdleTimeout();
    }

    @Override
    public void setIdleTimeout(long idleTimeoutMillis) {
        dataSource.setIdleTimeout(idleTimeoutMillis);
    }

    @Override
    public long getMaxLifetime() {
        return dataSource.getMaxLifetime();
    }

    @Override
    public void setMaxLifetime(long maxLifetimeMillis) {
        dataSource.setMaxLifetime(maxLifetimeMillis);
    }

    @Override
    public long getLeakDetectionThreshold() {
        return dataSource.getLeakDetectionThreshold();
    }

    @Override
    public void setLeakDetectionThreshold(long leakDetectionThresholdMillis) {
        dataSource.setLeakDetectionThreshold(leakDetectionThresholdMillis);
    }

    @Override
    public long getValidationTimeout() {
        return dataSource.getValidationTimeout();
    }

    @Override
    public void setValidationTimeout(long validationTimeoutMillis) {
        dataSource.setValidationTimeout(validationTimeoutMillis);
    }

    @Override
    public int getMaximumThreadsAwaitingConnection() {
        return dataSource.getMaximumThreadsAwaitingConnection();
    }

    @Override
    public void setMaximumThreadsAwaitingConnection(int maximumThreadsAwaitingConnection) {
        dataSource.setMaximumThreadsAwaitingConnection(maximumThreadsAwaitingConnection);
    }

    @Override
    public long getShedConnectionRequests() {
        return dataSource.getShedConnectionRequests();
    }

    @Override
    public void setCredentials(String username, String password) {
        dataSource.setCredentials(Credentials.of(username, password));
    }

    @Override
    public String getFairness() {
        return dataSource.getFairness();
    }

    @Override
    public void setFairness(String fairness) {
        dataSource.setFairness(fairnessText(fairness));
    }

    @Override
    public int getActiveConnections() {
        return dataSource.getActiveConnections();
    }

    @Override
    public int getIdleConnections() {
        return dataSource.getIdleConnections();
    }

    @Override
    public int getTotalConnections() {
        return dataSource.getTotalConnections();
    }

    @Override
    public int getThreadsAwaitingConnection() {
        return dataSource.getThreadsAwaitingConnection();
    }

    @Override
    public String getPoolName() {
        return dataSource.getPoolName();
    }

    @Override
    public long getBorrowCount() {
        return dataSource.stats().borrowCount();
    }

    @Override
    public long getTimeoutCount() {
        return dataSource.stats().timeoutCount();
    }

    @Override
    public double getMeanWaitMillis() {
        return meanWaitMillis(dataSource.stats());
    }

    @Override
    public long getMaxWaitMillis() {
        return maxWaitMillis(dataSource.stats());
    }

    @Override
    public void resize(int maximumPoolSize) {
        dataSource.resize(maximumPoolSize);
    }

    @Override
    public void softEvictConnections() {
        dataSource.softEvictConnections();
    }

    @Override
    public void suspendPool() {
        dataSource.suspendPool();
    }

    @Override
    public void resumePool() {
        dataSource.resumePool();
    }

    @Override
    Class<?> mxbeanInterface() {
        return DataSourceMXBean.class;
    }

    @Override
    Map<String, String> descriptions() {
        return DESCRIPTIONS;
    }

    @Override
    String parameterName(String operation, int index) {
        if (operation.equals("setCredentials")) {
            return index == 0 ? "username" : "password";
        }
        return "maximumPoolSize";
    }

    @Override
    String state() {
        return "total " + dataSource.getTotalConnections() + " of max " + dataSource.getMaximumPoolSize()
                + ", active " + dataSource.getActiveConnections() + ", idle " + dataSource.getIdleConnections()
                + ", waiting " + dataSource.getThreadsAwaitingConnection();
    }
}
