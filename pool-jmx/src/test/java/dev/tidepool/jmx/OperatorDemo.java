package dev.tidepool.jmx;

import dev.tidepool.core.GreenPool;
import dev.tidepool.core.ResourcePool;
import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.TidepoolDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
 *   <li>a {@code TidepoolDataSource} named {@code db} over H2 in memory (maximumPoolSize 5,
 *       minimumIdle 0, three connections idle), with {@code registerMbeans=true}, so it registers
 *       itself through pool-jmx's {@code JdbcMBeanRegistrar},
 * </ul>
 * registers the first two, prints {@code READY}, and then answers commands on standard input, one a line:
 * <ul>
 *   <li>{@code report}: prints its own view of the pools as one line,
 *       {@code REPORT key=value key=value ...} (keys {@code ops.*}, {@code workers.*}, {@code db.*});
 *   <li>{@code timeout}: makes one borrower of {@code ops} time out (the pool notifies), then
 *       prints {@code TIMED-OUT};
 *   <li>{@code exit} (or end of input): closes the pools and exits.
 * </ul>
 * With the argument {@code --traffic} a few virtual threads keep borrowing from {@code ops} and
 * {@code db} at random, so the attributes move while you watch them.
 *
 * <p>Run it for JConsole (from the repository root, after {@code ./mvnw -pl pool-jmx -am verify}):
 * <pre>{@code
 * java -cp "pool-jmx/target/test-classes:pool-jmx/target/classes:pool-core/target/classes:pool-jdbc/target/classes:$H2_JAR" \
 *      dev.tidepool.jmx.OperatorDemo --traffic
 * }</pre>
 * where {@code H2_JAR} is H2's jar in the local Maven repository, e.g.
 * {@code ~/.m2/repository/com/h2database/h2/2.3.232/h2-2.3.232.jar}.
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

        TidepoolDataSource db = dataSource();
        List<Connection> three = List.of(db.getConnection(), db.getConnection(), db.getConnection());
        for (Connection connection : three) {
            connection.close();
        }

        if (traffic) {
            startTraffic(ops, stop);
            startTraffic(db, stop);
        }

        System.out.println("READY");
        System.out.flush();

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            switch (line.trim()) {
                case "report" -> System.out.println("REPORT " + report(ops, workers, db));
                case "timeout" -> {
                    timeOutOnce(ops);
                    System.out.println("TIMED-OUT");
                }
                case "exit" -> {
                    stop.countDown();
                    close(db, ops, workers);
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
        close(db, ops, workers);
    }

    private static TidepoolDataSource dataSource() {
        TidepoolConfig config = new TidepoolConfig();
        config.setJdbcUrl("jdbc:h2:mem:operator-demo;DB_CLOSE_DELAY=-1");
        config.setUsername("sa");
        config.setPassword("");
        config.setPoolName("db");
        config.setMaximumPoolSize(5);
        config.setMinimumIdle(0);
        config.setAllowPoolSuspension(true);
        config.setRegisterMbeans(true);   // found through ServiceLoader: pool-jmx's JdbcMBeanRegistrar
        return new TidepoolDataSource(config);
    }

    static String report(ResourcePool<Object> ops, GreenPool workers, TidepoolDataSource db) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("ops.maxSize", ops.maxSize());
        view.put("ops.size", ops.size());
        view.put("ops.idle", ops.idle());
        view.put("ops.timeouts", ops.stats().timeoutCount());
        view.put("ops.fairness", ops.fairness());
        view.put("workers.size", workers.size());
        view.put("workers.running", workers.running());
        view.put("db.maximumPoolSize", db.getMaximumPoolSize());
        view.put("db.minimumIdle", db.getMinimumIdle());
        view.put("db.total", db.getTotalConnections());
        view.put("db.idle", db.getIdleConnections());
        view.put("db.created", db.stats().createdCount());
        view.put("db.fairness", db.getFairness());
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

    private static void startTraffic(TidepoolDataSource db, CountDownLatch stop) {
        for (int i = 0; i < 3; i++) {
            Thread.ofVirtual().name("db-traffic-" + i).start(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                try {
                    while (!stop.await(random.nextInt(100, 800), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        try (Connection connection = db.getConnection(); Statement statement = connection.createStatement()) {
                            statement.execute("select 1");
                            Thread.sleep(random.nextInt(50, 400)); // a transaction's worth of work
                        } catch (SQLException e) {
                            if (db.isClosed()) {
                                return;
                            }
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
