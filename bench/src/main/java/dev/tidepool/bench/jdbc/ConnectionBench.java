package dev.tidepool.bench.jdbc;

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
 * HikariCP-benchmark's {@code ConnectionBench}: {@code getConnection()} then {@code close()} on a
 * pool of {@value JdbcPools#SIZE} connections over the stub driver, Tidepool's
 * {@code TidepoolDataSource} against HikariCP's {@code HikariDataSource}, on 1, 2 and 8 platform
 * threads sharing one pool. Both pools are made by {@link JdbcPools} with the same settings and are
 * full before the first measured call. The thread count is part of the method name
 * ({@code _t1}, {@code _t2}, {@code _t8}); don't pass {@code -t}, it would override all three.
 *
 * <pre>{@code
 * ./mvnw -q -pl bench -am package exec:exec -DskipTests \
 *     -Dbench.args="ConnectionBench -f 1 -wi 3 -w 2s -i 5 -r 2s"
 * }</pre>
 *
 * Add {@code -p pool=tidepool} (or {@code hikari}) for one pool only, {@code -prof gc} for
 * allocation per operation. At trial end each pool prints its stub database's counters to stderr
 * (connections opened and closed, {@code isValid} calls): a pool that reconnected or validated
 * during the run shows it there.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ConnectionBench {

    @State(Scope.Benchmark)
    public static class PoolState {
        @Param({"tidepool", "hikari"})
        public String pool;

        JdbcPools.Subject subject;
        DataSource dataSource;

        @Setup(Level.Trial)
        public void setUp() {
            subject = JdbcPools.open(pool, new JdbcPools.Settings(JdbcPools.SIZE, JdbcPools.CONNECTION_TIMEOUT));
            dataSource = subject.dataSource();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            subject.close();
            System.err.println();
            System.err.println("# " + subject.counters());
        }
    }

    @Benchmark
    @Threads(1)
    public Connection cycle_t1(PoolState s) throws SQLException {
        return cycle(s.dataSource);
    }

    @Benchmark
    @Threads(2)
    public Connection cycle_t2(PoolState s) throws SQLException {
        return cycle(s.dataSource);
    }

    @Benchmark
    @Threads(8)
    public Connection cycle_t8(PoolState s) throws SQLException {
        return cycle(s.dataSource);
    }

    /** One borrow: the returned (closed) proxy goes to JMH's blackhole, as in HikariCP-benchmark. */
    static Connection cycle(DataSource ds) throws SQLException {
        Connection connection = ds.getConnection();
        connection.close();
        return connection;
    }
}
