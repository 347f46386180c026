package dev.tidepool.bench.jdbc;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * HikariCP-benchmark's {@code StatementBench}: what a pool's connection proxy costs per statement.
 * Each benchmark thread borrows one connection at the start of every iteration and returns it at the
 * end ({@code Level.Iteration}, outside the measurement); each operation is
 * {@code createStatement()}, {@code execute("INSERT ...")} (result to the blackhole) and
 * {@code Statement.close()} on that connection. So no two threads share a connection, and the pool's
 * borrow path is not measured at all: only its statement proxy (creating it, tracking it as an open
 * statement of the connection, passing {@code execute} through with its exception check, and
 * closing it). Tidepool against HikariCP and Agroal, all from {@link JdbcPools} in the same two
 * configurations as {@link ConnectionBench}, on 1, 2, 4 and 8 platform threads ({@code _t1} ...
 * {@code _t8}; don't pass {@code -t}) and {@value VirtualThreadBurst#THREADS} virtual threads
 * ({@code _vt32}: each borrows its own connection for its burst).
 *
 * <p>HikariCP-benchmark sizes the pool to the thread count here; this one keeps the
 * {@value JdbcPools#SIZE}-connection pool of {@link ConnectionBench}, which makes no difference:
 * each thread holds exactly one connection for a whole iteration.
 *
 * <pre>{@code
 * ./mvnw -q -pl bench -am package exec:exec -DskipTests \
 *     -Dbench.args="StatementBench -f 1 -wi 3 -w 2s -i 5 -r 2s"
 * }</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StatementBench {
    /** The statement every operation executes; the stub driver reports one row inserted. */
    static final String SQL = "INSERT INTO test (column) VALUES (1)";

    @State(Scope.Benchmark)
    public static class PoolState {
        @Param({"tidepool", "hikari", "agroal"})
        public String pool;

        @Param({"benchbase", "full"})
        public String config;

        JdbcPools.Subject subject;

        @Setup(Level.Trial)
        public void setUp() {
            subject = JdbcPools.open(pool, JdbcPools.settings(config));
            // Measure the proxies, not the stub's database-wide statement counters (which every
            // thread would bump on every statement); HikariCP-benchmark's stub counts nothing.
            subject.database().countStatements(false);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            subject.close();
            System.err.println();
            System.err.println("# " + subject.counters());
        }
    }

    /** One connection per benchmark thread, borrowed for one iteration. */
    @State(Scope.Thread)
    public static class ConnectionState {
        Connection connection;

        @Setup(Level.Iteration)
        public void borrow(PoolState pool) throws SQLException {
            connection = pool.subject.dataSource().getConnection();
        }

        @TearDown(Level.Iteration)
        public void giveBack() throws SQLException {
            connection.close();
        }
    }

    @Benchmark
    @Threads(1)
    public Statement statement_t1(ConnectionState c, Blackhole bh) throws SQLException {
        return cycle(c.connection, bh);
    }

    @Benchmark
    @Threads(2)
    public Statement statement_t2(ConnectionState c, Blackhole bh) throws SQLException {
        return cycle(c.connection, bh);
    }

    @Benchmark
    @Threads(4)
    public Statement statement_t4(ConnectionState c, Blackhole bh) throws SQLException {
        return cycle(c.connection, bh);
    }

    @Benchmark
    @Threads(8)
    public Statement statement_t8(ConnectionState c, Blackhole bh) throws SQLException {
        return cycle(c.connection, bh);
    }

    /** Each virtual thread borrows one connection for its whole burst, as a platform thread does per iteration. */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(VirtualThreadBurst.OPERATIONS)
    public void statement_vt32(PoolState s, Blackhole bh) throws Exception {
        DataSource ds = s.subject.dataSource();
        VirtualThreadBurst.run(operations -> {
            boolean executed = false;
            try (Connection connection = ds.getConnection()) {
                for (int i = 0; i < operations; i++) {
                    Statement statement = connection.createStatement();
                    executed ^= statement.execute(SQL);
                    statement.close();
                }
            }
            bh.consume(executed); // Blackhole is not for many threads: one consume per thread, after the loop
        });
    }

    private static Statement cycle(Connection connection, Blackhole bh) throws SQLException {
        Statement statement = connection.createStatement();
        bh.consume(statement.execute(SQL));
        statement.close();
        return statement;
    }
}
