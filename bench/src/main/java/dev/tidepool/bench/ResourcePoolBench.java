package dev.tidepool.bench;

import dev.tidepool.core.Fairness;
import dev.tidepool.core.Order;
import dev.tidepool.core.ResourcePool;
import java.util.concurrent.TimeUnit;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import stormpot.Pool;

/**
 * Claim one item and give it back, on 1 and 2 platform threads sharing one pool of
 * {@value Pools#SIZE} items: Tidepool's {@link ResourcePool} (QUEUE and STACK, each STRICT and
 * BOUNDED; nobody waits here, so the two must not differ) against
 * commons-pool2's {@code GenericObjectPool} and Stormpot's default pool.
 *
 * <p>Every benchmark does the same work per operation: claim, hand the item to the blackhole,
 * release. The pools are full before the first measured operation. The thread count is part of
 * the method name ({@code _t1}, {@code _t2}); don't pass {@code -t}, it would override both.
 *
 * <pre>{@code
 * ./mvnw -q -pl bench -am package exec:exec -DskipTests \
 *     -Dbench.args="ResourcePoolBench -f 1 -wi 3 -w 2s -i 5 -r 2s"
 * }</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ResourcePoolBench {

    @State(Scope.Benchmark)
    public static class TidepoolState {
        @Param({"QUEUE", "STACK"})
        public Order order;

        /** {@code STRICT} (the default) or {@code BOUNDED}: with 16 items and 1 or 2 threads nobody waits. */
        @Param({"STRICT", "BOUNDED"})
        public String fairness;

        ResourcePool<Payload> pool;

        @Setup(Level.Trial)
        public void setUp() {
            pool = Pools.tidepool(order, Pools.SIZE, Fairness.parse(fairness));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (pool.size() != Pools.SIZE || pool.idle() != Pools.SIZE) {
                throw new IllegalStateException("pool changed size: " + pool);
            }
            pool.close();
        }
    }

    @State(Scope.Benchmark)
    public static class CommonsPool2State {
        GenericObjectPool<Payload> pool;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            pool = Pools.commonsPool2(Pools.SIZE);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (pool.getCreatedCount() != Pools.SIZE) {
                throw new IllegalStateException("commons-pool2 created " + pool.getCreatedCount());
            }
            pool.close();
        }
    }

    @State(Scope.Benchmark)
    public static class StormpotState {
        Pool<Pools.StormpotItem> pool;

        @Setup(Level.Trial)
        public void setUp() throws InterruptedException {
            pool = Pools.stormpot(Pools.SIZE);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            Pools.shutdown(pool);
        }
    }

    // ------------------------------------------------------------ Tidepool

    @Benchmark
    @Threads(1)
    public void tidepool_t1(TidepoolState s, Blackhole bh) throws InterruptedException {
        tidepool(s.pool, bh);
    }

    @Benchmark
    @Threads(2)
    public void tidepool_t2(TidepoolState s, Blackhole bh) throws InterruptedException {
        tidepool(s.pool, bh);
    }

    private static void tidepool(ResourcePool<Payload> pool, Blackhole bh) throws InterruptedException {
        Payload item = pool.get();
        try {
            bh.consume(item);
        } finally {
            pool.put(item);
        }
    }

    // ------------------------------------------------------------ commons-pool2

    @Benchmark
    @Threads(1)
    public void commonsPool2_t1(CommonsPool2State s, Blackhole bh) throws Exception {
        commonsPool2(s.pool, bh);
    }

    @Benchmark
    @Threads(2)
    public void commonsPool2_t2(CommonsPool2State s, Blackhole bh) throws Exception {
        commonsPool2(s.pool, bh);
    }

    private static void commonsPool2(GenericObjectPool<Payload> pool, Blackhole bh) throws Exception {
        Payload item = pool.borrowObject();
        try {
            bh.consume(item);
        } finally {
            pool.returnObject(item);
        }
    }

    // ------------------------------------------------------------ Stormpot

    @Benchmark
    @Threads(1)
    public void stormpot_t1(StormpotState s, Blackhole bh) throws InterruptedException {
        stormpot(s.pool, bh);
    }

    @Benchmark
    @Threads(2)
    public void stormpot_t2(StormpotState s, Blackhole bh) throws InterruptedException {
        stormpot(s.pool, bh);
    }

    private static void stormpot(Pool<Pools.StormpotItem> pool, Blackhole bh) throws InterruptedException {
        Pools.StormpotItem item = pool.claim(Pools.STORMPOT_TIMEOUT);
        try {
            bh.consume(item.payload);
        } finally {
            item.release();
        }
    }
}
