package dev.tidepool.core;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A fair, resizable pool of reusable items (eventlet's {@code pools.Pool}), safe for any number of
 * platform or virtual threads.
 *
 * <pre>{@code
 * ResourcePool<HttpClient> clients = ResourcePool.builder(HttpClient::newHttpClient)
 *         .minSize(2).maxSize(16).order(Order.STACK)
 *         .dispose(HttpClient::close)
 *         .name("http")
 *         .build();
 *
 * try (Lease<HttpClient> lease = clients.item(Duration.ofSeconds(1))) {
 *     lease.get().send(request, BodyHandlers.ofString());
 * }
 * clients.resize(32);   // live: blocked callers create new clients at once
 * }</pre>
 *
 * <p>Or subclass it and override {@link #create()}:
 *
 * <pre>{@code
 * class Channels extends ResourcePool<Channel> {
 *     Channels() { super(1, 8, Order.QUEUE); }
 *     @Override protected Channel create() { return Channel.open(host); }
 * }
 * }</pre>
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Invariant: {@code size() <= maxSize()} except after a shrink, and items are never handed out
 *       twice: an item is either idle in this pool, checked out by exactly one caller, or disposed.
 *   <li>The {@code minSize} items exist before the first call on the pool returns (for a subclass:
 *       on first use, since its fields are not set while this constructor runs).
 *   <li>{@link #create()} runs only when no idle item exists and {@code size() < maxSize()}, in the
 *       caller of {@code get}; if it throws (or returns null) its slot is given back and the caller
 *       sees the exception.
 *   <li>Callers that must wait are served first come, first served; {@link #put} hands the item
 *       straight to the longest waiter. A waiter that times out or is interrupted leaves no trace.
 *       That is {@link Fairness#STRICT}, the default. {@link Fairness#bounded} trades it for
 *       throughput: returning and arriving threads may take idle items ahead of waiters until the
 *       longest waiter has waited the bound; from then on returns go to the queue, and so do
 *       arrivals once the pool has noticed (the exact guarantee is in {@link Fairness}).
 *       Settable in the builder and live with {@link #setFairness}.
 *   <li>{@link #resize} is live: growing lets waiters create at once; shrinking disposes idle items
 *       at once and checked-out items as they come back, never taking an item from its holder.
 * </ul>
 *
 * <p>No global lock: idle items sit in lock-free deques striped by thread, slots are counted
 * with CAS, and blocked callers queue in a lock-free {@link WaitQueue}. Nothing here pins a
 * virtual thread.
 *
 * @param <T> the pooled item's type
 */
public class ResourcePool<T> implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ResourcePool.class.getName());
    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();
    static final int DEFAULT_MAX_SIZE = 4;
    /** A borrow's deadline before anyone needed to read the clock. */
    private static final long NO_DEADLINE = Long.MIN_VALUE;

    /**
     * A point-in-time copy of a pool's counters, for monitoring.
     *
     * @param createdCount items made so far
     * @param disposedCount items disposed so far
     * @param borrowCount items handed out so far
     * @param timeoutCount borrows that gave up waiting
     * @param totalWaitNanos the nanoseconds borrowers spent waiting, added up
     * @param maxWaitNanos the longest a borrower waited, in nanoseconds
     */
    public record Stats(long createdCount, long disposedCount, long borrowCount, long timeoutCount,
                        long totalWaitNanos, long maxWaitNanos) {
    }

    private final String name;
    private final Order order;
    private final int minSize;
    private final Supplier<? extends T> supplier;
    private final Consumer<? super T> disposer;
    private final Predicate<? super T> validator;
    /** Where {@code create()} runs for a borrower; null: in the borrower itself. */
    private final Executor createExecutor;
    /** Paces creates while they fail ({@link Builder#createBackoff}); null if creates are never paced. */
    private final CreateBackoff createBackoff;
    /**
     * Items returned more recently than this are handed out without {@code validate()}; compared
     * on {@link CoarseClock} readings less twice its resolution, so an item idle longer is never
     * let through (0: validate every hand-out).
     */
    private final long validateAfterIdleNanos;
    /** Whether returns record the time ({@link ItemInfo#returnedNanos()}), from {@link CoarseClock}. */
    private final boolean trackIdleTime;
    /** Set while this pool is a user of {@link CoarseClock}; cleared once, by close(). */
    private final java.util.concurrent.atomic.AtomicBoolean clockUser = new java.util.concurrent.atomic.AtomicBoolean();
    private final PoolListeners listeners = new PoolListeners();
    /** Slots whose item is neither idle nor borrowed: being made, or taken out for a check. */
    private final AtomicInteger pending = new AtomicInteger();

    /** Who is served first; the mode itself lives in {@link #waiters}, this is what was set. */
    private volatile Fairness fairness = Fairness.STRICT;
    /** Serialises {@link #setFairness}, so the mode in force is always the one last reported. */
    private final ReentrantLock fairnessLock = new ReentrantLock();

    /** Idle items, striped by thread; a grant nobody took goes back to the front. */
    private final IdleItems<T> idle;
    /** Every item created and not yet disposed, by identity: what {@link #put} accepts. */
    private final ItemRegistry<T> items = new ItemRegistry<>();
    /** Slots: {@code used} is {@link #size()}, {@code limit} is {@link #maxSize()}. */
    private final Capacity capacity;
    /** Stands for "a free slot: create an item in it" among the grants of {@link #waiters}. */
    private final PooledItem<T> createPermit = new PooledItem<>(null);
    private final WaitQueue<PooledItem<T>> waiters = new Waiters();
    /**
     * Under {@link Fairness#bounded}: the timer that looks at the queue when its head falls due,
     * and hands returns kept for barging, but left unused, to waiters.
     */
    private final FairnessWatch<T> fairnessWatch;

    private final ReentrantLock startLock = new ReentrantLock();
    private volatile boolean started;
    private volatile boolean closed;

    private final LongAdder createdCount = new LongAdder();
    private final LongAdder disposedCount = new LongAdder();
    /**
     * Borrows of items already disposed; the live items count their own in their stamps, so a
     * borrow touches no shared counter (see {@link #borrowCount()}).
     */
    private final LongAdder retiredBorrows = new LongAdder();
    /** The highest borrow count reported, so that a count read while an item retires never goes down. */
    private final AtomicLong reportedBorrows = new AtomicLong();
    private final LongAdder timeoutCount = new LongAdder();
    private final LongAdder totalWaitNanos = new LongAdder();
    private final AtomicLong maxWaitNanos = new AtomicLong();

    /**
     * A pool of up to {@value #DEFAULT_MAX_SIZE} items made by {@code create}, handed out in
     * {@link Order#QUEUE} order.
     *
     * @param create makes the items
     * @throws NullPointerException if {@code create} is null
     */
    public ResourcePool(Supplier<? extends T> create) {
        this(new Builder<T>(Objects.requireNonNull(create, "create")));
    }

    /**
     * A pool of {@code minSize} to {@code maxSize} items made by {@code create}.
     *
     * @param minSize the items made at start and kept
     * @param maxSize the most items the pool keeps
     * @param order which idle item is handed out next
     * @param create makes the items
     * @throws IllegalArgumentException if a size is negative or {@code minSize > maxSize}
     * @throws NullPointerException     if {@code order} or {@code create} is null
     */
    public ResourcePool(int minSize, int maxSize, Order order, Supplier<? extends T> create) {
        this(new Builder<T>(Objects.requireNonNull(create, "create")).sizes(minSize, maxSize, order));
    }

    /**
     * For a subclass that overrides {@link #create()}; the {@code minSize} items are made on the
     * first call on the pool, once the subclass is fully constructed.
     *
     * @param minSize the items made at start and kept
     * @param maxSize the most items the pool keeps
     * @param order which idle item is handed out next
     * @throws IllegalArgumentException if a size is negative or {@code minSize > maxSize}
     * @throws NullPointerException     if {@code order} is null
     */
    protected ResourcePool(int minSize, int maxSize, Order order) {
        this(new Builder<T>(null).sizes(minSize, maxSize, order));
    }

    private ResourcePool(Builder<T> settings) {
        checkSizes(settings.minSize, settings.maxSize);
        this.order = settings.order;
        this.minSize = settings.minSize;
        this.supplier = settings.create;
        this.disposer = settings.dispose;
        this.validator = settings.validate;
        this.createExecutor = settings.createExecutor;
        this.createBackoff = settings.createBackoffNanos == 0 ? null
                : new CreateBackoff(settings.createBackoffNanos, waiters::dispatch, System::nanoTime);
        // The coarse clock's readings may each lag by up to its resolution: a window shortened by
        // both lags never lets through an item idle for longer than the caller asked.
        this.validateAfterIdleNanos = settings.validateAfterIdleNanos == 0 ? 0L
                : Math.max(0L, settings.validateAfterIdleNanos - 2 * CoarseClock.RESOLUTION_NANOS);
        this.trackIdleTime = settings.trackIdleTime || settings.validateAfterIdleNanos > 0;
        if (trackIdleTime) {
            clockUser.set(true);
            CoarseClock.register();
        }
        this.name = settings.name != null ? settings.name : "ResourcePool-" + POOL_NUMBER.incrementAndGet();
        this.capacity = new Capacity(settings.maxSize);
        this.idle = new IdleItems<>(order);
        this.fairnessWatch = new FairnessWatch<>(idle, waiters);
        initialFairness(settings.fairness);
        if (getClass() == ResourcePool.class) {
            ensureStarted();
        }
    }

    /**
     * A builder for a pool whose items {@code create} makes.
     *
     * <pre>{@code
     * ResourcePool<Session> sessions = ResourcePool.builder(Session::open)
     *         .minSize(1).maxSize(10).order(Order.STACK)
     *         .validate(Session::isOpen).dispose(Session::close)
     *         .name("sessions").build();
     * }</pre>
     *
     * @param <T> the pooled item's type
     * @param create makes the items
     * @return a builder with the defaults: sizes 0 to {@value #DEFAULT_MAX_SIZE}, {@link Order#QUEUE}
     * @throws NullPointerException if {@code create} is null
     */
    public static <T> Builder<T> builder(Supplier<? extends T> create) {
        return new Builder<>(Objects.requireNonNull(create, "create"));
    }

    // ---------------------------------------------------------------- callbacks

    /**
     * Makes a new item. Runs in the borrowing thread, only when no idle item exists and
     * {@code size() < maxSize()}. The default calls the supplier given to the constructor.
     *
     * @return the new item
     * @throws UnsupportedOperationException if there is no supplier and a subclass did not override
     */
    protected T create() {
        if (supplier == null) {
            throw new UnsupportedOperationException("pool " + name
                    + " has no create supplier: pass one to the constructor or override create()");
        }
        return supplier.get();
    }

    /**
     * Releases an item the pool gives up (discarded, failed validation, over the maximum, closed).
     * The default calls the builder's {@code dispose} callback, if any. Exceptions are logged.
     *
     * @param item the item the pool gives up
     */
    protected void dispose(T item) {
        if (disposer != null) {
            disposer.accept(item);
        }
    }

    /**
     * Whether an idle item may still be handed out; checked each time one is. The default calls the
     * builder's {@code validate} callback, or accepts everything.
     *
     * @param item the idle item about to be handed out
     * @return whether it may be handed out
     */
    protected boolean validate(T item) {
        return validator == null || validator.test(item);
    }

    // ---------------------------------------------------------------- borrowing

    /**
     * Borrows an item, blocking for as long as it takes.
     *
     * @return the borrowed item
     * @throws InterruptedException  if interrupted while waiting (the pool is unchanged)
     * @throws IllegalStateException if the pool is closed
     * @throws RuntimeException      whatever {@link #create()} threw
     */
    public T get() throws InterruptedException {
        return borrow().item;
    }

    /**
     * Borrows an item, waiting at most {@code timeout}; {@link Duration#ZERO} does not wait.
     *
     * @param timeout the longest wait
     * @return the borrowed item
     * @throws TimeoutException     if no item was free in time (the pool is unchanged)
     * @throws InterruptedException if interrupted while waiting (the pool is unchanged)
     * @throws NullPointerException if {@code timeout} is null
     */
    public T get(Duration timeout) throws InterruptedException, TimeoutException {
        return borrow(true, Durations.toNanos(timeout, "timeout")).item;
    }

    /**
     * Like {@link #get(Duration)}, in the style of {@code BlockingQueue.poll(long, TimeUnit)}.
     *
     * @param timeout the longest wait, in {@code unit}s
     * @param unit the unit of {@code timeout}
     * @return the borrowed item
     * @throws TimeoutException         if no item was free in time (the pool is unchanged)
     * @throws InterruptedException     if interrupted while waiting (the pool is unchanged)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws NullPointerException     if {@code unit} is null
     */
    public T get(long timeout, TimeUnit unit) throws InterruptedException, TimeoutException {
        return borrow(true, Durations.toNanos(timeout, unit, "timeout")).item;
    }

    /**
     * Borrows an idle item if one is ready now, in the style of {@code BlockingQueue.poll()}: never
     * waits and never creates. Null when no item is idle, or when queued callers come first (under
     * {@link Fairness#STRICT} whenever anyone is queued, under {@link Fairness#bounded} while a
     * waiter is overdue): a poll follows the same rule as every other borrow. An idle item that
     * fails validation is disposed and the next one is tried.
     *
     * <p>The fast path for a caller that has its own slow path: a JDBC pool tries {@code poll()}
     * first and reads the clock for its timeout only when that returns null.
     *
     * <pre>{@code
     * Conn c = pool.poll();
     * if (c == null) {
     *     c = pool.get(timeout); // the waiting, creating path
     * }
     * }</pre>
     *
     * @return an idle item, or null if none is ready or callers are waiting
     * @throws IllegalStateException if the pool is closed
     */
    public T poll() {
        ensureOpen();
        ensureStarted();
        for (;;) {
            if (waiters.queueFirst()) {
                waiters.yieldToQueue();
                return null;
            }
            PooledItem<T> entry = idle.take();
            if (entry == null) {
                return null;
            }
            if (isGood(entry, true)) {
                entry.checkOut();
                return entry.item;
            }
            destroy(entry);
            giveBackSlot(); // the failed item's slot: a waiter (or the next borrower) creates in it
        }
    }

    /**
     * Like {@link #get()}, as a {@link Lease} for try-with-resources.
     *
     * @return a lease on the borrowed item
     * @throws InterruptedException if interrupted while waiting (the pool is unchanged)
     */
    public Lease<T> item() throws InterruptedException {
        return lease(borrow());
    }

    /**
     * Like {@link #get(Duration)}, as a {@link Lease} for try-with-resources.
     *
     * @param timeout the longest wait
     * @return a lease on the borrowed item
     * @throws InterruptedException if interrupted while waiting (the pool is unchanged)
     * @throws TimeoutException if no item was free in time (the pool is unchanged)
     */
    public Lease<T> item(Duration timeout) throws InterruptedException, TimeoutException {
        return lease(borrow(true, Durations.toNanos(timeout, "timeout")));
    }

    private Lease<T> lease(PooledItem<T> entry) {
        // The borrower owns the entry until it goes back, so its stamp names this borrow.
        return new PooledLease<>(this, entry, entry.stamp());
    }

    private PooledItem<T> borrow() throws InterruptedException {
        try {
            return borrow(false, 0L);
        } catch (TimeoutException e) {
            throw new AssertionError("an untimed wait timed out", e);
        }
    }

    private PooledItem<T> borrow(boolean timed, long nanos) throws InterruptedException, TimeoutException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        ensureOpen();
        ensureStarted();
        // The clock is read only once the caller has to wait: an idle item handed out at once
        // costs no System.nanoTime() here.
        long deadline = NO_DEADLINE;
        for (;;) {
            PooledItem<T> grant = waiters.tryAcquireFair();
            if (grant == null) {
                long left = 0L;
                if (timed) {
                    if (deadline == NO_DEADLINE) {
                        deadline = System.nanoTime() + nanos;
                        left = nanos;
                    } else {
                        left = Math.max(0L, deadline - System.nanoTime());
                    }
                }
                grant = awaitGrant(timed, left, nanos);
            }
            PooledItem<T> entry = grant == createPermit ? createFor(timed, deadline, nanos) : checkIdle(grant, timed, deadline, nanos);
            if (entry != null) {
                entry.checkOut();
                return entry;
            }
            // The item failed validation and its slot went with it (the pool is over its
            // maximum after a shrink): queue again rather than create above the maximum.
        }
    }

    private PooledItem<T> awaitGrant(boolean timed, long nanos, long timeoutNanos)
            throws InterruptedException, TimeoutException {
        long start = System.nanoTime();
        listeners.exhausted(name);
        try {
            return waiters.await(timed, nanos);
        } catch (TimeoutException e) {
            throw timedOut(e, "no item free", timeoutNanos, System.nanoTime() - start);
        } finally {
            long waited = System.nanoTime() - start;
            totalWaitNanos.add(waited);
            // CAS only on a new maximum: every waiter writing the same word would contend.
            for (long max = maxWaitNanos.get(); waited > max; max = maxWaitNanos.get()) {
                if (maxWaitNanos.compareAndSet(max, waited)) {
                    break;
                }
            }
        }
    }

    private TimeoutException timedOut(TimeoutException cause, String what, long timeoutNanos, long waitedNanos) {
        timeoutCount.increment();
        listeners.timedOut(name, waitedNanos);
        TimeoutException detailed = new TimeoutException("pool " + name + ": " + what + " after "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (size " + size() + ", max "
                + maxSize() + ", idle " + idle() + ", waiting " + waiting() + ")");
        detailed.setStackTrace(cause.getStackTrace());
        return detailed;
    }

    /**
     * An idle item about to be handed out: still good, or replaced by a new one in its slot; null
     * if it failed and its slot had to go (the pool is over its maximum).
     */
    private PooledItem<T> checkIdle(PooledItem<T> entry, boolean timed, long deadline, long timeoutNanos)
            throws InterruptedException, TimeoutException {
        if (isGood(entry, true)) {
            return entry;
        }
        destroy(entry);
        if (capacity.tryReleaseExcess()) {
            return null;
        }
        return createFor(timed, deadline, timeoutNanos); // the failed item's slot is the caller's to fill
    }

    /**
     * Whether an idle entry this caller owns may go on serving: not evicted, and valid (or, when
     * {@code recentIsGood}, returned too recently to be worth the check).
     */
    private boolean isGood(PooledItem<T> entry, boolean recentIsGood) {
        if (entry.evicted) {
            return false;
        }
        if (recentIsGood && validateAfterIdleNanos > 0
                && CoarseClock.now() - entry.returnedNanos() < validateAfterIdleNanos) {
            return true;
        }
        try {
            boolean good = validate(entry.item);
            if (good && trackIdleTime) {
                entry.validatedNow();
            }
            return good;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> "pool " + name + ": validate() threw; disposing the item", e);
            return false;
        }
    }

    /**
     * Creates an item in a slot this caller holds, in the caller or (with
     * {@link Builder#createAsync}) on the pool's executor while the caller waits at most until its
     * deadline. An item finished after its caller gave up is adopted by the pool like a returned one.
     */
    private PooledItem<T> createFor(boolean timed, long deadline, long timeoutNanos)
            throws InterruptedException, TimeoutException {
        if (createExecutor == null) {
            return createInSlot();
        }
        long start = System.nanoTime();
        if (deadline == NO_DEADLINE) {
            deadline = start + timeoutNanos;
        }
        CompletableFuture<PooledItem<T>> made;
        // Pending from now, not from when the executor gets to it: a slot whose create has not
        // begun yet is neither idle nor in use, and must not be counted as in use meanwhile.
        pending.incrementAndGet();
        try {
            made = CompletableFuture.supplyAsync(this::createPending, createExecutor);
        } catch (RuntimeException e) { // rejected, or the executor itself is broken
            pending.decrementAndGet();
            giveBackSlot();
            throw e;
        }
        try {
            return timed ? made.get(Math.max(0L, deadline - System.nanoTime()), TimeUnit.NANOSECONDS) : made.get();
        } catch (ExecutionException e) {
            throw Failures.rethrow(e.getCause()); // createInSlot gave the slot back
        } catch (TimeoutException e) {
            made.thenAccept(this::adopt);
            throw timedOut(e, "create() did not finish", timeoutNanos, System.nanoTime() - start);
        } catch (InterruptedException e) {
            made.thenAccept(this::adopt);
            throw e;
        }
    }

    /** An item made for a caller that gave up: serve the next waiter or keep it. */
    private void adopt(PooledItem<T> entry) {
        handOn(entry);
    }

    /** Creates an item in a slot this caller holds; on failure the slot goes back to the pool. */
    private PooledItem<T> createInSlot() {
        pending.incrementAndGet();
        return createPending();
    }

    /** {@link #createInSlot()} for a slot already counted as pending. */
    private PooledItem<T> createPending() {
        T item;
        try {
            item = create();
        } catch (RuntimeException | Error e) {
            pending.decrementAndGet(); // before the slot goes: see inUse(), counts may run high, never low
            if (createBackoff != null) {
                createBackoff.failed(); // before the slot goes back: its dispatch must see the pacing
            }
            giveBackSlot();
            throw e;
        }
        pending.decrementAndGet();
        if (item == null) {
            giveBackSlot();
            throw new IllegalStateException("pool " + name + ": create() returned null");
        }
        PooledItem<T> entry = new PooledItem<>(item);
        if (!items.add(entry)) {
            giveBackSlot();
            throw new IllegalStateException("pool " + name + ": create() returned " + item
                    + ", which this pool already holds; create() must make a new object each time");
        }
        createdCount.increment();
        if (createBackoff != null) {
            createBackoff.succeeded();
        }
        return entry;
    }

    // ---------------------------------------------------------------- returning

    /**
     * Returns a borrowed item: to the longest waiter if any (under {@link Fairness#bounded}: only if
     * a waiter is overdue), else to the idle items; disposed instead if the pool is over its
     * maximum (after a shrink) or closed.
     *
     * @param item the item to give back
     * @throws NullPointerException     if {@code item} is null
     * @throws IllegalArgumentException if this pool did not hand the item out
     * @throws IllegalStateException    if the item is not checked out (returned twice)
     */
    public void put(T item) {
        PooledItem<T> entry = entryOf(item);
        if (!entry.endBorrow(PooledItem.IDLE)) {
            throw new IllegalStateException("pool " + name + ": " + item + " is not checked out (put twice?)");
        }
        if (trackIdleTime) {
            entry.returnedNow();
        }
        checkIn(entry);
    }

    /**
     * Gives up a borrowed item that is broken: disposes it and frees its slot for a new one.
     *
     * @param item the broken item
     * @throws NullPointerException     if {@code item} is null
     * @throws IllegalArgumentException if this pool did not hand the item out
     * @throws IllegalStateException    if the item is not checked out
     */
    public void discard(T item) {
        PooledItem<T> entry = entryOf(item);
        if (!entry.endBorrow(PooledItem.GONE)) {
            throw new IllegalStateException("pool " + name + ": " + item + " is not checked out");
        }
        retire(entry);
    }

    /** Closes {@code lease}'s borrow if it is still the one out; does nothing otherwise. */
    void returnLease(PooledItem<T> entry, long borrowStamp) {
        if (entry.checkIn(borrowStamp)) {
            if (trackIdleTime) {
                entry.returnedNow();
            }
            checkIn(entry);
        }
    }

    private PooledItem<T> entryOf(T item) {
        Objects.requireNonNull(item, "item");
        PooledItem<T> entry = items.get(item);
        if (entry == null) {
            throw new IllegalArgumentException("pool " + name + " did not hand out " + item);
        }
        return entry;
    }

    /**
     * An item just marked idle by its borrower: keep it, hand it on, or dispose of it. Under
     * {@link Fairness#bounded} it is kept for the next arriving borrower (most likely the same
     * thread) unless a waiter is overdue.
     */
    private void checkIn(PooledItem<T> entry) {
        if (!disposedInstead(entry) && !waiters.offerReturned(entry)) {
            keepIdle(entry);
            if (waiters.dispatchReturned()) {
                fairnessWatch.arm(); // kept for barging while callers wait: make sure it cannot stay unused
            }
        }
    }

    /**
     * An idle item the pool made or checked itself (no borrower returned it, so nobody is about to
     * borrow it again): to the longest waiter in either mode, else kept, or disposed.
     */
    private void handOn(PooledItem<T> entry) {
        if (!disposedInstead(entry) && !waiters.offer(entry)) {
            keepIdle(entry);
            waiters.dispatch();
        }
    }

    /** Disposes an idle item the pool no longer wants (closed, evicted, over the maximum); true if it did. */
    private boolean disposedInstead(PooledItem<T> entry) {
        if (closed || entry.evicted) {
            retire(entry);
            return true;
        }
        if (capacity.overLimit() && capacity.tryReleaseExcess()) {
            destroy(entry);
            return true;
        }
        return false;
    }

    private void keepIdle(PooledItem<T> entry) {
        PooledItem<T> displaced = idle.keep(entry);
        if (closed) {
            disposeIdle(); // close() may have drained the deque before this item arrived
            return;
        }
        // evict() may have flagged an entry while it was on its way in, and missed it.
        retireIfEvicted(entry);
        if (displaced != null) {
            retireIfEvicted(displaced);
        }
    }

    private void retireIfEvicted(PooledItem<T> idleEntry) {
        if (idleEntry.evicted && idle.remove(idleEntry)) {
            retire(idleEntry);
        }
    }

    // ---------------------------------------------------------------- housekeeping

    /**
     * Marks an item for eviction: disposed at once if it is idle, else when it comes back; it is
     * never handed out again. For an item known to be stale (HikariCP's {@code evictConnection}).
     *
     * @param item the item to evict
     * @return false if the pool does not hold {@code item} (never made here, or already disposed)
     * @throws NullPointerException if {@code item} is null
     */
    public boolean evict(T item) {
        PooledItem<T> entry = items.get(Objects.requireNonNull(item, "item"));
        if (entry == null) {
            return false;
        }
        evict(entry);
        return true;
    }

    /**
     * Marks every item for eviction, as {@link #evict} does: idle items are disposed at once, the
     * ones checked out when they come back, and new borrowers get new items.
     *
     * @return how many items were marked
     */
    public int evictAll() {
        // Only the items that exist now: replacements made while this runs stay.
        long now = System.nanoTime();
        return evictIf(info -> info.createdNanos() - now <= 0);
    }

    /**
     * Marks for eviction, as {@link #evict} does, every item {@code which} selects, idle or checked
     * out: for a maximum lifetime, {@code pool.evictIf(info -> info.age().compareTo(maxLifetime) > 0)}.
     *
     * @param which selects the items to evict
     * @return how many items were marked
     * @throws NullPointerException if {@code which} is null
     */
    public int evictIf(Predicate<? super ItemInfo<T>> which) {
        Objects.requireNonNull(which, "which");
        int marked = 0;
        for (PooledItem<T> entry : items.snapshot()) {
            if (!entry.evicted && which.test(entry)) {
                evict(entry);
                marked++;
            }
        }
        return marked;
    }

    private void evict(PooledItem<T> entry) {
        // Flag first, then try to take it: whoever else holds the entry (a borrower, a returning
        // thread, revalidate) sees the flag when it is done with it.
        entry.evicted = true;
        if (idle.remove(entry)) {
            retire(entry);
        }
    }

    /**
     * Disposes up to {@code max} idle items that {@code which} selects, least recently returned
     * first; items checked out are never touched. For idle timeouts:
     *
     * <pre>{@code
     * pool.evictIdle(pool.idle() - minIdle, info -> info.idleTime().compareTo(idleTimeout) > 0);
     * }</pre>
     *
     * <p>Return times are recorded only by pools built with {@link Builder#trackIdleTime}.
     *
     * @param max the most items to dispose
     * @param which selects the items to dispose
     * @return how many items were disposed
     * @throws NullPointerException if {@code which} is null
     */
    public int evictIdle(int max, Predicate<? super ItemInfo<T>> which) {
        Objects.requireNonNull(which, "which");
        if (max <= 0) {
            return 0;
        }
        List<PooledItem<T>> candidates = idle.snapshot();
        candidates.removeIf(entry -> !which.test(entry));
        candidates.sort(Comparator.comparingLong(PooledItem::returnedNanos));
        int evicted = 0;
        for (PooledItem<T> entry : candidates) {
            if (evicted == max) {
                break;
            }
            if (idle.remove(entry)) { // else a borrower took it meanwhile: it is busy, not idle
                retire(entry);
                evicted++;
            }
        }
        return evicted;
    }

    /**
     * Checks an idle item with {@code validate()} now, the way a keepalive does: a good item goes
     * back to the pool (its idle time keeps running), a bad one is disposed and its slot freed.
     * An item that is checked out, or no longer in the pool, is left alone.
     *
     * @param item the item to check
     * @return true if the item was idle and passed; false otherwise
     * @throws NullPointerException if {@code item} is null
     */
    public boolean revalidate(T item) {
        PooledItem<T> entry = items.get(Objects.requireNonNull(item, "item"));
        return entry != null && takeForCheck(entry) && recheck(entry);
    }

    /**
     * Runs {@link #revalidate} on every idle item {@code which} selects: a keepalive, e.g.
     * {@code pool.revalidateIdle(info -> nanoTime() - info.validatedNanos() > keepaliveNanos)}.
     *
     * @param which selects the items to check
     * @return how many items failed and were disposed
     * @throws NullPointerException if {@code which} is null
     */
    public int revalidateIdle(Predicate<? super ItemInfo<T>> which) {
        Objects.requireNonNull(which, "which");
        int failed = 0;
        for (PooledItem<T> entry : idle.snapshot()) {
            if (which.test(entry) && takeForCheck(entry) && !recheck(entry)) {
                failed++;
            }
        }
        return failed;
    }

    /** Takes an idle entry out for a check; while it is out it counts as pending, not in use. */
    private boolean takeForCheck(PooledItem<T> entry) {
        pending.incrementAndGet();
        if (idle.remove(entry)) {
            return true;
        }
        pending.decrementAndGet();
        return false;
    }

    /** Validates an idle entry this caller took out of the deque: back to the pool, or disposed. */
    private boolean recheck(PooledItem<T> entry) {
        // Borrowers meanwhile create or wait as usual.
        boolean good = isGood(entry, false);
        pending.decrementAndGet();
        if (good) {
            handOn(entry);
            return !entry.evicted;
        }
        retire(entry);
        return false;
    }

    /**
     * Makes one more item, in the calling thread, and gives it to the longest waiter or keeps it
     * idle: for filling a pool to a minimum of idle items in the background.
     *
     * @return false if the pool is at its maximum (nothing was made)
     * @throws IllegalStateException if the pool is closed
     * @throws RuntimeException      whatever {@link #create()} threw (the slot is given back)
     */
    public boolean addIdle() {
        ensureOpen();
        ensureStarted();
        if (!capacity.tryReserve()) {
            return false;
        }
        handOn(createInSlot());
        return true;
    }

    /**
     * Registers a listener for exhaustion, timeouts and close; see {@link PoolListener}.
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

    // ---------------------------------------------------------------- sizing

    /**
     * Changes the maximum, live. Growing lets blocked callers create items at once; shrinking
     * disposes idle items at once, and checked-out ones as they come back.
     *
     * @param newMaxSize the most items the pool keeps from now on
     * @throws IllegalArgumentException if {@code newMaxSize} is negative or below {@link #minSize()}
     * @throws IllegalStateException    if the pool is closed
     */
    public void resize(int newMaxSize) {
        if (newMaxSize < 0) {
            throw new IllegalArgumentException("pool " + name + ": maxSize must be >= 0, was " + newMaxSize);
        }
        if (newMaxSize < minSize) {
            throw new IllegalArgumentException("pool " + name + ": maxSize " + newMaxSize
                    + " is below minSize " + minSize);
        }
        ensureOpen();
        ensureStarted();
        capacity.limit(newMaxSize);
        trimIdle();
        waiters.dispatch();
    }

    /**
     * Changes who is served first, live (see {@link Fairness} for the exact guarantees): the next
     * return or borrow follows the new rule, and switching to {@link Fairness#STRICT} hands the
     * items kept idle for barging to waiters at once. A waiter's overdue-ness is measured from
     * when it queued, under whichever bound is in force when somebody looks. Setting the fairness
     * already in force does nothing.
     *
     * <pre>{@code
     * pool.setFairness(Fairness.bounded(Duration.ofMillis(5)));   // a batch starts
     * pool.setFairness(Fairness.STRICT);                           // back to serving requests
     * }</pre>
     *
     * @param newFairness the fairness from now on
     * @throws NullPointerException  if {@code newFairness} is null
     * @throws IllegalStateException if the pool is closed
     */
    public void setFairness(Fairness newFairness) {
        Objects.requireNonNull(newFairness, "fairness");
        ensureOpen();
        fairnessLock.lock();
        try {
            Fairness old = fairness;
            if (old.equals(newFairness)) {
                return;
            }
            fairness = newFairness;
            waiters.maxWaitNanos(newFairness.maxWaitNanos());
            LOG.log(Level.INFO, () -> "pool " + name + ": fairness " + old + " -> " + newFairness);
        } finally {
            fairnessLock.unlock();
        }
    }

    /** Sets the fairness a pool starts with: before any caller can wait, so nothing is logged. */
    final void initialFairness(Fairness initial) {
        Objects.requireNonNull(initial, "fairness");
        if (!initial.isStrict()) {
            fairness = initial;
            waiters.maxWaitNanos(initial.maxWaitNanos());
        }
    }

    /** {@return who is served first: {@link Fairness#STRICT} unless set otherwise} */
    public Fairness fairness() {
        return fairness;
    }

    /** Disposes idle items, least recently used first, while the pool is over its maximum. */
    private void trimIdle() {
        while (capacity.overLimit()) {
            PooledItem<T> entry = idle.takeColdest();
            if (entry == null) {
                return;
            }
            if (!capacity.tryReleaseExcess()) {
                // Someone else brought the pool within its limit meanwhile: keep this one.
                idle.putBackColdest(entry);
                return;
            }
            destroy(entry);
        }
    }

    /**
     * Makes sure the {@code minSize} items exist. Runs once; a {@code create()} failure propagates
     * and the next call tries again.
     */
    final void ensureStarted() {
        if (started) {
            return;
        }
        startLock.lock();
        try {
            while (!started && !closed) {
                if (capacity.used() >= minSize) {
                    started = true;
                } else if (capacity.tryReserve()) {
                    keepIdle(createInSlot()); // a new entry starts out IDLE
                } else {
                    started = true; // a resize or concurrent borrowers already fill the slots
                }
            }
        } finally {
            startLock.unlock();
        }
    }

    // ---------------------------------------------------------------- disposal

    /** Disposes an entry and frees its slot. */
    private void retire(PooledItem<T> entry) {
        forget(entry);
        giveBackSlot();
        dispose(entry);
    }

    /** Disposes an entry whose slot is already settled: kept for a new item, or given up as excess. */
    private void destroy(PooledItem<T> entry) {
        forget(entry);
        dispose(entry);
    }

    /** Marks an owned entry gone and stops tracking it. */
    private void forget(PooledItem<T> entry) {
        entry.markGone();
        items.remove(entry);
        // After the removal: borrowCount() reads this sum before it reads the registry, so an
        // entry is never counted twice (at worst missed for a moment, which the maximum hides).
        retiredBorrows.add(entry.checkouts());
        disposedCount.increment();
    }

    /**
     * Every borrow so far: those of disposed items, plus the checkouts each live item counts in
     * its stamp. Exact while nothing is retiring; never lower than a value reported before.
     */
    private long borrowCount() {
        long count = retiredBorrows.sum();
        for (PooledItem<T> entry : items.snapshot()) {
            count += entry.checkouts();
        }
        return reportedBorrows.accumulateAndGet(count, Math::max);
    }

    private void giveBackSlot() {
        capacity.release();
        waiters.dispatch();
    }

    private void dispose(PooledItem<T> entry) {
        try {
            dispose(entry.item);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> "pool " + name + ": dispose() threw for " + entry.item, e);
        }
    }

    private void disposeIdle() {
        PooledItem<T> entry;
        while ((entry = idle.take()) != null) {
            retire(entry);
        }
    }

    /**
     * Closes the pool: disposes idle items, fails blocked callers with
     * {@link IllegalStateException}, and makes later {@code put()}s dispose their item. Items still
     * checked out stay usable until they come back. A second call does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        fairnessWatch.close();
        if (createBackoff != null) {
            createBackoff.close();
        }
        waiters.close();
        disposeIdle();
        if (clockUser.compareAndSet(true, false)) {
            CoarseClock.unregister();
        }
        listeners.closed(name);
    }

    /** {@return whether {@link #close()} was called} */
    public boolean isClosed() {
        return closed;
    }

    // ---------------------------------------------------------------- reading

    /**
     * How many {@code get()} calls would not block now: idle items plus slots still free,
     * {@code idle + (maxSize - size)}. Negative after a shrink while too many items are out.
     *
     * @return how many borrows would not block now; negative after a shrink
     */
    public int free() {
        ensureStarted();
        return idle() + capacity.limit() - capacity.used();
    }

    /** {@return callers blocked in {@code get} right now} */
    public int waiting() {
        return waiters.waiting();
    }

    /** {@return items created and not yet disposed: idle plus checked out} */
    public int size() {
        ensureStarted();
        return capacity.used();
    }

    /** {@return idle items, ready to be handed out} */
    public int idle() {
        ensureStarted();
        return idle.size();
    }

    /** {@return items checked out right now} */
    public int inUse() {
        // Pending first: a create raises the size before it counts as pending, so reading the
        // size first could miss the reservation and then subtract its pending count, making an
        // item in use look idle for a moment (the figure read 0 with one borrowed). In this order
        // a count can only be one high for a moment, never low.
        int creatingOrChecked = pending.get();
        return Math.max(0, size() - idle() - creatingOrChecked);
    }

    /** {@return the most items this pool keeps} */
    public int maxSize() {
        return capacity.limit();
    }

    /** {@return the items made when the pool starts} */
    public int minSize() {
        return minSize;
    }

    /** {@return the pool's name, for logs and monitoring} */
    public String name() {
        return name;
    }

    /** {@return the order idle items are handed out in} */
    public Order order() {
        return order;
    }

    /** {@return the pool's counters so far} */
    public Stats stats() {
        return new Stats(createdCount.sum(), disposedCount.sum(), borrowCount(), timeoutCount.sum(),
                totalWaitNanos.sum(), maxWaitNanos.get());
    }

    @Override
    public String toString() {
        // Reads the fields directly: toString() (debuggers, logs) must never start the pool.
        return "ResourcePool[" + name + ", size " + capacity.used() + "/" + capacity.limit()
                + ", idle " + idle.size() + ", waiting " + waiting() + (closed ? ", closed" : "") + "]";
    }

    // ---------------------------------------------------------------- helpers

    /**
     * For tests only: the clock that decides when a waiter is overdue (default
     * {@link System#nanoTime()}).
     */
    void overdueClock(LongSupplier nanoClock) {
        waiters.clock(nanoClock);
    }

    /**
     * For tests only: one look of the fairness timer now, as at a waiter's due instant or a period
     * after a kept return; returns how many unused items it handed to waiters.
     */
    int look() {
        return fairnessWatch.look();
    }

    private void ensureOpen() {
        if (closed) {
            throw closedException();
        }
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("pool " + name + " is closed");
    }

    private static void checkSizes(int minSize, int maxSize) {
        if (minSize < 0) {
            throw new IllegalArgumentException("minSize must be >= 0, was " + minSize);
        }
        if (maxSize < 0) {
            throw new IllegalArgumentException("maxSize must be >= 0, was " + maxSize);
        }
        if (minSize > maxSize) {
            throw new IllegalArgumentException("minSize " + minSize + " is above maxSize " + maxSize);
        }
    }

    /** Grants idle items first, then free slots to create in. */
    private final class Waiters extends WaitQueue<PooledItem<T>> {
        @Override
        protected PooledItem<T> tryAcquire() {
            PooledItem<T> entry = idle.take();
            // The create permit in a method of its own: this one is on every borrow's path and
            // must stay small enough to be inlined (inline, the pacing's lines cost a borrow and
            // return on one thread 15%).
            return entry != null ? entry : tryCreatePermit();
        }

        /** A free slot to create in, if there is one and creates are not paced (or the turn is due). */
        private PooledItem<T> tryCreatePermit() {
            if (!capacity.tryReserve()) {
                return null;
            }
            if (createBackoff == null || createBackoff.takeTurn()) {
                return createPermit;
            }
            // Creates are paced and the turn is not due: the slot stays free, and the backoff
            // dispatches again at the turn. Waiters meanwhile wait for returned items.
            capacity.release();
            return null;
        }

        @Override
        protected void release(PooledItem<T> grant) {
            if (grant == createPermit) {
                capacity.release();
            } else {
                PooledItem<T> displaced = idle.putBack(grant);
                if (closed) {
                    disposeIdle();
                } else if (displaced != null) {
                    retireIfEvicted(displaced);
                }
            }
        }

        @Override
        protected RuntimeException closedException() {
            return ResourcePool.this.closedException();
        }

        @Override
        protected void lookAt(long dueNanos, long nowNanos) {
            fairnessWatch.lookAt(dueNanos, nowNanos);
        }
    }

    /**
     * Builds a {@link ResourcePool}; every setting is optional.
     *
     * @param <T> the pooled item's type
     */
    public static final class Builder<T> {
        private final Supplier<? extends T> create;
        private int minSize;
        private int maxSize = DEFAULT_MAX_SIZE;
        private Order order = Order.QUEUE;
        private Consumer<? super T> dispose;
        private Predicate<? super T> validate;
        private String name;
        private Executor createExecutor;
        private long validateAfterIdleNanos;
        private boolean trackIdleTime;
        private Fairness fairness = Fairness.STRICT;
        private long createBackoffNanos;

        private Builder(Supplier<? extends T> create) {
            this.create = create;
        }

        private Builder<T> sizes(int minSize, int maxSize, Order order) {
            return minSize(minSize).maxSize(maxSize).order(order);
        }

        /**
         * Items made at start (default 0).
         *
         * @param minSize the items made at start and kept
         * @return this builder
         */
        public Builder<T> minSize(int minSize) {
            this.minSize = minSize;
            return this;
        }

        /**
         * The most items kept (default {@value ResourcePool#DEFAULT_MAX_SIZE}).
         *
         * @param maxSize the most items the pool keeps
         * @return this builder
         */
        public Builder<T> maxSize(int maxSize) {
            this.maxSize = maxSize;
            return this;
        }

        /**
         * Which idle item goes out next (default {@link Order#QUEUE}).
         *
         * @param order which idle item is handed out next
         * @return this builder
         */
        public Builder<T> order(Order order) {
            this.order = Objects.requireNonNull(order, "order");
            return this;
        }

        /**
         * Called for every item the pool gives up (default: nothing).
         *
         * @param dispose releases an item the pool gives up
         * @return this builder
         */
        public Builder<T> dispose(Consumer<? super T> dispose) {
            this.dispose = Objects.requireNonNull(dispose, "dispose");
            return this;
        }

        /**
         * Checked before an idle item is handed out; a failed item is disposed and replaced.
         *
         * @param validate whether an idle item is still good
         * @return this builder
         */
        public Builder<T> validate(Predicate<? super T> validate) {
            this.validate = Objects.requireNonNull(validate, "validate");
            return this;
        }

        /**
         * Paces creates while they fail: after {@code create()} throws, the pool starts one create at
         * a time, the first 10 ms after the failure, then at intervals doubling up to
         * {@code maxInterval}, however many callers wait; the first create that succeeds ends it.
         * Meanwhile callers wait for returned items as usual (and time out as usual), and only the
         * caller granted a turn creates. For resources whose creation fails while they are down (a
         * database, a remote service), so that an outage costs them a few attempts a second, not
         * one per waiting caller. {@link ResourcePool#addIdle()} is not paced (a filler paces
         * itself). Off by default: a failed create hands its slot to the next waiter at once.
         *
         * <pre>{@code
         * builder.createBackoff(Duration.ofMillis(250)); // at most about 4 attempts a second while down
         * }</pre>
         *
         * @param maxInterval the longest pause between two attempts while they fail
         * @return this builder
         * @throws IllegalArgumentException if {@code maxInterval} is not positive
         */
        public Builder<T> createBackoff(Duration maxInterval) {
            long nanos = Durations.toNanos(maxInterval, "createBackoff");
            if (nanos == 0) {
                throw new IllegalArgumentException("createBackoff must be positive, was " + maxInterval);
            }
            this.createBackoffNanos = nanos;
            return this;
        }

        /**
         * Runs {@code create()} for borrowers on {@code executor}, so that {@code get(timeout)}
         * keeps its timeout however slow {@code create()} is (a database that takes seconds to
         * connect). An item finished after its borrower gave up goes to the next waiter, or idle.
         * {@link #minSize}'s items and {@link ResourcePool#addIdle()} still create in the caller.
         *
         * <pre>{@code
         * ThreadFactory connectors = Thread.ofVirtual().name("connect").factory();
         * builder.createAsync(task -> connectors.newThread(task).start());
         * }</pre>
         *
         * @param executor runs {@code create()} for borrowers
         * @return this builder
         */
        public Builder<T> createAsync(Executor executor) {
            this.createExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Skips {@code validate()} for items returned less than {@code idle} ago (default
         * {@link Duration#ZERO}: validate every hand-out), since an item just used is very likely
         * still good (HikariCP skips checks for connections used within the last 500 ms). Turns on
         * {@link #trackIdleTime}, whose clock runs in steps of 10 ms: an item idle longer than
         * {@code idle} is always validated, one idle up to 20 ms less may be too (so a window of 20
         * ms or less validates every hand-out).
         *
         * @param idle how recently returned an item may be and still skip validation
         * @return this builder
         * @throws IllegalArgumentException if {@code idle} is negative
         */
        public Builder<T> validateAfterIdle(Duration idle) {
            this.validateAfterIdleNanos = Durations.toNanos(idle, "validateAfterIdle");
            return this;
        }

        /**
         * Records when each item was last returned, for {@link ItemInfo#idleTime()} and
         * {@link ResourcePool#evictIdle}. Off by default. The time comes from a clock that one
         * shared daemon thread ({@code tidepool-clock}) advances every 10 ms while a pool that
         * tracks idle time is open, so a return costs a memory read, not a clock read; return
         * times are therefore up to about 10 ms early.
         *
         * @param track whether to record return times
         * @return this builder
         */
        public Builder<T> trackIdleTime(boolean track) {
            this.trackIdleTime = track;
            return this;
        }

        /**
         * Who is served first when callers wait (default {@link Fairness#STRICT}: strict
         * first-come, first-served hand-off); {@link Fairness#bounded()} lets returning and
         * arriving threads take idle items ahead of waiters until a waiter has waited the bound.
         * Changeable later with {@link ResourcePool#setFairness}.
         *
         * <pre>{@code
         * ResourcePool<Worker> workers = ResourcePool.builder(Worker::new)
         *         .maxSize(16).fairness(Fairness.bounded(Duration.ofMillis(10))).build();
         * }</pre>
         *
         * @param fairness STRICT, or a bounded fairness
         * @return this builder
         */
        public Builder<T> fairness(Fairness fairness) {
            this.fairness = Objects.requireNonNull(fairness, "fairness");
            return this;
        }

        /**
         * The pool's name in logs, exceptions and monitoring (default {@code ResourcePool-N}).
         *
         * @param name the pool's name
         * @return this builder
         */
        public Builder<T> name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Builds the pool and makes its {@code minSize} items.
         *
         * @return the new pool
         * @throws IllegalArgumentException if a size is negative or {@code minSize > maxSize}
         */
        public ResourcePool<T> build() {
            return new ResourcePool<>(this);
        }
    }
}
