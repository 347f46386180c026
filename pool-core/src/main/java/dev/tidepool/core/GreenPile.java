package dev.tidepool.core;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tasks spawned into a {@link GreenPool} whose results are read back in spawn order (eventlet's
 * {@code GreenPile}). Thread-safe: one thread may spawn while another reads, and several piles
 * can share one pool.
 *
 * <pre>{@code
 * GreenPile<Page> pile = new GreenPile<>(pool);
 * for (String url : urls) {
 *     pile.spawn(() -> fetch(url));      // blocks while the pool is full
 * }
 * for (Page page : pile) {                // in spawn order; a failed fetch throws at its place
 *     index(page);
 * }
 * }</pre>
 *
 * <p>Invariant: {@link #size()} counts tasks spawned and not yet read, and a task is queued before
 * it is counted, so a reader that sees a count finds the task. A spawn that fails (interrupted,
 * pool shut down) is never counted.
 *
 * @param <R> the tasks' result type
 */
public class GreenPile<R> implements Iterator<R>, Iterable<R> {
    private final GreenPool pool;
    private final ConcurrentLinkedQueue<GreenThread<R>> spawned = new ConcurrentLinkedQueue<>();
    private final AtomicInteger unread = new AtomicInteger();

    /**
     * A pile with a pool of its own, running at most {@code size} tasks at once.
     *
     * @param size the most tasks that run at once
     * @throws IllegalArgumentException if {@code size} is negative
     */
    public GreenPile(int size) {
        this(new GreenPool(size));
    }

    /**
     * A pile spawning into {@code pool}, which it may share with other piles and callers.
     *
     * @param pool the pool the tasks run in
     */
    public GreenPile(GreenPool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /**
     * Spawns {@code task} into the pool (blocking while it is full) and queues its result.
     *
     * @param task the task to run
     * @return the task's green thread, whose result {@link #next()} also hands out in spawn order
     * @throws InterruptedException if interrupted while waiting for room in the pool
     */
    public GreenThread<R> spawn(Callable<R> task) throws InterruptedException {
        GreenThread<R> thread = pool.spawn(task);
        spawned.add(thread);
        unread.incrementAndGet();
        return thread;
    }

    /**
     * Tasks spawned and not yet read with {@link #next()}.
     *
     * @return how many results are still to be read
     */
    public int size() {
        return unread.get();
    }

    @Override
    public boolean hasNext() {
        return unread.get() > 0;
    }

    /**
     * The next result in spawn order, waiting for it if needed. A failed task throws here (a
     * {@link RuntimeException} as it is, a checked exception wrapped in
     * {@link java.util.concurrent.CompletionException}), and the next call goes on.
     *
     * @throws NoSuchElementException if nothing is left to read
     */
    @Override
    public R next() {
        for (;;) {
            int n = unread.get();
            if (n == 0) {
                throw new NoSuchElementException("nothing spawned is left to read");
            }
            if (unread.compareAndSet(n, n - 1)) {
                break;
            }
        }
        return spawned.poll().join();
    }

    /**
     * The pool this pile spawns into.
     *
     * @return the pool the tasks run in
     */
    public GreenPool pool() {
        return pool;
    }

    @Override
    public Iterator<R> iterator() {
        return this;
    }
}
