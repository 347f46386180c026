package dev.tidepool.bench;

import dev.tidepool.core.Fairness;
import dev.tidepool.core.Order;
import dev.tidepool.core.ResourcePool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.apache.commons.pool2.impl.GenericObjectPool;
import stormpot.Pool;
import stormpot.PoolTap;

/**
 * The virtual-thread fairness run: {@code --threads} (1,000) virtual threads share a pool of
 * {@code --size} (16) items. Each thread loops: claim an item, use it, call {@link Thread#yield()}
 * while holding it (so the others really queue), release it. A round runs for {@code --duration}
 * (2 s); it reports the claims per second, how many threads never got an item (starved), the
 * claim latency (p50, p99, max) and the spread of claims over the threads.
 *
 * <p>Counting is {@link FairnessRun}'s: claims granted before the deadline count, a thread with
 * none is starved, and every wait that began before the deadline is recorded.
 *
 * <p>{@code jdk-fair-semaphore} is not a pool but a reference: a fair {@code Semaphore} guarding a
 * queue of items, the plainest strictly first-come-first-served hand-out the JDK offers. It shows
 * what strict arrival order costs with virtual threads (a park and an unpark per claim once threads
 * queue), whoever implements it.
 *
 * <p>Rounds of the pools are interleaved (round 1 of every pool, then round 2, ...) so background
 * noise spreads over all of them; every pool gets {@code --warmup} unmeasured rounds first.
 *
 * <p>Run it through the same exec:exec as the JMH benchmarks:
 *
 * <pre>{@code
 * ./mvnw -q -pl bench -am package exec:exec -DskipTests \
 *     -Dbench.main=dev.tidepool.bench.VirtualThreadFairness -Dbench.args="--rounds 3"
 * }</pre>
 *
 * Options: {@code --threads N --size N --duration 2s --warmup N --rounds N --pools a,b,...}
 * (pools: {@code tidepool-queue, tidepool-stack, tidepool-bounded, commons-pool2, stormpot,
 * stormpot-vtap, jdk-fair-semaphore}; {@code tidepool-bounded} is {@link Fairness#bounded()} in
 * STACK order, and {@code tidepool-bounded-5ms} (any {@code ms} or {@code s} duration) the same
 * with that bound, for choosing the default).
 */
public final class VirtualThreadFairness {

    /** One pool under test, seen the same way by the worker loop. */
    interface Subject<H> {
        /** Blocks until an item is free; null only if the pool gave up (a Stormpot timeout). */
        H claim() throws Exception;

        Payload payload(H handle);

        void release(H handle) throws Exception;

        void close() throws Exception;
    }

    private static final Map<String, Supplier<Subject<?>>> SUBJECTS = new LinkedHashMap<>();
    private static final String BOUNDED_PREFIX = "tidepool-bounded-";

    static {
        SUBJECTS.put("tidepool-queue", () -> tidepool(Order.QUEUE));
        SUBJECTS.put("tidepool-stack", () -> tidepool(Order.STACK));
        SUBJECTS.put("tidepool-bounded", () -> tidepool(Order.STACK, Fairness.bounded()));
        SUBJECTS.put("commons-pool2", VirtualThreadFairness::commonsPool2);
        SUBJECTS.put("stormpot", () -> stormpot(false));
        SUBJECTS.put("stormpot-vtap", () -> stormpot(true));
        SUBJECTS.put("jdk-fair-semaphore", VirtualThreadFairness::fairSemaphore);
    }

    private static int size = Pools.SIZE;

    private static Subject<?> tidepool(Order order) {
        return tidepool(order, Fairness.STRICT);
    }

    /** {@code tidepool-bounded-5ms} and the like: bounded barging with that bound, STACK order. */
    private static Supplier<Subject<?>> subject(String name) {
        Supplier<Subject<?>> known = SUBJECTS.get(name);
        if (known == null && name.startsWith(BOUNDED_PREFIX)) {
            Fairness fairness = Fairness.bounded(FairnessRun.parseDuration(name.substring(BOUNDED_PREFIX.length())));
            return () -> tidepool(Order.STACK, fairness);
        }
        return known;
    }

    private static Subject<?> tidepool(Order order, Fairness fairness) {
        ResourcePool<Payload> pool = Pools.tidepool(order, size, fairness);
        return new Subject<Payload>() {
            @Override
            public Payload claim() throws InterruptedException {
                return pool.get();
            }

            @Override
            public Payload payload(Payload handle) {
                return handle;
            }

            @Override
            public void release(Payload handle) {
                pool.put(handle);
            }

            @Override
            public void close() {
                pool.close();
            }
        };
    }

