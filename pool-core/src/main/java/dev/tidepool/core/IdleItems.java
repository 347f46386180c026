package dev.tidepool.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A pool's idle items, striped by thread so that threads returning and re-borrowing items do not
 * all fight over one deque head.
 *
 * <p>Each thread has a home stripe (its thread id modulo the stripe count): it keeps the items it
 * returns there, in the pool's {@link Order}, and borrows from there first, then from the other
 * stripes in turn. So one thread sees exact STACK or QUEUE order, and two platform threads that
 * each borrow and return touch different deques. Fairness between waiting callers is not decided
 * here: a waiter is handed items by {@link WaitQueue}, first come, first served, and newcomers
 * only reach this structure when nobody waits.
 *
 * <p>Each stripe also has a hot slot holding the item put last on it. A thread that borrows and
 * returns one item at a time (the common case) moves it between itself and the slot with one CAS
 * each way: no deque node, no allocation, so no garbage collection competing with the callers.
 * A stripe's order is, for STACK, its hot slot and then its deque from the front (the slot is the
 * top of the stack); for QUEUE, its deque from the front and then the hot slot (the slot is the
 * tail). Returning an item while the slot is full pushes the older one into the deque, on the
 * side that keeps that order.
 *
 * <p>The stripe count is fixed at construction, so it never grows with the number of threads,
 * virtual or not: four per processor, at least 16 and at most 64, a power of two. Why so many:
 * two threads whose ids fall on one stripe share its hot slot and fight over it on every call
 * (measured on 2 cores: a JDBC borrow-and-return on 2 threads ran at 12 to 16 calls/µs with
 * 4 stripes, 20 to 23 with 16). Consecutive thread ids never share a stripe, and with 16 or more
 * even scattered ids rarely do; a borrower whose home stripe is empty scans the others, which
 * costs a few reads per stripe and happens only when the pool is nearly drained. That scan is the
 * price: with 1,000 virtual threads queueing for 16 items (every queued caller looks once), 16
 * stripes ran about 4% slower than 4.
 */
final class IdleItems<T> {
    private static final int STRIPES = stripeCount(Runtime.getRuntime().availableProcessors());

    /**
     * A deque padded past its own fields, so two stripes' heads (and hot slots) never share a
     * cache line. The padding fields are read by nobody.
     *
     * @param <E> the element type
     */
    @SuppressWarnings({"unused", "serial"})
    private static final class PaddedDeque<E> extends ConcurrentLinkedDeque<E> {
        private static final VarHandle HOT = VarHandles.find(MethodHandles.lookup(), "hot", Object.class);

        /** The item put last on this stripe, or null. */
        private volatile Object hot;
        long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

        @SuppressWarnings("unchecked")
        E hot() {
            return (E) hot;
        }

        /** Takes the hot item if there is one; each hot item is taken by exactly one caller. */
        @SuppressWarnings("unchecked")
        E takeHot() {
            Object e;
            while ((e = hot) != null) {
                if (HOT.compareAndSet(this, e, null)) {
                    return (E) e;
                }
            }
            return null;
        }

        boolean takeHot(E expected) {
            return hot == expected && HOT.compareAndSet(this, expected, null);
        }

        /** Makes {@code e} the hot item; the one it displaced (or null) is the caller's to place. */
        @SuppressWarnings("unchecked")
        E swapHot(E e) {
            return (E) HOT.getAndSet(this, e);
        }
    }

    private final Order order;
    private final PaddedDeque<PooledItem<T>>[] stripes;
    private final int mask;

    @SuppressWarnings("unchecked")
    IdleItems(Order order) {
        this.order = order;
        this.stripes = new PaddedDeque[STRIPES];
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new PaddedDeque<>();
        }
        this.mask = STRIPES - 1;
    }

    static int stripeCount(int processors) {
        int wanted = Math.max(16, Math.min(64, 4 * processors));
        int power = Integer.highestOneBit(wanted);
        return power == wanted ? wanted : power << 1;
    }

    private int home() {
        return (int) Thread.currentThread().threadId() & mask;
    }

    /** The next idle item for this thread: from its home stripe first, then the others. */
    PooledItem<T> take() {
        int home = home();
        for (int i = 0; i < stripes.length; i++) {
            PaddedDeque<PooledItem<T>> stripe = stripes[(home + i) & mask];
            PooledItem<T> entry;
            if (order == Order.STACK) {
                entry = stripe.takeHot();
                if (entry == null) {
                    entry = stripe.pollFirst();
                }
            } else {
                entry = stripe.pollFirst();
                if (entry == null) {
                    entry = stripe.takeHot();
                }
            }
            if (entry != null) {
                return entry;
            }
        }
        return null;
    }

    /**
     * Keeps a returned item in this thread's stripe, where the pool's order puts it. Returns the
     * item it pushed down from the hot slot, if any: that one was out of sight for a moment, so a
     * concurrent {@link #remove} may have missed it (the caller checks it as it checks its own).
     */
    PooledItem<T> keep(PooledItem<T> entry) {
        PaddedDeque<PooledItem<T>> stripe = stripes[home()];
        PooledItem<T> displaced = stripe.swapHot(entry);
        if (displaced != null) {
            if (order == Order.STACK) {
                stripe.offerFirst(displaced);
            } else {
                stripe.offerLast(displaced);
            }
        }
        return displaced;
    }

    /** Puts back an item taken with {@link #take()} that nobody used: it is next again. */
    PooledItem<T> putBack(PooledItem<T> entry) {
        if (order == Order.STACK) {
            return keep(entry);
        }
        stripes[home()].offerFirst(entry);
        return null;
    }

    /** The least recently used item of some stripe (for trimming), or null if none is idle. */
    PooledItem<T> takeColdest() {
        int home = home();
        for (int i = 0; i < stripes.length; i++) {
            PaddedDeque<PooledItem<T>> stripe = stripes[(home + i) & mask];
            PooledItem<T> entry = order == Order.STACK ? stripe.pollLast() : stripe.pollFirst();
            if (entry == null) {
                entry = stripe.takeHot(); // the hottest of this stripe: the last one it gives up
            }
            if (entry != null) {
                return entry;
            }
        }
        return null;
    }

    /** Undoes {@link #takeColdest()}. */
    void putBackColdest(PooledItem<T> entry) {
        if (order == Order.STACK) {
            stripes[home()].offerLast(entry);
        } else {
            stripes[home()].offerFirst(entry);
        }
    }

    /**
     * Takes this very entry out, wherever it sits; false if it is not idle here (a borrower or
     * another remover got it first: each idle entry is removed by exactly one caller).
     */
    boolean remove(PooledItem<T> entry) {
        for (PaddedDeque<PooledItem<T>> stripe : stripes) {
            if (stripe.takeHot(entry) || stripe.removeFirstOccurrence(entry)) {
                return true;
            }
        }
        return false;
    }

    /** A weakly consistent copy of the idle entries, for housekeeping scans. */
    List<PooledItem<T>> snapshot() {
        List<PooledItem<T>> all = new ArrayList<>();
        for (PaddedDeque<PooledItem<T>> stripe : stripes) {
            PooledItem<T> hot = stripe.hot();
            if (hot != null) {
                all.add(hot);
            }
            all.addAll(stripe);
        }
        return all;
    }

    /** How many items are idle; exact only when nothing moves. */
    int size() {
        int n = 0;
        for (PaddedDeque<PooledItem<T>> stripe : stripes) {
            n += stripe.size() + (stripe.hot() != null ? 1 : 0);
        }
        return n;
    }
}
