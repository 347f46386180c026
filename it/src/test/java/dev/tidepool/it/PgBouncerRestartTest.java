package dev.tidepool.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidepool.jdbc.PgBouncerPreset;
import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.TidepoolDataSource;
import dev.tidepool.testsupport.pgbouncer.PgBouncerServer;
import dev.tidepool.testsupport.postgres.PostgresServer;
import dev.tidepool.testsupport.tpcb.TpcbSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PgBouncer restarted under a fleet's load: 4 {@code TidepoolDataSource}s (pool 10 each) and 200
 * virtual threads of TPC-B transactions through a PgBouncer with a server budget of 10, once with
 * an online restart ({@code pgbouncer -R}: a new process takes over the sockets; clients with no
 * transaction in flight stay connected, those in one are dropped after {@code suspend_timeout},
 * 2 s here) and once with a crash ({@code SIGKILL}, then a start on the same port).
 *
 * <p>Required each time: whatever fails reaches the application as an {@link SQLException} and
 * nothing else; within 1 s of PgBouncer being back (the new process answering), every instance
 * commits again and nothing fails any more; and nothing leaks: once the load stops no connection is
 * lent, each pool holds at most its maximum, PgBouncer has exactly as many clients as the pools
 * hold connections (none left over from before the fault), no backend sits in an open transaction,
 * the backends stay within the budget, and when the pools close PgBouncer's client count drops to 0.
 * The 1 s is the recovery Tidepool promises after a PgBouncer restart (docs/pgbouncer.md), the
 * one timing this suite asserts; the pools retry a refused connect after at most 500 ms
 * ({@code connectionTimeout} is 10 s here, so a borrower waits through the outage instead of
 * failing).
 *
 * <p>The pools log in to PgBouncer by {@code md5} here, not {@code scram-sha-256}: after a crash
 * all 40 pool connections log in again at once, and on a busy 2-core machine those 40 SCRAM logins
 * (a PBKDF2 of 4,096 rounds each, on the client and on PgBouncer) alone took 0.3 to 2.3 s, which
 * would measure the machine's spare CPU rather than the pools' recovery (docs/pgbouncer.md).
 */
class PgBouncerRestartTest {
    private static final int INSTANCES = 4;
    private static final int POOL_SIZE = 10;
    private static final int THREADS = 200;
    private static final int SERVER_BUDGET = 10;
    private static final int SCALE = 1;
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(1);
    /**
     * How long {@code -R} waits for in-flight transactions before dropping their clients (PgBouncer's
     * default is 10 s). Under load with contended rows they never finish in time, since the
     * suspended PgBouncer stops reading the clients that would commit them: every online restart
     * under such load stalls this long (docs/pgbouncer.md).
     */
    private static final int SUSPEND_TIMEOUT_SECONDS = 2;
    /** Transactions committed before the fault, and again after recovery, to be sure the load runs. */
    private static final int PROGRESS = 200;

    private static ItPgBouncer servers;
    private static PgBouncerServer pgbouncer;
    private static PostgresServer postgres;

    /** What the fault did to the fleet. */
    record Recovery(long failures, long recoveredAfterNanos, long lastFailureAfterBackNanos, String firstFailure) {
    }

    @BeforeAll
    static void start() throws SQLException {
        servers = ItPgBouncer.start(PgBouncerRestartTest.class, Map.of(),
                Map.of("default_pool_size", Integer.toString(SERVER_BUDGET),
                        "max_db_connections", Integer.toString(SERVER_BUDGET),
                        "suspend_timeout", Integer.toString(SUSPEND_TIMEOUT_SECONDS)),
                PgBouncerServer.ClientAuth.MD5);
        if (!servers.available()) {
            return;
        }
        pgbouncer = servers.pgbouncer();
        postgres = servers.postgres();
        try (Connection connection = postgres.connect()) {
            TpcbSchema.load(connection, SCALE);
        }
    }

    @BeforeEach
    void requirePgBouncer() {
        servers.requireAvailable();
    }

    @AfterAll
    static void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void onlineRestartUnderLoad() throws Exception {
        long oldPid = pgbouncer.pid();

        Recovery recovery = underLoad("online restart (-R)", pgbouncer::restartOnline);

        assertThat(pgbouncer.pid()).as("a new process").isNotEqualTo(oldPid);
        assertThat(recovery.recoveredAfterNanos()).as("ns from back to every instance committing")
                .isLessThanOrEqualTo(RECOVERY_LIMIT.toNanos());
        assertThat(recovery.lastFailureAfterBackNanos()).as("ns from back to the last failure")
                .isLessThanOrEqualTo(RECOVERY_LIMIT.toNanos());
    }

    @Test
    void crashAndRestartUnderLoad() throws Exception {
        Recovery recovery = underLoad("SIGKILL, then start", () -> {
            pgbouncer.kill();
            pgbouncer.startAgain();
        });

        assertThat(recovery.failures()).as("the crash was felt").isPositive();
        assertThat(recovery.recoveredAfterNanos()).as("ns from back to every instance committing")
                .isLessThanOrEqualTo(RECOVERY_LIMIT.toNanos());
        assertThat(recovery.lastFailureAfterBackNanos()).as("ns from back to the last failure")
                .isLessThanOrEqualTo(RECOVERY_LIMIT.toNanos());
    }

