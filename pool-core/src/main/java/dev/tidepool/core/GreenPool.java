package dev.tidepool.core;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A limit on how many tasks run at once, each on its own virtual thread (eventlet's
 * {@code GreenPool}, gevent's {@code Pool}); also an {@link ExecutorService}.
 *
 * <pre>{@code
 * GreenPool pool = new GreenPool(100);               // at most 100 fetches at a time
 * for (String url : urls) {
 *     pool.spawnN(() -> store(fetch(url)));           // blocks while 100 are running
 * }
 * pool.waitAll();
 *
 * try (MapIterator<Page> pages = pool.imap(this::fetch, urls)) {   // results in input order
 *     pages.forEachRemaining(this::index);
 * }
 * pool.resize(200);                                   // live: blocked spawners go on at once
 * }</pre>
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>{@code spawn} takes a slot before it starts the thread, so no more than {@link #size()}
 *       threads ever exist for this pool's tasks; blocked spawners are served first come, first
 *       served, through the same {@link WaitQueue} that serves {@link ResourcePool}'s borrowers.
 *   <li>Reentrancy: when the pool is full and the caller is one of its own tasks, {@code spawn},
 *       {@code spawnN} and {@code apply} run the task inline in the caller, so a pool of 1 whose
 *       task spawns into it does not deadlock.
 *   <li>A task that throws or is killed frees its slot. {@code spawnN}'s failures are logged.
 *   <li>{@link #resize} is live; after a shrink {@link #free()} is negative until enough tasks
 *       end.
 *   <li>{@link #applyAsync} never blocks: when the pool is full the task runs untracked.
 * </ul>
 */
public class GreenPool extends TaskGroup implements ExecutorService {
    private static final System.Logger LOG = System.getLogger(GreenPool.class.getName());
    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();
    private static final Object SLOT = new Object();
    static final int DEFAULT_SIZE = 1000;

    private final Capacity capacity;
    private final WaitQueue<Object> slots = new Slots();
    /** Spawn callers waiting for a slot right now; waitAvailable() callers wait in the same queue but are not counted. */
    private final AtomicInteger blockedSpawners = new AtomicInteger();
    private volatile boolean shutdown;
    private final PoolListeners listeners = new PoolListeners();

    /** A pool of {@value #DEFAULT_SIZE}. */
    public GreenPool() {
        this(DEFAULT_SIZE);
    }

    /**
     * A pool running at most {@code size} tasks at once; 0 is allowed (spawning waits until a
     * resize).
     *
     * @param size the most tasks that run at once
     * @throws IllegalArgumentException if {@code size} is negative
     */
    public GreenPool(int size) {
        this(size, "GreenPool-" + POOL_NUMBER.incrementAndGet());
    }

    /**
     * Like {@link #GreenPool(int)}, with a name for messages and monitoring (JMX).
     *
     * @param size the most tasks that run at once
     * @param name the pool's name
     * @throws IllegalArgumentException if {@code size} is negative
     * @throws NullPointerException     if {@code name} is null
     */
    public GreenPool(int size, String name) {
        super(Objects.requireNonNull(name, "name"));
        this.capacity = new Capacity(checkSize(size));
    }

    /**
     * Registers a listener: a spawner about to wait, a timed spawn that gave up, shutdown.
     *
     * @param listener the listener to call
     */
    public void addListener(PoolListener listener) {
        listeners.add(listener);
    }

    /**
     * Removes a listener; true if it was registered.
     *
     * @param listener the listener to remove
     * @return whether it was registered
     */
    public boolean removeListener(PoolListener listener) {
        return listeners.remove(listener);
    }

    // ---------------------------------------------------------------- spawning

    /**
     * Starts {@code task} in a free slot, blocking while the pool is full (but running it inline
     * when the caller is one of this pool's tasks).
     *
     * @throws InterruptedException       if interrupted while waiting (nothing is started)
     * @throws NullPointerException       if {@code task} is null
     * @throws RejectedExecutionException if the pool is shut down
     */
    @Override
    public <R> GreenThread<R> spawn(Callable<R> task) throws InterruptedException {
        return spawn(task, 0, false, 0L);
    }

    /**
     * Like {@link #spawn(Callable)}, waiting at most {@code timeout} for a slot
     * ({@link Duration#ZERO}: not at all; gevent's {@code blocking=False}).
     *
     * @param <R> the task's result type
     * @param task the task to run
     * @param timeout the longest wait for a slot
     * @return the task's green thread
     * @throws PoolFullException if no slot was free in time
     * @throws InterruptedException if interrupted while waiting (nothing is started)
     */
    public <R> GreenThread<R> spawn(Callable<R> task, Duration timeout)
            throws InterruptedException, PoolFullException {
        return spawn(task, 0, true, Durations.toNanos(timeout, "timeout"));
    }

    /**
     * Like {@link #spawn(Callable)} for a task without result; its failure is logged.
     *
     * @param task the task to run
     * @throws InterruptedException if interrupted while waiting (nothing is started)
     */
    public void spawnN(Runnable task) throws InterruptedException {
        spawn(task, GreenThread.RUNNABLE | GreenThread.LOG_FAILURE, false, 0L);
    }

    /**
     * The one spawn path. The task is listed in the group before the slot is looked for, so
     * waitAll() waits for a spawn in progress; when the pool is not full, taking the slot is one
     * CAS on the capacity.
     */
    private <R> GreenThread<R> spawn(Object task, int flags, boolean timed, long nanos) throws InterruptedException {
        Objects.requireNonNull(task, "task");
        checkAccepting();
        GreenThread<R> thread = newTask(task, flags);
        boolean started = false;
        try {
            if (slots.tryAcquireFair() == null) {
                if (isInside()) {
                    started = true;
                    return runInline(thread);
                }
                blockedSpawners.incrementAndGet();
                listeners.exhausted(name());
                try {
                    slots.await(timed, nanos);
                } catch (TimeoutException e) {
                    listeners.timedOut(name(), nanos);
                    throw new PoolFullException(name() + " is full: " + running() + " running, size "
                            + size() + ", no slot free within " + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms");
                } finally {
                    blockedSpawners.decrementAndGet();
                }
            }
            started = true;
            return launch(thread);
        } finally {
            if (!started) {
                abandon(thread); // nothing started: joins stop waiting for it
            }
        }
    }

    /**
     * Tracks a thread started elsewhere, in a slot of this pool.
     *
     * @throws PoolFullException if no slot is free
     */
    @Override
    public void add(GreenThread<?> thread) {
        Objects.requireNonNull(thread, "thread");
        if (contains(thread)) {
            return;
        }
        if (slots.tryAcquireFair() == null) {
            throw new PoolFullException(name() + " is full: cannot add " + thread);
        }
        if (!adopt(thread)) {
            releaseSlot();
        }
    }

    /** Every task of this pool holds a slot, except one that ran inline in its spawner. */
    @Override
    void release(GreenThread<?> thread) {
        if ((thread.bits() & GreenThread.INLINE) == 0) {
            releaseSlot();
        }
    }

    private void releaseSlot() {
        capacity.release();
        slots.dispatch();
    }

    static void logSpawnNFailure(TaskGroup pool, Throwable failure) {
        if (!(failure instanceof CancellationException)) {
            LOG.log(Level.WARNING, "a task started with spawnN in " + pool.name() + " failed", failure);
        }
    }

    // ---------------------------------------------------------------- waiting

    /**
     * Waits until every running task, and every spawn in progress, has finished.
     *
     * @throws IllegalStateException if called from one of this pool's tasks (it would wait for itself)
     * @throws InterruptedException if interrupted while waiting
     */
    public void waitAll() throws InterruptedException {
        if (isInside()) {
            throw new IllegalStateException(name() + ": waitAll() from one of its own tasks would wait forever");
        }
        awaitQuiet(Long.MAX_VALUE, false);
    }

    /**
     * Waits until a slot is free, at most {@code timeout}, without taking it (gevent's
     * {@code wait_available}).
     *
     * @param timeout the longest wait
     * @return the number of free slots, 0 if none was freed in time
     * @throws InterruptedException if interrupted while waiting
     */
    public int waitAvailable(Duration timeout) throws InterruptedException {
        long nanos = Durations.toNanos(timeout, "timeout");
        Object slot = slots.tryAcquireFair();
        if (slot == null) {
            try {
                slots.await(true, nanos);
            } catch (TimeoutException e) {
                return 0;
            }
        }
        int free = free() + 1; // counting the slot held for this look
        releaseSlot();
        return free;
    }

    // ---------------------------------------------------------------- sizing

    /**
     * Changes the size, live: growing wakes blocked spawners at once; shrinking lets running
     * tasks finish ({@link #free()} is negative until enough have).
     *
     * @param newSize the most tasks that run at once from now on
     * @throws IllegalArgumentException if {@code newSize} is negative
     */
    public void resize(int newSize) {
        capacity.limit(checkSize(newSize));
        slots.dispatch();
    }

    /** {@return the most tasks that run at once} */
    public int size() {
        return capacity.limit();
    }

    /** {@return slots free now: {@code size() - running()}; negative after a shrink} */
    public int free() {
        return capacity.limit() - capacity.used();
    }

    /** {@return callers blocked in {@code spawn} right now} */
    public int waiting() {
        return blockedSpawners.get();
    }

    /** {@return whether a {@code spawn} would block now} */
    public boolean full() {
        return free() <= 0;
    }

    // ---------------------------------------------------------------- gevent's apply family

    /**
     * Runs {@code task} in a free slot if there is one, else untracked on a thread of its own;
     * never blocks (gevent's {@code apply_async}).
     */
    @Override
    public <R> GreenThread<R> applyAsync(Callable<R> task) {
        Objects.requireNonNull(task, "task");
        checkAccepting();
        if (slots.tryAcquireFair() != null) {
            return launch(newTask(task, 0));
        }
        return GreenThread.spawn(task);
    }

    @Override
    int mapWindow() {
        return Math.max(1, size());
    }

    // ---------------------------------------------------------------- ExecutorService

    /** {@link #spawnN}; a caller interrupted while waiting for a slot gets a {@link RejectedExecutionException}. */
    @Override
    public void execute(Runnable command) {
        try {
            spawnN(command);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException(name() + ": interrupted while waiting for a free slot", e);
        }
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        try {
            return spawn(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException(name() + ": interrupted while waiting for a free slot", e);
        }
    }

    @Override
    public Future<?> submit(Runnable task) {
        return submit(Executors.callable(Objects.requireNonNull(task, "task")));
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        return submit(Executors.callable(Objects.requireNonNull(task, "task"), result));
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        List<Future<T>> futures = spawnAll(tasks);
        try {
            for (Future<T> future : futures) {
                awaitQuietly(future);
            }
            return futures;
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> task : tasks) {
                long left = deadline - System.nanoTime();
                try {
                    futures.add(spawn(task, 0, true, Math.max(0L, left)));
                } catch (PoolFullException e) {
                    futures.add(cancelled(task));
                }
            }
            for (Future<T> future : futures) {
                try {
                    future.get(Math.max(0L, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | CancellationException ignored) {
                    // the future holds it
                } catch (TimeoutException e) {
                    break;
                }
            }
            return futures;
        } finally {
            futures.forEach(f -> f.cancel(true)); // does nothing to the finished ones
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, false, 0L);
        } catch (TimeoutException e) {
            throw new AssertionError("an untimed wait timed out", e);
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return invokeAny(tasks, true, unit.toNanos(timeout));
    }

    private <T> T invokeAny(Collection<? extends Callable<T>> tasks, boolean timed, long nanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("invokeAny needs at least one task");
        }
        long deadline = System.nanoTime() + nanos;
        LinkedBlockingQueue<GreenThread<T>> finished = new LinkedBlockingQueue<>();
        List<GreenThread<T>> started = new ArrayList<>(tasks.size());
        try {
            boolean allStarted = true;
            for (Callable<T> task : tasks) {
                GreenThread<T> thread;
                if (timed) {
                    try {
                        thread = spawn(task, 0, true, Math.max(0L, deadline - System.nanoTime()));
                    } catch (PoolFullException e) {
                        allStarted = false; // out of time: look only at what was started
                        break;
                    }
                } else {
                    thread = spawn(task);
                }
                started.add(thread.link(finished::add));
            }
            ExecutionException last = null;
            for (int i = 0; i < started.size(); i++) {
                GreenThread<T> done = timed
                        ? finished.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)
                        : finished.take();
                if (done == null) {
                    throw new TimeoutException(name() + ": no task of invokeAny succeeded in time");
                }
                try {
                    return done.get();
                } catch (ExecutionException e) {
                    last = e;
                } catch (CancellationException e) {
                    last = new ExecutionException(e);
                }
            }
            if (!allStarted) {
                throw new TimeoutException(name() + ": no task of invokeAny succeeded in time");
            }
            throw last;
        } finally {
            started.forEach(GreenThread::kill);
        }
    }

    /** Stops accepting tasks; running ones go on. */
    @Override
    public void shutdown() {
        boolean first = !shutdown;
        shutdown = true;
        signalChange(); // wakes awaitTermination()
        if (first) {
            listeners.closed(name());
        }
    }

    /** Stops accepting tasks and kills the running ones (without waiting); nothing is queued here. */
    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        for (GreenThread<?> thread : trackedThreads()) {
            thread.kill();
        }
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && isQuiet();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        // ExecutorService: true only once terminated, which needs a shutdown first
        long nanos = unit.toNanos(timeout);
        long deadline = deadline(nanos);
        if (!awaitUntil(this::isShutdown, nanos)) {
            return false;
        }
        return awaitQuiet(deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime(), false);
    }

    @Override
    void checkAccepting() {
        if (shutdown) {
            throw new RejectedExecutionException(name() + " is shut down");
        }
    }

    @Override
    public String toString() {
        return "GreenPool[" + name() + ", size " + size() + ", running " + running() + ", waiting " + waiting()
                + (shutdown ? ", shut down" : "") + "]";
    }

    // ---------------------------------------------------------------- helpers

    private <T> List<Future<T>> spawnAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> task : tasks) {
                futures.add(spawn(task));
            }
        } catch (InterruptedException | RuntimeException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
        return futures;
    }

    private static void awaitQuietly(Future<?> future) throws InterruptedException {
        try {
            future.get();
        } catch (ExecutionException | CancellationException ignored) {
            // the future holds the outcome for the caller
        }
    }

    private static <T> Future<T> cancelled(Callable<T> task) {
        GreenThread<T> never = new GreenThread<>(task);
        never.cancel(false);
        return never;
    }

    private static int checkSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("GreenPool size must be >= 0, was " + size);
        }
        return size;
    }

    /** Grants task slots, longest-waiting spawner first. */
    private final class Slots extends WaitQueue<Object> {
        @Override
        protected Object tryAcquire() {
            return capacity.tryReserve() ? SLOT : null;
        }

        @Override
        protected void release(Object grant) {
            capacity.release();
        }

        @Override
        protected RuntimeException closedException() {
            return new RejectedExecutionException(name() + " is shut down");
        }
    }
}
