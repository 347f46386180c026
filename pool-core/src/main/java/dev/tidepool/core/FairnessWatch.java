package dev.tidepool.core;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounded fairness's timer, one per pool (all on the one {@link PoolTimer} thread): it looks at the wait queue
 * when its head becomes overdue, so that callers arriving at the pool never read a clock, and it
 * makes sure an item a borrower returned is not kept for barging when nobody borrows it again.
 *
 * <p>Under {@link Fairness#bounded} a borrower's return is kept idle for the next caller that
 * arrives (most likely the same thread, borrowing again at once) instead of going to a waiter. If
 * nobody arrives, nothing else would ever hand it over; this watch does.
 *
 * <p>Looks: at each due instant the wait queue asks for ({@link #lookAt}: when its head becomes
 * overdue), a look that recomputes the queue's state ({@link WaitQueue#refresh()}); and a
 * {@link #period} after a return kept while callers wait ({@link #arm()}: one volatile read when
 * armed already), again and again while callers wait and items are idle, a look that does the same
 * and checks the idle items. Those come at least a period apart; each notes every idle item with
 * its stamp (checkout count and state), and an item still idle with the stamp noted at the
 * previous one, i.e. that nobody borrowed in between, is unused. Unused items first make the
 * queue {@linkplain WaitQueue#owed owed}: strict, so that the next caller that returns or arrives
 * serves the queue from its own carrier thread, where a waiter it unparks runs soon (one this timer
 * thread unparks lands in the virtual-thread scheduler's external queue, which carriers busy with
 * threads that yield may not look at for seconds). Still unused at the next look, they are handed
 * to the longest waiter from here. So an item nobody borrows reaches a waiter within three periods
 * (one {@code maxWait}) of becoming idle, and an item in use (borrowed again within a period, as a
 * barging thread does) is never taken from the callers who keep borrowing it.
 *
 * <p>No lost wake-up: a returning caller stores its item, then reads whether anyone waits, then
 * whether the watch is armed; a look first disarms, then reads the waiters and the idle items. Of
 * a return and a look that race, one sees the other: either the caller arms again, or the look
 * sees the item and arms again. {@link #nextDue} holds the due instant of a look scheduled and not
 * yet begun, or {@link #NONE}: it is only lowered (with a new look scheduled) or cleared by the
 * look it names as that look begins, so a look at or before any instant it names is always coming.
 */
final class FairnessWatch<T> {
    /** {@link #nextDue} when no look at a due instant is pending. */
    private static final long NONE = Long.MIN_VALUE;
    /**
     * The shared timer, read when this class is initialised (as a pool is made), not later: the
     * return path inlines {@link #arm()}, and compiled while the timer's class was still
     * uninitialised, a borrow and return on one thread ran 15% slower (measured).
     */
    private static final ScheduledThreadPoolExecutor TIMER = PoolTimer.TIMER;

    private final IdleItems<T> idle;
    private final WaitQueue<PooledItem<T>> waiters;
    private final AtomicBoolean armed = new AtomicBoolean();
    /** The due instant (queue clock) of the earliest pending look at one, or {@link #NONE}. */
    private final AtomicLong nextDue = new AtomicLong(NONE);
    /** Serialises looks: the timer's and a test's. */
    private final ReentrantLock looking = new ReentrantLock();
    /** Idle items and their stamps at the previous look; touched only under {@link #looking}. */
    private Map<PooledItem<T>, Long> seen = new IdentityHashMap<>();
    /** The latest looks scheduled, cancelled on close so a long bound keeps no closed pool queued. */
    private volatile ScheduledFuture<?> latestDueLook;
    private volatile ScheduledFuture<?> latestPeriodLook;
    private volatile boolean closed;

    FairnessWatch(IdleItems<T> idle, WaitQueue<PooledItem<T>> waiters) {
        this.idle = idle;
        this.waiters = waiters;
    }

    /** How often the watch looks at idle items, for a bound of {@code maxWaitNanos}: a third of it. */
    static long period(long maxWaitNanos) {
        return Math.max(1L, maxWaitNanos / 3);
    }

    /** Makes sure a look at the idle items is coming: called after keeping a return while callers wait. */
    void arm() {
        if (!armed.get() && armed.compareAndSet(false, true)) {
            long bound = waiters.maxWaitNanos();
            // Under STRICT (switched meanwhile) one more look clears what is left: any short period will do.
            latestPeriodLook = TIMER.schedule(this::look,
                    period(bound == WaitQueue.STRICT ? Fairness.DEFAULT_MAX_WAIT.toNanos() : bound), TimeUnit.NANOSECONDS);
        }
    }

    /** Makes sure a look comes at {@code dueNanos} or earlier (queue clock; {@code nowNanos} now). */
    void lookAt(long dueNanos, long nowNanos) {
        if (closed) {
            return;
        }
        for (;;) {
            long next = nextDue.get();
            if (next != NONE && next - dueNanos <= 0) {
                return; // an earlier look is coming
            }
            if (nextDue.compareAndSet(next, dueNanos)) {
                latestDueLook = TIMER.schedule(() -> lookDue(dueNanos), Math.max(0L, dueNanos - nowNanos),
                        TimeUnit.NANOSECONDS);
                return;
            }
        }
    }

    /**
     * The look at a due instant: only the queue's state. Idle items are checked by the period's
     * looks alone, which come at least a period apart, so "untouched since the previous look"
     * always means "unused for a period", however often heads fall due.
     */
    private void lookDue(long dueNanos) {
        nextDue.compareAndSet(dueNanos, NONE); // before looking: a look asked for meanwhile is scheduled anew
        if (!closed) {
            waiters.refresh();
        }
    }

    /** The pool closed: looks stop (items still idle are the pool's to dispose). */
    void close() {
        closed = true;
        for (ScheduledFuture<?> pending : new ScheduledFuture<?>[] {latestDueLook, latestPeriodLook}) {
            if (pending != null) {
                pending.cancel(false);
            }
        }
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
                waiters.owed(true); // first the callers that return and arrive serve the queue
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
            // Used meanwhile, or nobody waits any more: back to the idle items. (If the pool closed
            // this very moment, release() disposes the idle items, here, on the timer thread.)
            waiters.release(entry);
            return false;
        }
        return true;
    }
}
