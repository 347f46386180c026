package dev.tidepool.bench.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.TidepoolDataSource;
import dev.tidepool.jdbc.stub.StubDatabase;
import dev.tidepool.jdbc.stub.StubDriver;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * The one place the JDBC benchmarks make their pools, so that HikariCP and Tidepool always get the
 * same settings. Every pool connects to its own {@link StubDatabase} ({@code jdbc:stub:bench-<pool>})
 * with no faults and no delays, and is full (every connection open) before it is handed out.
 *
 * <p>Settings, the same for both pools ({@link Settings}): {@code maximumPoolSize} and
 * {@code minimumIdle} = the size, {@code connectionTimeout} as given, {@code autoCommit} true,
 * {@code leakDetectionThreshold} 0 (off), no {@code connectionTestQuery} (validation is the
 * driver's {@code isValid}), no user or password, and HikariCP's defaults for everything else
 * (idle timeout, max lifetime, keepalive, validation timeout, no MBeans). This is what
 * HikariCP-benchmark does; the stub's {@code isValid} answers at once, and both pools skip
 * validation for a connection used within the last 500 ms anyway, so validation does not
 * dominate. Each benchmark prints the stub database's counters when a pool is closed, which shows
 * how often each pool validated or reconnected.
 */
public final class JdbcPools {
    /** The pools under test, in the order the benchmarks list them. */
    public static final List<String> POOLS = List.of("tidepool", "hikari");

    /** Connections in the JMH benchmarks' pools, as in HikariCP-benchmark. */
    public static final int SIZE = 32;

    /** The JMH benchmarks' connection timeout, as in HikariCP-benchmark. */
    public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(8);

    /** How long a new pool may take to open all its connections. */
    private static final Duration FILL_TIMEOUT = Duration.ofSeconds(30);

    private JdbcPools() {
    }

    /** What both pools are configured with. */
    public record Settings(int size, Duration connectionTimeout) {
        public Settings {
            if (size < 1) {
                throw new IllegalArgumentException("size < 1: " + size);
            }
        }
    }

    /** A pool and the stub database behind it. */
    public record Subject(String pool, DataSource dataSource, StubDatabase database) implements Closeable {
        /** Closes the pool; then no connection of it may be left open. */
        @Override
        public void close() throws IOException {
            ((Closeable) dataSource).close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (database.openConnections() > 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }

        /** One line of the stub database's counters, for the benchmark's log (after {@link #close()}: all of them). */
        public String counters() {
            return String.format("%s: connections opened %d, closed %d, still open %d; isValid calls %d;"
                            + " statements executed %d",
                    pool, database.connectionsOpened(), database.connectionsClosed(), database.openConnections(),
                    database.isValidCalls(), database.statementsExecuted());
        }
    }

    /**
     * Makes the pool {@code pool} ({@code "tidepool"} or {@code "hikari"}) over a fresh stub database
     * {@code bench-<pool>} and waits until all its connections are open.
     */
    public static Subject open(String pool, Settings settings) {
        return open(pool, settings, null);
    }

    /**
     * Like {@link #open(String, Settings)}, with {@code metricRegistry} (a Micrometer
     * {@code MeterRegistry}, or null for none) set on the pool before it starts: both pools take it
     * through {@code setMetricRegistry}, HikariCP's own way.
     */
    public static Subject open(String pool, Settings settings, Object metricRegistry) {
        StubDriver.register();
        String dbName = "bench-" + pool;
        StubDatabase db = StubDatabase.reset(dbName);
        if (db.openConnections() != 0) {
            throw new IllegalStateException("a previous pool left connections open: " + db);
        }
        String url = db.url();
        String poolName = "bench-" + pool;
        DataSource ds = switch (pool) {
            case "tidepool" -> tidepool(url, poolName, settings, metricRegistry);
            case "hikari" -> hikari(url, poolName, settings, metricRegistry);
            default -> throw new IllegalArgumentException("unknown pool '" + pool + "'; known: " + POOLS);
        };
        Subject subject = new Subject(pool, ds, db);
        awaitFull(subject, settings.size());
        return subject;
    }

    private static TidepoolDataSource tidepool(String url, String poolName, Settings s, Object metricRegistry) {
        TidepoolConfig config = new TidepoolConfig();
        config.setJdbcUrl(url);
        config.setPoolName(poolName);
        config.setMaximumPoolSize(s.size());
        config.setMinimumIdle(s.size());
        config.setConnectionTimeout(s.connectionTimeout().toMillis());
        config.setAutoCommit(true);
        config.setLeakDetectionThreshold(0);
        config.setMetricRegistry(metricRegistry);
        return new TidepoolDataSource(config);
    }

    private static HikariDataSource hikari(String url, String poolName, Settings s, Object metricRegistry) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName(poolName);
        config.setMaximumPoolSize(s.size());
        config.setMinimumIdle(s.size());
        config.setConnectionTimeout(s.connectionTimeout().toMillis());
        config.setAutoCommit(true);
        config.setLeakDetectionThreshold(0);
        config.setMetricRegistry(metricRegistry);
        return new HikariDataSource(config);
    }

    /** Both pools may fill in the background; wait until the stub database sees every connection. */
    private static void awaitFull(Subject subject, int size) {
        long deadline = System.nanoTime() + FILL_TIMEOUT.toNanos();
        while (subject.database().openConnections() < size) {
            if (System.nanoTime() > deadline) {
                String counters = subject.counters();
                try {
                    subject.close();
                } catch (IOException | RuntimeException e) {
                    // reporting the fill failure matters more
                }
                throw new IllegalStateException("pool did not open " + size + " connections in " + FILL_TIMEOUT
                        + ": " + counters);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
