package dev.tidepool.jmx;

import dev.tidepool.core.Fairness;
import dev.tidepool.core.ResourcePool;
import java.util.Map;
import javax.management.ObjectName;

/** {@link ResourcePoolMXBean} over a live {@link ResourcePool}: every read and write goes to the pool. */
final class ResourcePoolBean extends PoolBean implements ResourcePoolMXBean {
    private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry("MaxSize", "The most items the pool keeps. Writable: a live resize; shrinking disposes "
                    + "idle items at once and checked-out ones as they come back"),
            Map.entry("Fairness", "Who is served first when callers wait: STRICT (first come, first served) or "
                    + "BOUNDED(<n>ms) (returning and arriving threads may go first until a waiter has waited that "
                    + "long). Writable, live"),
            Map.entry("MinSize", "The items made when the pool started"),
            Map.entry("Size", "Items created and not yet disposed: idle plus in use"),
            Map.entry("Free", "get() calls that would not block now: idle + (MaxSize - Size); negative after a shrink"),
            Map.entry("Idle", "Idle items, ready to be handed out"),
            Map.entry("InUse", "Items checked out right now"),
            Map.entry("Waiting", "Callers blocked waiting for an item right now"),
            Map.entry("CreatedCount", "Items created so far"),
            Map.entry("DisposedCount", "Items disposed so far"),
            Map.entry("TimeoutCount", "Borrowers that gave up waiting so far"),
            Map.entry("BorrowCount", "Successful borrows so far"),
            Map.entry("MeanWaitMillis", "Mean wait of a borrow in ms, over borrows that succeeded or timed out "
                    + "(one served at once counts as 0)"),
            Map.entry("MaxWaitMillis", "The longest a borrow has waited so far, in ms"),
            Map.entry("resize", "Resizes the pool, live (same as setting MaxSize)"));

    private final ResourcePool<?> pool;

    ResourcePoolBean(ResourcePool<?> pool, ObjectName objectName, NotificationPolicy policy) {
        super(objectName, pool.name(), policy);
        this.pool = pool;
    }

    @Override
    public int getMaxSize() {
        return pool.maxSize();
    }

    @Override
    public void setMaxSize(int maxSize) {
        // The pool checks the value (negative, below minSize) before it changes anything.
        pool.resize(maxSize);
    }

    @Override
    public String getFairness() {
        return pool.fairness().toString();
    }

    @Override
    public void setFairness(String fairness) {
        // Parsed completely before the pool is touched: a bad value changes nothing.
        pool.setFairness(Fairness.parse(fairnessText(fairness)));
    }

    @Override
    public int getMinSize() {
        return pool.minSize();
    }

    @Override
    public int getSize() {
        return pool.size();
    }

    @Override
    public int getFree() {
        return pool.free();
    }

    @Override
    public int getIdle() {
        return pool.idle();
    }

    @Override
    public int getInUse() {
        return pool.inUse();
    }

    @Override
    public int getWaiting() {
        return pool.waiting();
    }

    @Override
    public long getCreatedCount() {
        return pool.stats().createdCount();
    }

    @Override
    public long getDisposedCount() {
        return pool.stats().disposedCount();
    }

    @Override
    public long getTimeoutCount() {
        return pool.stats().timeoutCount();
    }

    @Override
    public long getBorrowCount() {
        return pool.stats().borrowCount();
    }

    @Override
    public double getMeanWaitMillis() {
        return meanWaitMillis(pool.stats());
    }

    @Override
    public long getMaxWaitMillis() {
        return maxWaitMillis(pool.stats());
    }

    @Override
    public void resize(int newMaxSize) {
        pool.resize(newMaxSize);
    }

    @Override
    Class<?> mxbeanInterface() {
        return ResourcePoolMXBean.class;
    }

    @Override
    Map<String, String> descriptions() {
        return DESCRIPTIONS;
    }

    @Override
    String parameterName(String operation, int index) {
        return "newMaxSize";
    }

    @Override
    String state() {
        return "size " + pool.size() + " of max " + pool.maxSize() + ", idle " + pool.idle()
                + ", waiting " + pool.waiting();
    }
}
