package dev.tidepool.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine behind {@code imap}, {@code starmap} and {@code imapUnordered}: a feeder thread reads
 * the input and spawns one task per item into the group, and the reader takes results either in
 * input order or in completion order.
 *
 * <p>Memory bound: the feeder takes one unit of {@code room} per item before spawning it, and the
 * reader gives it back once it has read that item, so at most {@code window} items are running or
 * finished-but-unread, whatever the input length. A feeder that finds no room parks, and the
 * reader wakes it only once half the window is free again: one wake-up per half window, not one
 * per item. The feeder itself is a plain virtual thread that holds no slot of the group; it may
 * run tasks inline (when the pool is full) only if the iterator was started by one of the group's
 * own tasks, exactly as that task could.
 *
 * <p>Ordered maps hand tasks over in a ring of {@code window} handles, in spawn order: the feeder
 * (single producer) writes a slot and then publishes {@code tail}; the reader (single consumer,
 * under {@code readLock}) reads slots below {@code tail}. The room bound keeps the feeder from
 * overwriting an unread slot. After its last item the feeder sets {@code terminal} (END or the
 * input's failure). Unordered maps queue each handle in {@code ready} as its task completes, then
 * the terminal marker; their readers keep reading completions after the marker until they have
 * read as many as the feeder spawned.
 */
final class MapEngine<R> implements MapIterator<R> {
    /** The largest ring: an ordered map of a larger pool runs at most this many items at once. */
    private static final int MAX_RING = 1 << 20;
    private static final Object END = new Object();
    private static final Object CLOSED = new Object();
    /**
     * How often a reader on a platform thread yields and looks again before it parks. Waking a
     * parked platform thread is a futex call for the waker (the carrier whose task just ended, or
     * the feeder), and with short tasks a reader that parks at once was parked and woken for
     * nearly every item: 12% of all CPU in GreenPoolBench's imap went to it. A yield lets the
     * carriers run and costs the reader about a microsecond. A reader on a virtual thread parks at
     * once: yielding there would hold back the carrier that the awaited task needs.
     */
    private static final int PLATFORM_YIELDS = 20;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(GreenThread[].class);

    /** The input iterator (or a spawn) threw: the reader sees it at this point and stops. */
    private record InputFailure(Throwable error) {
    }

    private final TaskGroup group;
    private final boolean ordered;
    private final ReentrantLock readLock = new ReentrantLock();
    private volatile Thread feeder;
    private volatile boolean closed;

    /** Items the feeder may still start before the reader reads one. */
    private final AtomicInteger room;
    private final int wakeFeederAt;
    private volatile Thread parkedFeeder;

    // Ordered: the ring, published up to `tail` by the feeder.
    private final GreenThread<R>[] ring;
    private final int mask;
    /** Items published in the ring; only the feeder writes it, on a line of its own (the reader's is elsewhere). */
    private final PaddedCounter tail = new PaddedCounter();
    private volatile Object terminal;
    private volatile Thread parkedReader;

    // Unordered: completions, then the terminal marker; `live` lets close() kill what runs.
    private final LinkedBlockingQueue<Object> ready;
    private final Set<GreenThread<R>> live;
    /** Items the feeder has spawned (only it writes); final once the terminal marker is queued. */
    private final PaddedCounter spawned = new PaddedCounter();

    /** The reader's position, guarded by readLock, on a line of its own: the feeder must not pay for its writes. */
    private final MapReaderState reader = new MapReaderState();

    @SuppressWarnings("unchecked")
    private MapEngine(TaskGroup group, boolean ordered, int window) {
        this.group = group;
        this.ordered = ordered;
        if (ordered) {
            window = Math.min(window, MAX_RING);
        }
        this.room = new AtomicInteger(window);
        this.wakeFeederAt = Math.max(1, window / 2);
        if (ordered) {
            int length = Integer.highestOneBit(Math.max(1, window - 1)) << 1; // a power of two >= window
            this.ring = (GreenThread<R>[]) new GreenThread<?>[length];
            this.mask = length - 1;
            this.ready = null;
            this.live = null;
        } else {
            this.ring = null;
            this.mask = 0;
            this.ready = new LinkedBlockingQueue<>();
            this.live = ConcurrentHashMap.newKeySet();
        }
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
                takeRoom();
                if (closed) {
                    break;
                }
                GreenThread<R> thread = group.spawn(task);
                if (ordered) {
                    long t = tail.get(); // only this thread writes it
                    SLOT.setRelease(ring, (int) t & mask, thread);
                    tail.set(t + 1);
                    wake(parkedReader);
                } else {
                    spawned.set(spawned.get() + 1); // only this thread writes it
                    live.add(thread);
                    thread.link(done -> {
                        live.remove(done);
                        ready.add(done);
                    });
                }
                if (closed) {
                    // close() may have looked for running tasks before this one was recorded
                    thread.kill();
                }
            }
        } catch (InterruptedException e) {
            // close() interrupted the feeder: stop quietly
        } catch (RuntimeException | Error e) {
            terminalMarker = new InputFailure(e); // e.g. the pool was shut down under us
        } finally {
            group.allowInline(Thread.currentThread(), false);
            if (ordered) {
                terminal = terminalMarker;
                wake(parkedReader);
            } else {
                ready.add(terminalMarker);
            }
        }
    }

    /** Takes one unit of room, parking (untimed) while there is none. */
    private void takeRoom() throws InterruptedException {
        for (;;) {
            int r = room.get();
            if (r > 0) {
                if (room.compareAndSet(r, r - 1)) {
                    return;
                }
                continue;
            }
            // Publish ourselves, then look again: the reader frees room, then looks for us.
            parkedFeeder = Thread.currentThread();
            if (room.get() <= 0 && !closed) {
                LockSupport.park(this);
            }
            parkedFeeder = null;
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** Gives back the room of one read item; wakes a parked feeder once half the window is free. */
    private void giveRoom() {
        if (room.incrementAndGet() >= wakeFeederAt) {
            wake(parkedFeeder);
        }
    }

    private static void wake(Thread parked) {
        if (parked != null) {
            LockSupport.unpark(parked);
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
                reader.next = END; // the input is broken: nothing follows
                throw Failures.rethrow(failure.error());
            }
            GreenThread<R> thread = (GreenThread<R>) item;
            awaitDone(thread); // interruptible; on interrupt the item stays next
            reader.next = null;
            if (ordered) {
                SLOT.setRelease(ring, (int) reader.head & mask, null);
                reader.head++;
            } else {
                reader.taken++;
            }
            try {
                return thread.join();
            } finally {
                giveRoom();
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
        for (int i = firstYield(); i < PLATFORM_YIELDS && !thread.isDone(); i++) {
            Thread.yield();
        }
        if (thread.isDone()) {
            return;
        }
        try {
            thread.get();
        } catch (ExecutionException | CancellationException e) {
            // join() reports it
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /** Where a waiting reader starts counting its yields: at the end (none) on a virtual thread. */
    private static int firstYield() {
        return Thread.currentThread().isVirtual() ? PLATFORM_YIELDS : 0;
    }

    private static CompletionException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new CompletionException("interrupted while waiting for the next result", e);
    }

    /** The next thing to hand out: a task's handle, an InputFailure, or END. Blocks until known. */
    private Object peek() {
        if (reader.next == null) {
            reader.next = closed ? END : ordered ? takeOrdered() : take();
        }
        return reader.next;
    }

    private Object takeOrdered() {
        for (int yields = firstYield(); ; ) {
            if (reader.head < tail.get()) {
                return SLOT.getAcquire(ring, (int) reader.head & mask);
            }
            Object end = terminal;
            if (end != null) {
                if (reader.head < tail.get()) {
                    continue; // published just before the end
                }
                return end;
            }
            if (closed) {
                return END;
            }
            if (yields < PLATFORM_YIELDS) {
                yields++;
                Thread.yield();
                continue;
            }
            // Publish ourselves, then look again: the feeder publishes, then looks for us.
            parkedReader = Thread.currentThread();
            if (reader.head == tail.get() && terminal == null && !closed) {
                LockSupport.park(this);
            }
            parkedReader = null;
            if (Thread.interrupted()) {
                throw interrupted(new InterruptedException());
            }
        }
    }

    private Object take() {
        try {
            for (;;) {
                if (reader.terminal != null && reader.taken == spawned.get()) {
                    return reader.terminal;
                }
                Object item = ready.poll();
                for (int i = firstYield(); item == null && i < PLATFORM_YIELDS; i++) {
                    Thread.yield();
                    item = ready.poll();
                }
                if (item == null) {
                    item = ready.take();
                }
                if (item == CLOSED || closed) {
                    return END;
                }
                if (item != END && !(item instanceof InputFailure)) {
                    return item;
                }
                reader.terminal = item; // unordered: completions may still be on their way
            }
        } catch (InterruptedException e) {
            throw interrupted(e);
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
        if (ordered) {
            // Every spawned, unread task is in the ring; one the feeder publishes after this
            // look, it kills itself (it reads `closed` after publishing).
            for (int i = 0; i < ring.length; i++) {
                GreenThread<?> slot = (GreenThread<?>) SLOT.getAcquire(ring, i);
                if (slot != null) {
                    slot.kill();
                }
            }
            wake(parkedReader);
        } else {
            for (GreenThread<R> thread : live) {
                thread.kill();
            }
            ready.add(CLOSED); // wake a reader blocked in take()
        }
    }
}

/** A map reader's position (see {@link LinePad}); guarded by the engine's read lock. */
final class MapReaderState extends MapReaderFields {
    @SuppressWarnings("unused")
    private long q0, q1, q2, q3, q4, q5, q6, q7;
}

abstract class MapReaderFields extends LinePad {
    /** The next thing to hand out, once known: a task's handle, an input failure, or the end. */
    Object next;
    /** Unordered: the feeder's end marker, once read; completions may still follow it. */
    Object terminal;
    /** Unordered: results handed out so far. */
    long taken;
    /** Ordered: the ring position of the next result. */
    long head;
}
