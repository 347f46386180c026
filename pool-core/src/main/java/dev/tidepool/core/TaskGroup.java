package dev.tidepool.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A set of green threads tracked together, with no limit on how many run (gevent's
 * {@code Group}). {@link GreenPool} extends it with a limit.
 *
 * <pre>{@code
 * TaskGroup crawlers = new TaskGroup();
 * for (String url : urls) {
 *     crawlers.spawn(() -> crawl(url));
 * }
 * if (!crawlers.join(Duration.ofMinutes(1))) {
 *     crawlers.kill();        // interrupt the stragglers and wait until they are gone
 * }
 * }</pre>
 *
 * <p>Rules: a task is tracked from the moment {@code spawn} returns until its thread ends; a
 * finished task leaves at once ({@link #contains} turns false). When a {@code join} that returns
 * true or {@link #kill()} returns, {@link #running()} is 0. A task is interrupted at most once,
 * however many kills reach it.
 *
 * <p>The map family ({@link #imap}, {@link #imapUnordered}, {@link #map}, ...) keeps at most
 * {@value #MAP_WINDOW} items running or finished-but-unread per iterator, whatever the input
 * length; {@link GreenPool} keeps at most its size.
 */
public class TaskGroup {
    /** How many items one map iterator of a plain group runs or holds unread at most. */
    static final int MAP_WINDOW = 1024;
    private static final AtomicInteger GROUP_NUMBER = new AtomicInteger();

    /**
     * One tracked thread. Two flags, each cleared exactly once: ACTIVE when it leaves the group
     * (its thread ended, or it was discarded), UNPUBLISHED when its result is known (or it was
     * discarded). One int holds both, to keep per-task bookkeeping small.
     */
    private static final class Member {
        static final int ACTIVE = 1;
        static final int UNPUBLISHED = 2;
        private static final VarHandle FLAGS = VarHandles.find(MethodHandles.lookup(), "flags", int.class);

        final GreenThread<?> thread;
        final Runnable onLeave;
        @SuppressWarnings("unused") // accessed through FLAGS
        private volatile int flags = ACTIVE | UNPUBLISHED;

        Member(GreenThread<?> thread, Runnable onLeave) {
            this.thread = thread;
            this.onLeave = onLeave;
        }

        /** Clears {@code flag}; true only for the call that cleared it. */
        boolean clear(int flag) {
            for (;;) {
                int f = (int) FLAGS.getVolatile(this);
                if ((f & flag) == 0) {
                    return false;
                }
                if (FLAGS.compareAndSet(this, f, f & ~flag)) {
                    return true;
                }
            }
        }
    }

    private final String name;
    final ThreadFactory threads;
    private final ConcurrentHashMap<Thread, Member> members = new ConcurrentHashMap<>();
    private final AtomicInteger memberCount = new AtomicInteger();
    /**
     * Members whose result is not yet known. A thread leaves (slot freed, contains() false) just
     * before its result is published, so join() waits for this too: once it returns, every
     * result can be read without blocking.
     */
    private final AtomicInteger unpublishedCount = new AtomicInteger();
    /** Map feeders started by one of this group's tasks: they may run tasks inline, as their starter could. */
    private final Set<Thread> inlineHosts = ConcurrentHashMap.newKeySet();

    // Joiners wait on `changed`; leavers signal it only while someone waits (joiners > 0), which
    // they see because both sides write their own counter before reading the other's.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final AtomicInteger joiners = new AtomicInteger();
    private final AtomicInteger raisingJoiners = new AtomicInteger();
    private final AtomicReference<Throwable> failureToRaise = new AtomicReference<>();

    private final LongAdder spawnedCount = new LongAdder();
    private final LongAdder completedCount = new LongAdder();
    private final LongAdder failedCount = new LongAdder();

    /** An empty group. */
    public TaskGroup() {
        this("TaskGroup-" + GROUP_NUMBER.incrementAndGet());
    }

    TaskGroup(String name) {
        this.name = name;
        // Unnamed, as an executor's virtual threads are: a counted name costs a string per task,
        // measurable in GreenPoolBench. Thread dumps still show the GreenThread's id.
        this.threads = Thread.ofVirtual().factory();
    }

    // ---------------------------------------------------------------- spawning and tracking

    /**
     * Starts {@code task} on a new virtual thread and tracks it. Never blocks here;
     * {@link GreenPool}'s override blocks while the pool is full.
     *
     * @throws NullPointerException if {@code task} is null
     */
    public <R> GreenThread<R> spawn(Callable<R> task) throws InterruptedException {
        Objects.requireNonNull(task, "task");
        checkAccepting();
        return launch(task, null);
    }

    /**
     * Starts {@code task} on a new tracked thread; {@code onLeave} runs once when it leaves the
     * group (its thread ended, or {@link #discard}), and also if the start fails.
     */
    final <R> GreenThread<R> launch(Callable<R> task, Runnable onLeave) {
        GreenThread<R> thread = new GreenThread<>(task);
        try {
            thread.bind(threads);
        } catch (RuntimeException | Error e) {
            if (onLeave != null) {
                onLeave.run();
            }
            throw e;
        }
        track(thread, onLeave);
        spawnedCount.increment();
        try {
            thread.launch();
        } catch (RuntimeException | Error e) {
            // e.g. OutOfMemoryError starting the thread: do not keep a member that never runs
            discard(thread);
            throw e;
        }
        return thread;
    }

    /** Runs {@code task} in the calling thread and returns its finished handle. */
    final <R> GreenThread<R> runInline(Callable<R> task) {
        GreenThread<R> thread = new GreenThread<>(task);
        spawnedCount.increment();
        thread.runInline();
        completedCount.increment();
        if (thread.failed()) {
            failedCount.increment();
        }
        return thread;
    }

    /**
     * Tracks a thread started elsewhere (for example with {@link GreenThread#spawn}); it leaves the
     * group when it ends. A thread that has already ended is not tracked.
     *
     * @throws NullPointerException if {@code thread} is null
     */
    public void add(GreenThread<?> thread) {
        Objects.requireNonNull(thread, "thread");
        track(thread, null);
    }

    /** Tracks {@code thread}; false if it is already tracked or has already ended. */
    final boolean track(GreenThread<?> thread, Runnable onLeave) {
        if (thread.hasEnded()) {
            if (onLeave != null) {
                onLeave.run();
            }
            return false;
        }
        Member member = new Member(thread, onLeave);
        if (members.putIfAbsent(thread.thread(), member) != null) {
            if (onLeave != null) {
                onLeave.run();
            }
            return false;
        }
        memberCount.incrementAndGet();
        unpublishedCount.incrementAndGet();
        signalChange();
        if (!thread.afterPublish(() -> published(member))) {
            thread.link(done -> published(member)); // it ended meanwhile: count it once it is known
        }
        if (!thread.onEnd(() -> ended(member))) {
            ended(member); // it ended between the check above and now
        }
        return true;
    }

    private void ended(Member member) {
        GreenThread<?> thread = member.thread;
        completedCount.increment();
        Throwable failure = thread.endFailure();
        if (failure != null) {
            failedCount.increment();
            if (raisingJoiners.get() > 0) {
                failureToRaise.compareAndSet(null, failure);
            }
        }
        leave(member);
    }

    private void published(Member member) {
        if (member.clear(Member.UNPUBLISHED)) {
            unpublishedCount.decrementAndGet();
            signalChange();
        }
    }

    private boolean leave(Member member) {
        if (!member.clear(Member.ACTIVE)) {
            return false;
        }
        members.remove(member.thread.thread(), member);
        memberCount.decrementAndGet();
        if (member.onLeave != null) {
            member.onLeave.run();
        }
        signalChange();
        return true;
    }

    /**
     * Stops tracking {@code thread} (it keeps running); true if it was tracked. In a
     * {@link GreenPool} its slot is freed as well.
     */
    public boolean discard(GreenThread<?> thread) {
        Member member = memberOf(thread);
        if (member == null || !leave(member)) {
            return false;
        }
        published(member); // no longer ours to wait for
        return true;
    }

    /** Whether {@code thread} is tracked here (started and not yet ended). */
    public boolean contains(GreenThread<?> thread) {
        return memberOf(thread) != null;
    }

    private Member memberOf(GreenThread<?> thread) {
        if (thread == null || thread.thread() == null) {
            return null;
        }
        Member member = members.get(thread.thread());
        return member != null && member.thread == thread ? member : null;
    }

    /** A snapshot of the tracked threads. */
    final List<GreenThread<?>> trackedThreads() {
        List<GreenThread<?>> out = new ArrayList<>(memberCount.get());
        for (Member member : members.values()) {
            out.add(member.thread);
        }
        return out;
    }

    /** Tracked threads still running (gevent's {@code len(group)}). */
    public int running() {
        return memberCount.get();
    }

    /** Whether the calling thread is one of this group's tasks (or a map feeder one of them started). */
    final boolean isInside() {
        Thread me = Thread.currentThread();
        return members.containsKey(me) || inlineHosts.contains(me);
    }

    // ---------------------------------------------------------------- waiting and killing

    /**
     * Waits until no task is running, at most {@code timeout}.
     *
     * @return true if the group became empty, false on timeout
     * @throws NullPointerException if {@code timeout} is null
     */
    public boolean join(Duration timeout) throws InterruptedException {
        return join(timeout, false);
    }

    /**
     * Like {@link #join(Duration)}; with {@code raiseError}, a task that fails while this waits
     * ends the wait and its exception is thrown here (a {@link RuntimeException} or {@link Error}
     * as it is, a checked one wrapped in {@link CompletionException}).
     */
    public boolean join(Duration timeout, boolean raiseError) throws InterruptedException {
        long nanos = Durations.toNanos(timeout, "timeout");
        if (raiseError) {
            raisingJoiners.incrementAndGet();
        }
        try {
            return awaitQuiet(nanos, raiseError);
        } finally {
            if (raiseError && raisingJoiners.decrementAndGet() == 0) {
                failureToRaise.set(null);
            }
        }
    }

    /** Waits until {@link #isQuiet()}; false after {@code nanos}. */
    final boolean awaitQuiet(long nanos, boolean raiseError) throws InterruptedException {
        return awaitUntil(this::isQuiet, nanos, raiseError);
    }

    /**
     * Waits until {@code condition} holds; false after {@code nanos}. Whatever the condition reads
     * must call {@link #signalChange()} after it changes.
     */
    final boolean awaitUntil(BooleanSupplier condition, long nanos, boolean raiseError) throws InterruptedException {
        joiners.incrementAndGet();
        lock.lock();
        try {
            for (;;) {
                if (raiseError) {
                    Throwable failure = failureToRaise.getAndSet(null);
                    if (failure != null) {
                        throw Failures.rethrow(failure);
                    }
                }
                if (condition.getAsBoolean()) {
                    return true;
                }
                if (nanos <= 0L) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
            joiners.decrementAndGet();
        }
    }

    /** Nothing running; {@link GreenPool} adds "nobody in the middle of a spawn". */
    boolean isQuiet() {
        return memberCount.get() == 0 && unpublishedCount.get() == 0;
    }

    /** Wakes joiners so they look again; free while nobody waits. */
    final void signalChange() {
        if (joiners.get() > 0) {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Kills every task (each is interrupted at most once, however many kills reach it) and waits
     * until all have ended; then {@link #running()} is 0. Tasks that join meanwhile are killed too.
     *
     * @throws IllegalStateException if called from one of this group's own tasks (it would wait for
     *                               itself)
     */
    public void kill() throws InterruptedException {
        if (isInside()) {
            throw new IllegalStateException(name + ": kill() from one of its own tasks would wait for itself");
        }
        joiners.incrementAndGet();
        lock.lock();
        try {
            while (memberCount.get() > 0) {
                trackedThreads().forEach(GreenThread::kill);
                changed.awaitNanos(Long.MAX_VALUE);
            }
        } finally {
            lock.unlock();
            joiners.decrementAndGet();
        }
    }

    /**
     * Kills one tracked task and waits until it has ended.
     *
     * @return true if {@code thread} was tracked here, false (and nothing done) otherwise
     * @throws IllegalStateException if {@code thread} is the calling thread
     */
    public boolean killOne(GreenThread<?> thread) throws InterruptedException {
        if (!contains(thread)) {
            return false;
        }
        if (thread.thread() == Thread.currentThread()) {
            throw new IllegalStateException(name + ": a task cannot killOne() itself and wait for its end");
        }
        thread.kill();
        thread.awaitEnd();
        return true;
    }

    // ---------------------------------------------------------------- gevent's apply and map family

    /**
     * Runs {@code task} and returns its result: inline when called from one of this group's tasks,
     * else in a new task of this group, waiting for it.
     *
     * @throws RuntimeException    the task's own, as it is
     * @throws CompletionException wrapping the task's checked exception
     */
    public <R> R apply(Callable<R> task) throws InterruptedException {
        Objects.requireNonNull(task, "task");
        if (isInside()) {
            try {
                return task.call();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                throw Failures.rethrow(e);
            }
        }
        return spawn(task).join();
    }

    /** Starts {@code task} without ever blocking and returns its handle. */
    public <R> GreenThread<R> applyAsync(Callable<R> task) {
        Objects.requireNonNull(task, "task");
        checkAccepting();
        return launch(task, null);
    }

    /** Like {@link #applyAsync(Callable)}; {@code onSuccess} gets the result if the task succeeds. */
    public <R> GreenThread<R> applyAsync(Callable<R> task, Consumer<? super R> onSuccess) {
        Objects.requireNonNull(onSuccess, "onSuccess");
        GreenThread<R> thread = applyAsync(task);
        return thread.link(done -> {
            if (done.exception() == null) {
                onSuccess.accept(done.join());
            }
        });
    }

    /**
     * Applies {@code fn} to each item in tasks of this group; results in input order.
     *
     * <pre>{@code
     * try (MapIterator<Page> pages = pool.imap(this::fetch, urls)) {
     *     for (Page page : pages) { index(page); }
     * }
     * }</pre>
     *
     * <p>A failed item throws at its own position and the next {@code next()} goes on; an exception
     * from the input iterator reaches the reader and ends the iteration.
     */
    public <A, R> MapIterator<R> imap(Function<? super A, ? extends R> fn, Iterable<? extends A> items) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(items, "items");
        return startMap(true, mapWindow(), Tasks.of(fn, items.iterator()));
    }

    /** {@code fn} over pairs zipped from {@code a} and {@code b}, stopping at the shorter; in order. */
    public <A, B, R> MapIterator<R> imap(BiFunction<? super A, ? super B, ? extends R> fn,
                                         Iterable<? extends A> a, Iterable<? extends B> b) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        return startMap(true, mapWindow(), Tasks.zip(fn, a.iterator(), b.iterator()));
    }

    /** {@code fn} over argument tuples, in order (Python's {@code starmap}). */
    public <R> MapIterator<R> starmap(Function<Object[], ? extends R> fn, Iterable<Object[]> argTuples) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(argTuples, "argTuples");
        return startMap(true, mapWindow(), Tasks.of(fn, argTuples.iterator()));
    }

    /** Like {@link #imap(Function, Iterable)}, but yields results as they complete. */
    public <A, R> MapIterator<R> imapUnordered(Function<? super A, ? extends R> fn, Iterable<? extends A> items) {
        return imapUnordered(fn, items, mapWindow());
    }

    /**
     * Like {@link #imapUnordered(Function, Iterable)}, holding at most {@code maxSize} results
     * running or finished-but-unread.
     *
     * @throws IllegalArgumentException if {@code maxSize < 1}
     */
    public <A, R> MapIterator<R> imapUnordered(Function<? super A, ? extends R> fn, Iterable<? extends A> items,
                                               int maxSize) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(items, "items");
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize must be >= 1, was " + maxSize);
        }
        return startMap(false, maxSize, Tasks.of(fn, items.iterator()));
    }

    /**
     * {@code fn} over every item, collected in input order; the first failure is thrown and the
     * remaining tasks are killed.
     */
    public <A, R> List<R> map(Function<? super A, ? extends R> fn, Iterable<? extends A> items)
            throws InterruptedException {
        try (MapIterator<R> results = imap(fn, items)) {
            List<R> out = new ArrayList<>();
            while (results.hasNext()) {
                out.add(results.next());
            }
            return out;
        } catch (CompletionException e) {
            if (e.getCause() instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw e;
        }
    }

    /** {@link #map} on a thread of its own, which holds no slot of this group. */
    public <A, R> GreenThread<List<R>> mapAsync(Function<? super A, ? extends R> fn, Iterable<? extends A> items) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(items, "items");
        return GreenThread.spawn(() -> map(fn, items));
    }

    private <R> MapIterator<R> startMap(boolean ordered, int window, Iterator<Callable<R>> tasks) {
        checkAccepting();
        return MapEngine.start(this, ordered, window, tasks, isInside());
    }

    /** How many items a map iterator keeps running or unread. */
    int mapWindow() {
        return MAP_WINDOW;
    }

    /** Lets a map feeder run tasks inline while it lives, as the task that started it could. */
    final void allowInline(Thread feeder, boolean allow) {
        if (allow) {
            inlineHosts.add(feeder);
        } else {
            inlineHosts.remove(feeder);
        }
    }

    /** Refuses new work once shut down; a plain group never is. */
    void checkAccepting() {
    }

    // ---------------------------------------------------------------- reading

    /** The group's name, in messages and monitoring. */
    public String name() {
        return name;
    }

    /** Tasks started in this group so far (including ones run inline). */
    public long spawnedCount() {
        return spawnedCount.sum();
    }

    /** Tracked tasks that have ended so far, however they ended. */
    public long completedCount() {
        return completedCount.sum();
    }

    /** Tracked tasks that ended by throwing (killed ones not counted). */
    public long failedCount() {
        return failedCount.sum();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ", running " + running() + "]";
    }
}
