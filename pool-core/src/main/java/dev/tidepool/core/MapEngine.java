package dev.tidepool.core;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine behind {@code imap}, {@code starmap} and {@code imapUnordered}: a feeder thread reads
 * the input and spawns one task per item into the group, and the reader takes results either in
 * input order or in completion order.
 *
 * <p>Memory bound: the feeder takes one {@code window} permit per item before spawning it, and the
 * reader gives it back once it has read that item, so at most {@code window} items are running or
 * finished-but-unread, whatever the input length. The feeder itself is a plain virtual thread that
 * holds no slot of the group; it may run tasks inline (when the pool is full) only if the iterator
 * was started by one of the group's own tasks, exactly as that task could.
 *
 * <p>The {@code ready} queue carries, in order: for ordered maps, each task's handle as it is
 * spawned; for unordered ones, each handle as its task completes; then one terminal marker, END or
 * the input's failure. Unordered readers keep reading completions after the marker until they have
 * read as many as the feeder spawned.
 */
final class MapEngine<R> implements MapIterator<R> {
    private static final Object END = new Object();
    private static final Object CLOSED = new Object();

    /** The input iterator (or a spawn) threw: the reader sees it at this point and stops. */
    private record InputFailure(Throwable error) {
    }

    private final TaskGroup group;
    private final boolean ordered;
    private final Semaphore window;
    private final LinkedBlockingQueue<Object> ready = new LinkedBlockingQueue<>();
    private final Set<GreenThread<R>> live = ConcurrentHashMap.newKeySet();
    private final ReentrantLock readLock = new ReentrantLock();
    private volatile Thread feeder;
    private volatile boolean closed;
    /** Items the feeder has spawned; final once the terminal marker is queued. */
    private volatile long spawned;

    // Reader state, guarded by readLock.
    private Object next;
    private Object terminal;
    private long taken;

    private MapEngine(TaskGroup group, boolean ordered, int window) {
        this.group = group;
        this.ordered = ordered;
        this.window = new Semaphore(window);
    }

    static <R> MapEngine<R> start(TaskGroup group, boolean ordered, int window, Iterator<Callable<R>> tasks,
                                  boolean mayRunInline) {
        MapEngine<R> engine = new MapEngine<>(group, ordered, window);
        Thread feeder = Thread.ofVirtual().name(group.name() + "-feeder").unstarted(() -> engine.feed(tasks));
        engine.feeder = feeder;
        if (mayRunInline) {
            group.allowInline(feeder, true);
        }
        feeder.start();
        return engine;
    }

    // ---------------------------------------------------------------- feeder side

    private void feed(Iterator<Callable<R>> tasks) {
        Object terminalMarker = END;
        try {
            while (!closed) {
                Callable<R> task;
                try {
                    if (!tasks.hasNext()) {
                        break;
                    }
                    task = tasks.next();
                } catch (Throwable e) {
                    // Throwable: an iterator can throw a checked exception too (sneaky throws,
                    // other JVM languages); it must reach the reader, not end the input silently.
                    terminalMarker = new InputFailure(e);
                    break;
                }
                window.acquire();
                if (closed) {
                    break;
                }
                GreenThread<R> thread = group.spawn(task);
                spawned++; // only this thread writes it
                live.add(thread);
                if (closed) {
                    // close() may have looked at `live` before this thread was in it
                    thread.kill();
                }
                thread.link(done -> {
                    live.remove(done);
                    if (!ordered) {
                        ready.add(done);
                    }
                });
                if (ordered) {
                    ready.add(thread);
                }
            }
        } catch (InterruptedException e) {
            // close() interrupted the feeder: stop quietly
        } catch (RuntimeException | Error e) {
            terminalMarker = new InputFailure(e); // e.g. the pool was shut down under us
        } finally {
            group.allowInline(Thread.currentThread(), false);
            ready.add(terminalMarker);
        }
    }

    // ---------------------------------------------------------------- reader side

    @Override
    public boolean hasNext() {
        readLock.lock();
        try {
            return peek() != END;
        } finally {
            readLock.unlock();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public R next() {
        readLock.lock();
        try {
            Object item = peek();
            if (item == END) {
                throw new NoSuchElementException("no more results");
            }
            if (item instanceof InputFailure failure) {
                next = END; // the input is broken: nothing follows
                throw Failures.rethrow(failure.error());
            }
            GreenThread<R> thread = (GreenThread<R>) item;
            awaitDone(thread); // interruptible; on interrupt the item stays next
            next = null;
            taken++;
            try {
                return thread.join();
            } finally {
                window.release();
            }
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Waits, interruptibly, until {@code thread}'s result is known ({@code join()} cannot be
     * interrupted), so a reader waiting in an ordered map can be interrupted like one waiting in
     * {@link #take()}.
     */
    private static void awaitDone(GreenThread<?> thread) {
        if (thread.isDone()) {
            return;
        }
        try {
            thread.get();
        } catch (ExecutionException | CancellationException e) {
            // join() reports it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException("interrupted while waiting for the next result", e);
        }
    }

    /** The next thing to hand out: a task's handle, an InputFailure, or END. Blocks until known. */
    private Object peek() {
        if (next == null) {
            next = closed ? END : take();
        }
        return next;
    }

    private Object take() {
        try {
            for (;;) {
                if (terminal != null && taken == spawned) {
                    return terminal;
                }
                Object item = ready.take();
                if (item == CLOSED || closed) {
                    return END;
                }
                if (ordered || (item != END && !(item instanceof InputFailure))) {
                    return item;
                }
                terminal = item; // unordered: completions may still be on their way
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException("interrupted while waiting for the next result", e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Thread f = feeder;
        if (f != null) {
            f.interrupt();
        }
        for (GreenThread<R> thread : live) {
            thread.kill();
        }
        ready.add(CLOSED); // wake a reader blocked in take()
    }
}