    private static Subject<?> commonsPool2() {
        GenericObjectPool<Payload> pool;
        try {
            pool = Pools.commonsPool2(size);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new Subject<Payload>() {
            @Override
            public Payload claim() throws Exception {
                return pool.borrowObject();
            }

            @Override
            public Payload payload(Payload handle) {
                return handle;
            }

            @Override
            public void release(Payload handle) {
                pool.returnObject(handle);
            }

            @Override
            public void close() {
                pool.close();
            }
        };
    }

    /** The reference: {@code Semaphore(size, true)} in front of a queue of {@code size} items. */
    private static Subject<?> fairSemaphore() {
        Semaphore permits = new Semaphore(size, true);
        Queue<Payload> items = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < size; i++) {
            items.add(new Payload());
        }
        return new Subject<Payload>() {
            @Override
            public Payload claim() throws InterruptedException {
                permits.acquire();
                return items.poll(); // never null: a permit is an item
            }

            @Override
            public Payload payload(Payload handle) {
                return handle;
            }

            @Override
            public void release(Payload handle) {
                items.add(handle);
                permits.release();
            }

            @Override
            public void close() {
            }
        };
    }

    /** {@code vtap}: claim through Stormpot's {@code getVirtualThreadSafeTap()} instead of the pool. */
    private static Subject<?> stormpot(boolean vtap) {
        Pool<Pools.StormpotItem> pool;
        try {
            pool = Pools.stormpot(size);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        PoolTap<Pools.StormpotItem> tap = vtap ? pool.getVirtualThreadSafeTap() : pool;
        return new Subject<Pools.StormpotItem>() {
            @Override
            public Pools.StormpotItem claim() throws InterruptedException {
                return tap.claim(Pools.STORMPOT_TIMEOUT);
            }

            @Override
            public Payload payload(Pools.StormpotItem handle) {
                return handle.payload;
            }

            @Override
            public void release(Pools.StormpotItem handle) {
                handle.release();
            }

            @Override
            public void close() throws InterruptedException {
                Pools.shutdown(pool);
            }
        };
    }

    // ------------------------------------------------------------ one round

    /** Each worker's loop body: claim, the same work for every pool, a yield while holding, release. */
    static <H> Supplier<FairnessRun.Cycle> cycles(Subject<H> subject) {
        return () -> new FairnessRun.Cycle() {
            long sink; // keeps the work from being optimized away

            @Override
            public long run() throws Exception {
                H handle = subject.claim();
                long granted = System.nanoTime();
                if (handle == null) {
                    return -1; // a Stormpot timeout
                }
                try {
                    Payload p = subject.payload(handle);
                    p.uses++;
                    sink += p.uses;
                    Thread.yield(); // hold the item across a yield: others run and queue
                } finally {
                    subject.release(handle);
                }
                return granted;
            }
        };
    }

    // ------------------------------------------------------------ main

    public static void main(String[] args) throws Exception {
        int threads = 1000;
        Duration duration = Duration.ofSeconds(2);
        int warmup = 1;
        int rounds = 3;
        List<String> pools = new ArrayList<>(SUBJECTS.keySet());
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--threads" -> threads = Integer.parseInt(v);
                case "--size" -> size = Integer.parseInt(v);
                case "--duration" -> duration = FairnessRun.parseDuration(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--pools" -> pools = List.of(v.split(","));
                case "-h", "--help" -> {
                    System.out.println("options: --threads N --size N --duration 2s --warmup N --rounds N"
                            + " --pools " + String.join(",", SUBJECTS.keySet()) + "," + BOUNDED_PREFIX + "<n>ms");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
            }
            i++;
        }
        for (String p : pools) {
            if (subject(p) == null) {
                throw new IllegalArgumentException("unknown pool " + p + "; known: " + SUBJECTS.keySet());
            }
        }

        System.out.printf(Locale.ROOT, "# VirtualThreadFairness: %d virtual threads, pool size %d, %s per round,"
                        + " %d warmup + %d measured rounds per pool%n",
                threads, size, duration, warmup, rounds);
        FairnessRun.printJvm();

        Map<String, List<FairnessRun.Round>> results = new LinkedHashMap<>();
        for (int r = -warmup; r < rounds; r++) {
            for (String name : pools) {
                Subject<?> subject = subject(name).get();
                FairnessRun.Round round;
                try {
                    round = FairnessRun.round(name, cycles(subject), threads, duration);
                } finally {
                    subject.close();
                }
                FairnessRun.printRound(round, r < 0 ? r + warmup + 1 : r + 1, r < 0, "claims");
                if (r >= 0) {
                    results.computeIfAbsent(name, k -> new ArrayList<>()).add(round);
                }
            }
        }
        FairnessRun.printTables(results, "claims", "claim");
    }

    private VirtualThreadFairness() {
    }
}
