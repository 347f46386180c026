package dev.tidepool.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The first-come, first-served heart of every Tidepool pool: callers that find nothing free queue
 * up here, and whatever becomes free (an idle item, a slot to create one in, a task slot) is handed
 * to the longest waiter directly.
 *
 * <p>A subclass says what a grant is: {@link #tryAcquire()} takes one without blocking, and
 * {@link #release(Object)} gives back a grant nobody could use. {@link ResourcePool} grants idle
 * items or creation slots; {@link GreenPool} grants task slots.
 *
 * <p>Two modes ({@link Fairness}). <b>Strict</b> (the default, and always for GreenPool): a grant
 * freed by anyone goes to the longest waiter, and a caller that is not queued takes a grant only
 * when nobody is. <b>Bounded</b> ({@code maxWaitNanos > 0}): the head of the queue, the waiter
 * queued longest, is <em>overdue</em> once {@code maxWaitNanos} have passed since it queued. While
 * {@link #queueFirstNow} is false, a caller that is not queued takes grants even though others
 * wait ({@link #tryAcquireFair()}), and a caller returning a grant keeps it ({@link #offerReturned}
 * says no) rather than handing it over; while it is true, everything is strict. Nobody else ever
 * overtakes a waiter: whatever reaches the queue goes to its head.
 *
 * <p>{@code queueFirstNow} is "the head is overdue, or the pool owes the queue grants left unused
 * ({@link #owed})", recomputed by {@link #refresh()} from the clock whenever the head can change
 * (a hand-off, a waiter joining or giving up, a change of mode) and at the head's due instant,
 * when the pool's timer looks ({@link #lookAt}). A caller that arrives reads that one volatile
 * boolean and no clock; a caller that returns reads the clock too while the flag is false
 * ({@link #offerReturned}), so no return overtakes an overdue waiter, and its hand-off sets the
 * flag for the arrivals. Between a head's due instant and the first return or look after it, an
 * arrival may still take an idle item: what it takes comes back within one hold time, to the
 * queue. Waiters park as in strict mode, without a deadline of their own: a virtual thread woken
 * by a timer while the carriers are busy can wait in the scheduler's external queue for seconds
 * (measured, behind threads that yield), holding whatever it was handed unused. Every head gets
 * its look: a refresh that finds it on time asks for a look at its due instant. A refresh that
 * reads a stale head and writes a stale {@code false} asked for a look at that head's due
 * instant, which is no later than any waiter's behind it, so the look puts it right.
 *
 * <p>Invariant (no lost wake-up), both modes: whenever a waiter is queued and a grant is available,
 * either some thread is about to run {@link #dispatch()}, or the grant is one a returning caller
 * kept in bounded mode and the pool's {@link FairnessWatch} is armed to look at it. Every change that
 * can free a grant calls {@code dispatch()} after making it, except a return kept in bounded mode,
 * whose caller stores the grant first and then reads {@link #waiting} ({@link #dispatchReturned()})
 * and arms the watch if anyone waits; every waiter calls {@code dispatch()} after it has raised
 * {@link #waiting} and queued. Each side writes, then reads what the other wrote, so of two racing
 * changes the later one sees the earlier. A switch of mode ({@link #maxWaitNanos(long)}) writes
 * the mode and then dispatches, and a returning caller reads the mode after storing its grant, so
 * a grant kept under bounded mode is handed out at once by one of the two when strict mode comes
 * back.
 *
 * <p>Lock-free: waiters sit in a {@link ConcurrentLinkedDeque} and each waiter's outcome is decided
 * by one CAS on its own state, either to a grant (by a dispatcher) or to cancelled (by the waiter
 * giving up on timeout or interrupt). Exactly one of the two wins, so a grant is never handed to a
 * caller that already gave up, and never lost.
 *
 * @param <G> what a waiter is granted
 */
abstract class WaitQueue<G> {
    /** {@link #maxWaitNanos} for strict hand-off. */
    static final long STRICT = 0L;
    private static final Object CANCELLED = new Object();
    private static final Object CLOSED = new Object();

    /** One blocked caller; {@code outcome} goes once from null to a grant, CANCELLED or CLOSED. */
    private static final class Waiter {
        private static final VarHandle OUTCOME = VarHandles.find(MethodHandles.lookup(), "outcome", Object.class);

        final Thread thread = Thread.currentThread();
        /** When this caller queued, on the queue's clock: what bounded mode measures overdue-ness from. */
        final long queuedNanos;
        volatile Object outcome;

        Waiter(long queuedNanos) {
            this.queuedNanos = queuedNanos;
        }

        boolean decide(Object value) {
            return OUTCOME.compareAndSet(this, null, value);
        }
    }

    private final ConcurrentLinkedDeque<Waiter> queue = new ConcurrentLinkedDeque<>();
    /**
     * Callers in {@link #await}: raised before a waiter is queued, lowered after it has left the
     * queue, so a zero here means the queue is empty. Reading it is cheaper than asking the deque,
     * and a borrow or return with nobody waiting asks up to three times: nothing else is read then.
     */
    private final AtomicInteger waiting = new AtomicInteger();
    /** {@link #STRICT}, or how long the head may wait before nobody overtakes it (bounded mode). */
    private volatile long maxWaitNanos = STRICT;
    /** Bounded mode: whether callers that are not queued must leave grants to the queue now. */
    private volatile boolean queueFirstNow;
    /**
     * Bounded mode: set by the pool's {@link FairnessWatch} while a grant kept for barging has gone
     * unused for a whole look while callers wait; until the watch clears it, bounded mode is
     * strict, so the next caller that returns or arrives serves the queue from its own thread.
     */
    private volatile boolean owed;
    /** Reads the time for queue times and overdue checks; tests put a clock of their own here. */
    private volatile LongSupplier clock = System::nanoTime;
    private volatile boolean closed;

    /** Takes a grant if one is free now, without blocking; null if none. */
    protected abstract G tryAcquire();

    /** Gives back a grant taken with {@link #tryAcquire()} that no waiter took. */
    protected abstract void release(G grant);

    /** What a waiter throws when the queue closes under it. */
    protected abstract RuntimeException closedException();

    /**
     * Bounded mode: makes sure {@link #refresh()} runs at {@code dueNanos} (on the queue's clock,
     * {@code nowNanos} now), when the current head becomes overdue. A pool that is never bounded
     * need not override this.
     */
    protected void lookAt(long dueNanos, long nowNanos) {
    }

    /** Whether some caller is queued right now (a hint: it may change at once). */
    private boolean hasQueued() {
        return waiting.get() != 0 && !queue.isEmpty();
    }

    /** Whether some caller is waiting right now (a hint: it may change at once). */
    final boolean hasWaiters() {
        return waiting.get() != 0;
    }

    /**
     * Whether a caller that is not queued must leave free grants to the queue right now: in strict
     * mode while anybody is queued, in bounded mode while {@link #queueFirstNow}. A hint, as
     * {@link #hasQueued()} is; reads no clock.
     */
    final boolean queueFirst() {
        if (waiting.get() == 0) {
            return false;
        }
        return maxWaitNanos == STRICT ? !queue.isEmpty() : queueFirstNow;
    }

    /**
     * Bounded mode: recomputes {@link #queueFirstNow} from {@link #owed} and the head's queue time,
     * and asks for a look at the head's due instant if it is still on time. Runs wherever the head
     * may have changed, and when the pool's timer looks.
     */
    final void refresh() {
        long bound = maxWaitNanos;
        if (bound == STRICT) {
            return;
        }
        Waiter head = queue.peekFirst();
        if (head == null) {
            queueFirstNow = owed;
            return;
        }
        long now = clock.getAsLong();
        long due = head.queuedNanos + bound;
        boolean overdue = now - due >= 0;
        queueFirstNow = owed || overdue;
        if (!overdue) {
            lookAt(due, now);
        }
    }

    /** Sets or clears {@link #owed} and recomputes what follows from it. */
    final void owed(boolean unusedGrants) {
        owed = unusedGrants;
        refresh();
    }

    /** Whether {@link #owed} is set. */
    final boolean owed() {
        return owed;
    }

    /**
     * For a caller that found {@link #queueFirst()} and will not queue (a poll): in bounded mode it
     * hands the grants kept for barging to the queue, as a caller that queues would; in strict mode
     * nothing is kept, so there is nothing to do.
     */
    final void yieldToQueue() {
        if (maxWaitNanos != STRICT) {
            dispatch();
        }
    }

    /** A grant now, unless {@link #queueFirst()}: then the newcomer must queue. */
    final G tryAcquireFair() {
        return queueFirst() ? null : tryAcquire();
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
        Waiter me = new Waiter(clock.getAsLong());
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
            refresh(); // bounded mode: this waiter may be the head now
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
            refresh(); // it may have been the head
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

    /**
     * Hands a grant that no borrower is about to take back (the pool made or checked it, or it
     * sat unused) to the longest waiter, in either mode; false leaves it with the caller.
     */
    final boolean offer(G grant) {
        return hasQueued() && handOff(grant);
    }

    /**
     * Hands a grant a borrower returned to the longest waiter if the queue comes first; false
     * leaves it with the caller, who keeps it and then calls {@link #dispatchReturned()}. In bounded
     * mode a return does not trust {@link #queueFirstNow} alone: when it is false it reads the clock
     * and checks the head itself, so from a waiter's due instant on no return overtakes it, however
     * late the pool's timer is (measured: over a second, on a machine whose cores the carriers and
     * other processes kept busy). The hand-off refreshes the flag for the callers that arrive.
     */
    final boolean offerReturned(G grant) {
        if (waiting.get() == 0) {
            return false;
        }
        long bound = maxWaitNanos;
        if (bound == STRICT) {
            return !queue.isEmpty() && handOff(grant);
        }
        if (!queueFirstNow) {
            Waiter head = queue.peekFirst();
            if (head == null || clock.getAsLong() - head.queuedNanos < bound) {
                return false;
            }
        }
        return handOff(grant);
    }

    /**
     * After a returned grant was kept: strict mode hands free grants to waiters at once; bounded
     * mode leaves the grant to the next caller that arrives and returns true if anyone waits, so
     * that the caller arms its {@link FairnessWatch}.
     */
    final boolean dispatchReturned() {
        if (waiting.get() == 0) {
            return false;
        }
        if (maxWaitNanos == STRICT) {
            dispatch();
            return false;
        }
        return true;
    }

    private boolean handOff(G grant) {
        Waiter w;
        while ((w = queue.pollFirst()) != null) {
            if (w.decide(grant)) {
                LockSupport.unpark(w.thread);
                refresh(); // a new head
                return true;
            }
        }
        return false;
    }

    /**
     * Sets the mode, {@link #STRICT} or a positive bound, then hands free grants to waiters (all
     * that bounded mode kept, when strict mode comes back). Waiters need no wake-up: they park
     * the same way in both modes.
     */
    final void maxWaitNanos(long bound) {
        maxWaitNanos = bound;
        refresh();
        dispatch();
    }

    /** The mode: {@link #STRICT} or the bound. */
    final long maxWaitNanos() {
        return maxWaitNanos;
    }

    /** The clock queue times and overdue checks read. */
    final long now() {
        return clock.getAsLong();
    }

    /** For tests: the clock queue times and overdue checks read (default {@link System#nanoTime()}). */
    final void clock(LongSupplier nanoClock) {
        this.clock = nanoClock;
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
