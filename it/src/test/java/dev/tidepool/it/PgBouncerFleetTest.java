package dev.tidepool.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidepool.jdbc.PgBouncerPreset;
import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.testsupport.postgres.BackendSampler;
import dev.tidepool.testsupport.postgres.PostgresServer;
import dev.tidepool.testsupport.tpcb.TpcbSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A fleet outgrowing one database: 8 {@code TidepoolDataSource}s (8 application instances, pool
 * 20 each: 160 client connections) and 1,000 virtual threads of pgbench's TPC-B transaction,
 * first straight to PostgreSQL (which must then allow 160 connections), then through a real
 * PgBouncer in transaction mode whose server budget is 20 ({@code default_pool_size} and
 * {@code max_db_connections}).
 *
 * <p>Each run: the schema reset as pgbench resets it, the 8 pools opened and filled, 1 s of
 * warm-up, 4 s measured, while a sampler counts the role's backends in {@code pg_stat_activity}
 * every 10 ms. Both fleets are configured alike ({@link PgBouncerPreset#TRANSACTION_POOLING}
 * included), only the URL differs. Required of both: no error; of the direct fleet, more backends
 * than the budget (it needs them, that is the point); of the fleet behind PgBouncer, all 160
 * client connections open at PgBouncer, never more backends than the budget, and every one of the
 * 1,000 threads served. The two runs' throughput and waits are printed side by side
 * ({@code docs/pgbouncer.md} has a measured table); they are reported, not asserted: timing claims
 * belong to benchmarks.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgBouncerFleetTest {
    private static final int INSTANCES = 8;
    private static final int POOL_SIZE = 20;
    private static final int THREADS = 1000;
    private static final int SERVER_BUDGET = 20;
    private static final int SCALE = 1;
    private static final Duration WARM_UP = Duration.ofSeconds(1);
    private static final Duration MEASURED = Duration.ofSeconds(4);
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(10);

    private static ItPgBouncer servers;
    private static final List<String> ROWS = Collections.synchronizedList(new ArrayList<>());

    /** What one run of the fleet measured. */
    record Phase(String name, long transactions, double perSecond, long p50Wait, long p99Wait, long maxWait,
                 long p99Transaction, long errors, int threadsServed, int peakBackends) {
        String row() {
            return String.format(Locale.ROOT, "| %s | %d | %,.0f | %s | %s | %s | %s | %d | %,d of %,d |", name,
                    peakBackends, perSecond, TpcbFleet.millis(p50Wait), TpcbFleet.millis(p99Wait),
                    TpcbFleet.millis(maxWait), TpcbFleet.millis(p99Transaction), errors, threadsServed, THREADS);
        }
    }

    @BeforeAll
    static void start() throws SQLException {
        // 160 direct connections, PgBouncer's 20 and the sampler's, below PostgreSQL's 3 reserved ones.
        servers = ItPgBouncer.start(PgBouncerFleetTest.class, Map.of("max_connections", "200"),
                Map.of("default_pool_size", Integer.toString(SERVER_BUDGET),
                        "max_db_connections", Integer.toString(SERVER_BUDGET),
                        "max_client_conn", "400"));
        if (!servers.available()) {
            return;
        }
        try (Connection connection = servers.postgres().connect()) {
            TpcbSchema.load(connection, SCALE);
        }
    }

    @AfterAll
    static void stop() {
        if (!ROWS.isEmpty() && servers.available()) {
            System.out.printf(Locale.ROOT, "[tidepool-it] fleet: %d instances × pool %d, %,d virtual threads of TPC-B"
                            + " (scale %d), %d s measured after %d s warm-up; PgBouncer %s, server budget %d%n%n",
                    INSTANCES, POOL_SIZE, THREADS, SCALE, MEASURED.toSeconds(), WARM_UP.toSeconds(),
                    servers.pgbouncer().version(), SERVER_BUDGET);
            System.out.println("| fleet | peak server backends | tx/s | p50 wait ms | p99 wait ms | max wait ms"
                    + " | p99 transaction ms | errors | threads served |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            ROWS.forEach(System.out::println);
        }
        if (servers != null) {
            servers.close();
        }
    }

    @BeforeEach
    void requirePgBouncer() {
        servers.requireAvailable();
    }

    @Test
    @Order(1)
    void directFleetHoldsABackendPerPoolConnection() throws Exception {
        PostgresServer postgres = servers.postgres();
        // The same pools as behind PgBouncer (the preset's driver settings too): only the URL differs.
        Phase direct = run("direct to PostgreSQL", false,
                name -> PgBouncerPreset.TRANSACTION_POOLING.applyTo(ItPostgres.config(postgres, name)));

        assertThat(direct.errors()).as("errors").isZero();
        assertThat(direct.peakBackends()).as("peak backends").isGreaterThan(SERVER_BUDGET)
                .isLessThanOrEqualTo(INSTANCES * POOL_SIZE);
    }

    @Test
    @Order(2)
    void fleetBehindPgBouncerSharesTheServerBudget() throws Exception {
        Phase bounced = run("through PgBouncer (transaction mode, budget " + SERVER_BUDGET + ")", true,
                name -> servers.config(name, PgBouncerPreset.TRANSACTION_POOLING));

        assertThat(bounced.errors()).as("errors").isZero();
        assertThat(bounced.threadsServed()).as("threads served").isEqualTo(THREADS);
        assertThat(bounced.peakBackends()).as("peak backends").isPositive().isLessThanOrEqualTo(SERVER_BUDGET);
        assertThat(Integer.parseInt(servers.pgbouncer().pool().get("sv_active"))).isZero();
    }

    /**
     * Opens the fleet with {@code configFor} (named by instance), runs it, closes it and returns
     * what it measured, its table row kept for the summary. Through PgBouncer, it first checks
     * that PgBouncer has all of the fleet's client connections.
     */
    private static Phase run(String name, boolean throughPgBouncer, Function<String, TidepoolConfig> configFor)
            throws Exception {
        PostgresServer postgres = servers.postgres();
        String role = postgres.username();
        // Nothing of an earlier run may count: its backends end a moment after its pools close.
        Jdbc.await().until(() -> backends(postgres, role) == 0);
        try (Connection connection = postgres.connect()) {
            TpcbSchema.resetForRound(connection);
        }
        List<TidepoolConfig> configs = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            TidepoolConfig config = configFor.apply("fleet-" + i);
            config.setMaximumPoolSize(POOL_SIZE);
            config.setAutoCommit(false);
            configs.add(config);
        }
        try (TpcbFleet fleet = TpcbFleet.open(configs)) {
            fleet.awaitFull();
            if (throughPgBouncer) {
                Jdbc.await().until(() -> servers.pgbouncer().clientCount() == INSTANCES * POOL_SIZE);
            }
            List<TpcbFleet.Outcome> outcomes;
            int peak;
            long start = System.nanoTime();
            long measureFrom = start + WARM_UP.toNanos();
            long measureUntil = measureFrom + MEASURED.toNanos();
            try (BackendSampler sampler = BackendSampler.startForRole(postgres, role, SAMPLE_EVERY)) {
                TpcbFleet.Load load = fleet.start(THREADS, SCALE, measureUntil);
                outcomes = load.awaitEnd();
                peak = sampler.stop();
                assertThat(load.unexpected()).as("non-SQL exceptions").isEmpty();
            }
            Phase phase = summarize(name, outcomes, measureFrom, measureUntil, peak);
            ROWS.add(phase.row());
            System.out.println("[tidepool-it] fleet " + phase);
            return phase;
        }
    }

    /**
     * The measured window's throughput and waits; errors and threads served count the whole run,
     * warm-up included (a thread is served once it has committed a transaction).
     */
    private static Phase summarize(String name, List<TpcbFleet.Outcome> outcomes, long from, long until, int peak) {
        List<TpcbFleet.Outcome> measured = outcomes.stream()
                .filter(o -> o.ok() && o.startNanos() - from >= 0 && o.endNanos() - until <= 0).toList();
        long[] waits = measured.stream().mapToLong(TpcbFleet.Outcome::waitNanos).sorted().toArray();
        long[] transactions = measured.stream().mapToLong(o -> o.endNanos() - o.startNanos()).sorted().toArray();
        int served = (int) outcomes.stream().filter(TpcbFleet.Outcome::ok).mapToInt(TpcbFleet.Outcome::thread)
                .distinct().count();
        long errors = outcomes.stream().filter(o -> !o.ok()).count();
        double seconds = (until - from) / 1e9;
        return new Phase(name, measured.size(), measured.size() / seconds, TpcbFleet.percentile(waits, 50),
                TpcbFleet.percentile(waits, 99), waits.length == 0 ? 0 : waits[waits.length - 1],
                TpcbFleet.percentile(transactions, 99), errors, served, peak);
    }

    private static int backends(PostgresServer postgres, String role) throws SQLException {
        try (Connection admin = postgres.connectAsAdmin()) {
            return (int) Jdbc.number(admin, "select count(*) from pg_stat_activity where usename = '" + role
                    + "' and backend_type = 'client backend'");
        }
    }
}
