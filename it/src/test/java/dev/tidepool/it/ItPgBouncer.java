package dev.tidepool.it;

import dev.tidepool.jdbc.PgBouncerPreset;
import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.testsupport.pgbouncer.PgBouncerBinary;
import dev.tidepool.testsupport.pgbouncer.PgBouncerServer;
import dev.tidepool.testsupport.postgres.EmbeddedPostgresServer;
import dev.tidepool.testsupport.postgres.PostgresServer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * One test class's PostgreSQL and the PgBouncer in front of it: an embedded server of its own
 * (never the run's shared one, whose {@code pg_stat_activity} other classes fill) and a real
 * PgBouncer from the machine's package (test-support's {@link PgBouncerServer}).
 *
 * <p>Where there is no PgBouncer, the class's tests are skipped, loudly: {@link #start} prints a
 * {@code [tidepool-it] PgBouncer not found ... SKIPPED} line to the build log and returns an
 * instance without servers, and {@link #requireAvailable()}, which each test calls first (a
 * {@code @BeforeEach}), aborts the test with the same reason, so JUnit and Surefire count every
 * one of them as skipped (an assumption, never a silent pass). Install Debian's
 * {@code pgbouncer} package to run them; {@code -Dtidepool.pgbouncer=none} hides an installed one,
 * {@code -Dtidepool.pgbouncer=/path/to/pgbouncer} picks another.
 *
 * <pre>{@code
 * static ItPgBouncer servers;
 *
 * @BeforeAll
 * static void start() {
 *     servers = ItPgBouncer.start(MyTest.class, Map.of(), Map.of("default_pool_size", "4"));
 * }
 *
 * @BeforeEach
 * void requirePgBouncer() {
 *     servers.requireAvailable();
 * }
 * }</pre>
 */
final class ItPgBouncer implements AutoCloseable {
    private final PostgresServer postgres;
    private final PgBouncerServer pgbouncer;
    /** Why there are no servers, or null if there are. */
    private final String missing;

    private ItPgBouncer(PostgresServer postgres, PgBouncerServer pgbouncer, String missing) {
        this.postgres = postgres;
        this.pgbouncer = pgbouncer;
        this.missing = missing;
    }

    /**
     * Starts an embedded PostgreSQL with {@code postgresSettings} and a PgBouncer with
     * {@code pgbouncerSettings} in front of it; if there is no PgBouncer, says so in the build log
     * and returns an instance whose {@link #requireAvailable()} skips.
     */
    static ItPgBouncer start(Class<?> testClass, Map<String, String> postgresSettings,
                             Map<String, String> pgbouncerSettings) {
        return start(testClass, postgresSettings, pgbouncerSettings, PgBouncerServer.ClientAuth.SCRAM_SHA_256);
    }

    /** {@link #start(Class, Map, Map)}, with the pools' logins to PgBouncer checked by {@code clientAuth}. */
    static ItPgBouncer start(Class<?> testClass, Map<String, String> postgresSettings,
                             Map<String, String> pgbouncerSettings, PgBouncerServer.ClientAuth clientAuth) {
        Optional<PgBouncerBinary> binary = PgBouncerBinary.find();
        if (binary.isEmpty()) {
            String reason = "[tidepool-it] PgBouncer not found (" + PgBouncerBinary.searched() + "): "
                    + testClass.getSimpleName() + " SKIPPED. Install Debian's pgbouncer package (.ci/run does when it"
                    + " runs as root) to run the PgBouncer tests.";
            System.err.println(reason);
            return new ItPgBouncer(null, null, reason);
        }
        long start = System.nanoTime();
        PostgresServer postgres = EmbeddedPostgresServer.start(postgresSettings);
        try {
            PgBouncerServer pgbouncer = PgBouncerServer.start(binary.get(), postgres, pgbouncerSettings, clientAuth);
            System.out.printf("[tidepool-it] %s: %s; PostgreSQL %s; ready in %d ms%n", testClass.getSimpleName(),
                    pgbouncer.description(), postgres.description(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            return new ItPgBouncer(postgres, pgbouncer, null);
        } catch (RuntimeException | Error e) {
            postgres.close();
            throw e;
        }
    }

    /** Whether the servers run (false: there is no PgBouncer). */
    boolean available() {
        return missing == null;
    }

    /** Skips the calling test, with the reason {@link #start} printed, if there is no PgBouncer. */
    void requireAvailable() {
        Assumptions.assumeTrue(available(), missing);
    }

    /** Skips the calling test with {@code reason}, printed to the build log first. */
    static void skipLoudly(String reason) {
        String line = "[tidepool-it] " + reason;
        System.err.println(line);
        Assumptions.abort(line);
    }

    PostgresServer postgres() {
        requireAvailable();
        return postgres;
    }

    PgBouncerServer pgbouncer() {
        requireAvailable();
        return pgbouncer;
    }

    /**
     * A pool configuration for the database through PgBouncer with {@code preset} applied, whose
     * connections carry {@code applicationName}.
     */
    TidepoolConfig config(String applicationName, PgBouncerPreset preset) {
        TidepoolConfig config = ItPostgres.config(postgres, applicationName);
        config.setJdbcUrl(pgbouncer.jdbcUrl());
        return preset.applyTo(config);
    }

    @Override
    public void close() {
        if (!available()) {
            return;
        }
        try {
            pgbouncer.close();
        } finally {
            postgres.close();
        }
    }
}
