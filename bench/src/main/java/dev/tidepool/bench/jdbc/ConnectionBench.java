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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
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
 * {@code TidepoolDataSource} against HikariCP's {@code HikariDataSource} and Agroal's
 * {@code AgroalDataSource}, on 1, 2, 4 and 8 platform threads sharing one pool, and on
 * {@value VirtualThreadBurst#THREADS} virtual threads. Every pool is made by {@link JdbcPools} with
 * the same settings, in two configurations ({@code config}): {@code benchbase}, HikariCP-benchmark's
 * own (minimumIdle 0, autoCommit false), and {@code full} (minimumIdle = size, autoCommit true).
 * The thread count is part of the method name ({@code _t1} ... {@code _t8}, {@code _vt32}); don't
 * pass {@code -t}, it would override them all.
 *
 * <pre>{@code
 * ./mvnw -q -pl bench -am package exec:exec -DskipTests \
 *     -Dbench.args="ConnectionBench -f 4 -wi 3 -w 1s -i 5 -r 1s"
 * }</pre>
 *
 * Add {@code -p pool=tidepool} (or {@code hikari}, {@code agroal}) for one pool only,
 * {@code -p config=benchbase} for one configuration, {@code -prof gc} for allocation per operation. At trial end each pool prints its stub database's counters to stderr
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
        @Param({"tidepool", "hikari", "agroal"})
        public String pool;

        @Param({"benchbase", "full"})
        public String config;

        JdbcPools.Subject subject;
        DataSource dataSource;

        @Setup(Level.Trial)
        public void setUp() {
            subject = JdbcPools.open(pool, JdbcPools.settings(config));
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
    @Threads(4)
    public Connection cycle_t4(PoolState s) throws SQLException {
        return cycle(s.dataSource);
    }

    @Benchmark
    @Threads(8)
    public Connection cycle_t8(PoolState s) throws SQLException {
        return cycle(s.dataSource);
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(VirtualThreadBurst.OPERATIONS)
    public void cycle_vt32(PoolState s) throws Exception {
        DataSource ds = s.dataSource;
        VirtualThreadBurst.run(operations -> {
            for (int i = 0; i < operations; i++) {
                cycle(ds);
            }
        });
    }

    /** One borrow: the returned (closed) proxy goes to JMH's blackhole, as in HikariCP-benchmark. */
    static Connection cycle(DataSource ds) throws SQLException {
        Connection connection = ds.getConnection();
        connection.close();
        return connection;
    }
}
