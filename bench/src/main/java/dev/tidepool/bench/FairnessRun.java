package dev.tidepool.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The harness of the fairness runs ({@link VirtualThreadFairness} for item pools,
 * {@code jdbc.JdbcVirtualThreadFairness} for data sources, {@code postgres.TpcbBench} for data
 * sources on a real PostgreSQL): many threads (virtual unless the caller passes another
 * {@link Thread.Builder}) loop claim, use, release against one pool for a fixed time, and a round
 * reports the claims per second, how many threads never got anything (starved), the claim waits,
 * the spread of claims over the threads, failed uses, and the process CPU time the round took.
 *
 * <p>Counting: a claim counts towards throughput and the per-thread spread if it was granted before
 * the deadline; a thread with no such claim is starved. The wait of every claim that began before
 * the deadline is recorded, even if it was granted only while the round drained, so a thread
 * starved for the whole round shows up in the wait percentiles with a wait of at least the round's
 * length. A use that fails after its claim was granted ({@link FailedUse}) is counted as a
 * failure, not a claim; its wait is recorded and the thread goes on. The CPU time is the whole
 * process's ({@code getProcessCpuTime}) from the start signal until the last thread has ended, so
 * it covers the claims that drained after the deadline too ({@link Round#cycles()} counts those).
 *
 * <pre>{@code
 * FairnessRun.Round r = FairnessRun.round("mine", () -> () -> {
 *     Item item = pool.claim();
 *     long granted = System.nanoTime();
 *     Thread.yield();          // use it
 *     pool.release(item);
 *     return granted;
 * }, 1000, Duration.ofSeconds(2));
 * }</pre>
 */
public final class FairnessRun {

    /** One worker's claim, use and release. */
    @FunctionalInterface
    public interface Cycle {
        /**
         * Claims, uses and releases once.
         *
         * @return {@link System#nanoTime()} read right after the claim was granted, or a negative
         *         value if the pool gave up (a timeout: counted, not fatal)
         * @throws FailedUse if the claim was granted but its use failed (counted, not fatal); any
         *         other exception ends the round with an error
         */
        long run() throws Exception;
    }

    /** A {@link Cycle}'s claim was granted at {@link #grantedNanos()} but using it failed. */
    public static final class FailedUse extends Exception {
        private final long grantedNanos;

        /**
         * @param grantedNanos {@link System#nanoTime()} read right after the claim was granted
         * @param cause what failed
         */
        public FailedUse(long grantedNanos, Throwable cause) {
            super(cause);
            this.grantedNanos = grantedNanos;
        }

        public long grantedNanos() {
            return grantedNanos;
        }
    }

    /**
     * What one round measured; {@code note} is free text the caller adds (pool counters).
     *
     * @param claims claims granted before the deadline and used without failure
     * @param failures uses that failed ({@link FailedUse}), drain included
     * @param firstFailure the first of those, or null
     * @param cycles claims granted and used without failure, the drain after the deadline included
     * @param cpuNanos process CPU time from the start signal until every thread had ended
     */
    public record Round(String pool, long claims, double seconds, int starved, long timeouts,
                        long p50Nanos, long p99Nanos, long p999Nanos, long maxNanos,
                        long minPerThread, long medianPerThread, long maxPerThread, String note,
                        long failures, Throwable firstFailure, long cycles, long cpuNanos) {
        public double claimsPerSecond() {
            return claims / seconds;
        }

        /**
         * The process's CPU time per claim, drain included ({@code cpuNanos / cycles}): on a
         * machine shared with other work this moves far less than the claims per second do.
         */
        public double cpuMicrosPerClaim() {
            return cycles == 0 ? 0 : cpuNanos / 1e3 / cycles;
        }

        public Round withNote(String text) {
            return new Round(pool, claims, seconds, starved, timeouts, p50Nanos, p99Nanos, p999Nanos, maxNanos,
                    minPerThread, medianPerThread, maxPerThread, text, failures, firstFailure, cycles, cpuNanos);
        }
    }

    /** Per-thread results, written only by its own thread and read after it ended. */
    private static final class Worker {
        final LatencyHistogram waits = new LatencyHistogram();
        long claims;
        long cycles;
        long timeouts;
        long failedUses;
        Throwable firstFailedUse;
        Throwable failure;
    }

    private static volatile boolean stop;
    /** Claims granted after this instant do not count. */
    private static volatile long deadline;

    private FairnessRun() {
    }

    /**
     * Runs one round: {@code threads} virtual threads, each with its own {@link Cycle} from
     * {@code cycles}, all released at once and stopped after {@code duration}. Rounds must not
     * overlap (the stop flag is shared).
     */
    public static Round round(String name, Supplier<Cycle> cycles, int threads, Duration duration)
            throws InterruptedException {
        return round(name, cycles, Thread.ofVirtual(), threads, duration);
    }

    /**
     * Runs one round as {@link #round(String, Supplier, int, Duration)} does, on threads from
     * {@code builder} (e.g. {@code Thread.ofPlatform().daemon(true)}), which names them.
     */
    public static Round round(String name, Supplier<Cycle> cycles, Thread.Builder builder, int threads,
                              Duration duration) throws InterruptedException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        builder.name(name + "-", 0);
        Worker[] workers = new Worker[threads];
        Thread[] running = new Thread[threads];
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        stop = false;
        deadline = Long.MAX_VALUE;
        for (int i = 0; i < threads; i++) {
            Worker w = new Worker();
            Cycle cycle = cycles.get();
            workers[i] = w;
            running[i] = builder.start(() -> {
                ready.countDown();
                try {
                    go.await();
                    work(cycle, w);
                } catch (Throwable t) {
                    w.failure = t;
                }
            });
        }
        ready.await();
        long cpuAtStart = os.getProcessCpuTime();
        deadline = System.nanoTime() + duration.toNanos();
        go.countDown();
        TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        stop = true;
        for (Thread t : running) {
            if (!t.join(Duration.ofSeconds(120))) {
                throw new IllegalStateException(name + ": a worker did not finish: " + t);
            }
        }
        long cpuNanos = os.getProcessCpuTime() - cpuAtStart;

        LatencyHistogram all = new LatencyHistogram();
        long claims = 0;
        long timeouts = 0;
        long failures = 0;
        long allCycles = 0;
        Throwable firstFailure = null;
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
            failures += w.failedUses;
            allCycles += w.cycles;
            if (firstFailure == null) {
                firstFailure = w.firstFailedUse;
            }
            perThread[i] = w.claims;
            if (w.claims == 0) {
                starved++;
            }
        }
        Arrays.sort(perThread);
        return new Round(name, claims, duration.toNanos() / 1e9, starved, timeouts,
                all.percentile(0.50), all.percentile(0.99), all.percentile(0.999), all.max(),
                perThread[0], perThread[threads / 2], perThread[threads - 1], "", failures, firstFailure, allCycles,
                cpuNanos);
    }

    private static void work(Cycle cycle, Worker w) throws Exception {
        while (!stop) {
            long t0 = System.nanoTime();
            long t1;
            try {
                t1 = cycle.run();
            } catch (FailedUse failed) {
                w.failedUses++;
                if (w.firstFailedUse == null) {
                    w.firstFailedUse = failed.getCause();
                }
                if (t0 <= deadline) {
                    w.waits.record(failed.grantedNanos() - t0);
                }
                continue;
            }
            if (t1 < 0) {
                w.timeouts++;
                continue;
            }
            w.cycles++;
            if (t1 <= deadline) {         // claims granted after the deadline do not count...
                w.claims++;
            }
            if (t0 <= deadline) {         // ...but a wait that began before it does, however long
                w.waits.record(t1 - t0);
            }
        }
    }

    // ------------------------------------------------------------ reporting

    /** The JVM line every run prints first. */
    public static void printJvm() {
        System.out.printf(Locale.ROOT, "# JVM: %s %s (%s), %d CPUs, carrier parallelism %s%n",
                System.getProperty("java.vm.name"), Runtime.version(), System.getProperty("java.home"),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("jdk.virtualThreadScheduler.parallelism", "default"));
    }

    /** One line as a round ends; {@code unit} names what is claimed ("claims", "connections"). */
    public static void printRound(Round round, int index, boolean warmup, String unit) {
        System.out.printf(Locale.ROOT, "%s round %d: %,.0f %s/s, starved %d, p99 %s µs, timeouts %d%s%n",
                warmup ? "warmup" : "measure", index, round.claimsPerSecond(), unit, round.starved(),
                micros(round.p99Nanos()), round.timeouts(), round.note().isEmpty() ? "" : "; " + round.note());
    }

    /** The per-round and summary tables (Markdown), then a line on how waits were counted. */
    public static void printTables(Map<String, List<Round>> results, String unit, String claimCall) {
        System.out.println();
        System.out.println("Per round:");
        System.out.println();
        System.out.println("| pool | round | " + unit + "/s | starved threads | timeouts | p50 wait µs | p99 wait µs"
                + " | p99.9 wait µs | max wait µs | " + unit + " per thread min / median / max | CPU µs per claim |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Map.Entry<String, List<Round>> e : results.entrySet()) {
            int n = 0;
            for (Round x : e.getValue()) {
                System.out.printf(Locale.ROOT, "| %s | %d | %,.0f | %d | %d | %s | %s | %s | %s | %d / %d / %d | %.2f |%n",
                        e.getKey(), ++n, x.claimsPerSecond(), x.starved(), x.timeouts(), micros(x.p50Nanos()),
                        micros(x.p99Nanos()), micros(x.p999Nanos()), micros(x.maxNanos()),
                        x.minPerThread(), x.medianPerThread(), x.maxPerThread(), x.cpuMicrosPerClaim());
            }
        }
        System.out.println();
        System.out.println("Summary:");
        System.out.println();
        System.out.println("| pool | " + unit + "/s, mean of rounds | min .. max | starved threads, per round"
                + " | worst p50 wait µs | worst p99 wait µs | worst max wait µs |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (Map.Entry<String, List<Round>> e : results.entrySet()) {
            List<Round> rs = e.getValue();
            double mean = rs.stream().mapToDouble(Round::claimsPerSecond).average().orElse(0);
            double min = rs.stream().mapToDouble(Round::claimsPerSecond).min().orElse(0);
            double max = rs.stream().mapToDouble(Round::claimsPerSecond).max().orElse(0);
            String starved = String.join(", ", rs.stream().map(x -> Integer.toString(x.starved())).toList());
            long p50 = rs.stream().mapToLong(Round::p50Nanos).max().orElse(0);
            long p99 = rs.stream().mapToLong(Round::p99Nanos).max().orElse(0);
            long maxWait = rs.stream().mapToLong(Round::maxNanos).max().orElse(0);
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f .. %,.0f | %s | %s | %s | %s |%n",
                    e.getKey(), mean, min, max, starved, micros(p50), micros(p99), micros(maxWait));
        }
        System.out.println();
        System.out.println("Waits: every " + claimCall + " that began before the deadline (see FairnessRun)."
                + " Histogram resolution: 1/16 of a power of two (values are bucket upper bounds).");
    }

    public static String micros(long nanos) {
        return String.format(Locale.ROOT, "%,.1f", nanos / 1e3);
    }

    /** {@code 250ms}, {@code 2s}, {@code 1.5s} or plain seconds ({@code 2}). */
    public static Duration parseDuration(String s) {
        if (s.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        if (s.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
    }
}
