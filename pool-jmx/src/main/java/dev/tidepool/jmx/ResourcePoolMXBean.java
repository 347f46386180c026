package dev.tidepool.jmx;

/**
 * A {@link dev.tidepool.core.ResourcePool} seen through JMX, registered as
 * {@code dev.tidepool:type=ResourcePool,name=<pool name>} by {@link TidepoolMBeans#register(
 * dev.tidepool.core.ResourcePool)}. Every attribute is an open type, so JConsole shows it and edits
 * {@code MaxSize} and {@code Fairness} in place.
 *
 * <pre>{@code
 * ResourcePool<Channel> channels = ResourcePool.builder(Channel::open).maxSize(8).name("channels").build();
 * TidepoolMBeans.register(channels);   // unregisters by itself when the pool closes
 *
 * // From any JMX client (here the same JVM):
 * ResourcePoolMXBean bean = JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(),
 *         new ObjectName("dev.tidepool:type=ResourcePool,name=channels"), ResourcePoolMXBean.class);
 * bean.setMaxSize(16);                 // a live resize
 * bean.setFairness("BOUNDED(5ms)");    // throughput first, for at most 5 ms per waiter
 * }</pre>
 *
 * <p>The bean also emits the notifications {@value TidepoolMBeans#TIMEOUT_NOTIFICATION} and
 * {@value TidepoolMBeans#EXHAUSTED_NOTIFICATION}, rate-limited; see {@link TidepoolMBeans}.
 */
public interface ResourcePoolMXBean {
    /** {@return the most items the pool keeps ({@code ResourcePool.maxSize()})} */
    int getMaxSize();

    /**
     * Resizes the pool, live ({@code ResourcePool.resize}): growing lets blocked callers create at
     * once, shrinking disposes idle items at once and checked-out ones as they come back.
     *
     * @param maxSize the most items the pool keeps from now on
     * @throws IllegalArgumentException if {@code maxSize} is negative or below {@code MinSize}
     *                                  (nothing changes)
     */
    void setMaxSize(int maxSize);

    /**
     * {@return who is served first when callers wait ({@code ResourcePool.fairness()}): {@code STRICT}
     * or {@code BOUNDED(<n><unit>)}, e.g. {@code BOUNDED(5ms)}}
     */
    String getFairness();

    /**
     * Changes who is served first, live ({@code ResourcePool.setFairness}): {@code STRICT},
     * {@code BOUNDED} (the default bound) or {@code BOUNDED(<n>ns|us|ms|s)}, any case.
     *
     * @param fairness the new fairness, as text
     * @throws IllegalArgumentException naming the value if it is none of those (nothing changes)
     */
    void setFairness(String fairness);

    /** {@return the items made when the pool started} */
    int getMinSize();

    /** {@return items created and not yet disposed: idle plus in use} */
    int getSize();

    /** {@return {@code get()} calls that would not block now: idle + (max - size); negative after a shrink} */
    int getFree();

    /** {@return idle items, ready to be handed out} */
    int getIdle();

    /** {@return items checked out right now} */
    int getInUse();

    /** {@return callers blocked waiting for an item right now} */
    int getWaiting();

    /** {@return items created so far} */
    long getCreatedCount();

    /** {@return items disposed so far (discarded, evicted, failed validation, trimmed, closed)} */
    long getDisposedCount();

    /** {@return borrowers that gave up waiting so far} */
    long getTimeoutCount();

    /** {@return successful borrows so far} */
    long getBorrowCount();

    /**
     * The mean time a borrow waited, in milliseconds, over every borrow that succeeded or timed out
     * (one served at once counts as 0).
     *
     * @return the mean wait, in milliseconds
     */
    double getMeanWaitMillis();

    /** {@return the longest a borrow has waited so far, in milliseconds} */
    long getMaxWaitMillis();

    /**
     * Same as setting {@code MaxSize}.
     *
     * @param newMaxSize the most items the pool keeps from now on
     * @throws IllegalArgumentException if {@code newMaxSize} is negative or below {@code MinSize}
     */
    void resize(int newMaxSize);
}
