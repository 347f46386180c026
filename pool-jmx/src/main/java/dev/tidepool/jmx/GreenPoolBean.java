package dev.tidepool.jmx;

import dev.tidepool.core.GreenPool;
import java.util.Map;
import javax.management.ObjectName;

/** {@link GreenPoolMXBean} over a live {@link GreenPool}: every read and write goes to the pool. */
final class GreenPoolBean extends PoolBean implements GreenPoolMXBean {
    private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry("Size", "The most tasks that run at once. Writable: a live resize; growing wakes "
                    + "blocked spawners at once, shrinking lets running tasks finish"),
            Map.entry("Running", "Tasks running right now"),
            Map.entry("Free", "Slots free now: Size - Running; negative after a shrink"),
            Map.entry("Waiting", "Callers blocked in spawn right now"),
            Map.entry("SpawnedCount", "Tasks started so far"),
            Map.entry("CompletedCount", "Tracked tasks that have ended so far, however they ended"),
            Map.entry("FailedCount", "Tracked tasks that ended by throwing so far"),
            Map.entry("resize", "Resizes the pool, live (same as setting Size)"));

    private final GreenPool pool;

    GreenPoolBean(GreenPool pool, ObjectName objectName, NotificationPolicy policy) {
        super(objectName, pool.name(), policy);
        this.pool = pool;
    }

    @Override
    public int getSize() {
        return pool.size();
    }

    @Override
    public void setSize(int size) {
        // GreenPool checks the value before it changes anything.
        pool.resize(size);
    }

    @Override
    public int getRunning() {
        return pool.running();
    }

    @Override
    public int getFree() {
        return pool.free();
    }

    @Override
    public int getWaiting() {
        return pool.waiting();
    }

    @Override
    public long getSpawnedCount() {
        return pool.spawnedCount();
    }

    @Override
    public long getCompletedCount() {
        return pool.completedCount();
    }

    @Override
    public long getFailedCount() {
        return pool.failedCount();
    }

    @Override
    public void resize(int newSize) {
        pool.resize(newSize);
    }

    @Override
    Class<?> mxbeanInterface() {
        return GreenPoolMXBean.class;
    }

    @Override
    Map<String, String> descriptions() {
        return DESCRIPTIONS;
    }

    @Override
    String parameterName(String operation, int index) {
        return "newSize";
    }

    @Override
    String state() {
        return "size " + pool.size() + ", running " + pool.running() + ", waiting " + pool.waiting();
    }
}
