package dev.tidepool.bench.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.TidepoolDataSource;
import dev.tidepool.testsupport.postgres.BackendSampler;
import dev.tidepool.testsupport.postgres.PostgresServer;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * The one place the real-PostgreSQL benchmark makes its pools, so that Tidepool, HikariCP and
 * Agroal always get the same settings ({@link PoolSettings}): the same maximum and minimum size,
 * the same connection timeout, auto-commit off, the same role and password, and their own
 * defaults for everything else (validation, lifetimes, leak detection off). Each pool's
 * connections carry {@code ApplicationName=tpcb-<pool>}, so {@code pg_stat_activity} counts them
 * ({@link BackendSampler}).
 *
 * <p>{@link #open} returns once the server shows at least the pool's {@code minimumIdle} connections, and
 * {@link Subject#close()} once it shows none, so a round never starts while another pool's
 * connections are still coming or going.
 *
 * <pre>{@code
 * try (PostgresPools.Subject hikari = PostgresPools.open("hikari", postgres, PoolSettings.FIXED_20)) {
 *     try (Connection connection = hikari.dataSource().getConnection()) { ... }
 * }
 * }</pre>
 */
public final class PostgresPools {
    /** The pools under test, in the order the tables list them. */
    public static final List<String> POOLS = List.of("tidepool", "hikari", "agroal");

    /** How long a new pool may take to open its connections, and a closed one to close them. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

    private PostgresPools() {
    }

    /** The {@code application_name} of {@code pool}'s connections. */
    public static String applicationName(String pool) {
        return "tpcb-" + pool;
    }

    /** A pool under test and the server it talks to. */
    public record Subject(String pool, DataSource dataSource, PostgresServer server) implements AutoCloseable {
        /** Closes the pool and waits until the server shows none of its connections. */
        @Override
        public void close() throws Exception {
            ((AutoCloseable) dataSource).close();
            awaitBackends(server, pool, 0, false, "closing");
        }

        /** Closes the pool, adding whatever goes wrong to {@code failure}. */
        void closeAfter(Throwable failure) {
            try {
                close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }

    /**
     * Makes the pool {@code pool} (one of {@link #POOLS}) on {@code server}'s database with
     * {@code settings} and waits until the server shows {@code minimumIdle} of its connections.
     *
     * @throws IllegalArgumentException for a pool not in {@link #POOLS}
     */
    public static Subject open(String pool, PostgresServer server, PoolSettings settings) throws SQLException {
        String application = applicationName(pool);
        if (server.backendCount(application) != 0) {
            throw new IllegalStateException(application + ": connections of an earlier pool are still open");
        }
        DataSource dataSource = switch (pool) {
            case "tidepool" -> tidepool(server, application, settings);
            case "hikari" -> hikari(server, application, settings);
            case "agroal" -> agroal(server, application, settings);
            default -> throw new IllegalArgumentException("unknown pool '" + pool + "'; known: " + POOLS);
        };
        Subject subject = new Subject(pool, dataSource, server);
        try {
            // At least: a pool may open a first connection even with minimumIdle 0 (to fail fast).
            awaitBackends(server, pool, settings.minimumIdle(), true, "opening");
        } catch (SQLException | RuntimeException e) {
            subject.closeAfter(e);
            throw e;
        }
        return subject;
    }

    private static TidepoolDataSource tidepool(PostgresServer server, String application, PoolSettings s) {
        TidepoolConfig config = new TidepoolConfig();
        config.setJdbcUrl(server.jdbcUrl());
        config.setUsername(server.username());
        config.setPassword(server.password());
        config.setPoolName(application);
        config.addDataSourceProperty("ApplicationName", application);
        config.setMaximumPoolSize(s.maximumPoolSize());
        config.setMinimumIdle(s.minimumIdle());
        config.setConnectionTimeout(s.connectionTimeout().toMillis());
        config.setAutoCommit(false);
        return new TidepoolDataSource(config);
    }

    private static HikariDataSource hikari(PostgresServer server, String application, PoolSettings s) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.jdbcUrl());
        config.setUsername(server.username());
        config.setPassword(server.password());
        config.setPoolName(application);
        config.addDataSourceProperty("ApplicationName", application);
        config.setMaximumPoolSize(s.maximumPoolSize());
        config.setMinimumIdle(s.minimumIdle());
        config.setConnectionTimeout(s.connectionTimeout().toMillis());
        config.setAutoCommit(false);
        return new HikariDataSource(config);
    }

    private static AgroalDataSource agroal(PostgresServer server, String application, PoolSettings s)
            throws SQLException {
        AgroalDataSourceConfigurationSupplier config = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool
                        .maxSize(s.maximumPoolSize())
                        .minSize(s.minimumIdle())
                        .initialSize(s.minimumIdle())
                        .acquisitionTimeout(s.connectionTimeout())
                        .connectionFactoryConfiguration(factory -> factory
                                .jdbcUrl(server.jdbcUrl())
                                .principal(new NamePrincipal(server.username()))
                                .credential(new SimplePassword(server.password()))
                                .jdbcProperty("ApplicationName", application)
                                .autoCommit(false)));
        return AgroalDataSource.from(config);
    }

    /**
     * Polls {@code pg_stat_activity} until it shows {@code expected} connections of {@code pool}, or
     * at least that many if {@code orMore}.
     */
    private static void awaitBackends(PostgresServer server, String pool, int expected, boolean orMore, String doing)
            throws SQLException {
        String application = applicationName(pool);
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        int seen;
        while ((seen = server.backendCount(application)) != expected && !(orMore && seen > expected)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(pool + ": " + doing + " the pool, the server shows " + seen
                        + " connections named " + application + " after " + SETTLE_TIMEOUT + ", expected "
                        + (orMore ? "at least " : "") + expected);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
