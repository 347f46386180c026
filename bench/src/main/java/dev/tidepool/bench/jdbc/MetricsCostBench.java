package dev.tidepool.bench.jdbc;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What metrics cost on the borrow path: {@link ConnectionBench}'s getConnection + close, each pool
 * with no registry and with a Micrometer {@link SimpleMeterRegistry} set through
 * {@code setMetricRegistry} (Tidepool through pool-micrometer's binding, HikariCP through its own
 * {@code MicrometerMetricsTrackerFactory}): an acquire timer and a usage timer per cycle, and the
 * clock reads they need. The ratio {@code simple / none} of each pool is the cost; compare the two
 * pools' ratios, not their scores (ConnectionBench does that).
 *
 * <pre>{@code
 * ./mvnw -q -pl bench -am package exec:exec -DskipTests \
 *     -Dbench.args="MetricsCostBench -f 1 -wi 3 -w 2s -i 5 -r 2s"
 * }</pre>
 *
 * At trial end each pool prints the stub database's counters and, with a registry, the acquire
 * timer's count, which must match the cycles run (a timer that recorded nothing would make the
 * cost look like zero).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MetricsCostBench {

    @State(Scope.Benchmark)
    public static class PoolState {
        @Param({"tidepool", "hikari"})
        public String pool;

        /** {@code none}: no registry; {@code simple}: a SimpleMeterRegistry bound. */
        @Param({"none", "simple"})
        public String metrics;

        JdbcPools.Subject subject;
        DataSource dataSource;
        MeterRegistry registry;

        @Setup(Level.Trial)
        public void setUp() {
            registry = switch (metrics) {
                case "none" -> null;
                case "simple" -> new SimpleMeterRegistry();
                default -> throw new IllegalArgumentException("metrics: none or simple, not " + metrics);
            };
            subject = JdbcPools.open(pool, new JdbcPools.Settings(JdbcPools.SIZE, JdbcPools.CONNECTION_TIMEOUT),
                    registry);
            dataSource = subject.dataSource();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            String acquired = registry == null ? "" : "; acquire timer count "
                    + (long) registry.get(pool.equals("hikari") ? "hikaricp.connections.acquire"
                            : "tidepool.connections.acquire").timer().count();
            subject.close();
            System.err.println();
            System.err.println("# " + subject.counters() + acquired);
        }
    }

    @Benchmark
    @Threads(1)
    public Connection cycle_t1(PoolState s) throws SQLException {
        return ConnectionBench.cycle(s.dataSource);
    }

    @Benchmark
    @Threads(8)
    public Connection cycle_t8(PoolState s) throws SQLException {
        return ConnectionBench.cycle(s.dataSource);
    }
}
