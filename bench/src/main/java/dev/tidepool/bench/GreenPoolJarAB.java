package dev.tidepool.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Two builds of pool-core in one JVM: each jar in a class loader of its own, their
 * {@code GreenPool}s run in alternating rounds, and the median of the per-round ratios
 * {@code b / a} reported. On a shared 2-core VM, sequential JMH runs drift by ±30% and even
 * {@link GreenPoolAlternating} compares different code paths; two builds of the same path
 * alternating in one JVM see the same load, the same JIT and the same heap, and resolve changes
 * of about 5%.
 *
 * <pre>{@code
 * git worktree add /tmp/before <base-commit>
 * (cd /tmp/before && ./mvnw -q -pl pool-core package -DskipTests)
 * ./mvnw -q -pl pool-core package -DskipTests
 * flock /tmp/tidepool-bench.lock ./mvnw -q -pl bench -am package exec:exec -DskipTests \
 *     -Dbench.main=dev.tidepool.bench.GreenPoolJarAB \
 *     -Dbench.args="/tmp/before/pool-core/target/pool-core-0.1.0-SNAPSHOT.jar \
 *                   pool-core/target/pool-core-0.1.0-SNAPSHOT.jar spawn 100 30 300"
 * }</pre>
 *
 * Arguments: jar a, jar b, operation ({@code spawn}: {@value #TASKS} {@code spawnN} and a
 * {@code waitAll}; {@code imap}: an ordered map over {@value #TASKS} items), pool size, rounds
 * (default 30), round length in ms (default 300). Rounds alternate which build goes first.
 */
public final class GreenPoolJarAB {
    private static final int TASKS = GreenPoolBench.TASKS;
    private static final LongAdder WORK = new LongAdder();

    /** One build's pool and the operations on it. */
    private record Build(MethodHandle spawnN, MethodHandle waitAll, MethodHandle imap) {
    }

    private GreenPoolJarAB() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 4) {
            throw new IllegalArgumentException(
                    "usage: GreenPoolJarAB jarA jarB spawn|imap size [rounds] [roundMillis]; got " + Arrays.toString(args));
        }
        String op = args[2];
        if (!op.equals("spawn") && !op.equals("imap")) {
            throw new IllegalArgumentException("operation must be spawn or imap, was " + op);
        }
        int size = Integer.parseInt(args[3]);
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 30;
        long roundNanos = (args.length > 5 ? Long.parseLong(args[5]) : 300L) * 1_000_000L;
        Build a = load(Path.of(args[0]), size);
        Build b = load(Path.of(args[1]), size);
        for (int i = 0; i < 3; i++) { // warm-up
            measure(a, op, roundNanos);
            measure(b, op, roundNanos);
        }
        double[] rateA = new double[rounds];
        double[] rateB = new double[rounds];
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            if ((r & 1) == 0) {
                rateA[r] = measure(a, op, roundNanos);
                rateB[r] = measure(b, op, roundNanos);
            } else {
                rateB[r] = measure(b, op, roundNanos);
                rateA[r] = measure(a, op, roundNanos);
            }
            ratio[r] = rateB[r] / rateA[r];
        }
        Arrays.sort(ratio);
        System.out.printf(Locale.ROOT, "%s, size %d, %d rounds: a %.2f, b %.2f tasks/us (medians); b/a median %.3f (min %.2f, max %.2f)%n",
                op, size, rounds, GreenPoolAlternating.median(rateA), GreenPoolAlternating.median(rateB),
                GreenPoolAlternating.median(ratio), ratio[0], ratio[rounds - 1]);
    }

    private static Build load(Path jar, int size) throws Throwable {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no such jar: " + jar);
        }
        // Parent: the platform loader, so that the bench's own pool-core does not shadow the jar's.
        URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        Class<?> poolClass = loader.loadClass("dev.tidepool.core.GreenPool");
        Class<?> mapIterator = loader.loadClass("dev.tidepool.core.MapIterator");
        Object pool = poolClass.getConstructor(int.class).newInstance(size);
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        return new Build(
                lookup.findVirtual(poolClass, "spawnN", MethodType.methodType(void.class, Runnable.class)).bindTo(pool),
                lookup.findVirtual(poolClass, "waitAll", MethodType.methodType(void.class)).bindTo(pool),
                lookup.findVirtual(poolClass, "imap", MethodType.methodType(mapIterator, Function.class, Iterable.class))
                        .bindTo(pool)
                        .asType(MethodType.methodType(Object.class, Function.class, Iterable.class)));
    }

    /** Tasks per µs over whole invocations, run for at least {@code nanos}. */
    private static double measure(Build build, String op, long nanos) throws Throwable {
        Runnable task = WORK::increment;
        Function<Integer, Integer> fn = n -> n + 1;
        Iterable<Integer> inputs = () -> IntStream.range(0, TASKS).iterator();
        return GreenPoolAlternating.tasksPerMicro(() -> {
            if (op.equals("spawn")) {
                for (int i = 0; i < TASKS; i++) {
                    build.spawnN().invokeExact(task);
                }
                build.waitAll().invokeExact();
            } else {
                Object results = build.imap().invokeExact(fn, inputs);
                long sum = 0;
                for (Iterator<?> it = (Iterator<?>) results; it.hasNext(); ) {
                    sum += (Integer) it.next();
                }
                ((AutoCloseable) results).close();
                if (sum == 0) {
                    throw new IllegalStateException("imap produced nothing");
                }
            }
        }, nanos);
    }
}
