package dev.tidepool.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@link GreenPoolBench}'s operations in alternating rounds, for a ratio that survives a loaded
 * machine: sequential JMH runs on a shared 2-core box drift by more than the effects measured, but
 * two contenders run in alternating 300 ms rounds see the same load, so the median of the
 * per-round ratios is steady.
 *
 * <p>For each size, each round runs every contender for {@code roundMillis} (whole invocations of
 * 10,000 tasks, after a warm-up); the report gives each contender's median throughput (tasks/µs)
 * and the median of the per-round ratios Tidepool / peer.
 *
 * <pre>{@code
 * flock /tmp/tidepool-bench.lock ./mvnw -q -pl bench -am package exec:exec -DskipTests \
 *     -Dbench.main=dev.tidepool.bench.GreenPoolAlternating -Dbench.args="12 300"
 * }</pre>
 *
 * Arguments (all optional): rounds (default 12), round length in ms (300), sizes (100,10000),
 * and a contender name to run alone (for a profiler; no ratios then).
 */
public final class GreenPoolAlternating {
    private interface Op {
        void run(GreenPoolBench b) throws Exception;
    }

    private record Contender(String name, Op op) {
    }

    private static final List<Contender> CONTENDERS = List.of(
            new Contender("spawnTidepool", GreenPoolBench::spawnTidepool),
            new Contender("spawnSemaphore", GreenPoolBench::spawnSemaphoreExecutor),
            new Contender("spawnUnlimited", GreenPoolBench::spawnUnlimitedExecutor),
            new Contender("imapTidepool", GreenPoolBench::imapTidepool),
            new Contender("imapSemaphore", GreenPoolBench::imapSemaphoreExecutor));

    private GreenPoolAlternating() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        long roundNanos = (args.length > 1 ? Long.parseLong(args[1]) : 300L) * 1_000_000L;
        int[] sizes = args.length > 2
                ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {100, 10_000};
        String only = args.length > 3 ? args[3] : null;
        if (only != null) {
            profile(sizes, rounds * roundNanos, only);
            return;
        }
        for (int size : sizes) {
            GreenPoolBench bench = new GreenPoolBench();
            bench.size = size;
            bench.setUp();
            for (Contender c : CONTENDERS) { // warm-up: a few rounds' worth each
                measure(bench, c, 3 * roundNanos);
            }
            double[][] rates = new double[CONTENDERS.size()][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < CONTENDERS.size(); i++) {
                    rates[i][r] = measure(bench, CONTENDERS.get(i), roundNanos);
                }
            }
            bench.tearDown();
            report(size, rates);
        }
    }

    private static void profile(int[] sizes, long nanos, String name) throws Exception {
        Contender c = CONTENDERS.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        for (int size : sizes) {
            GreenPoolBench bench = new GreenPoolBench();
            bench.size = size;
            bench.setUp();
            System.out.printf(Locale.ROOT, "size %d %s %.2f tasks/us%n", size, name, measure(bench, c, nanos));
            bench.tearDown();
        }
    }

    /** Tasks per µs over whole invocations, run for at least {@code nanos}. */
    private static double measure(GreenPoolBench bench, Contender c, long nanos) throws Exception {
        long start = System.nanoTime();
        long tasks = 0;
        long now;
        do {
            c.op().run(bench);
            tasks += GreenPoolBench.TASKS;
            now = System.nanoTime();
        } while (now - start < nanos);
        return tasks * 1_000.0 / (now - start);
    }

    private static void report(int size, double[][] rates) {
        System.out.printf(Locale.ROOT, "size %d%n", size);
        for (int i = 0; i < CONTENDERS.size(); i++) {
            System.out.printf(Locale.ROOT, "  %-16s median %6.2f tasks/us%n", CONTENDERS.get(i).name(), median(rates[i]));
        }
        ratio("spawn / semaphore", rates[0], rates[1]);
        ratio("spawn / unlimited", rates[0], rates[2]);
        ratio("imap / semaphore", rates[3], rates[4]);
    }

    private static void ratio(String label, double[] ours, double[] peer) {
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < ours.length; r++) {
            ratios.add(ours[r] / peer[r]);
        }
        double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "  %-18s median %.2fx (min %.2f, max %.2f)%n", label, median(sorted),
                sorted[0], sorted[sorted.length - 1]);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
