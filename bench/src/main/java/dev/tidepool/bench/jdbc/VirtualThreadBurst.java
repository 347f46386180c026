package dev.tidepool.bench.jdbc;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a benchmark's operation on many virtual threads at once, for the JMH benchmarks'
 * virtual-thread rows: each invocation starts {@link #THREADS} virtual threads that each run
 * {@link #OPS_PER_THREAD} operations, and returns when all are done (so an invocation is
 * {@link #OPERATIONS} operations, the benchmark's {@code @OperationsPerInvocation}). Starting the
 * threads costs about a microsecond each, under 1% of an invocation.
 */
final class VirtualThreadBurst {
    static final int THREADS = 32;
    static final int OPS_PER_THREAD = 2_000;
    static final int OPERATIONS = THREADS * OPS_PER_THREAD;

    /** What one virtual thread does: {@code operations} operations, with any setup around them. */
    interface Body {
        void run(int operations) throws Exception;
    }

    private VirtualThreadBurst() {
    }

    /** Runs the burst; rethrows the first failure of any thread. */
    static void run(Body body) throws Exception {
        CountDownLatch done = new CountDownLatch(THREADS);
        AtomicReference<Exception> failure = new AtomicReference<>();
        for (int t = 0; t < THREADS; t++) {
            Thread.ofVirtual().start(() -> {
                try {
                    body.run(OPS_PER_THREAD);
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
