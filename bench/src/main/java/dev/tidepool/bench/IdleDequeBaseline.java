package dev.tidepool.bench;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A diagnostic baseline for {@link ResourcePoolBench}, not a pool: the two shared data
 * structures {@code ResourcePool}'s uncontended get/put went through before its idle items were
 * striped by thread (one deque for all threads), with the same 16 items and thread counts. It
 * shows what a single shared deque costs on two threads. {@code deque_*} polls the front of a {@link ConcurrentLinkedDeque} and offers
 * the item back (at the back for QUEUE, the front for STACK), as {@code get()}/{@code put()} do
 * with the idle items; {@code dequeAndLookup_*} adds the {@link ConcurrentHashMap} lookup that
 * {@code put()} does to find an item's entry. If these alone run near ResourcePool's numbers, the
 * deque is what bounds it.
 *
 * <pre>{@code
 * ./mvnw -q -pl bench -am package exec:exec -DskipTests -Dbench.args="IdleDequeBaseline -f 1"
 * }</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class IdleDequeBaseline {

    /** Stands in for the identity key ResourcePool used before its ItemRegistry: identity equality, identity hash. */
    record Key(Object ref) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.ref == ref;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(ref);
        }
    }

    @State(Scope.Benchmark)
    public static class Idle {
        @Param({"QUEUE", "STACK"})
        public String order;

        final ConcurrentLinkedDeque<Payload> deque = new ConcurrentLinkedDeque<>();
        final ConcurrentHashMap<Key, Payload> byIdentity = new ConcurrentHashMap<>();
        boolean stack;

        @Setup(Level.Trial)
        public void setUp() {
            stack = order.equals("STACK");
            for (int i = 0; i < Pools.SIZE; i++) {
                Payload p = new Payload();
                deque.offerLast(p);
                byIdentity.put(new Key(p), p);
            }
        }

        void putBack(Payload p) {
            if (stack) {
                deque.offerFirst(p);
            } else {
                deque.offerLast(p);
            }
        }
    }

    @Benchmark
    @Threads(1)
    public void deque_t1(Idle s, Blackhole bh) {
        deque(s, bh);
    }

    @Benchmark
    @Threads(2)
    public void deque_t2(Idle s, Blackhole bh) {
        deque(s, bh);
    }

    @Benchmark
    @Threads(2)
    public void dequeAndLookup_t2(Idle s, Blackhole bh) {
        Payload p = s.deque.pollFirst();
        bh.consume(p);
        bh.consume(s.byIdentity.get(new Key(p)));
        s.putBack(p);
    }

    private static void deque(Idle s, Blackhole bh) {
        Payload p = s.deque.pollFirst();
        bh.consume(p);
        s.putBack(p);
    }
}
