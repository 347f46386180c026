package dev.tidepool.core;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link System#nanoTime()} as of a moment ago, for the timestamps a pool takes on every borrow and
 * every return (when an item came back, whether it came back recently). Reading it is one volatile
 * read; a real clock read costs about 26 ns on the virtual machines this was measured on, and two
 * of them were half the cost of a JDBC borrow and return.
 *
 * <p>Invariant: while at least one pool uses it, one daemon platform thread,
 * {@code tidepool-clock}, stores {@code System.nanoTime()} into {@link #now()} every
 * {@value #RESOLUTION_MILLIS} ms. A reading is never ahead of the real clock; it lags it by at most
 * the resolution, plus however long that thread is kept off a processor. When the last user
 * unregisters the thread ends at its next tick, and the next {@link #register()} starts a new one
 * (after storing a fresh reading itself, so a new user never sees a stale one). Users therefore
 * compare two readings of this clock, never one of it with one of {@code System.nanoTime()}, and
 * allow for the resolution on both.
 */
final class CoarseClock {
    static final long RESOLUTION_MILLIS = 10;
    static final long RESOLUTION_NANOS = TimeUnit.MILLISECONDS.toNanos(RESOLUTION_MILLIS);

    private static volatile long now = System.nanoTime();
    private static final ReentrantLock LOCK = new ReentrantLock();
    /** Pools that use the clock now; guarded by LOCK. */
    private static int users;
    /** The ticking thread, or null if none runs; guarded by LOCK. */
    private static Thread ticker;

    private CoarseClock() {
    }

    /** The last reading: {@code System.nanoTime()} as of at most about {@link #RESOLUTION_NANOS} ago. */
    static long now() {
        return now;
    }

    /** A pool starts to use the clock; it keeps ticking until every user has unregistered. */
    static void register() {
        LOCK.lock();
        try {
            users++;
            now = System.nanoTime();
            if (ticker == null) {
                ticker = Thread.ofPlatform().name("tidepool-clock").daemon().start(CoarseClock::tick);
            }
        } finally {
            LOCK.unlock();
        }
    }

    /** A pool stops using the clock (once per {@link #register()}). */
    static void unregister() {
        LOCK.lock();
        try {
            users--;
        } finally {
            LOCK.unlock();
        }
    }

    private static void tick() {
        for (;;) {
            now = System.nanoTime();
            LockSupport.parkNanos(RESOLUTION_NANOS);
            LOCK.lock();
            try {
                if (users <= 0) {
                    ticker = null;
                    return;
                }
            } finally {
                LOCK.unlock();
            }
        }
    }
}
