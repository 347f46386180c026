package dev.tidepool.core;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.awaitility.core.ConditionFactory;

/** Helpers shared by the green-thread tests: background callers, bounded waits, log capture. */
final class GreenTestSupport {
    /** The generous bound on every wait in these tests; never a timing assertion. */
    static final Duration LONG = Duration.ofSeconds(30);
    /** A timeout for calls expected to time out (the result is asserted, never the elapsed time). */
    static final Duration SHORT = Duration.ofMillis(50);

    private GreenTestSupport() {
    }

    /** Awaitility with the generous bound and a quick poll. */
    static ConditionFactory eventually() {
        return await().atMost(LONG).pollInterval(Duration.ofMillis(2)).pollDelay(Duration.ZERO);
    }

    /** Waits for {@code latch}, failing the caller (not hanging) if it is not released in time. */
    static void awaitLatch(CountDownLatch latch) throws InterruptedException {
        if (!latch.await(LONG.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("latch not released within " + LONG);
        }
    }

    /**
     * A task body that waits until it is interrupted; fails if nobody interrupts it in time. It
     * outwaits {@link #LONG}, so a {@code join(LONG)} that relies on the interrupt fails first.
     */
    static <T> T blockUntilInterrupted() throws InterruptedException {
        new CountDownLatch(1).await(2 * LONG.toSeconds(), TimeUnit.SECONDS);
        throw new AssertionError("task was never interrupted");
    }

    /** Waits until {@code thread} is parked (blocked in a pool call, a join, a lock...). */
    static void awaitBlocked(Thread thread) {
        eventually().until(() -> {
            Thread.State state = thread.getState();
            return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
        });
    }

    /** Waits until {@code thread} is in a timed wait (a pool's join, kill or waitAll, past its lock). */
    static void awaitTimedWaiting(Thread thread) {
        eventually().until(() -> thread.getState() == Thread.State.TIMED_WAITING);
    }

    /** Throws a checked exception from code that cannot declare it (a Function, a Runnable). */
    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }

    /** A call running on a platform thread of its own, so its state can be watched. */
    static final class Background<T> {
        final Thread thread;
        private final CountDownLatch finished = new CountDownLatch(1);
        // Kept as thrown: a CompletableFuture would unwrap a CompletionException in get().
        private volatile T value;
        private volatile Throwable thrown;

        private Background(String name, Callable<T> body) {
            thread = Thread.ofPlatform().daemon().name(name).unstarted(() -> {
                try {
                    value = body.call();
                } catch (Throwable t) {
                    thrown = t;
                } finally {
                    finished.countDown();
                }
            });
            thread.start();
        }

        boolean isDone() {
            return finished.getCount() == 0;
        }

        private void awaitFinished() throws InterruptedException {
            if (!finished.await(LONG.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("background call " + thread.getName() + " did not finish in time");
            }
        }

        /** The call's result; its own exception is rethrown as it is. */
        T get() throws Exception {
            awaitFinished();
            Throwable t = thrown;
            if (t instanceof Exception e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
            return value;
        }

        /** What the call threw (failing if it returned normally or did not finish in time). */
        Throwable failure() throws InterruptedException {
            awaitFinished();
            if (thrown == null) {
                throw new AssertionError("expected " + thread.getName() + " to fail, it returned " + value);
            }
            return thrown;
        }

        void awaitBlocked() {
            GreenTestSupport.awaitBlocked(thread);
        }
    }

    static <T> Background<T> background(String name, Callable<T> body) {
        return new Background<>(name, body);
    }

    /** Collects what a java.util.logging logger receives (System.Logger routes there by default). */
    static final class LogCapture extends Handler implements AutoCloseable {
        private final Logger logger; // a strong reference, or the logger and its handler may vanish
        final List<LogRecord> records = new CopyOnWriteArrayList<>();

        private final boolean parentHandlers;

        LogCapture(String loggerName) {
            logger = Logger.getLogger(loggerName);
            parentHandlers = logger.getUseParentHandlers();
            logger.setUseParentHandlers(false); // expected failures stay out of the build output
            logger.addHandler(this);
        }

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
            logger.setUseParentHandlers(parentHandlers);
        }
    }
}
