package dev.tidepool.jmx;

/**
 * A {@link dev.tidepool.core.GreenPool} seen through JMX, registered as
 * {@code dev.tidepool:type=GreenPool,name=<pool name>} by {@link TidepoolMBeans#register(
 * dev.tidepool.core.GreenPool)}. Every attribute is an open type, so JConsole shows it and edits
 * {@code Size} in place.
 *
 * <pre>{@code
 * GreenPool crawlers = new GreenPool(100, "crawlers");
 * TidepoolMBeans.register(crawlers);   // unregisters by itself at shutdown
 *
 * GreenPoolMXBean bean = JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(),
 *         new ObjectName("dev.tidepool:type=GreenPool,name=crawlers"), GreenPoolMXBean.class);
 * bean.setSize(200);                   // blocked spawners go on at once
 * }</pre>
 *
 * <p>The bean also emits the notifications {@value TidepoolMBeans#TIMEOUT_NOTIFICATION} (a timed
 * {@code spawn} gave up) and {@value TidepoolMBeans#EXHAUSTED_NOTIFICATION} (a spawner found the
 * pool full and waits), rate-limited; see {@link TidepoolMBeans}.
 */
public interface GreenPoolMXBean {
    /** {@return the most tasks that run at once ({@code GreenPool.size()})} */
    int getSize();

    /**
     * Resizes the pool, live ({@code GreenPool.resize}): growing wakes blocked spawners at once,
     * shrinking lets running tasks finish.
     *
     * @param size the most tasks that run at once from now on
     * @throws IllegalArgumentException if {@code size} is negative (nothing changes)
     */
    void setSize(int size);

    /** {@return tasks running right now} */
    int getRunning();

    /** {@return slots free now: Size - Running; negative after a shrink} */
    int getFree();

    /** {@return callers blocked in {@code spawn} right now} */
    int getWaiting();

    /** {@return tasks started so far (including ones run inline by a reentrant spawn)} */
    long getSpawnedCount();

    /** {@return tracked tasks that have ended so far, however they ended} */
    long getCompletedCount();

    /** {@return tracked tasks that ended by throwing so far} */
    long getFailedCount();

    /**
     * Same as setting {@code Size}.
     *
     * @param newSize the most tasks that run at once from now on
     * @throws IllegalArgumentException if {@code newSize} is negative
     */
    void resize(int newSize);
}
