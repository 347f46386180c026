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
 * ./mvnw -q -pl bench -am package exec:exec -DskipTests \
 *     -Dbench.main=dev.tidepool.bench.GreenPoolAlternating -Dbench.args="12 300"
 * }</pre>
 *
 * Arguments (all optional): rounds (default 12), round length in ms (300), sizes (100,10000),
 * and the contenders to alternate, comma-separated (default all; one name runs it alone, for a
 * profiler, and gives no ratios).
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

    public static void main(String[] args) throws Throwable {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        long roundNanos = (args.length > 1 ? Long.parseLong(args[1]) : 300L) * 1_000_000L;
        int[] sizes = args.length > 2
                ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {100, 10_000};
        List<Contender> contenders = CONTENDERS;
        if (args.length > 3) {
            List<String> names = List.of(args[3].split(","));
            contenders = CONTENDERS.stream().filter(c -> names.contains(c.name())).toList();
            if (contenders.size() != names.size()) {
                throw new IllegalArgumentException("unknown contender in " + names + "; known: "
                        + CONTENDERS.stream().map(Contender::name).toList());
            }
            if (contenders.size() == 1) {
                profile(sizes, rounds * roundNanos, contenders.get(0));
                return;
            }
        }
        for (int size : sizes) {
            GreenPoolBench bench = new GreenPoolBench();
            bench.size = size;
            bench.setUp();
            for (Contender c : contenders) { // warm-up: a few rounds' worth each
                measure(bench, c, 3 * roundNanos);
            }
            double[][] rates = new double[contenders.size()][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < contenders.size(); i++) {
                    rates[i][r] = measure(bench, contenders.get(i), roundNanos);
                }
            }
            bench.tearDown();
            report(size, contenders, rates);
        }
    }

    private static void profile(int[] sizes, long nanos, Contender c) throws Throwable {
        String name = c.name();
        for (int size : sizes) {
            GreenPoolBench bench = new GreenPoolBench();
            bench.size = size;
            bench.setUp();
            System.out.printf(Locale.ROOT, "size %d %s %.2f tasks/us%n", size, name, measure(bench, c, nanos));
            bench.tearDown();
        }
    }

    private static double measure(GreenPoolBench bench, Contender c, long nanos) throws Throwable {
        return tasksPerMicro(() -> c.op().run(bench), nanos);
    }

    /** One invocation: {@link GreenPoolBench#TASKS} tasks, all of them finished on return. */
    interface Invocation {
        void run() throws Throwable;
    }

    /** Tasks per µs over whole invocations, run for at least {@code nanos}. */
    static double tasksPerMicro(Invocation invocation, long nanos) throws Throwable {
        long start = System.nanoTime();
        long tasks = 0;
        long now;
        do {
            invocation.run();
            tasks += GreenPoolBench.TASKS;
            now = System.nanoTime();
        } while (now - start < nanos);
        return tasks * 1_000.0 / (now - start);
    }

    private static void report(int size, List<Contender> contenders, double[][] rates) {
        System.out.printf(Locale.ROOT, "size %d%n", size);
        List<String> names = contenders.stream().map(Contender::name).toList();
        for (int i = 0; i < names.size(); i++) {
            System.out.printf(Locale.ROOT, "  %-18s median %6.2f tasks/us%n", names.get(i), median(rates[i]));
        }
        ratio("spawn / semaphore", names, rates, "spawnTidepool", "spawnSemaphore");
        ratio("spawn / unlimited", names, rates, "spawnTidepool", "spawnUnlimited");
        ratio("imap / semaphore", names, rates, "imapTidepool", "imapSemaphore");
    }

    /** The median per-round ratio of two contenders, if both ran. */
    private static void ratio(String label, List<String> names, double[][] rates, String oursName, String peerName) {
        int o = names.indexOf(oursName);
        int p = names.indexOf(peerName);
        if (o < 0 || p < 0) {
            return;
        }
        double[] ours = rates[o];
        double[] peer = rates[p];
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < ours.length; r++) {
            ratios.add(ours[r] / peer[r]);
        }
        double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "  %-18s median %.2fx (min %.2f, max %.2f)%n", label, median(sorted),
                sorted[0], sorted[sorted.length - 1]);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
