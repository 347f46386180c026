package dev.tidepool.core;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounded fairness's safety net: under {@link Fairness#bounded} a borrower's return is kept idle
 * for the next caller that arrives (most likely the same thread, borrowing again at once) instead
 * of going to a waiter. If nobody arrives, nothing else would ever hand it over; this watch does.
 *
 * <p>Algorithm: a return kept while callers wait {@link #arm()}s the watch (one volatile read when
 * it is armed already). An armed watch looks once, {@link #period} later, on a shared daemon timer
 * thread: it notes every idle item with its stamp (checkout count and state), and hands each item
 * that is still idle with the stamp noted at the previous look, i.e. that nobody borrowed in
 * between, to the longest waiter. It arms itself again while callers wait and items are idle. So
 * an item nobody borrows reaches a waiter within two periods of becoming idle, and an item in use
 * (borrowed again within a period, as a barging thread does) is never taken from the callers who
 * keep borrowing it: the watch hands out only what is really unused, and only from this one thread.
 *
 * <p>No lost wake-up: a returning caller stores its item, then reads whether anyone waits, then
 * whether the watch is armed; a look first disarms, then reads the waiters and the idle items. Of
 * a return and a look that race, one sees the other: either the caller arms again, or the look
 * sees the item and arms again.
 *
 * <p>The period is {@code min(maxWait / 2, 1 ms)}: short enough that an item a thread does not take
 * back at once goes to a waiter soon, long enough that a thread that does take it back (within
 * microseconds) is never overtaken by the watch.
 */
final class IdleWatch<T> {
    /** One timer thread for every pool in the JVM; it ends after a second without work. */
    private static final ScheduledThreadPoolExecutor TIMER = newTimer();

    private final IdleItems<T> idle;
    private final WaitQueue<PooledItem<T>> waiters;
    private final AtomicBoolean armed = new AtomicBoolean();
    /** Serialises looks: the timer's and a test's. */
    private final ReentrantLock looking = new ReentrantLock();
    /** Idle items and their stamps at the previous look; touched only under {@link #looking}. */
    private Map<PooledItem<T>, Long> seen = new IdentityHashMap<>();
    private volatile boolean closed;

    IdleWatch(IdleItems<T> idle, WaitQueue<PooledItem<T>> waiters) {
        this.idle = idle;
        this.waiters = waiters;
    }

    private static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("tidepool-idle-watch").daemon().factory());
        timer.setKeepAliveTime(1, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** How long after arming the watch looks, for a bound of {@code maxWaitNanos}. */
    static long period(long maxWaitNanos) {
        return Math.max(1L, maxWaitNanos / 3);
    }

    /** Makes sure a look is coming: called after keeping a returned item while callers wait. */
    void arm() {
        if (!armed.get() && armed.compareAndSet(false, true)) {
            schedule();
        }
    }

    private void schedule() {
        long bound = waiters.maxWaitNanos();
        // Under STRICT (switched meanwhile) one more look clears what is left: any short period will do.
        TIMER.schedule(this::look, period(bound == WaitQueue.STRICT ? Fairness.DEFAULT_MAX_WAIT.toNanos() : bound),
                TimeUnit.NANOSECONDS);
    }

    /** The pool closed: looks stop (items still idle are the pool's to dispose). */
    void close() {
        closed = true;
    }

    /**
     * One look (see the class comment); package-private so that tests can look without waiting
     * for the timer.
     *
     * @return how many items it handed to waiters
     */
    int look() {
        armed.set(false);
        if (closed || !looking.tryLock()) {
            return 0; // another look is running; it arms again if it must
        }
        int handed = 0;
        try {
            if (!waiters.hasWaiters()) {
                seen.clear();
                waiters.owed(false);
                return 0; // nobody waits: the next return kept while somebody does arms the watch
            }
            Map<PooledItem<T>, Long> now = new IdentityHashMap<>();
            List<PooledItem<T>> unused = new ArrayList<>();
            for (PooledItem<T> entry : idle.snapshot()) {
                long stamp = entry.stamp();
                Long before = seen.get(entry);
                if (before != null && before == stamp) {
                    unused.add(entry);
                }
                now.put(entry, stamp);
            }
            if (unused.isEmpty()) {
                waiters.owed(false);
            } else if (!waiters.owed()) {
                // First the callers that return and arrive are asked to serve the queue: a waiter
                // they unpark runs on their own carrier, where one this timer unparks may not.
                waiters.owed(true);
            } else {
                // Owed for a whole look and still unused: nobody came, so hand it over from here.
                for (PooledItem<T> entry : unused) {
                    if (handOver(entry, now.get(entry))) {
                        now.remove(entry);
                        handed++;
                    }
                }
            }
            seen = now;
        } finally {
            looking.unlock();
        }
        if (!closed && (waiters.owed() || waiters.hasWaiters() && idle.size() > 0)) {
            arm(); // while owed, looks go on until one clears it
        }
        return handed;
    }

    /** Takes an unused item out and hands it to the longest waiter; false if it was not there. */
    private boolean handOver(PooledItem<T> entry, long stamp) {
        if (!idle.remove(entry)) {
            return false; // borrowed, evicted or checked since the snapshot
        }
        if (entry.stamp() != stamp || !waiters.offer(entry)) {
            waiters.release(entry); // nobody waits any more: back to the idle items
            return false;
        }
        return true;
    }
}
