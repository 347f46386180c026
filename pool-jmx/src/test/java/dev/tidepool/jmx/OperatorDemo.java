package dev.tidepool.jmx;

import dev.tidepool.core.GreenPool;
import dev.tidepool.core.ResourcePool;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * A small application with Tidepool pools registered for JMX, to look at with JConsole or drive
 * with a JMX client; {@code OutOfProcessJmxTest} runs it in a second JVM. It builds:
 * <ul>
 *   <li>a {@code ResourcePool} named {@code ops} (max 4, four items idle),
 *   <li>a {@code GreenPool} named {@code workers} (size 8, two long-running tasks),
 * </ul>
 * registers them, prints {@code READY}, and then answers commands on standard input, one a line:
 * <ul>
 *   <li>{@code report}: prints its own view of the pools as one line,
 *       {@code REPORT key=value key=value ...};
 *   <li>{@code timeout}: makes one borrower of {@code ops} time out (the pool notifies), then
 *       prints {@code TIMED-OUT};
 *   <li>{@code exit} (or end of input): closes the pools and exits.
 * </ul>
 * With the argument {@code --traffic} a few virtual threads keep borrowing from {@code ops} at
 * random, so the attributes move while you watch them.
 *
 * <p>Run it for JConsole (from the repository root, after {@code ./mvnw -pl pool-jmx -am verify}):
 * <pre>{@code
 * java -cp "pool-jmx/target/test-classes:pool-jmx/target/classes:pool-core/target/classes:pool-jdbc/target/classes" \
 *      dev.tidepool.jmx.OperatorDemo --traffic
 * }</pre>
 */
public final class OperatorDemo {
    private OperatorDemo() {
    }

    public static void main(String[] args) throws Exception {
        boolean traffic = List.of(args).contains("--traffic");

        ResourcePool<Object> ops = ResourcePool.builder(Object::new).maxSize(4).name("ops").build();
        List<Object> four = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            four.add(ops.get());
        }
        four.forEach(ops::put);
        TidepoolMBeans.register(ops);

        GreenPool workers = new GreenPool(8, "workers");
        CountDownLatch stop = new CountDownLatch(1);
        for (int i = 0; i < 2; i++) {
            workers.spawn(() -> {
                stop.await();
                return null;
            });
        }
        TidepoolMBeans.register(workers);

        if (traffic) {
            startTraffic(ops, stop);
        }

        System.out.println("READY");
        System.out.flush();

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            switch (line.trim()) {
                case "report" -> System.out.println("REPORT " + report(ops, workers));
                case "timeout" -> {
                    timeOutOnce(ops);
                    System.out.println("TIMED-OUT");
                }
                case "exit" -> {
                    stop.countDown();
                    close(ops, workers);
                    System.out.println("BYE");
                    return;
                }
                case "" -> { }
                default -> System.out.println("UNKNOWN " + line);
            }
            System.out.flush();
        }
        // Input closed: whoever started us is gone, so stop rather than linger.
        stop.countDown();
        close(ops, workers);
    }

    static String report(ResourcePool<Object> ops, GreenPool workers) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("ops.maxSize", ops.maxSize());
        view.put("ops.size", ops.size());
        view.put("ops.idle", ops.idle());
        view.put("ops.timeouts", ops.stats().timeoutCount());
        view.put("workers.size", workers.size());
        view.put("workers.running", workers.running());
        return view.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    /** Takes every item and slot of {@code ops}, so one more borrower gives up, then gives them back. */
    private static void timeOutOnce(ResourcePool<Object> ops) throws InterruptedException {
        List<Object> taken = new ArrayList<>();
        try {
            while (ops.free() > 0) {
                taken.add(ops.get(Duration.ZERO));
            }
            ops.get(Duration.ofMillis(20));
            throw new IllegalStateException("ops had an item to spare");
        } catch (TimeoutException expected) {
            // what the command is for
        } finally {
            taken.forEach(ops::put);
        }
    }

    private static void startTraffic(ResourcePool<Object> ops, CountDownLatch stop) {
        for (int i = 0; i < 6; i++) {
            Thread.ofVirtual().name("traffic-" + i).start(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                try {
                    while (!stop.await(random.nextInt(50, 400), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        try {
                            Object item = ops.get(Duration.ofMillis(random.nextInt(50, 300)));
                            Thread.sleep(random.nextInt(100, 600)); // "work" holding the item
                            ops.put(item);
                        } catch (TimeoutException e) {
                            // counted by the pool, and notified over JMX
                        } catch (IllegalStateException closed) {
                            return;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    private static void close(AutoCloseable... pools) throws Exception {
        for (AutoCloseable pool : pools) {
            pool.close();
        }
    }
}
