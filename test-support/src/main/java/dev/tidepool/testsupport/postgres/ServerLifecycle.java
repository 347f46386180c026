package dev.tidepool.testsupport.postgres;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Whether an embedded server runs, is stopped or is closed, and the lock that serialises the steps
 * that change it ({@link PostgresServer#stop()}, {@link PostgresServer#startAgain}, {@code close()}),
 * each of which runs {@code pg_ctl} for seconds: a {@link ReentrantLock}, since a monitor held
 * that long would pin a virtual thread. A step that fails leaves the state as it was.
 */
final class ServerLifecycle {
    /** One pg_ctl step. */
    interface Step {
        void run() throws IOException;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** "embedded PostgreSQL at <url>", for messages; the port may be chosen after this is made. */
    private final Supplier<String> name;
    /** Guarded by {@link #lock}. */
    private boolean running;

    ServerLifecycle(Supplier<String> name) {
        this.name = name;
    }

    /** The server has started for the first time. */
    void started() {
        lock.lock();
        try {
            running = true;
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code stop} if the server runs; nothing if it is stopped. */
    void stop(Step stop) {
        lock.lock();
        try {
            ensureNotClosed();
            if (!running) {
                return;
            }
            stop.run();
            running = false;
        } catch (IOException e) {
            throw new IllegalStateException(name.get() + " did not stop: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code start} on a stopped server. */
    void startAgain(Step start) {
        lock.lock();
        try {
            ensureNotClosed();
            if (running) {
                throw new IllegalStateException(name.get() + " is running: stop() it first");
            }
            start.run();
            running = true;
        } catch (IOException e) {
            throw new IllegalStateException(name.get() + " did not start again: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks the server closed and runs {@code close} once a stop or start under way has finished;
     * false (and nothing run) if it was closed already.
     */
    boolean close(Runnable close) {
        if (closed.getAndSet(true)) {
            return false;
        }
        lock.lock();
        try {
            close.run();
            running = false;
        } finally {
            lock.unlock();
        }
        return true;
    }

    private void ensureNotClosed() {
        if (closed.get()) {
            throw new IllegalStateException(name.get() + " is closed");
        }
    }
}
