package dev.tidepool.core;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A task running on its own virtual thread, with its result (eventlet's {@code GreenThread},
 * gevent's {@code Greenlet}).
 *
 * <pre>{@code
 * GreenThread<String> page = GreenThread.spawn(() -> fetch(url));
 * page.link(done -> log.info("fetched, failed: " + (done.exception() != null)));
 * String html = page.join();       // the task's RuntimeException is rethrown as it is
 * }</pre>
 *
 * <p>Results: {@link #join()} returns the result or rethrows the task's {@link RuntimeException}
 * or {@link Error} as it is, and a checked exception wrapped in {@link CompletionException};
 * {@link #get()} keeps {@link Future}'s contract ({@link ExecutionException}). A killed task's
 * {@code join()} and {@code get()} throw {@link CancellationException}. Null results are allowed.
 *
 * <p>Two moments matter: <em>done</em> (the result is known; {@link #isDone()}) and <em>ended</em>
 * (the thread has finished, and any pool slot it held is free again). A kill makes a task done at
 * once, and it ends when its code reacts to the interrupt; groups wait for the end.
 *
 * @param <R> the task's result type
 */
public final class GreenThread<R> implements Future<R> {
    private static final System.Logger LOG = System.getLogger(GreenThread.class.getName());
    private static final ThreadFactory UNPOOLED = Thread.ofVirtual().factory();
    private static final VarHandle OUTCOME;
    private static final VarHandle STATE;
    private static final VarHandle ENDERS;
    private static final VarHandle THREAD;
    private static final VarHandle NEXT_MEMBER;

    static {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        OUTCOME = VarHandles.find(lookup, "outcome", Object.class);
        STATE = VarHandles.find(lookup, "state", int.class);
        ENDERS = VarHandles.find(lookup, "enders", Node.class);
        THREAD = VarHandles.find(lookup, "thread", Thread.class);
        NEXT_MEMBER = VarHandles.find(lookup, "nextMember", GreenThread.class);
    }

    // State bits. LEFT, DISCARDED and FINISHING are set once and never cleared. (The end itself,
    // "everything is over", is marked in `enders`: the same atomic takes what waits for it.)
    /** No longer counted by the group that launched it: it ended, or was discarded. */
    static final int LEFT = 1;
    /** Left through {@link TaskGroup#discard}: that group no longer waits for it. */
    static final int DISCARDED = 1 << 1;
    /** Its code is over and its end is being processed: no kill interrupts it any more. */
    static final int FINISHING = 1 << 2;
    /** Interrupted by a kill (at most once). */
    static final int INTERRUPTED = 1 << 4;
    /** Ran in its spawner's thread: a kill must never interrupt that thread. */
    static final int INLINE = 1 << 5;
    /** Started with spawnN: nobody reads the result, so a failure is logged. */
    static final int LOG_FAILURE = 1 << 6;
    /** The task is a Runnable (spawnN: no Callable wrapper to allocate). */
    static final int RUNNABLE = 1 << 7;

    /** The outcome of a task that threw, or was killed (a {@link CancellationException}). */
    private record Failure(Throwable error) {
    }

    /** The outcome of a task that returned null. */
    private static final Object NIL = new Object();

    /**
     * One entry of a listener stack: a {@link Thread} parked until it is woken, a
     * {@link Consumer} link, or a {@link Runnable} end hook. Immutable once pushed, so a stack can
     * be walked while others push.
     */
    private static final class Node {
        final Object what;
        final Node next;

        Node(Object what, Node next) {
            this.what = what;
            this.next = next;
        }
    }

    /** {@link #enders} once everything is over: groups left, result published, links run. */
    private static final Node ENDED = new Node(null, null);

    /**
     * A {@link Callable}, or a {@link Runnable} when {@link #RUNNABLE} is set; dropped once it has
     * run, since an ended task may stay in its group's list until the next sweep.
     */
    private Object task;
    /** The group that launched this task and lists it, or null. */
    final TaskGroup group;
    /**
     * Until done: null, or a {@link Node} stack of what waits for the result (links, threads
     * blocked in join/get). Then the outcome: the value, {@link #NIL}, or a {@link Failure}. One
     * CAS both sets the outcome and takes the waiters; no task returns a Node (a private class).
     */
    @SuppressWarnings("unused") // accessed through OUTCOME
    private volatile Object outcome;
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;
    /**
     * What waits for the thread's end (end hooks of groups that adopted it, threads awaiting the
     * end); {@link #ENDED} once it has ended, set by the same atomic that takes the waiters.
     */
    @SuppressWarnings("unused") // accessed through ENDERS
    private volatile Node enders;
    /** The thread the task runs on; null while a pool spawn waits for its slot, and once it has ended. */
    @SuppressWarnings("unused") // accessed through THREAD
    private volatile Thread thread;
    /** The next older task in {@link #group}'s list; maintained by the group. */
    @SuppressWarnings("unused") // accessed through NEXT_MEMBER
    private volatile GreenThread<?> nextMember;
    /** What the task threw unless it was killed; written before the end hooks run, read by them. */
    private Throwable endFailure;
    /** Tasks pushed on {@link #group}'s list up to this one, inclusive; set before it is published there. */
    long seq;

    GreenThread(Callable<R> task) {
        this(Objects.requireNonNull(task, "task"), null, 0);
    }

    /** A task of {@code group} (or of none); {@code task} is a Callable or a Runnable. */
    GreenThread(Object task, TaskGroup group, int flags) {
        this.task = task;
        this.group = group;
        STATE.set(this, flags); // published with the handle
    }

    /**
     * Starts {@code task} on a new virtual thread that belongs to no pool (eventlet's
     * {@code spawn}).
     *
     * @param <R> the task's result type
     * @param task the task to run
     * @return the running task's green thread
     * @throws NullPointerException if {@code task} is null
     */
    public static <R> GreenThread<R> spawn(Callable<R> task) {
        GreenThread<R> thread = new GreenThread<>(task);
        thread.launch(UNPOOLED);
        return thread;
    }

    // ---------------------------------------------------------------- running

    /** Makes the task's thread and starts it (published first, so a kill can interrupt it at once). */
    void launch(ThreadFactory factory) {
        Thread t = factory.newThread(this::run);
        THREAD.setRelease(this, t);
        t.start();
    }

    /** Runs the task in the calling thread (a pool's reentrant spawn); returns when it has ended. */
    void runInline() {
        STATE.getAndBitwiseOr(this, INLINE); // before the thread is visible: kills skip it
        THREAD.setRelease(this, Thread.currentThread());
        run();
    }

    private void run() {
        Object value = null;
        Throwable failure = null;
        try {
            if (!isDone()) { // killed before it started: do not run at all
                TaskRecorder recorder = group == null ? TaskRecorder.NONE : group.taskRecorder();
                value = recorder == TaskRecorder.NONE ? call() : callTimed(recorder);
            }
        } catch (Throwable t) {
            failure = t;
        }
        finish(value, failure);
    }

    /** {@link #call()}, timed for the group's {@link TaskRecorder}: two clock reads, no allocation. */
    private Object callTimed(TaskRecorder recorder) throws Exception {
        long started = System.nanoTime();
        boolean failed = true;
        try {
            Object value = call();
            failed = false;
            return value;
        } finally {
            long elapsed = System.nanoTime() - started;
            try {
                recorder.taskEnded(elapsed, failed && !isDone()); // done already: killed, not failed
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "the task recorder " + recorder + " of " + group.name() + " threw", e);
            }
        }
    }

    private Object call() throws Exception {
        if ((bits() & RUNNABLE) != 0) {
            ((Runnable) task).run();
            return null;
        }
        return ((Callable<?>) task).call();
    }

    /**
     * The end, in an order readers rely on: first leave the groups (so whoever sees the result
     * also sees the slot free and {@code contains()} false), then publish the result and run the
     * links, then mark the end and wake who waits for it (so a group's join sees every result),
     * and last tell the group, whose joins count ends. Atomics when nobody waits: the state, the
     * slot, the outcome (not for spawnN), the end mark, the group's end count.
     */
    private void finish(Object value, Throwable failure) {
        task = null;
        int before = (int) STATE.getAndBitwiseOr(this, FINISHING | LEFT);
        boolean killed = isDone(); // only a kill sets it before us
        Throwable thrown = killed ? null : failure;
        endFailure = thrown;
        if (thrown != null && (before & LOG_FAILURE) != 0) {
            GreenPool.logSpawnNFailure(group, thrown);
        }
        boolean counted = group != null && (before & LEFT) == 0;
        if (counted) {
            try {
                group.left(this, thrown);
            } catch (RuntimeException | Error e) {
                LOG.log(Level.ERROR, "leaving the group of " + this + " threw", e);
            }
        }
        // End hooks (rare: groups that adopted it) run before the result is published.
        Node early = ENDERS.getVolatile(this) == null ? null : (Node) ENDERS.getAndSet(this, null);
        runEndHooks(early);
        if (!killed && (before & LOG_FAILURE) == 0) {
            complete(wrap(value, failure));
        } // spawnN: nobody holds the handle to read a result (a kill still sets one), so no CAS
        Node late = (Node) ENDERS.getAndSet(this, ENDED); // a pusher that comes later sees ENDED
        runEndHooks(late);
        wake(early);
        wake(late);
        // The ended thread is of no use any more, and this handle may stay in its group's list
        // until the next sweep or join: do not keep the thread (and its stack) reachable.
        THREAD.setRelease(this, null);
        if (counted) {
            group.ended();
        }
    }

    private static Object wrap(Object value, Throwable failure) {
        return failure != null ? new Failure(failure) : value == null ? NIL : value;
    }

    // ---------------------------------------------------------------- listener stacks

    private static boolean isOutcome(Object o) {
        return o != null && !(o instanceof Node);
    }

    /**
     * Sets the outcome unless there is one, taking the listener stack in the same CAS, and fires
     * what it took; false if the task was done already.
     */
    private boolean complete(Object result) {
        for (;;) {
            Object o = OUTCOME.getAcquire(this);
            if (isOutcome(o)) {
                return false;
            }
            if (OUTCOME.compareAndSet(this, o, result)) {
                fireListeners((Node) o);
                return true;
            }
        }
    }

    /**
     * Pushes {@code what} on the listeners unless the task is done; false (nothing pushed) if it
     * is. The outcome and the stack share one field, so each listener is taken exactly once.
     */
    private boolean pushListener(Object what) {
        for (;;) {
            Object o = OUTCOME.getAcquire(this);
            if (isOutcome(o)) {
                return false;
            }
            if (OUTCOME.compareAndSet(this, o, new Node(what, (Node) o))) {
                return true;
            }
        }
    }

    /** Pushes {@code what} on the end stack unless the thread has ended; false if it has. */
    private boolean pushEnder(Object what) {
        for (;;) {
            Node head = (Node) ENDERS.getAcquire(this);
            if (head == ENDED) {
                return false;
            }
            if (ENDERS.compareAndSet(this, head, new Node(what, head))) {
                return true;
            }
        }
    }

    /** Runs the listeners taken by {@link #complete}, in the order they were made. */
    private void fireListeners(Node taken) {
        for (Node n = reverse(taken); n != null; n = n.next) {
            if (n.what instanceof Thread waiter) {
                LockSupport.unpark(waiter);
            } else {
                @SuppressWarnings("unchecked")
                Consumer<? super GreenThread<R>> link = (Consumer<? super GreenThread<R>>) n.what;
                try {
                    link.accept(this);
                } catch (RuntimeException | Error e) {
                    LOG.log(Level.WARNING, "a link callback of " + this + " threw", e);
                }
            }
        }
    }

    private void runEndHooks(Node taken) {
        for (Node n = taken; n != null; n = n.next) {
            if (!(n.what instanceof Thread) && n.what instanceof Runnable hook) { // a Thread is a Runnable too
                runHook(hook);
            }
        }
    }

    private static void wake(Node taken) {
        for (Node n = taken; n != null; n = n.next) {
            if (n.what instanceof Thread waiter) {
                LockSupport.unpark(waiter);
            }
        }
    }

    /** Wakes the threads waiting for the end without taking them (a discard ends the wait early). */
    void wakeEndWaiters() {
        Node n = (Node) ENDERS.getVolatile(this);
        if (n != ENDED) {
            wake(n);
        }
    }

    /** Links run in the order they were made. */
    private static Node reverse(Node n) {
        Node out = null;
        for (; n != null; n = n.next) {
            out = new Node(n.what, out);
        }
        return out;
    }

    /**
     * Registers {@code hook} to run once when the thread ends, before the result is published;
     * returns false (and does not run it) if the thread has already ended.
     */
    boolean onEnd(Runnable hook) {
        if ((bits() & FINISHING) != 0) {
            return false;
        }
        if (!pushEnder(hook)) {
            runHook(hook); // it ended between the look and the push: run it ourselves
        }
        return true;
    }

    // ---------------------------------------------------------------- state, for groups

    int bits() {
        return (int) STATE.getVolatile(this);
    }

    /** Whether the thread has ended (its end hooks have run or are running). */
    boolean hasEnded() {
        return (bits() & FINISHING) != 0;
    }

    /** Whether a group still waits for it: not ended and not discarded. */
    boolean isPending() {
        return (bits() & DISCARDED) == 0 && ENDERS.getAcquire(this) != ENDED;
    }

    /** Launched on a thread of its own (not waiting for a slot, not run inline). */
    boolean isLaunched() {
        return THREAD.getAcquire(this) != null && (bits() & INLINE) == 0;
    }

    /** Counted by its group: launched on a thread of its own and not yet left. */
    boolean isCounted() {
        return THREAD.getAcquire(this) != null && (bits() & (INLINE | LEFT)) == 0;
    }

    /** Makes it leave its group through a discard; false (and nothing changed) if it had left. */
    boolean discard() {
        for (;;) {
            int s = bits();
            if ((s & LEFT) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, s, s | LEFT | DISCARDED)) {
                return true;
            }
        }
    }

    /** A spawn that never started it (timeout, interrupt, shutdown): it is over, nobody counts it. */
    void abandon() {
        STATE.getAndBitwiseOr(this, LEFT | DISCARDED | FINISHING);
        Node taken = (Node) ENDERS.getAndSet(this, ENDED);
        runEndHooks(taken);
        wake(taken);
    }

    /** A placeholder at the head of a group's list, carrying its push count; never pending or counted. */
    static GreenThread<?> marker(long seq) {
        GreenThread<?> m = new GreenThread<>(null, null, LEFT | DISCARDED | FINISHING);
        m.seq = seq;
        ENDERS.set(m, ENDED);
        return m;
    }

    GreenThread<?> nextMember() {
        return (GreenThread<?>) NEXT_MEMBER.getAcquire(this);
    }

    /** Before the task is published in a list: a plain write. */
    void initNextMember(GreenThread<?> next) {
        NEXT_MEMBER.set(this, next);
    }

    /** Unlinks ended tasks; the list's single sweeper writes it. */
    void nextMember(GreenThread<?> next) {
        NEXT_MEMBER.setRelease(this, next);
    }

    /** The thread the task runs on; null while a pool spawn waits for its slot, and once it has ended. */
    Thread thread() {
        return (Thread) THREAD.getAcquire(this);
    }

    /** Whether the task ended by throwing, and was not killed; known once end hooks run. */
    boolean failed() {
        return endFailure != null;
    }

    /** What the task threw, unless it was killed; known once end hooks run. */
    Throwable endFailure() {
        return endFailure;
    }

    // ---------------------------------------------------------------- waiting

    /** Blocks until the thread has ended and everything it set off is done (hooks, links). */
    void awaitEnd() throws InterruptedException {
        awaitEnd(Long.MAX_VALUE);
    }

    boolean awaitEnd(long nanos) throws InterruptedException {
        return awaitEnd(nanos, null);
    }

    /**
     * Waits until the thread has ended (or was discarded from its group), at most {@code nanos};
     * also returns, false, once {@code stop} says so (it is looked at whenever the thread is woken).
     */
    boolean awaitEnd(long nanos, BooleanSupplier stop) throws InterruptedException {
        if (!isPending()) {
            return true;
        }
        if (nanos <= 0L) {
            return false;
        }
        long deadline = System.nanoTime() + nanos;
        if (!pushEnder(Thread.currentThread())) {
            return true;
        }
        for (;;) {
            if (!isPending()) {
                return true;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (stop != null && stop.getAsBoolean()) {
                return false;
            }
            long left = nanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (left <= 0L) {
                return false;
            }
            LockSupport.parkNanos(this, left);
        }
    }

    /** Blocks until done; false on timeout. */
    private boolean awaitDone(boolean timed, long nanos, boolean interruptible) throws InterruptedException {
        long deadline = timed ? System.nanoTime() + nanos : 0L;
        if (!pushListener(Thread.currentThread())) {
            return true;
        }
        boolean interrupted = false;
        try {
            for (;;) {
                if (isDone()) {
                    return true;
                }
                if (Thread.interrupted()) {
                    if (interruptible) {
                        throw new InterruptedException();
                    }
                    interrupted = true;
                }
                if (timed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0L) {
                        return false;
                    }
                    LockSupport.parkNanos(this, left);
                } else {
                    LockSupport.park(this);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------- Future and friends

    /**
     * Waits for the result and returns it.
     *
     * @return the task's result
     * @throws CancellationException if the task was killed
     * @throws RuntimeException      the task's own, as it is
     * @throws CompletionException   wrapping the task's checked exception
     */
    public R join() {
        try {
            awaitDone(false, 0L, false);
        } catch (InterruptedException e) {
            throw new AssertionError(e); // not interruptible
        }
        return reportJoin();
    }

    @SuppressWarnings("unchecked")
    private R reportJoin() {
        Object o = OUTCOME.getAcquire(this);
        if (o instanceof Failure f) {
            throw Failures.rethrow(f.error());
        }
        return o == NIL ? null : (R) o;
    }

    @SuppressWarnings("unchecked")
    private R reportGet() throws ExecutionException {
        Object o = OUTCOME.getAcquire(this);
        if (o instanceof Failure f) {
            if (f.error() instanceof CancellationException cancelled) {
                throw cancelled;
            }
            throw new ExecutionException(f.error());
        }
        return o == NIL ? null : (R) o;
    }

    /**
     * Kills the task: it is done at once ({@link #join()} throws {@link CancellationException}) and
     * its thread is interrupted, at most once however often this is called. Does not wait for the
     * thread to end.
     */
    public void kill() {
        cancel(true);
    }

    /**
     * Calls {@code onDone} with this thread once its result is known (at once if it already is),
     * whatever the outcome. An exception from {@code onDone} is logged.
     *
     * @param onDone what to call with this thread once it is done
     * @return this thread
     */
    public GreenThread<R> link(Consumer<? super GreenThread<R>> onDone) {
        Objects.requireNonNull(onDone, "onDone");
        if (!pushListener(onDone)) {
            fireListeners(new Node(onDone, null)); // done already: run it here
        }
        return this;
    }

    /**
     * What the task threw, unwrapped; the {@link CancellationException} if it was killed; null
     * while it runs or when it succeeded.
     *
     * @return the task's exception, or null
     */
    public Throwable exception() {
        return OUTCOME.getAcquire(this) instanceof Failure f ? f.error() : null;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = !isDone() && complete(new Failure(new CancellationException("killed")));
        if (mayInterruptIfRunning) {
            interruptOnce(); // does nothing once the thread has ended
        }
        return cancelled;
    }

    private void interruptOnce() {
        Thread t = thread();
        // An inline task ran in its spawner's thread and was over before anyone could kill it:
        // interrupting now would hit the spawner.
        for (;;) {
            int s = bits();
            if (t == null || (s & (INLINE | FINISHING | INTERRUPTED)) != 0) {
                return;
            }
            if (STATE.compareAndSet(this, s, s | INTERRUPTED)) {
                t.interrupt();
                return;
            }
        }
    }

    @Override
    public boolean isCancelled() {
        return OUTCOME.getAcquire(this) instanceof Failure f && f.error() instanceof CancellationException;
    }

    @Override
    public boolean isDone() {
        return isOutcome(OUTCOME.getAcquire(this));
    }

    @Override
    public R get() throws InterruptedException, ExecutionException {
        awaitDone(false, 0L, true);
        return reportGet();
    }

    @Override
    public R get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (!awaitDone(true, unit.toNanos(timeout), true)) {
            throw new TimeoutException();
        }
        return reportGet();
    }

    @Override
    public String toString() {
        Object o = OUTCOME.getAcquire(this);
        String state = !isOutcome(o) ? (hasEnded() ? "ended" : "running")
                : isCancelled() ? "killed"
                : o instanceof Failure ? "failed" : "done";
        Thread t = thread();
        return "GreenThread[" + (t == null ? "?" : t.getName().isEmpty() ? "#" + t.threadId() : t.getName())
                + ", " + state + "]";
    }

    private void runHook(Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "an end hook of " + this + " threw", e);
        }
    }
}
