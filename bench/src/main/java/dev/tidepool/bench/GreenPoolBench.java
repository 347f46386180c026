package dev.tidepool.bench;

import dev.tidepool.core.GreenPool;
import dev.tidepool.core.MapIterator;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Spawn-and-complete of tiny tasks, and an ordered map, through a task limiter of {@code size}
 * slots: Tidepool's {@link GreenPool} against what users hand-roll today, a
 * {@link Executors#newVirtualThreadPerTaskExecutor() virtual-thread executor} guarded by a
 * {@link Semaphore} acquired before each submit, and against the same executor with no limit at
 * all (the floor: the cost of a virtual thread).
 *
 * <p>One operation is one task; each invocation runs {@value #TASKS} tasks and waits for all of
 * them, so the scores are tasks per microsecond.
 *
 * <pre>{@code
 * ./mvnw -q -pl bench -am package exec:exec -DskipTests \
 *     -Dbench.args="GreenPoolBench -f 1 -wi 3 -w 2s -i 5 -r 2s"
 * }</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class GreenPoolBench {
    static final int TASKS = 10_000;

    @Param({"100", "10000"})
    public int size;

    private final LongAdder work = new LongAdder();
    private final Iterable<Integer> inputs = () -> IntStream.range(0, TASKS).iterator();
    private GreenPool pool;
    private ExecutorService executor;
    private Semaphore slots;

    @Setup(Level.Trial)
    public void setUp() {
        pool = new GreenPool(size);
        executor = Executors.newVirtualThreadPerTaskExecutor();
        slots = new Semaphore(size);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool.running() != 0 || slots.availablePermits() != size) {
            throw new IllegalStateException("work left over: " + pool + ", permits " + slots.availablePermits());
        }
        pool.close();
        executor.close();
    }

    private void tinyTask() {
        work.increment();
    }

    // ---------------------------------------------------------------- spawn and complete

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public void spawnTidepool() throws InterruptedException {
        for (int i = 0; i < TASKS; i++) {
            pool.spawnN(this::tinyTask);
        }
        pool.waitAll();
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public void spawnSemaphoreExecutor() throws InterruptedException {
        for (int i = 0; i < TASKS; i++) {
            slots.acquire();
            executor.execute(() -> {
                try {
                    tinyTask();
                } finally {
                    slots.release();
                }
            });
        }
        slots.acquire(size); // every task has given its permit back
        slots.release(size);
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public void spawnUnlimitedExecutor() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(TASKS);
        for (int i = 0; i < TASKS; i++) {
            executor.execute(() -> {
                tinyTask();
                done.countDown();
            });
        }
        done.await();
    }

    // ---------------------------------------------------------------- ordered map

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long imapTidepool() {
        long sum = 0;
        try (MapIterator<Integer> results = pool.imap((Integer n) -> n + 1, inputs)) {
            while (results.hasNext()) {
                sum += results.next();
            }
        }
        return sum;
    }

    /** The hand-rolled bounded ordered map: at most {@code size} futures in flight. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long imapSemaphoreExecutor() throws InterruptedException, ExecutionException {
        long sum = 0;
        ArrayDeque<Future<Integer>> inFlight = new ArrayDeque<>();
        for (int n : inputs) {
            if (inFlight.size() >= size) {
                sum += inFlight.poll().get();
            }
            slots.acquire();
            inFlight.add(executor.submit(() -> {
                try {
                    return n + 1;
                } finally {
                    slots.release();
                }
            }));
        }
        while (!inFlight.isEmpty()) {
            sum += inFlight.poll().get();
        }
        return sum;
    }
}