    /**
     * Runs the fleet, applies {@code fault} once the load is flowing, waits until every instance
     * has committed after PgBouncer is back and the load has flowed a while longer, then checks
     * that only SQLExceptions were thrown and nothing leaked, and returns what it measured.
     */
    private static Recovery underLoad(String fault, Runnable applyFault) throws Exception {
        try (Connection connection = postgres.connect()) {
            TpcbSchema.resetForRound(connection);
        }
        List<TidepoolConfig> configs = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            TidepoolConfig config = servers.config(PostgresServer.uniqueName("restart"),
                    PgBouncerPreset.TRANSACTION_POOLING);
            config.setMaximumPoolSize(POOL_SIZE);
            config.setAutoCommit(false);
            config.setConnectionTimeout(10_000);
            configs.add(config);
        }
        Recovery recovery;
        try (TpcbFleet fleet = TpcbFleet.open(configs)) {
            fleet.awaitFull();
            TpcbFleet.Load load = fleet.start(THREADS, SCALE, 0);
            long back;
            long away;
            List<TpcbFleet.Outcome> outcomes;
            try {
                Jdbc.await().until(() -> load.successes() >= PROGRESS);
                long faultStart = System.nanoTime();
                applyFault.run();
                back = System.nanoTime();
                away = back - faultStart;
                Jdbc.await().until(() -> everyInstanceCommittedSince(load, back));
                long recovered = load.successes();
                Jdbc.await().until(() -> load.successes() >= recovered + PROGRESS);
            } finally {
                outcomes = load.stop();
            }
            assertThat(load.unexpected()).as("anything thrown but an SQLException").isEmpty();
            recovery = recovery(outcomes, back, load);
            System.out.printf(Locale.ROOT, "[tidepool-it] PgBouncer %s under load: back after %d ms; %d transactions"
                            + " failed (first: %s); every instance committing again %d ms after PgBouncer was back;"
                            + " last failure %d ms after it was back%n", fault, TimeUnit.NANOSECONDS.toMillis(away),
                    recovery.failures(), recovery.firstFailure(),
                    TimeUnit.NANOSECONDS.toMillis(recovery.recoveredAfterNanos()),
                    TimeUnit.NANOSECONDS.toMillis(recovery.lastFailureAfterBackNanos()));

            assertNothingLeaked(fleet);
        }
        Jdbc.await().until(() -> pgbouncer.clientCount() == 0);
        return recovery;
    }

    private static boolean everyInstanceCommittedSince(TpcbFleet.Load load, long back) {
        for (int i = 0; i < INSTANCES; i++) {
            if (load.lastSuccessNanos(i) - back <= 0) {
                return false;
            }
        }
        return true;
    }

    /** From the outcomes: when each instance first committed after {@code back}, and the last failure. */
    private static Recovery recovery(List<TpcbFleet.Outcome> outcomes, long back, TpcbFleet.Load load) {
        long recovered = 0;
        for (int i = 0; i < INSTANCES; i++) {
            int instance = i;
            long first = outcomes.stream().filter(o -> o.instance() == instance && o.ok() && o.endNanos() - back > 0)
                    .mapToLong(TpcbFleet.Outcome::endNanos).min()
                    .orElseThrow(() -> new AssertionError("instance " + instance + " never committed after the fault"));
            recovered = Math.max(recovered, first - back);
        }
        long lastFailure = outcomes.stream().filter(o -> !o.ok()).mapToLong(o -> o.endNanos() - back).max()
                .orElse(Long.MIN_VALUE);
        SQLException first = load.firstFailure();
        return new Recovery(load.failures(), recovered, Math.max(0, lastFailure),
                first == null ? "none" : first.getSQLState() + " " + first.getMessage());
    }

    private static void assertNothingLeaked(TpcbFleet fleet) throws SQLException {
        Jdbc.await().until(() -> fleet.activeConnections() == 0);
        for (TidepoolDataSource instance : fleet.instances()) {
            assertThat(instance.getTotalConnections()).as(instance.getPoolName()).isLessThanOrEqualTo(POOL_SIZE);
        }
        // Every client PgBouncer has belongs to a pool, and every pool connection is a live client.
        Jdbc.await().until(() -> pgbouncer.clientCount() == fleet.totalConnections());
        assertThat(Integer.parseInt(pgbouncer.pool().get("sv_active"))).as("servers linked to clients").isZero();
        String role = postgres.username();
        try (Connection admin = postgres.connectAsAdmin()) {
            assertThat(Jdbc.number(admin, "select count(*) from pg_stat_activity where usename = '" + role
                    + "' and state like 'idle in transaction%'")).as("backends in an open transaction").isZero();
        }
        // The old PgBouncer's backends end as PostgreSQL notices their sockets closed.
        Jdbc.await().until(() -> {
            try (Connection admin = postgres.connectAsAdmin()) {
                return Jdbc.number(admin, "select count(*) from pg_stat_activity where usename = '" + role
                        + "' and backend_type = 'client backend'") <= SERVER_BUDGET;
            }
        });
    }
}
