package dev.tidepool.bench.jdbc;

import dev.tidepool.bench.LatencyHistogram;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The virtual-thread fairness run for JDBC pools: {@code --threads} (1,000) virtual threads share a
 * pool of {@code --size} (10) connections over the stub driver. Each thread loops: get a connection,
 * create a statement, execute an {@code INSERT}, close the statement, call {@link Thread#yield()}
 * {@code --yields} times (1) while still holding the connection (so the others really queue),
 * close the connection. A round runs for {@code --duration} (2 s); it reports connections per
 * second, how many threads never got a connection (starved), the wait in {@code getConnection()}
 * (p50, p99, p99.9, max) and the spread of connections over the threads.
 *
 * <p>Both pools come from {@link JdbcPools} with the same settings: {@code maximumPoolSize} =
 * {@code minimumIdle} = {@code --size}, {@code connectionTimeout} = {@code --timeout} (60 s, so
 * that nobody times out; a timeout is counted, not fatal), auto-commit on, no leak detection. A
 * fresh, full pool is made for every round, outside the measured time.
 *
 * <p>Counting is {@code VirtualThreadFairness}'s: a connection counts towards throughput and the
 * per-thread spread if it was handed out before the deadline; a thread with no such connection is
 * starved. The wait of every {@code getConnection()} that began before the deadline is recorded,
 * even if it returned only while the round drained. Rounds of the pools are interleaved (round 1 of
 * every pool, then round 2, ...) so background noise spreads over all of them; every pool gets
 * {@code --warmup} (1) unmeasured rounds first.
 *
 * <p>Run it through the same exec:exec as the JMH benchmarks:
 *
 * <pre>{@code
 * ./mvnw -q -pl bench -am package exec:exec -DskipTests \
 *     -Dbench.main=dev.tidepool.bench.jdbc.JdbcVirtualThreadFairness -Dbench.args="--rounds 3"
 * }</pre>
 *
 * Options: {@code --threads N --size N --duration 2s --warmup N --rounds N --timeout 60s
 * --yields N --hold 0s --pools tidepool,hikari}. {@code --hold} makes every statement block that
 * long in the stub (the holder parks, as on a real network round trip).
 */
public final class JdbcVirtualThreadFairness {
    /** The statement each thread executes while it holds a connection. */
    static final String SQL = "INSERT INTO test (column) VALUES (1)";

    /**
     * Tidepool logs pool start and close at INFO through java.util.logging, to stderr, where it
     * interleaves with the tables on stdout; HikariCP logs through SLF4J, which has no provider in
     * the bench module (NOP). Neither logs on the measured path. Warnings still show. Held in a field
     * because java.util.logging keeps loggers only weakly.
     */
    private static final Logger TIDEPOOL_LOG = Logger.getLogger("dev.tidepool.jdbc");

    private JdbcVirtualThreadFairness() {
    }

    /** What one round measured. */
    record Round(String pool, long connections, double seconds, int starved, long timeouts,
                 long p50Nanos, long p99Nanos, long p999Nanos, long maxNanos,
                 long minPerThread, long medianPerThread, long maxPerThread, String counters) {
        double connectionsPerSecond() {
            return connections / seconds;
        }
    }

    /** Per-thread results, written only by its own thread and read after it ended. */
    static final class Worker {
        final LatencyHistogram waits = new LatencyHistogram();
        long connections;
        long timeouts;
        long sink;
        Throwable failure;
    }

    private static volatile boolean stop;
    /** Connections handed out after this instant do not count. */
    private static volatile long deadline;

    static Round round(JdbcPools.Subject subject, int threads, Duration duration, int yields)
            throws InterruptedException {
        String name = subject.pool();
        DataSource ds = subject.dataSource();
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
                    work(ds, w, yields);
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
        long connections = 0;
        long timeouts = 0;
        int starved = 0;
        long[] perThread = new long[threads];
        for (int i = 0; i < threads; i++) {
            Worker w = workers[i];
            if (w.failure != null) {
                throw new IllegalStateException(name + ": a worker failed", w.failure);
            }
            all.add(w.waits);
            connections += w.connections;
            timeouts += w.timeouts;
            perThread[i] = w.connections;
            if (w.connections == 0) {
                starved++;
            }
        }
        Arrays.sort(perThread);
        return new Round(name, connections, seconds, starved, timeouts,
                all.percentile(0.50), all.percentile(0.99), all.percentile(0.999), all.max(),
                perThread[0], perThread[threads / 2], perThread[threads - 1], subject.counters());
    }

    private static void work(DataSource ds, Worker w, int yields) throws SQLException {
        while (!stop) {
            long t0 = System.nanoTime();
            Connection connection;
            try {
                connection = ds.getConnection();
            } catch (SQLTransientConnectionException timedOut) {
                w.timeouts++;
                continue;
            }
            long t1 = System.nanoTime();
            try {
                Statement statement = connection.createStatement();
                if (statement.execute(SQL)) { // the same work per connection for every pool
                    w.sink++;
                }
                w.sink += statement.getUpdateCount();
                statement.close();
                for (int y = 0; y < yields; y++) {
                    Thread.yield();           // hold the connection across a yield: others run and queue
                }
            } finally {
                connection.close();
            }
            if (t1 <= deadline) {         // connections handed out after the deadline do not count...
                w.connections++;
            }
            if (t0 <= deadline) {         // ...but a wait that began before it does, however long
                w.waits.record(t1 - t0);
            }
        }
    }

    // ------------------------------------------------------------ main

    public static void main(String[] args) throws Exception {
        int threads = 1000;
        int size = 10;
        Duration duration = Duration.ofSeconds(2);
        Duration timeout = Duration.ofSeconds(60);
        int warmup = 1;
        int rounds = 3;
        int yields = 1;
        Duration hold = Duration.ZERO;
        List<String> pools = JdbcPools.POOLS;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--threads" -> threads = Integer.parseInt(v);
                case "--size" -> size = Integer.parseInt(v);
                case "--duration" -> duration = parseDuration(v);
                case "--timeout" -> timeout = parseDuration(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--yields" -> yields = Integer.parseInt(v);
                case "--hold" -> hold = parseDuration(v);
                case "--pools" -> pools = List.of(v.split(","));
                case "-h", "--help" -> {
                    System.out.println("options: --threads N --size N --duration 2s --warmup N --rounds N"
                            + " --timeout 60s --yields N --hold 0s --pools " + String.join(",", JdbcPools.POOLS));
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
            }
            i++;
        }
        for (String p : pools) {
            if (!JdbcPools.POOLS.contains(p)) {
                throw new IllegalArgumentException("unknown pool " + p + "; known: " + JdbcPools.POOLS);
            }
        }
        JdbcPools.Settings settings = new JdbcPools.Settings(size, timeout);
        TIDEPOOL_LOG.setLevel(Level.WARNING);

        System.out.printf(Locale.ROOT, "# JdbcVirtualThreadFairness: %d virtual threads, pool size %d,"
                        + " connectionTimeout %s, %d yield(s) and a %s statement while holding, %s per round,"
                        + " %d warmup + %d measured rounds per pool%n",
                threads, size, timeout, yields, hold, duration, warmup, rounds);
        System.out.printf(Locale.ROOT, "# JVM: %s %s (%s), %d CPUs, carrier parallelism %s%n",
                System.getProperty("java.vm.name"), Runtime.version(), System.getProperty("java.home"),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("jdk.virtualThreadScheduler.parallelism", "default"));

        Map<String, List<Round>> results = new LinkedHashMap<>();
        for (int r = -warmup; r < rounds; r++) {
            for (String name : pools) {
                Round round;
                try (JdbcPools.Subject subject = JdbcPools.open(name, settings)) {
                    // Each statement blocks this long in the stub, as a network round trip would:
                    // the holder parks, unlike the yields, which keep it runnable.
                    subject.database().executeDelay(hold);
                    round = round(subject, threads, duration, yields);
                }
                System.out.printf(Locale.ROOT, "%s round %d: %,.0f connections/s, starved %d, p99 %s µs,"
                                + " timeouts %d; %s%n",
                        r < 0 ? "warmup" : "measure", r < 0 ? r + warmup + 1 : r + 1, round.connectionsPerSecond(),
                        round.starved(), micros(round.p99Nanos()), round.timeouts(), round.counters());
                if (r >= 0) {
                    results.computeIfAbsent(name, k -> new ArrayList<>()).add(round);
                }
            }
        }

        System.out.println();
        System.out.println("Per round:");
        System.out.println();
        System.out.println("| pool | round | connections/s | starved threads | timeouts | p50 wait µs | p99 wait µs"
                + " | p99.9 wait µs | max wait µs | connections per thread min / median / max |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Map.Entry<String, List<Round>> e : results.entrySet()) {
            int n = 0;
            for (Round x : e.getValue()) {
                System.out.printf(Locale.ROOT, "| %s | %d | %,.0f | %d | %d | %s | %s | %s | %s | %d / %d / %d |%n",
                        e.getKey(), ++n, x.connectionsPerSecond(), x.starved(), x.timeouts(), micros(x.p50Nanos()),
                        micros(x.p99Nanos()), micros(x.p999Nanos()), micros(x.maxNanos()),
                        x.minPerThread(), x.medianPerThread(), x.maxPerThread());
            }
        }
        System.out.println();
        System.out.println("Summary:");
        System.out.println();
        System.out.println("| pool | connections/s, mean of rounds | min .. max | starved threads, per round"
                + " | worst p50 wait µs | worst p99 wait µs | worst max wait µs |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (Map.Entry<String, List<Round>> e : results.entrySet()) {
            List<Round> rs = e.getValue();
            double mean = rs.stream().mapToDouble(Round::connectionsPerSecond).average().orElse(0);
            double min = rs.stream().mapToDouble(Round::connectionsPerSecond).min().orElse(0);
            double max = rs.stream().mapToDouble(Round::connectionsPerSecond).max().orElse(0);
            String starved = String.join(", ", rs.stream().map(x -> Integer.toString(x.starved())).toList());
            long p50 = rs.stream().mapToLong(Round::p50Nanos).max().orElse(0);
            long p99 = rs.stream().mapToLong(Round::p99Nanos).max().orElse(0);
            long maxWait = rs.stream().mapToLong(Round::maxNanos).max().orElse(0);
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f .. %,.0f | %s | %s | %s | %s |%n",
                    e.getKey(), mean, min, max, starved, micros(p50), micros(p99), micros(maxWait));
        }
        System.out.println();
        System.out.println("Waits: every getConnection() that began before the deadline (see the class comment)."
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
}
