package dev.tidepool.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A resizable count of slots in use.
 *
 * <p>Invariant: {@link #tryReserve()} never takes {@code used} above {@code limit}. Lowering the
 * limit never takes a slot back from its holder, so {@code used > limit} can hold after a shrink
 * until holders give slots back through {@link #release()} or {@link #tryReleaseExcess()}.
 *
 * <p>Lock-free: one CAS per reserve or release, which is what keeps the pools' hot paths free of a
 * global lock.
 */
final class Capacity {
    private final AtomicInteger used = new AtomicInteger();
    private volatile int limit;

    Capacity(int limit) {
        this.limit = limit;
    }

    /** Takes a slot if one is free. */
    boolean tryReserve() {
        for (;;) {
            int u = used.get();
            if (u >= limit) {
                return false;
            }
            if (used.compareAndSet(u, u + 1)) {
                return true;
            }
        }
    }

    /** Gives back a slot taken with {@link #tryReserve()}. */
    void release() {
        used.decrementAndGet();
    }

    /**
     * Gives back one slot only if more are in use than the limit allows: how a holder learns that
     * its slot should go away after a shrink. Two holders racing for the last excess slot cannot
     * both win.
     */
    boolean tryReleaseExcess() {
        for (;;) {
            int u = used.get();
            if (u <= limit) {
                return false;
            }
            if (used.compareAndSet(u, u - 1)) {
                return true;
            }
        }
    }

    boolean overLimit() {
        return used.get() > limit;
    }

    int used() {
        return used.get();
    }

    int limit() {
        return limit;
    }

    void limit(int newLimit) {
        limit = newLimit;
    }
}
