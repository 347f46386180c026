package dev.tidepool.it;

import static dev.tidepool.it.FaultRun.ms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tidepool.it.QueryLoad.Request;
import dev.tidepool.testsupport.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every backend of a loaded pool killed at once ({@code pg_terminate_backend}, as an administrator
 * or a failover does): only the statements in flight fail, each with its SQLState, and nobody waits
 * for long while the pool reconnects.
 */
@ExtendWith(ClassPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresBackendKillTest {
    /** The bound: no request waits longer than the longest in-flight query plus this. */
    private static final Duration REPLACEMENT_BOUND = Duration.ofMillis(500);

    private final PostgresServer postgres;

    PostgresBackendKillTest(PostgresServer postgres) {
        this.postgres = postgres;
    }

    @Test
    void allBackendsKilledAtOnceFailOnlyTheStatementsInFlight() throws Exception {
        try (FaultRun run = FaultRun.start(postgres, "kill", config -> { })) {
            assertThat(postgres.backendCount(run.app)).isEqualTo(FaultRun.POOL_SIZE);

            long killStart = System.nanoTime();
            int killed = terminateAll(run.app);
            long killEnd = System.nanoTime();
            assertThat(killed).isEqualTo(FaultRun.POOL_SIZE);
            run.awaitServingAfter(killEnd);
            FaultRun.await().until(() -> run.load.successes() > 0 && run.pool.getTotalConnections() == FaultRun.POOL_SIZE);

            List<Request> requests = run.stopLoad();
            List<Request> failed = requests.stream().filter(r -> !r.succeeded()).toList();
            assertThat(failed).as("one failure at most per killed backend, none before the kill: %s",
                    FaultRun.bySqlState(requests)).hasSizeBetween(1, killed)
                    .allSatisfy(r -> assertThat(r.endNanos()).isGreaterThanOrEqualTo(killStart));
            assertThat(failed).as("only statements fail: nobody's getConnection()").noneMatch(Request::failedBorrowing);
            assertThat(failed).allSatisfy(r -> assertThat(r.failure()).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as("SQLState of %s", e)
                            .satisfiesAnyOf(state -> assertThat(state).isEqualTo("57P01"), // admin_shutdown
                                    state -> assertThat(state).startsWith("08"))));        // connection exception

            // The longest statement running when the backends died, and how long each request waited
            // from the kill on (a request queued before the kill had waited for ordinary reasons until
            // then: on a busy machine 200 workers sharing 10 connections queue for 100 ms and more).
            long longestInFlight = requests.stream().filter(r -> r.borrowedNanos() != 0L
                    && r.borrowedNanos() <= killEnd && r.endNanos() >= killStart)
                    .mapToLong(Request::statementNanos).max().orElse(0L);
            Request longest = requests.stream().filter(r -> r.endNanos() >= killStart)
                    .max(Comparator.comparingLong(r -> waitedSince(r, killStart))).orElseThrow();
            assertThat(Duration.ofNanos(waitedSince(longest, killStart)))
                    .as("the longest wait from the kill on (%s) against the longest in-flight statement (%s) + %s",
                            longest, ms(longestInFlight), REPLACEMENT_BOUND)
                    .isLessThanOrEqualTo(Duration.ofNanos(longestInFlight).plus(REPLACEMENT_BOUND));
            long longestRequest = requests.stream().filter(r -> r.endNanos() >= killStart)
                    .mapToLong(Request::latencyNanos).max().orElseThrow();

            run.verifyAfterLoad(requests);
            FaultRun.report("backends killed", failed.size() + " of " + requests.size() + " requests failed "
                    + FaultRun.bySqlState(requests) + "; longest in-flight statement " + ms(longestInFlight)
                    + "; longest wait from the kill on " + ms(waitedSince(longest, killStart)) + " (longest request "
                    + ms(longestRequest) + ")");
        }
    }

    /** How long {@code request} waited from {@code nanos} (or from its start, if later) to its end. */
    private static long waitedSince(Request request, long nanos) {
        return request.endNanos() - Math.max(request.startNanos(), nanos);
    }

    /** Kills every backend named {@code app} in one statement; how many it signalled. */
    private int terminateAll(String app) throws SQLException {
        try (Connection admin = postgres.connectAsAdmin();
             PreparedStatement kill = admin.prepareStatement("select count(*) filter (where pg_terminate_backend(pid))"
                     + " from pg_stat_activity where application_name = ?")) {
            kill.setString(1, app);
            try (ResultSet row = kill.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }
}
