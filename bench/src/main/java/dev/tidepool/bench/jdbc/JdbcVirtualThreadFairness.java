package dev.tidepool.bench.jdbc;

import dev.tidepool.bench.FairnessRun;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
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
 * <p>Every pool comes from {@link JdbcPools} with the same settings ({@code tidepool-bounded} is
 * Tidepool with {@code fairness=BOUNDED}): {@code maximumPoolSize} =
 * {@code minimumIdle} = {@code --size}, {@code connectionTimeout} = {@code --timeout} (60 s, so
 * that nobody times out; a timeout is counted, not fatal), auto-commit on, no leak detection. A
 * fresh, full pool is made for every round, outside the measured time.
 *
 * <p>Counting is {@link FairnessRun}'s: a connection counts towards throughput and the per-thread
 * spread if it was handed out before the deadline; a thread with no such connection is starved. The
 * wait of every {@code getConnection()} that began before the deadline is recorded, even if it
 * returned only while the round drained. Rounds of the pools are interleaved (round 1 of
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
 * --yields N --hold 0s --pools tidepool,tidepool-bounded,hikari,agroal}. {@code --hold} makes every statement block that
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

    /** Each worker's loop body: get a connection, run a statement, yield while holding, close. */
    static Supplier<FairnessRun.Cycle> cycles(DataSource ds, int yields) {
        return () -> new FairnessRun.Cycle() {
            long sink; // keeps the work from being optimized away

            @Override
            public long run() throws SQLException {
                Connection connection;
                try {
                    connection = ds.getConnection();
                } catch (SQLTransientConnectionException timedOut) {
                    return -1;
                }
                long granted = System.nanoTime();
                try {
                    Statement statement = connection.createStatement();
                    if (statement.execute(SQL)) { // the same work per connection for every pool
                        sink++;
                    }
                    sink += statement.getUpdateCount();
                    statement.close();
                    for (int y = 0; y < yields; y++) {
                        Thread.yield();           // hold the connection across a yield: others run and queue
                    }
                } finally {
                    connection.close();
                }
                return granted;
            }
        };
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
                case "--duration" -> duration = FairnessRun.parseDuration(v);
                case "--timeout" -> timeout = FairnessRun.parseDuration(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--yields" -> yields = Integer.parseInt(v);
                case "--hold" -> hold = FairnessRun.parseDuration(v);
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
        FairnessRun.printJvm();

        Map<String, List<FairnessRun.Round>> results = new LinkedHashMap<>();
        for (int r = -warmup; r < rounds; r++) {
            for (String name : pools) {
                FairnessRun.Round round;
                try (JdbcPools.Subject subject = JdbcPools.open(name, settings)) {
                    // Each statement blocks this long in the stub, as a network round trip would:
                    // the holder parks, unlike the yields, which keep it runnable.
                    subject.database().executeDelay(hold);
                    round = FairnessRun.round(name, cycles(subject.dataSource(), yields), threads, duration)
                            .withNote(subject.counters());
                }
                FairnessRun.printRound(round, r < 0 ? r + warmup + 1 : r + 1, r < 0, "connections");
                if (r >= 0) {
                    results.computeIfAbsent(name, k -> new ArrayList<>()).add(round);
                }
            }
        }
        FairnessRun.printTables(results, "connections", "getConnection()");
    }
}
