package dev.tidepool.core;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    private static final VarHandle HOOKS = VarHandles.find(MethodHandles.lookup(), "hooks", Hook.class);
    private static final VarHandle END_LATCH =
            VarHandles.find(MethodHandles.lookup(), "endLatch", CountDownLatch.class);
    private static final VarHandle INTERRUPTED =
            VarHandles.find(MethodHandles.lookup(), "interrupted", boolean.class);

    /** One registered hook; {@code afterPublish} hooks run once the result is known. */
    private static final class Hook {
        static final Hook ENDED = new Hook(null, false, null);

        final Runnable action;
        final boolean afterPublish;
        final Hook next;

        Hook(Runnable action, boolean afterPublish, Hook next) {
            this.action = action;
            this.afterPublish = afterPublish;
            this.next = next;
        }
    }

    private final Callable<R> task;
    private final CompletableFuture<R> completion = new CompletableFuture<>();
    /**
     * Hooks to run when the thread ends, newest first; {@link Hook#ENDED} once the thread has taken
     * them, after which no hook can be added. A plain CAS list: most tasks carry one or two hooks,
     * and each costs one small node.
     */
    @SuppressWarnings("unused") // accessed through HOOKS
    private volatile Hook hooks;
    /** Made only by someone who waits for the end ({@link #awaitEnd}); most tasks never need it. */
    @SuppressWarnings("unused") // accessed through END_LATCH
    private volatile CountDownLatch endLatch;
    @SuppressWarnings("unused") // accessed through INTERRUPTED
    private volatile boolean interrupted;
    /** Everything is over: hooks run, result published. */
    private volatile boolean finished;
    private volatile Thread thread;
    private volatile boolean inline;
    private volatile Throwable endFailure;

    GreenThread(Callable<R> task) {
        this.task = Objects.requireNonNull(task, "task");
    }

    /**
     * Starts {@code task} on a new virtual thread that belongs to no pool (eventlet's
     * {@code spawn}).
     *
     * @throws NullPointerException if {@code task} is null
     */
    public static <R> GreenThread<R> spawn(Callable<R> task) {
        GreenThread<R> thread = new GreenThread<>(task);
        thread.bind(UNPOOLED);
        thread.launch();
        return thread;
    }

    /**
     * Makes the task's thread without starting it, so a group can track it (by thread) before it
     * can possibly end.
     */
    void bind(ThreadFactory factory) {
        thread = factory.newThread(this::run);
    }

    void launch() {
        thread.start();
    }

    /** Runs the task in the calling thread (a pool's reentrant spawn); returns when it has ended. */
    void runInline() {
        inline = true;
        thread = Thread.currentThread();
        run();
    }

    private void run() {
        R value = null;
        Throwable failure = null;
        try {
            if (!completion.isDone()) { // killed before it started: do not run at all
                value = task.call();
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            endFailure = completion.isCancelled() ? null : failure;
            // Hooks come from different groups and do not depend on each other: newest first is fine.
            Hook taken = (Hook) HOOKS.getAndSet(this, Hook.ENDED);
            runHooks(taken, false);
            if (failure == null) {
                completion.complete(value);
            } else {
                completion.completeExceptionally(failure);
            }
            runHooks(taken, true);
            finished = true;
            CountDownLatch latch = (CountDownLatch) END_LATCH.getVolatile(this);
            if (latch != null) {
                latch.countDown();
            }
        }
    }

    /**
     * Registers {@code hook} to run once when the thread ends, before the result is published;
     * returns false (and does not run it) if the thread has already ended.
     */
    boolean onEnd(Runnable hook) {
        return addHook(hook, false);
    }

    /**
     * Registers {@code hook} to run once the thread has ended and its result is known; returns
     * false (and does not run it) if the thread has already ended.
     */
    boolean afterPublish(Runnable hook) {
        return addHook(hook, true);
    }

    private boolean addHook(Runnable action, boolean afterPublish) {
        for (;;) {
            Hook head = (Hook) HOOKS.getVolatile(this);
            if (head == Hook.ENDED) {
                return false;
            }
            if (HOOKS.compareAndSet(this, head, new Hook(action, afterPublish, head))) {
                return true;
            }
        }
    }

    private void runHooks(Hook first, boolean afterPublish) {
        for (Hook h = first; h != null; h = h.next) {
            if (h.afterPublish == afterPublish) {
                runHook(h.action);
            }
        }
    }

    /** Whether the thread has ended (its end hooks have run or are running). */
    boolean hasEnded() {
        return HOOKS.getVolatile(this) == Hook.ENDED;
    }

    /** The thread the task runs on, or ran on. */
    Thread thread() {
        return thread;
    }

    /** Whether the task ended by throwing, and was not killed; known once end hooks run. */
    boolean failed() {
        return endFailure != null;
    }

    /** What the task threw, unless it was killed; known once end hooks run. */
    Throwable endFailure() {
        return endFailure;
    }

    /** Blocks until the thread has ended and everything it set off is done (hooks, links). */
    void awaitEnd() throws InterruptedException {
        CountDownLatch latch = endLatch();
        if (latch != null) {
            latch.await();
        }
    }

    boolean awaitEnd(long nanos) throws InterruptedException {
        CountDownLatch latch = endLatch();
        return latch == null || latch.await(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * The latch the end counts down, made on first use; null if the end has already come. The
     * waiter writes the latch before it reads {@code finished}, and the thread writes
     * {@code finished} before it reads the latch, so one of them always sees the other.
     */
    private CountDownLatch endLatch() {
        if (finished) {
            return null;
        }
        CountDownLatch latch = (CountDownLatch) END_LATCH.getVolatile(this);
        if (latch == null) {
            CountDownLatch mine = new CountDownLatch(1);
            latch = END_LATCH.compareAndSet(this, null, mine) ? mine : (CountDownLatch) END_LATCH.getVolatile(this);
        }
        return finished ? null : latch;
    }

    /**
     * Waits for the result and returns it.
     *
     * @throws CancellationException if the task was killed
     * @throws RuntimeException      the task's own, as it is
     * @throws CompletionException   wrapping the task's checked exception
     */
    public R join() {
        try {
            return completion.join();
        } catch (CompletionException e) {
            throw Failures.rethrow(e.getCause());
        }
    }

    /**
     * Kills the task: it is done at once ({@link #join()} throws {@link CancellationException}) and
     * its thread is interrupted, at most once however often this is called. Does not wait for the
     * thread to end.
     */
    public void kill() {
        completion.cancel(false);
        interruptOnce();
    }

    /**
     * Calls {@code onDone} with this thread once its result is known (at once if it already is),
     * whatever the outcome. An exception from {@code onDone} is logged.
     *
     * @return this thread
     */
    public GreenThread<R> link(Consumer<? super GreenThread<R>> onDone) {
        Objects.requireNonNull(onDone, "onDone");
        completion.whenComplete((value, failure) -> {
            try {
                onDone.accept(this);
            } catch (RuntimeException | Error e) {
                LOG.log(Level.WARNING, "a link callback of " + this + " threw", e);
            }
        });
        return this;
    }

    /**
     * What the task threw, unwrapped; the {@link CancellationException} if it was killed; null
     * while it runs or when it succeeded.
     */
    public Throwable exception() {
        if (!completion.isDone()) {
            return null;
        }
        try {
            completion.getNow(null);
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        } catch (CancellationException e) {
            return e;
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = completion.cancel(false);
        if (mayInterruptIfRunning) {
            interruptOnce(); // does nothing once the thread has ended
        }
        return cancelled;
    }

    private void interruptOnce() {
        Thread t = thread;
        // An inline task ran in its spawner's thread and was over before anyone could kill it:
        // interrupting now would hit the spawner.
        if (t != null && !inline && !hasEnded() && INTERRUPTED.compareAndSet(this, false, true)) {
            t.interrupt();
        }
    }

    @Override
    public boolean isCancelled() {
        return completion.isCancelled();
    }

    @Override
    public boolean isDone() {
        return completion.isDone();
    }

    @Override
    public R get() throws InterruptedException, ExecutionException {
        return completion.get();
    }

    @Override
    public R get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        return completion.get(timeout, unit);
    }

    @Override
    public String toString() {
        String state = !completion.isDone() ? "running"
                : completion.isCancelled() ? "killed"
                : completion.isCompletedExceptionally() ? "failed" : "done";
        Thread t = thread;
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
