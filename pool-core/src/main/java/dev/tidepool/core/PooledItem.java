package dev.tidepool.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One item a pool made, with its checkout state, alone on its cache lines (see the padding).
 *
 * <p>The state lives in one {@code long} stamp: {@code (checkouts << 2) | state}. Counting checkouts
 * in the stamp lets a {@link Lease} tell "my borrow is still out" from "the item went back and
 * somebody else borrowed it since", so closing a stale lease can never return another caller's
 * item.
 *
 * <p>Ownership: whoever removed the item from the idle deque (or created it) owns it and may write
 * the stamp plainly; returns race with each other and use CAS.
 */
final class PooledItem<T> extends LinePad implements ItemInfo<T> {
    static final int IDLE = 0;
    static final int OUT = 1;
    static final int GONE = 2;
    private static final long STATE_MASK = 3;

    private static final VarHandle STAMP = VarHandles.find(MethodHandles.lookup(), "stamp", long.class);

    final T item;
    final long createdNanos;
    /** Written by the returning thread before the item is published to the idle deque or a waiter. */
    private volatile long returnedNanos;
    /** When validate() last passed (the creation time until then). */
    private volatile long validatedNanos;
    /** Set by {@code evict}: the pool disposes the item instead of handing it out or keeping it. */
    volatile boolean evicted;
    @SuppressWarnings("unused") // accessed through STAMP
    private volatile long stamp;
    /**
     * Trailing padding, read by nobody; {@link LinePad} leads. Two threads each cycling their own
     * item write its stamp and return time on every cycle and read its {@code item} and
     * {@code evicted} on every cycle, and items sit in the heap next to each other and to whatever
     * else was allocated around their creation. With padding on one side only, one JVM in two or
     * three ran a JDBC borrow and return on two threads at a third of the speed of the others (6 to
     * 37 ops/µs against 60 to 64, which no allocation or profile told apart): one thread's writes
     * shared a cache line with what the other read. Padded on both sides, 16 forks of 16 ran at 57
     * to 64.
     */
    @SuppressWarnings("unused")
    private long p0, p1, p2, p3, p4, p5, p6, p7;

    PooledItem(T item) {
        this.item = item;
        this.stamp = IDLE;
        this.createdNanos = item == null ? 0L : System.nanoTime();
        this.returnedNanos = createdNanos;
        this.validatedNanos = createdNanos;
    }

    @Override
    public T item() {
        return item;
    }

    @Override
    public long createdNanos() {
        return createdNanos;
    }

    @Override
    public long returnedNanos() {
        return returnedNanos;
    }

    @Override
    public long validatedNanos() {
        return validatedNanos;
    }

    void validatedNow() {
        validatedNanos = System.nanoTime();
    }

    /** Marks the return, on the pool's coarse clock: a memory read instead of a clock read per return. */
    void returnedNow() {
        // Never before the item was made (a real clock reading the coarse one may lag).
        returnedNanos = Math.max(CoarseClock.now(), createdNanos);
    }

    /** Marks a new checkout by the owner; returns the stamp that identifies this borrow. */
    long checkOut() {
        long next = (((long) STAMP.getVolatile(this) >>> 2) + 1) << 2 | OUT;
        // A release store is enough: the stamp is one word, so CASes on it (returns, stale
        // leases) see this write or fail; no other memory is ordered against it, and a volatile
        // store would add a full fence to every borrow.
        STAMP.setRelease(this, next);
        return next;
    }

    /** Ends the borrow that {@code borrowStamp} names, if it is still out. */
    boolean checkIn(long borrowStamp) {
        return STAMP.compareAndSet(this, borrowStamp, (borrowStamp & ~STATE_MASK) | IDLE);
    }

    /** Ends whatever borrow is out, moving it to {@code newState}; false if none is out. */
    boolean endBorrow(int newState) {
        for (;;) {
            long s = (long) STAMP.getVolatile(this);
            if ((s & STATE_MASK) != OUT) {
                return false;
            }
            if (STAMP.compareAndSet(this, s, (s & ~STATE_MASK) | newState)) {
                return true;
            }
        }
    }

    /** Marks an owned, idle item as gone for good. */
    void markGone() {
        long s = (long) STAMP.getVolatile(this);
        STAMP.setVolatile(this, (s & ~STATE_MASK) | GONE);
    }

    long stamp() {
        return (long) STAMP.getVolatile(this);
    }

    /** How many times this item was checked out, from its stamp. */
    long checkouts() {
        return (long) STAMP.getVolatile(this) >>> 2;
    }

}
