package dev.tidepool.core;

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
import java.util.concurrent.locks.LockSupport;
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
 *
 * <h2>How tasks are tracked</h2>
 * The spawner writes no shared counter and no map. Each task spawned here is pushed on an
 * intrusive list (newest first, one CAS on {@code head}, a line only spawners write), carrying the
 * number of pushes so far ({@link GreenThread#seq}), and keeps its own state
 * ({@link GreenThread#bits()}): it "leaves" by setting a bit in itself. {@link #running()} and
 * {@link #kill()} walk the list. Joins do not: every push is resolved exactly once, by the task's
 * end (counted in {@code ended}, on a padded line only task ends write), a discard, or an abandoned
 * spawn, so the group is quiet when the resolutions reach the head's push count; the end that
 * brings them there wakes the joiners. Invariants:
 * <ul>
 *   <li>Every task spawned here and not yet ended is reachable from {@code head}: only the single
 *       sweeper unlinks, only tasks nobody waits for (ended or discarded, both final), and never
 *       the head itself (spawners CAS it). An unlinked task keeps its link, so a walker standing
 *       on it still reaches everything older.
 *   <li>A spawn pushes its task before it looks for a slot, so joins also wait for spawns still
 *       in progress.
 *   <li>{@code head} is never null: an empty list is a {@link GreenThread#marker marker} holding
 *       the push count, and a join that drops the list puts a fresh marker there, so a spawner's
 *       CAS can never succeed against a head it read before the drop (no ABA on the count).
 *   <li>The list holds at most about {@value #SWEEP_FACTOR} times the unresolved pushes (the live
 *       tasks) plus {@value #SWEEP_SLACK} + {@value #SWEEP_CHECK_EVERY}: every
 *       {@value #SWEEP_CHECK_EVERY}th push compares the list's length (the tasks the last sweep
 *       kept plus the pushes since) with the counts, and sweeps once it is longer than that. During
 *       a burst, when nearly every listed task is still running, no sweep happens at all: one
 *       would visit them all and keep them all. A sweep stops once it has seen as many pending
 *       tasks as the counts say are unresolved and cuts the rest off unvisited, so it visits about
 *       the live tasks: less than one task per three pushes. A join that finds the group quiet
 *       drops the whole list in O(1).
 * </ul>
 * Threads started elsewhere and {@link #add added} here are rare and live in a map.
 *
 * <h2>How a thread knows it is one of the group's tasks</h2>
 * {@link #isInside()} (reentrant spawns, waitAll from inside) must recognise the group's own
 * threads on every full-pool spawn, cheaply and without per-thread storage that outlives them.
 * The group's thread factory stamps every thread it makes with a per-group uncaught-exception
 * handler ({@code tag}), and {@code isInside()} compares the current thread's handler with it: one
 * field read. The handler never handles anything (a task catches all it throws) and does what the
 * default would. The alternatives cost more: a {@code ThreadLocal} set per task is a map entry
 * per thread, a thread name is a string per task, and {@code ScopedValue} is not available at
 * release 21. A task that replaces its own thread's handler stops being recognised (it then
 * blocks like an outside caller when the pool is full).
 */
public class TaskGroup {
    /** How many items one map iterator of a plain group runs or holds unread at most. */
    static final int MAP_WINDOW = 1024;
    /** Handles the list may hold beyond {@link #SWEEP_FACTOR} times the live tasks before a spawn sweeps. */
    private static final int SWEEP_SLACK = 256;
    /** How often (in pushes, a power of two) a spawn looks at the counts to see if a sweep is due. */
    private static final int SWEEP_CHECK_EVERY = 64;
    /**
     * A sweep is due once the list is longer than this many times the unresolved pushes plus the
     * slack. 2 swept about twice as often for 5% to 10% fewer spawns per second (two builds
     * alternating in one JVM, size 10,000); 8 gained nothing more over 4.
     */
    private static final int SWEEP_FACTOR = 4;
    /** How long kill() waits for tasks still ending or starting before it looks for new ones. */
    private static final long KILL_RECHECK_NANOS = 10_000_000L;
    private static final AtomicInteger GROUP_NUMBER = new AtomicInteger();
    private static final VarHandle HEAD = TaskListHeadFields.HEAD;
    private static final VarHandle SWEEPING = TaskListHeadFields.SWEEPING;

    private final String name;
    final ThreadFactory threads;
    /**
     * Stamped on every thread this group starts, as its uncaught-exception handler, so that
     * {@link #isInside()} recognises the group's own tasks in O(1) with no per-thread storage and
     * no lookup on the spawn path. It never handles anything: a task catches all it throws.
     */
    private final Thread.UncaughtExceptionHandler tag = new Tag();

    /** The task list's head (through HEAD) and the sweep state (SWEEPING and two counts), apart from what task ends read. */
    private final TaskListHead list = new TaskListHead();

    /** Threads started elsewhere and added here (rare), by thread. */
    private final ConcurrentHashMap<Thread, GreenThread<?>> adopted = new ConcurrentHashMap<>();
    /** Map feeders started by one of this group's tasks: they may run tasks inline, as their starter could. */
    private final Set<Thread> inlineHosts = ConcurrentHashMap.newKeySet();

    // awaitUntil() waits on `changed` for conditions other than the end of tasks (a shutdown);
    // signalChange() signals it only while someone waits.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final AtomicInteger joiners = new AtomicInteger();
    /** Threads in join(timeout, true): a failing task wakes them. */
    private final Set<Thread> raisers = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Throwable> failureToRaise = new AtomicReference<>();
    /** Threads waiting for the group to be quiet, and how many (a task's end reads only the count). */
    private final Set<Thread> quietWaiters = ConcurrentHashMap.newKeySet();
    private final AtomicInteger quietWaiterCount = new AtomicInteger();

    // How pushes are resolved: ends of tasks that left by ending (written at every end, so on a
    // line of its own), discards, and spawns that never started (both rare). The spawn count is
    // the head's push count, so spawners write no counter. Added threads and failures are rare.
    private final PaddedCounter endedCount = new PaddedCounter();
    private final LongAdder discardedCount = new LongAdder();
    private final LongAdder abandonedCount = new LongAdder();
    private final LongAdder adoptedEndedCount = new LongAdder();
    private final LongAdder failedCount = new LongAdder();
    /** Times each task when set; read once per task, by the task's own thread. */
    private volatile TaskRecorder taskRecorder = TaskRecorder.NONE;

    /** An empty group. */
    public TaskGroup() {
        this("TaskGroup-" + GROUP_NUMBER.incrementAndGet());
    }

    TaskGroup(String name) {
        this.name = name;
        // Unnamed, as an executor's virtual threads are: a counted name costs a string per task,
        // measurable in GreenPoolBench. Thread dumps still show the GreenThread's id.
        this.threads = Thread.ofVirtual().uncaughtExceptionHandler(tag).factory();
    }

    /** One per group (a lambda without captures would be shared by all groups). */
    private static final class Tag implements Thread.UncaughtExceptionHandler {
        @Override
        public void uncaughtException(Thread t, Throwable e) {
            t.getThreadGroup().uncaughtException(t, e);
        }
    }

    // ---------------------------------------------------------------- spawning and tracking

    /**
     * Starts {@code task} on a new virtual thread and tracks it. Never blocks here;
     * {@link GreenPool}'s override blocks while the pool is full.
     *
     * @param <R> the task's result type
     * @param task the task to run
     * @return the task's green thread
     * @throws NullPointerException if {@code task} is null
     * @throws InterruptedException if interrupted while waiting for a slot (only a
     *     {@link GreenPool} waits; nothing is started then)
     */
    public <R> GreenThread<R> spawn(Callable<R> task) throws InterruptedException {
        Objects.requireNonNull(task, "task");
        checkAccepting();
        return launch(newTask(task, 0));
    }

    /**
     * A task of this group ({@code task} is a Callable, or a Runnable with
     * {@link GreenThread#RUNNABLE}), listed at once so that joins wait for it, not yet started.
     * The caller either {@link #launch}es it, runs it {@link #runInline inline}, or
     * {@link GreenThread#abandon() abandons} it.
     */
    final <R> GreenThread<R> newTask(Object task, int flags) {
        GreenThread<R> thread = new GreenThread<>(task, this, flags);
        for (;;) {
            GreenThread<?> h = (GreenThread<?>) HEAD.getVolatile(list);
            thread.initNextMember(h);
            thread.seq = h.seq + 1; // plain: published by the CAS
            if (HEAD.compareAndSet(list, h, thread)) {
                break;
            }
        }
        int pushed = ++list.pushedSinceSweep;
        if ((pushed & (SWEEP_CHECK_EVERY - 1)) == 0 && sweepDue(thread.seq, pushed)) {
            sweep();
        }
        return thread;
    }

    /**
     * Whether the list (the tasks the last sweep kept plus the pushes since) has grown past
     * {@value #SWEEP_FACTOR} times the pushes still unresolved, plus the slack.
     */
    private boolean sweepDue(long pushes, int pushedSinceSweep) {
        long unresolved = Math.max(0L, pushes - resolvedCount());
        return list.liveAtSweep + (long) pushedSinceSweep > SWEEP_FACTOR * unresolved + SWEEP_SLACK;
    }

    /**
     * Starts a task from {@link #newTask} on a thread of its own (in a {@link GreenPool}, it holds
     * a slot already). If the start fails, the task is dropped and its slot given back.
     */
    final <R> GreenThread<R> launch(GreenThread<R> thread) {
        try {
            thread.launch(threads);
        } catch (RuntimeException | Error e) {
            // e.g. OutOfMemoryError starting the thread: do not keep a task that never runs
            if (thread.discard()) {
                release(thread);
            }
            abandon(thread);
            throw e;
        }
        return thread;
    }

    /** Runs a task from {@link #newTask} in the calling thread and returns its finished handle. */
    final <R> GreenThread<R> runInline(GreenThread<R> thread) {
        thread.runInline();
        return thread;
    }

    /** Resolves a task from {@link #newTask} that was never started: joins stop waiting for it. */
    final void abandon(GreenThread<?> thread) {
        thread.abandon();
        abandonedCount.increment();
        resolved();
    }

    /**
     * Called once by each task spawned here as it ends, before its result is published (so
     * whoever reads the result sees it gone): gives back what it held and counts it.
     */
    final void left(GreenThread<?> thread, Throwable failure) {
        release(thread);
        if (failure != null) {
            failed(failure);
        }
    }

    /** Gives back what {@code thread} held in this group; a {@link GreenPool} frees its slot. */
    void release(GreenThread<?> thread) {
    }

    /**
     * Called once by each task spawned here that left by ending (not by a discard), after
     * everything else of its end: counts the end, and wakes the joiners if it made the group quiet.
     */
    final void ended() {
        endedCount.increment();
        resolved();
    }

    /**
     * After a push was resolved: wakes the joiners once the group is quiet. Joiners register, then
     * look at the counts; a resolver counts, then looks for joiners: one of the two sees the other.
     */
    private void resolved() {
        if (quietWaiterCount.get() > 0 && quietHead() != null) {
            for (Thread waiter : quietWaiters) {
                LockSupport.unpark(waiter);
            }
        }
    }

    /**
     * The head if every push up to it is resolved, else null. The resolutions are read before the
     * pushes and each only grows, so equal counts mean nothing pushed by then is unresolved.
     */
    private GreenThread<?> quietHead() {
        long resolved = resolvedCount();
        GreenThread<?> h = (GreenThread<?>) HEAD.getVolatile(list);
        return resolved >= h.seq ? h : null;
    }

    /** Pushes resolved so far; each part only grows, and is counted after the task's state shows it. */
    private long resolvedCount() {
        return endedCount.get() + discardedCount.sum() + abandonedCount.sum();
    }

    private void failed(Throwable failure) {
        failedCount.increment();
        if (!raisers.isEmpty()) {
            failureToRaise.compareAndSet(null, failure);
            for (Thread raiser : raisers) {
                LockSupport.unpark(raiser);
            }
        }
    }

    /**
     * Unlinks the tasks nobody waits for any more (ended or discarded). One sweeper at a time:
     * a spawn that finds another sweeping skips it. The head is never unlinked: spawners CAS it.
     *
     * <p>It stops early: at most {@code head.seq - resolved} tasks from the head on are pending
     * (a resolution is counted only after the task's own state shows it, and the count is read
     * before the head), so once that many pending tasks are seen, everything older is resolved and
     * is cut off unvisited. Tasks end roughly in spawn order, so the pending ones sit near the head
     * and a sweep visits about the live tasks, not the dead ones behind them.
     */
    private void sweep() {
        if (!SWEEPING.compareAndSet(list, false, true)) {
            return;
        }
        try {
            list.pushedSinceSweep = 0;
            long resolved = resolvedCount();
            GreenThread<?> kept = (GreenThread<?>) HEAD.getVolatile(list);
            long unresolved = kept.seq - resolved;
            int live = kept.isPending() ? 1 : 0;
            for (GreenThread<?> p = kept.nextMember(); p != null && live < unresolved; p = p.nextMember()) {
                if (p.isPending()) {
                    if (kept.nextMember() != p) {
                        kept.nextMember(p);
                    }
                    kept = p;
                    live++;
                }
            }
            if (kept.nextMember() != null) {
                kept.nextMember(null);
            }
            list.liveAtSweep = live;
        } finally {
            SWEEPING.setVolatile(list, false);
        }
    }

    /**
     * Tracks a thread started elsewhere (for example with {@link GreenThread#spawn}); it leaves the
     * group when it ends. A thread that has already ended is not tracked.
     *
     * @param thread the thread to track
     * @throws NullPointerException if {@code thread} is null
     */
    public void add(GreenThread<?> thread) {
        Objects.requireNonNull(thread, "thread");
        adopt(thread);
    }

    /** Tracks a thread started elsewhere; false if it is already tracked or has already ended. */
    final boolean adopt(GreenThread<?> thread) {
        Thread t = thread.thread();
        if (t == null || thread.group == this || adopted.putIfAbsent(t, thread) != null) {
            return false;
        }
        if (!thread.onEnd(() -> adoptedEnded(thread))) {
            adopted.remove(t, thread);
            return false;
        }
        return true;
    }

    private void adoptedEnded(GreenThread<?> thread) {
        if (adopted.remove(thread.thread(), thread)) {
            release(thread);
            adoptedEndedCount.increment();
            if (thread.endFailure() != null) {
                failed(thread.endFailure());
            }
        }
    }

    /**
     * Stops tracking {@code thread} (it keeps running); true if it was tracked. In a
     * {@link GreenPool} its slot is freed as well.
     *
     * @param thread the thread to stop tracking
     * @return whether it was tracked
     */
    public boolean discard(GreenThread<?> thread) {
        if (thread == null) {
            return false;
        }
        if (thread.group == this) {
            if (!thread.isLaunched() || !thread.discard()) {
                return false;
            }
            discardedCount.increment();
            release(thread);
            resolved();
        } else {
            Thread t = thread.thread();
            if (t == null || !adopted.remove(t, thread)) {
                return false;
            }
            release(thread);
        }
        thread.wakeEndWaiters(); // joins waiting for it need not any more
        return true;
    }

    /**
     * Whether {@code thread} is tracked here (started and not yet ended).
     *
     * @param thread the thread to look for
     * @return whether it is tracked here
     */
    public boolean contains(GreenThread<?> thread) {
        if (thread == null) {
            return false;
        }
        if (thread.group == this) {
            return thread.isCounted();
        }
        Thread t = thread.thread();
        return t != null && adopted.get(t) == thread;
    }

    /** Whether {@code thread} is one a join of this group still waits for. */
    private boolean waitsFor(GreenThread<?> thread) {
        if (thread.group == this) {
            return thread.isPending();
        }
        return thread.isPending() && adopted.get(thread.thread()) == thread;
    }

    /** How many handles the task list holds, ended ones included (for tests of its bound). */
    final int listedTasks() {
        int n = 0;
        for (GreenThread<?> p = (GreenThread<?>) HEAD.getVolatile(list); p != null; p = p.nextMember()) {
            n++;
        }
        return n;
    }

    /** A snapshot of the tracked threads. */
    final List<GreenThread<?>> trackedThreads() {
        List<GreenThread<?>> out = new ArrayList<>();
        for (GreenThread<?> p = (GreenThread<?>) HEAD.getVolatile(list); p != null; p = p.nextMember()) {
            if (p.isCounted()) {
                out.add(p);
            }
        }
        out.addAll(adopted.values());
        return out;
    }

    /**
     * Tracked threads still running (gevent's {@code len(group)}). It walks the group's tasks: exact
     * whenever nothing spawns or ends meanwhile, e.g. after a join, waitAll or kill.
     *
     * @return how many tracked threads are running
     */
    public int running() {
        int n = adopted.size();
        for (GreenThread<?> p = (GreenThread<?>) HEAD.getVolatile(list); p != null; p = p.nextMember()) {
            if (p.isCounted()) {
                n++;
            }
        }
        return n;
    }

    /** Whether the calling thread is one of this group's tasks (or a map feeder one of them started). */
    final boolean isInside() {
        Thread me = Thread.currentThread();
        return me.getUncaughtExceptionHandler() == tag || inlineHosts.contains(me) || adopted.containsKey(me);
    }

    // ---------------------------------------------------------------- waiting and killing

    /**
     * Waits until no task is running, at most {@code timeout}.
     *
     * @param timeout the longest wait
     * @return true if the group became empty, false on timeout
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean join(Duration timeout) throws InterruptedException {
        return join(timeout, false);
    }

    /**
     * Like {@link #join(Duration)}; with {@code raiseError}, a task that fails while this waits
     * ends the wait and its exception is thrown here (a {@link RuntimeException} or {@link Error}
     * as it is, a checked one wrapped in {@link CompletionException}).
     *
     * @param timeout the longest wait
     * @param raiseError whether a task that fails meanwhile ends the wait with its exception
     * @return true if the group became empty, false on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean join(Duration timeout, boolean raiseError) throws InterruptedException {
        long nanos = Durations.toNanos(timeout, "timeout");
        if (!raiseError) {
            return awaitQuiet(nanos, false);
        }
        Thread me = Thread.currentThread();
        raisers.add(me);
        try {
            return awaitQuiet(nanos, true);
        } finally {
            raisers.remove(me);
            if (raisers.isEmpty()) {
                failureToRaise.set(null);
            }
        }
    }

    /**
     * Waits until every task spawned here (or in the middle of a spawn) and every added thread has
     * ended and published its result; false after {@code nanos}. Visits no task: it compares the
     * counts (see the class comment) and parks until the end that makes them equal wakes it.
     */
    final boolean awaitQuiet(long nanos, boolean raiseError) throws InterruptedException {
        long deadline = deadline(nanos);
        for (;;) {
            GreenThread<?> h = awaitTasks(deadline, raiseError);
            if (h == null) {
                return false;
            }
            for (GreenThread<?> t : adopted.values()) {
                if (!awaitTask(t, deadline, raiseError)) {
                    return false;
                }
            }
            if (HEAD.getVolatile(list) == h && adopted.isEmpty()) {
                if (raiseError) {
                    throwRaised();
                }
                dropEnded(h);
                return true;
            }
        }
    }

    /** Waits until every push is resolved and returns the head then; null at {@code deadline}. */
    private GreenThread<?> awaitTasks(long deadline, boolean raiseError) throws InterruptedException {
        GreenThread<?> h = quietHead();
        if (h != null) {
            return h;
        }
        Thread me = Thread.currentThread();
        quietWaiterCount.incrementAndGet();
        quietWaiters.add(me);
        try {
            for (;;) {
                if (raiseError) {
                    throwRaised();
                }
                h = quietHead();
                if (h != null) {
                    return h;
                }
                if (deadline == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0L) {
                        return null;
                    }
                    LockSupport.parkNanos(this, left);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            quietWaiters.remove(me);
            quietWaiterCount.decrementAndGet();
        }
    }

    /**
     * Drops the tasks from {@code h} on, which a join found all resolved, without visiting them:
     * the head gives way to a fresh marker if nothing was pushed since, else only the links behind
     * {@code h} go.
     */
    private void dropEnded(GreenThread<?> h) {
        if (h.nextMember() == null && h.group == null) {
            return; // a marker alone: nothing to drop
        }
        if (!SWEEPING.compareAndSet(list, false, true)) {
            return; // a sweeper is at work: it will drop them
        }
        try {
            if (!HEAD.compareAndSet(list, h, GreenThread.marker(h.seq))) {
                h.nextMember(null);
            }
            list.liveAtSweep = 0;
            list.pushedSinceSweep = 0;
        } finally {
            SWEEPING.setVolatile(list, false);
        }
    }

    /** Waits until this group no longer waits for {@code thread}; false at {@code deadline}. */
    private boolean awaitTask(GreenThread<?> thread, long deadline, boolean raiseError) throws InterruptedException {
        BooleanSupplier stop = raiseError ? () -> failureToRaise.get() != null : () -> !waitsFor(thread);
        while (waitsFor(thread)) {
            if (raiseError) {
                throwRaised();
            }
            long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (left <= 0L) {
                return false;
            }
            thread.awaitEnd(left, stop);
        }
        return true;
    }

    private void throwRaised() {
        Throwable failure = failureToRaise.getAndSet(null);
        if (failure != null) {
            throw Failures.rethrow(failure);
        }
    }

    /** {@code nanos} from now, or Long.MAX_VALUE for a wait that is as good as unbounded. */
    static long deadline(long nanos) {
        return nanos >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE : System.nanoTime() + Math.max(0L, nanos);
    }

    /**
     * Waits until {@code condition} holds; false after {@code nanos}. Whatever the condition reads
     * must call {@link #signalChange()} after it changes.
     */
    final boolean awaitUntil(BooleanSupplier condition, long nanos) throws InterruptedException {
        joiners.incrementAndGet();
        lock.lock();
        try {
            for (;;) {
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

    /** Nothing running and no spawn in progress. */
    final boolean isQuiet() {
        return quietHead() != null && adopted.isEmpty();
    }

    /** Wakes {@link #awaitUntil} callers so they look again; free while nobody waits. */
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
     * until all have ended and given back their slots; then {@link #running()} is 0. Tasks that
     * join meanwhile are killed too.
     *
     * @throws IllegalStateException if called from one of this group's own tasks (it would wait for
     *                               itself)
     * @throws InterruptedException if interrupted while waiting for the tasks to end
     */
    public void kill() throws InterruptedException {
        if (isInside()) {
            throw new IllegalStateException(name + ": kill() from one of its own tasks would wait for itself");
        }
        for (;;) {
            List<GreenThread<?>> victims = trackedThreads();
            // No task left to kill; some may still be ending (left, slot not yet given back) or
            // starting (a spawn in progress): wait for them to resolve, then look again.
            if (victims.isEmpty() && awaitQuiet(KILL_RECHECK_NANOS, false)) {
                return;
            }
            victims.forEach(GreenThread::kill);
            for (GreenThread<?> victim : victims) {
                awaitTask(victim, Long.MAX_VALUE, false);
            }
        }
    }

    /**
     * Kills one tracked task and waits until it has ended.
     *
     * @param thread the task to kill
     * @return true if {@code thread} was tracked here, false (and nothing done) otherwise
     * @throws IllegalStateException if {@code thread} is the calling thread
     * @throws InterruptedException if interrupted while waiting for it to end
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
     * @param <R> the task's result type
     * @param task the task to run
     * @return the task's result
     * @throws RuntimeException    the task's own, as it is
     * @throws CompletionException wrapping the task's checked exception
     * @throws InterruptedException if interrupted while waiting for a slot, or thrown by the task
     *     when it runs inline
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

    /**
     * Starts {@code task} without ever blocking and returns its handle.
     *
     * @param <R> the task's result type
     * @param task the task to run
     * @return the task's green thread
     */
    public <R> GreenThread<R> applyAsync(Callable<R> task) {
        Objects.requireNonNull(task, "task");
        checkAccepting();
        return launch(newTask(task, 0));
    }

    /**
     * Like {@link #applyAsync(Callable)}; {@code onSuccess} gets the result if the task succeeds.
     *
     * @param <R> the task's result type
     * @param task the task to run
     * @param onSuccess what gets the result if the task succeeds
     * @return the task's green thread
     */
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
     *
     * @param <A> the items' type
     * @param <R> the results' type
     * @param fn the function to apply
     * @param items the inputs, read as the results are
     * @return the results, in input order; close it to stop early
     */
    public <A, R> MapIterator<R> imap(Function<? super A, ? extends R> fn, Iterable<? extends A> items) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(items, "items");
        return startMap(true, mapWindow(), Tasks.of(fn, items.iterator()));
    }

    /**
     * {@code fn} over pairs zipped from {@code a} and {@code b}, stopping at the shorter; in order.
     *
     * @param <A> the first arguments' type
     * @param <B> the second arguments' type
     * @param <R> the results' type
     * @param fn the function to apply
     * @param a the first arguments
     * @param b the second arguments
     * @return the results, in input order; close it to stop early
     */
    public <A, B, R> MapIterator<R> imap(BiFunction<? super A, ? super B, ? extends R> fn,
                                         Iterable<? extends A> a, Iterable<? extends B> b) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        return startMap(true, mapWindow(), Tasks.zip(fn, a.iterator(), b.iterator()));
    }

    /**
     * {@code fn} over argument tuples, in order (Python's {@code starmap}).
     *
     * @param <R> the results' type
     * @param fn the function to apply to each tuple
     * @param argTuples the argument tuples
     * @return the results, in input order; close it to stop early
     */
    public <R> MapIterator<R> starmap(Function<Object[], ? extends R> fn, Iterable<Object[]> argTuples) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(argTuples, "argTuples");
        return startMap(true, mapWindow(), Tasks.of(fn, argTuples.iterator()));
    }

    /**
     * Like {@link #imap(Function, Iterable)}, but yields results as they complete.
     *
     * @param <A> the items' type
     * @param <R> the results' type
     * @param fn the function to apply
     * @param items the inputs
     * @return the results, in completion order; close it to stop early
     */
    public <A, R> MapIterator<R> imapUnordered(Function<? super A, ? extends R> fn, Iterable<? extends A> items) {
        return imapUnordered(fn, items, mapWindow());
    }

    /**
     * Like {@link #imapUnordered(Function, Iterable)}, holding at most {@code maxSize} results
     * running or finished-but-unread.
     *
     * @param <A> the items' type
     * @param <R> the results' type
     * @param fn the function to apply
     * @param items the inputs
     * @param maxSize the most results running or finished but unread at once
     * @return the results, in completion order; close it to stop early
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
     *
     * @param <A> the items' type
     * @param <R> the results' type
     * @param fn the function to apply
     * @param items the inputs
     * @return the results, in input order
     * @throws InterruptedException if interrupted while waiting for a result
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

    /**
     * {@link #map} on a thread of its own, which holds no slot of this group.
     *
     * @param <A> the items' type
     * @param <R> the results' type
     * @param fn the function to apply
     * @param items the inputs
     * @return the thread whose result is the list {@link #map} would return
     */
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

    /** {@return the group's name, in messages and monitoring} */
    public String name() {
        return name;
    }

    /**
     * Tasks spawned in this group so far (including ones run inline, and spawns in progress: a
     * spawn that times out or is interrupted is taken back).
     *
     * @return how many tasks were spawned in this group
     */
    public long spawnedCount() {
        long abandoned = abandonedCount.sum(); // before the pushes: no spawn counted as abandoned but not pushed
        return ((GreenThread<?>) HEAD.getVolatile(list)).seq - abandoned;
    }

    /**
     * Tracked tasks that have ended so far, however they ended (discarded ones not counted), and
     * added threads that ended; exact whenever nothing spawns or ends meanwhile. A task is counted
     * as the last step of its end, so right after its {@code join()} or {@code killOne()} returns
     * the count may still be one short for a moment; after {@link #join} or {@code waitAll()} of
     * the whole group it is exact.
     *
     * @return how many tracked tasks have ended
     */
    public long completedCount() {
        return endedCount.get() + adoptedEndedCount.sum();
    }

    /** {@return tracked tasks that ended by throwing (killed ones not counted)} */
    public long failedCount() {
        return failedCount.sum();
    }

    /**
     * Sets what hears each task end, with how long it ran (see {@link TaskRecorder}); tasks that
     * start after this call use it. Replaces the recorder set before.
     *
     * @param recorder the recorder, or {@link TaskRecorder#NONE} (or null) for none
     */
    public void setTaskRecorder(TaskRecorder recorder) {
        this.taskRecorder = recorder == null ? TaskRecorder.NONE : recorder;
    }

    /** {@return the recorder set with {@link #setTaskRecorder}, {@link TaskRecorder#NONE} if none} */
    public TaskRecorder taskRecorder() {
        return taskRecorder;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ", running " + running() + "]";
    }
}
