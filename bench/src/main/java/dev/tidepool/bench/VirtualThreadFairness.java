package dev.tidepool.bench;

import dev.tidepool.core.Order;
import dev.tidepool.core.ResourcePool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * <p>Counting: a claim counts towards throughput and the per-thread spread if it was granted
 * before the deadline; a thread with no such claim is starved. The wait of every claim that began
 * before the deadline is recorded, even if it was granted only while the round drained (a thread
 * starved for the whole round shows up in the wait percentiles with a wait of at least the round's
 * length).
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
 * (pools: {@code tidepool-queue, tidepool-stack, commons-pool2, stormpot, stormpot-vtap}).
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

    static {
        SUBJECTS.put("tidepool-queue", () -> tidepool(Order.QUEUE));
        SUBJECTS.put("tidepool-stack", () -> tidepool(Order.STACK));
        SUBJECTS.put("commons-pool2", VirtualThreadFairness::commonsPool2);
        SUBJECTS.put("stormpot", () -> stormpot(false));
        SUBJECTS.put("stormpot-vtap", () -> stormpot(true));
    }

    private static int size = Pools.SIZE;

    private static Subject<?> tidepool(Order order) {
        ResourcePool<Payload> pool = Pools.tidepool(order, size);
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

    /** What one round measured. */
    record Round(String pool, long claims, double seconds, int starved, long timeouts,
                 long p50Nanos, long p99Nanos, long p999Nanos, long maxNanos,
                 long minPerThread, long medianPerThread, long maxPerThread) {
        double claimsPerSecond() {
            return claims / seconds;
        }
    }

    /** Per-thread results, written only by its own thread and read after it ended. */
    static final class Worker {
        final LatencyHistogram waits = new LatencyHistogram();
        long claims;
        long timeouts;
        long sink;
        Throwable failure;
    }

    private static volatile boolean stop;
    /** Claims that completed after this instant do not count. */
    private static volatile long deadline;

    static <H> Round round(String name, Subject<H> subject, int threads, Duration duration)
            throws InterruptedException {
        Worker[] workers = new Worker[threads];
        Thread[] running = new Thread[threads];
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        stop = false;
        deadline = Long.MAX_VALUE;
        for (int i = 0; i < threads; i++) {
            Worker w = new Worker();
            workers[i] = w;
            running[i] = Thread.ofVirtual().name(name + "-" + i).start(() -> {
                ready.countDown();
                try {
                    go.await();
                    work(subject, w);
                } catch (Throwable t) {
                    w.failure = t;
                }
            });
        }
        ready.await();
        long start = System.nanoTime();
        deadline = start + duration.toNanos();
        go.countDown();
        TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        stop = true;
        for (Thread t : running) {
            if (!t.join(Duration.ofSeconds(120))) {
                throw new IllegalStateException(name + ": a worker did not finish: " + t);
            }
        }
        double seconds = duration.toNanos() / 1e9;

        LatencyHistogram all = new LatencyHistogram();
        long claims = 0;
        long timeouts = 0;
        int starved = 0;
        long[] perThread = new long[threads];
        for (int i = 0; i < threads; i++) {
            Worker w = workers[i];
            if (w.failure != null) {
                throw new IllegalStateException(name + ": a worker failed", w.failure);
            }
            all.add(w.waits);
            claims += w.claims;
            timeouts += w.timeouts;
            perThread[i] = w.claims;
            if (w.claims == 0) {
                starved++;
            }
        }
        Arrays.sort(perThread);
        return new Round(name, claims, seconds, starved, timeouts,
                all.percentile(0.50), all.percentile(0.99), all.percentile(0.999), all.max(),
                perThread[0], perThread[threads / 2], perThread[threads - 1]);
    }

    private static <H> void work(Subject<H> subject, Worker w) throws Exception {
        while (!stop) {
            long t0 = System.nanoTime();
            H handle = subject.claim();
            long t1 = System.nanoTime();
            if (handle == null) {
                w.timeouts++;
                continue;
            }
            try {
                Payload p = subject.payload(handle);
                p.uses++;                 // the same work per claim for every pool
                w.sink += p.uses;         // keeps it from being optimized away
                Thread.yield();           // hold the item across a yield: others run and queue
            } finally {
                subject.release(handle);
            }
            if (t1 <= deadline) {         // claims granted after the deadline do not count...
                w.claims++;
            }
            if (t0 <= deadline) {         // ...but a wait that began before it does, however long
                w.waits.record(t1 - t0);
            }
        }
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
                case "--duration" -> duration = parseDuration(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--pools" -> pools = List.of(v.split(","));
                case "-h", "--help" -> {
                    System.out.println("options: --threads N --size N --duration 2s --warmup N --rounds N"
                            + " --pools " + String.join(",", SUBJECTS.keySet()));
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
            }
            i++;
        }
        for (String p : pools) {
            if (!SUBJECTS.containsKey(p)) {
                throw new IllegalArgumentException("unknown pool " + p + "; known: " + SUBJECTS.keySet());
            }
        }

        System.out.printf(Locale.ROOT, "# VirtualThreadFairness: %d virtual threads, pool size %d, %s per round,"
                        + " %d warmup + %d measured rounds per pool%n",
                threads, size, duration, warmup, rounds);
        System.out.printf(Locale.ROOT, "# JVM: %s %s (%s), %d CPUs, carrier parallelism %s%n",
                System.getProperty("java.vm.name"), Runtime.version(), System.getProperty("java.home"),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("jdk.virtualThreadScheduler.parallelism", "default"));

        Map<String, List<Round>> results = new LinkedHashMap<>();
        for (int r = -warmup; r < rounds; r++) {
            for (String name : pools) {
                Subject<?> subject = SUBJECTS.get(name).get();
                Round round;
                try {
                    round = round(name, subject, threads, duration);
                } finally {
                    subject.close();
                }
                System.out.printf(Locale.ROOT, "%s round %d: %,.0f claims/s, starved %d, p99 %s, timeouts %d%n",
                        r < 0 ? "warmup" : "measure", r < 0 ? r + warmup + 1 : r + 1, round.claimsPerSecond(),
                        round.starved(), micros(round.p99Nanos()), round.timeouts());
                if (r >= 0) {
                    results.computeIfAbsent(name, k -> new ArrayList<>()).add(round);
                }
            }
        }

        System.out.println();
        System.out.println("Per round:");
        System.out.println();
        System.out.println("| pool | round | claims/s | starved threads | p50 wait µs | p99 wait µs | p99.9 wait µs "
                + "| max wait µs | claims per thread min / median / max |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Map.Entry<String, List<Round>> e : results.entrySet()) {
            int n = 0;
            for (Round x : e.getValue()) {
                System.out.printf(Locale.ROOT, "| %s | %d | %,.0f | %d | %s | %s | %s | %s | %d / %d / %d |%n",
                        e.getKey(), ++n, x.claimsPerSecond(), x.starved(), micros(x.p50Nanos()),
                        micros(x.p99Nanos()), micros(x.p999Nanos()), micros(x.maxNanos()),
                        x.minPerThread(), x.medianPerThread(), x.maxPerThread());
            }
        }
        System.out.println();
        System.out.println("Summary:");
        System.out.println();
        System.out.println("| pool | claims/s, mean of rounds | min .. max | starved threads, per round "
                + "| worst p99 wait µs | worst max wait µs |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (Map.Entry<String, List<Round>> e : results.entrySet()) {
            List<Round> rs = e.getValue();
            double mean = rs.stream().mapToDouble(Round::claimsPerSecond).average().orElse(0);
            double min = rs.stream().mapToDouble(Round::claimsPerSecond).min().orElse(0);
            double max = rs.stream().mapToDouble(Round::claimsPerSecond).max().orElse(0);
            String starved = String.join(", ", rs.stream().map(x -> Integer.toString(x.starved())).toList());
            long p99 = rs.stream().mapToLong(Round::p99Nanos).max().orElse(0);
            long maxWait = rs.stream().mapToLong(Round::maxNanos).max().orElse(0);
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f .. %,.0f | %s | %s | %s |%n",
                    e.getKey(), mean, min, max, starved, micros(p99), micros(maxWait));
        }
        System.out.println();
        System.out.println("Waits: every claim that began before the deadline (see the class comment)."
                + " Histogram resolution: 1/16 of a power of two (values are bucket upper bounds).");
    }

    private static String micros(long nanos) {
        return String.format(Locale.ROOT, "%,.1f", nanos / 1e3);
    }

    private static Duration parseDuration(String s) {
        if (s.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        if (s.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
    }

    private VirtualThreadFairness() {
    }
}
