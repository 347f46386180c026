package dev.tidepool.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The first-come, first-served heart of every Tidepool pool: callers that find nothing free queue
 * up here, and whatever becomes free (an idle item, a slot to create one in, a task slot) is handed
 * to the longest waiter directly.
 *
 * <p>A subclass says what a grant is: {@link #tryAcquire()} takes one without blocking, and
 * {@link #release(Object)} gives back a grant nobody could use. {@link ResourcePool} grants idle
 * items or creation slots; {@link GreenPool} grants task slots.
 *
 * <p>Invariant: whenever a waiter is queued and a grant is available, some thread is about to run
 * {@link #dispatch()}. Every change that can free a grant calls {@code dispatch()} after making it,
 * and every waiter calls {@code dispatch()} after queueing; each {@code dispatch()} looks at the
 * queue after its own change, so of any two racing changes the later one sees the earlier.
 *
 * <p>Lock-free: waiters sit in a {@link ConcurrentLinkedDeque} and each waiter's outcome is decided
 * by one CAS on its own state, either to a grant (by a dispatcher) or to cancelled (by the waiter
 * giving up on timeout or interrupt). Exactly one of the two wins, so a grant is never handed to a
 * caller that already gave up, and never lost.
 *
 * @param <G> what a waiter is granted
 */
abstract class WaitQueue<G> {
    private static final Object CANCELLED = new Object();
    private static final Object CLOSED = new Object();

    /** One blocked caller; {@code outcome} goes once from null to a grant, CANCELLED or CLOSED. */
    private static final class Waiter {
        private static final VarHandle OUTCOME = VarHandles.find(MethodHandles.lookup(), "outcome", Object.class);

        final Thread thread = Thread.currentThread();
        volatile Object outcome;

        boolean decide(Object value) {
            return OUTCOME.compareAndSet(this, null, value);
        }
    }

    private final ConcurrentLinkedDeque<Waiter> queue = new ConcurrentLinkedDeque<>();
    /**
     * Callers in {@link #await}: raised before a waiter is queued, lowered after it has left the
     * queue, so a zero here means the queue is empty. Reading it is cheaper than asking the deque,
     * and a borrow or return with nobody waiting asks up to three times.
     */
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile boolean closed;

    /** Takes a grant if one is free now, without blocking; null if none. */
    protected abstract G tryAcquire();

    /** Gives back a grant taken with {@link #tryAcquire()} that no waiter took. */
    protected abstract void release(G grant);

    /** What a waiter throws when the queue closes under it. */
    protected abstract RuntimeException closedException();

    /** Whether some caller is queued right now (a hint: it may change at once). */
    final boolean hasQueued() {
        return waiting.get() != 0 && !queue.isEmpty();
    }

    /** A grant now, but only when nobody is queued: newcomers never barge past waiters. */
    final G tryAcquireFair() {
        return hasQueued() ? null : tryAcquire();
    }

    /**
     * Queues the caller and blocks until a grant is handed to it.
     *
     * @param timed whether {@code nanos} bounds the wait
     * @param nanos the longest wait when {@code timed}; zero or less means do not wait
     * @throws InterruptedException if interrupted before a grant arrived (nothing is kept)
     * @throws TimeoutException     if the time ran out before a grant arrived (nothing is kept)
     */
    @SuppressWarnings("unchecked")
    final G await(boolean timed, long nanos) throws InterruptedException, TimeoutException {
        long deadline = timed ? System.nanoTime() + nanos : 0L;
        Waiter me = new Waiter();
        waiting.incrementAndGet();
        try {
            queue.offerLast(me);
            if (closed) {
                Object outcome = abandon(me);
                if (outcome == null || outcome == CLOSED) {
                    throw closedException();
                }
                return (G) outcome;
            }
            dispatch();
            for (;;) {
                Object outcome = me.outcome;
                if (outcome != null) {
                    if (outcome == CLOSED) {
                        throw closedException();
                    }
                    return (G) outcome;
                }
                if (Thread.interrupted()) {
                    outcome = abandon(me);
                    if (outcome != null && outcome != CLOSED) {
                        // Granted in the same instant: the caller gave up, so the grant goes on.
                        release((G) outcome);
                        dispatch();
                    }
                    throw new InterruptedException();
                }
                if (timed) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0L) {
                        outcome = abandon(me);
                        if (outcome == null) {
                            throw new TimeoutException();
                        }
                        continue; // granted (or closed) just in time: take it above
                    }
                    LockSupport.parkNanos(this, remaining);
                } else {
                    LockSupport.park(this);
                }
            }
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** Cancels the waiter; returns null if that won, else the outcome that beat it. */
    private Object abandon(Waiter me) {
        if (me.decide(CANCELLED)) {
            queue.removeFirstOccurrence(me);
            return null;
        }
        return me.outcome;
    }

    /** Hands free grants to waiters, longest first, until one side runs out. */
    final void dispatch() {
        while (hasQueued()) {
            G grant = tryAcquire();
            if (grant == null) {
                return;
            }
            if (!handOff(grant)) {
                release(grant);
            }
        }
    }

    /** Hands {@code grant} to the longest waiter, if there is one; false leaves it with the caller. */
    final boolean offer(G grant) {
        return hasQueued() && handOff(grant);
    }

    private boolean handOff(G grant) {
        Waiter w;
        while ((w = queue.pollFirst()) != null) {
            if (w.decide(grant)) {
                LockSupport.unpark(w.thread);
                return true;
            }
        }
        return false;
    }

    /** Fails every waiter, now and later, with {@link #closedException()}. */
    final void close() {
        closed = true;
        Waiter w;
        while ((w = queue.pollFirst()) != null) {
            if (w.decide(CLOSED)) {
                LockSupport.unpark(w.thread);
            }
        }
    }

    /** Callers blocked in {@link #await} right now. */
    final int waiting() {
        return waiting.get();
    }
}
