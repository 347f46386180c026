package dev.tidepool.core;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Paces a pool's creates while they fail ({@link ResourcePool.Builder#createBackoff}), so that a
 * resource that is down sees a few attempts a second from the pool, not one per waiting caller.
 *
 * <p>Invariant: while the last create failed, at most one create starts per interval, pool-wide.
 * The interval is {@link #FIRST_INTERVAL_NANOS} after the first failure and doubles with each
 * failure in a row up to the pool's maximum; the first success ends the pacing (and dispatches,
 * so that every waiter may create at once again). While creates are paced, the wait queue grants
 * no create permit before the turn is due: waiters keep waiting for returned items, which reach
 * them as usual, and only the waiter granted the turn creates.
 *
 * <p>Without it, a failed create gives its slot straight to the next waiter, which creates at
 * once: with hundreds of callers waiting, a pool of JDBC connections tried about 1,100 connects a
 * second against a stopped database. Pacing inside {@code create()} (a caller holding its slot
 * while it sleeps for a turn) was tried first and dropped: the caller waited for its turn while
 * returned items went idle beside it, up to its whole timeout.
 *
 * <p>No lost wake-up: {@link #takeTurn} refuses only a turn not yet due, and then makes sure the
 * pool dispatches at the turn ({@link #dispatchAt}); {@link #scheduledFor} holds the instant of the
 * earliest dispatch scheduled and not yet begun, lowered only with a new one scheduled and cleared
 * by that dispatch as it begins, so a dispatch at or before the turn is always coming.
 */
final class CreateBackoff {
    /** The pause after the first failure in a row. */
    static final long FIRST_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** {@link #nextTurn} while creates succeed; {@link #scheduledFor} when no dispatch is pending. */
    private static final long NONE = Long.MIN_VALUE;

    private final long maxIntervalNanos;
    private final Runnable dispatch;
    private final LongSupplier clock;
    /** When the next create may start (clock time), or {@link #NONE} while creates succeed. */
    private final AtomicLong nextTurn = new AtomicLong(NONE);
    /** The pause after the next failure; written by failures and by the success that ends pacing. */
    private volatile long intervalNanos = FIRST_INTERVAL_NANOS;
    /** The instant of the earliest scheduled dispatch not yet begun, or {@link #NONE}. */
    private final AtomicLong scheduledFor = new AtomicLong(NONE);
    private volatile ScheduledFuture<?> latestDispatch;
    private volatile boolean closed;

    /**
     * @param maxIntervalNanos the longest pause between attempts
     * @param dispatch         hands free grants to waiters (the wait queue's dispatch)
     * @param clock            the time, in nanoseconds
     */
    CreateBackoff(long maxIntervalNanos, Runnable dispatch, LongSupplier clock) {
        this.maxIntervalNanos = maxIntervalNanos;
        this.dispatch = dispatch;
        this.clock = clock;
    }

    /** Whether creates are paced now (the last one failed). One volatile read. */
    boolean paced() {
        return nextTurn.get() != NONE;
    }

    /**
     * Whether the caller may create now. True at once while creates succeed; while they fail, true
     * for the one caller that takes a turn that is due (the next is then an interval away), false
     * otherwise, with a dispatch made sure of at the turn.
     */
    boolean takeTurn() {
        for (;;) {
            long next = nextTurn.get();
            if (next == NONE) {
                return true;
            }
            long now = clock.getAsLong();
            if (now - next >= 0) {
                if (nextTurn.compareAndSet(next, now + intervalNanos)) {
                    return true;
                }
                continue; // another caller took it, or pacing ended: look again
            }
            dispatchAt(next, now);
            return false;
        }
    }

    /** A create failed: the next may start an interval from now, and the interval doubles. */
    void failed() {
        long interval = intervalNanos;
        long earliest = clock.getAsLong() + interval;
        for (long next = nextTurn.get(); next == NONE || next - earliest < 0; next = nextTurn.get()) {
            if (nextTurn.compareAndSet(next, earliest)) {
                break;
            }
        }
        intervalNanos = Math.min(interval * 2, maxIntervalNanos);
    }

    /** A create succeeded: pacing ends, and waiters may create at once. */
    void succeeded() {
        if (nextTurn.get() != NONE && nextTurn.getAndSet(NONE) != NONE) {
            intervalNanos = FIRST_INTERVAL_NANOS;
            dispatch.run();
        }
    }

    /** Makes sure the pool dispatches at {@code dueNanos} or earlier ({@code nowNanos} now). */
    private void dispatchAt(long dueNanos, long nowNanos) {
        if (closed) {
            return;
        }
        for (;;) {
            long scheduled = scheduledFor.get();
            if (scheduled != NONE && scheduled - dueNanos <= 0) {
                return; // an earlier dispatch is coming
            }
            if (scheduledFor.compareAndSet(scheduled, dueNanos)) {
                latestDispatch = PoolTimer.schedule(() -> dispatchDue(dueNanos), dueNanos - nowNanos);
                return;
            }
        }
    }

    private void dispatchDue(long dueNanos) {
        scheduledFor.compareAndSet(dueNanos, NONE); // first: a turn refused by this dispatch schedules anew
        if (!closed) {
            dispatch.run();
        }
    }

    /** The pool closed: no more dispatches. */
    void close() {
        closed = true;
        ScheduledFuture<?> pending = latestDispatch;
        if (pending != null) {
            pending.cancel(false);
        }
    }
}
