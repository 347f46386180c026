package dev.tidepool.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A {@link Lease} on one borrow of one item. It remembers the borrow's stamp, so closing it returns
 * the item only while that very borrow is still out.
 */
final class PooledLease<T> implements Lease<T> {
    private static final VarHandle CLOSED = VarHandles.find(MethodHandles.lookup(), "closed", boolean.class);

    private final ResourcePool<T> pool;
    private final PooledItem<T> entry;
    private final long borrowStamp;
    @SuppressWarnings("unused") // accessed through CLOSED
    private volatile boolean closed;

    PooledLease(ResourcePool<T> pool, PooledItem<T> entry, long borrowStamp) {
        this.pool = pool;
        this.entry = entry;
        this.borrowStamp = borrowStamp;
    }

    @Override
    public T get() {
        if (closed) {
            throw new IllegalStateException("lease on " + entry.item + " is closed");
        }
        return entry.item;
    }

    @Override
    public void close() {
        if (CLOSED.compareAndSet(this, false, true)) {
            pool.returnLease(entry, borrowStamp);
        }
    }

    @Override
    public String toString() {
        return "Lease[" + entry.item + (closed ? ", closed]" : "]");
    }
}
