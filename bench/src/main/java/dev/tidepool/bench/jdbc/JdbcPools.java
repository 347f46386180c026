package dev.tidepool.bench.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.TidepoolDataSource;
import dev.tidepool.jdbc.stub.StubDatabase;
import dev.tidepool.jdbc.stub.StubDriver;
import java.io.Closeable;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * The one place the JDBC benchmarks make their pools, so that Tidepool, HikariCP and Agroal always
 * get the same settings. Every pool connects to its own {@link StubDatabase}
 * ({@code jdbc:stub:bench-<pool>}) with no faults and no delays, and holds its {@code minimumIdle}
 * connections open before it is handed out.
 *
 * <p>Settings, the same for every pool ({@link Settings}): {@code maximumPoolSize},
 * {@code minimumIdle}, {@code connectionTimeout} and {@code autoCommit} as given;
 * {@code leakDetectionThreshold} 0 (off), no {@code connectionTestQuery} (validation is the
 * driver's {@code isValid}), no user or password, and each pool's own defaults for everything
 * else. Two named settings: {@link #BENCHBASE}, HikariCP-benchmark's {@code BenchBase} (pool 32,
 * {@code minimumIdle} 0, {@code connectionTimeout} 8000, {@code autoCommit} false), the peers' own
 * terms; and {@link #FULL}, a full pool with auto-commit on. Agroal gets the stub driver as its
 * {@code connectionProviderClass}, its {@code acquisitionTimeout} for the timeout, and
 * {@code minSize}/{@code initialSize} for {@code minimumIdle}. Each benchmark prints the stub
 * database's counters when a pool is closed, which shows how often each pool validated or
 * reconnected.
 */
public final class JdbcPools {
    /**
     * The pools under test, in the order the benchmarks list them; {@code tidepool-bounded} is
     * Tidepool with {@code fairness=BOUNDED} (the default bound), everything else the same.
     */
    public static final List<String> POOLS = List.of("tidepool", "tidepool-bounded", "hikari", "agroal");

    /** Connections in the JMH benchmarks' pools, as in HikariCP-benchmark. */
    public static final int SIZE = 32;

    /** The JMH benchmarks' connection timeout, as in HikariCP-benchmark. */
    public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(8);

    /** How long a new pool may take to open all its connections. */
    private static final Duration FILL_TIMEOUT = Duration.ofSeconds(30);

    private JdbcPools() {
    }

    /** What every pool is configured with. */
    public record Settings(int size, int minimumIdle, Duration connectionTimeout, boolean autoCommit) {
        public Settings {
            if (size < 1 || minimumIdle < 0 || minimumIdle > size) {
                throw new IllegalArgumentException("need 0 <= minimumIdle <= size, 1 <= size; got minimumIdle "
                        + minimumIdle + ", size " + size);
            }
        }

        /** A full pool ({@code minimumIdle} = size) with auto-commit on. */
        public Settings(int size, Duration connectionTimeout) {
            this(size, size, connectionTimeout, true);
        }
    }

    /** HikariCP-benchmark's BenchBase: pool 32, minimumIdle 0, connectionTimeout 8000, autoCommit false. */
    public static final Settings BENCHBASE = new Settings(SIZE, 0, CONNECTION_TIMEOUT, false);

    /** A full pool of 32 with auto-commit on: what Tidepool's benchmarks measured before BenchBase. */
    public static final Settings FULL = new Settings(SIZE, SIZE, CONNECTION_TIMEOUT, true);

    /** The named settings the JMH benchmarks take as a {@code config} parameter. */
    public static Settings settings(String name) {
        return switch (name) {
            case "benchbase" -> BENCHBASE;
            case "full" -> FULL;
            default -> throw new IllegalArgumentException("unknown config '" + name + "'; known: benchbase, full");
        };
    }

    /** A pool and the stub database behind it. */
    public record Subject(String pool, DataSource dataSource, StubDatabase database) implements Closeable {
        /** Closes the pool; then no connection of it may be left open. */
        @Override
        public void close() throws IOException {
            try {
                ((AutoCloseable) dataSource).close(); // Agroal's is AutoCloseable, not Closeable
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(pool + " did not close", e);
            }
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
     * Makes the pool {@code pool} (one of {@link #POOLS}) over a fresh stub database
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
            case "tidepool" -> tidepool(url, poolName, settings, "STRICT", metricRegistry);
            case "tidepool-bounded" -> tidepool(url, poolName, settings, "BOUNDED", metricRegistry);
            case "hikari" -> hikari(url, poolName, settings, metricRegistry);
            case "agroal" -> agroal(url, settings, metricRegistry);
            default -> throw new IllegalArgumentException("unknown pool '" + pool + "'; known: " + POOLS);
        };
        Subject subject = new Subject(pool, ds, db);
        awaitFull(subject, settings.minimumIdle());
        return subject;
    }

    private static TidepoolDataSource tidepool(String url, String poolName, Settings s, String fairness,
                                               Object metricRegistry) {
        TidepoolConfig config = new TidepoolConfig();
        config.setFairness(fairness);
        config.setJdbcUrl(url);
        config.setPoolName(poolName);
        config.setMaximumPoolSize(s.size());
        config.setMinimumIdle(s.minimumIdle());
        config.setConnectionTimeout(s.connectionTimeout().toMillis());
        config.setAutoCommit(s.autoCommit());
        config.setLeakDetectionThreshold(0);
        config.setMetricRegistry(metricRegistry);
        return new TidepoolDataSource(config);
    }

    private static HikariDataSource hikari(String url, String poolName, Settings s, Object metricRegistry) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName(poolName);
        config.setMaximumPoolSize(s.size());
        config.setMinimumIdle(s.minimumIdle());
        config.setConnectionTimeout(s.connectionTimeout().toMillis());
        config.setAutoCommit(s.autoCommit());
        config.setLeakDetectionThreshold(0);
        config.setMetricRegistry(metricRegistry);
        return new HikariDataSource(config);
    }

    private static AgroalDataSource agroal(String url, Settings s, Object metricRegistry) {
        if (metricRegistry != null) {
            throw new IllegalArgumentException("agroal: no Micrometer binding to measure here (Agroal's metrics are its own)");
        }
        AgroalDataSourceConfigurationSupplier config = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool
                        .maxSize(s.size())
                        .minSize(s.minimumIdle())
                        .initialSize(s.minimumIdle())
                        .acquisitionTimeout(s.connectionTimeout())
                        .connectionFactoryConfiguration(factory -> factory
                                .connectionProviderClass(StubDriver.class)
                                .jdbcUrl(url)
                                .autoCommit(s.autoCommit())));
        try {
            return AgroalDataSource.from(config);
        } catch (SQLException e) {
            throw new IllegalStateException("Agroal did not start over " + url, e);
        }
    }

    /** Pools may fill in the background; wait until the stub database sees {@code size} connections. */
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
