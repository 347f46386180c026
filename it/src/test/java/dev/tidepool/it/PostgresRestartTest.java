package dev.tidepool.it;

import static dev.tidepool.it.FaultRun.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tidepool.it.QueryLoad.Request;
import dev.tidepool.testsupport.postgres.PostgresServer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server stopped under load (fast shutdown) for {@value #DOWN_SECONDS} s and started again on
 * the same port and data directory: while it is down every request fails within
 * {@code connectionTimeout} with a connection exception, the pool serves again within a second of
 * the server accepting connections, and the outage is logged once, the recovery once.
 */
@ExtendWith(ClassPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresRestartTest {
    private static final int DOWN_SECONDS = 3;
    /** The bound: the pool serves again this soon after the server accepts connections. */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(1);

    private final PostgresServer postgres;

    PostgresRestartTest(PostgresServer postgres) {
        this.postgres = postgres;
    }

    @Test
    void serverRestartedUnderLoad() throws Exception {
        assumeTrue(postgres.canRestart(), postgres.description() + " cannot be stopped and started again on the same"
                + " port (a container's published port changes): the restart fault is tested on the embedded server");
        try (FaultRun run = FaultRun.start(postgres, "restart", config -> { })) {
            long stopStart = System.nanoTime();
            postgres.stop();
            long stopped = System.nanoTime();

            // Down for DOWN_SECONDS: nothing that starts now may succeed.
            FaultRun.await().during(Duration.ofSeconds(DOWN_SECONDS))
                    .until(() -> run.load.lastSuccessStartNanos() < stopped);
            String whileDown = run.pool.toString();
            ServerProbe probe = ServerProbe.start(postgres, FaultRun.PATIENCE);
            postgres.startAgain();
            long accepting = probe.acceptedNanos(FaultRun.PATIENCE);
            run.awaitServingAfter(accepting);

            List<Request> requests = run.stopLoad();
            // Every request that ended while the server was down failed: in getConnection(), within
            // connectionTimeout and with a connection exception; or, if its statement was under way
            // when the server stopped, with the server's "terminating connection" (57P01) or an 08.
            long timeout = Duration.ofMillis(FaultRun.CONNECTION_TIMEOUT_MS).toNanos();
            List<Request> endedWhileDown = requests.stream()
                    .filter(r -> r.endNanos() >= stopped && r.endNanos() <= accepting).toList();
            assertThat(endedWhileDown).as("requests that ended while the server was down").isNotEmpty()
                    .allSatisfy(r -> assertThat(r.failure()).as("%s", r).isInstanceOf(SQLException.class));
            List<Request> borrowing = endedWhileDown.stream().filter(Request::failedBorrowing).toList();
            assertThat(borrowing).as("getConnection() timed out while the server was down").isNotEmpty()
                    .allSatisfy(r -> assertThat(((SQLException) r.failure()).getSQLState())
                            .as("SQLState of %s", r.failure()).startsWith("08"));
            Request slowestWhileDown = borrowing.stream().max(Comparator.comparingLong(Request::latencyNanos))
                    .orElseThrow();
            assertThat(slowestWhileDown.latencyNanos()).as("failed within connectionTimeout: %s", slowestWhileDown)
                    .isLessThanOrEqualTo(timeout + FaultRun.TIMER_SLACK_NANOS);
            List<Request> inFlightAtStop = requests.stream()
                    .filter(r -> r.borrowedNanos() != 0L && r.borrowedNanos() <= stopped && r.endNanos() >= stopStart)
                    .toList();
            assertThat(inFlightAtStop).filteredOn(r -> !r.succeeded()).allSatisfy(r -> assertThat(
                    ((SQLException) r.failure()).getSQLState()).as("SQLState of %s", r.failure()).matches("57P01|08..."));
            assertThat(endedWhileDown).filteredOn(r -> !r.failedBorrowing()).allSatisfy(r -> assertThat(inFlightAtStop)
                    .as("a statement that failed while the server was down was under way when it stopped").contains(r));

            long servingAgain = requests.stream().filter(r -> r.succeeded() && r.startNanos() >= stopped)
                    .mapToLong(Request::endNanos).min().orElseThrow();
            assertThat(Duration.ofNanos(servingAgain - accepting)).as("serving again after the server accepted")
                    .isLessThanOrEqualTo(RECOVERY_BOUND);

            // Visible state: the figures while down, no URL, no password; one line per state change.
            assertThat(whileDown).startsWith("TidepoolDataSource (" + run.app + ": total=")
                    .contains("waiting=").doesNotContain(postgres.password()).doesNotContain(postgres.jdbcUrl());
            assertThat(run.log.lines(Level.WARNING, "cannot connect")).as("%s", run.log.infoAndAbove()).hasSize(1)
                    // refused (08001), or caught while the server was still shutting down (57P03)
                    .allSatisfy(l -> assertThat(l.message()).containsPattern("SQLState (08...|57P03)"));
            assertThat(run.log.lines(Level.INFO, "connected again")).as("%s", run.log.infoAndAbove()).hasSize(1);

            long failedConnects = run.log.lines().stream().filter(l -> l.message().contains("cannot connect")
                    && l.nanos() >= stopStart && l.nanos() <= accepting).count();
            // Paced pool-wide while they fail (one attempt per 10 to 250 ms), not one per borrower.
            assertThat(failedConnects).as("failed connects while down for %s", ms(accepting - stopStart))
                    .isLessThanOrEqualTo(FaultRun.pacedConnectBound(accepting - stopStart));
            run.verifyAfterLoad(requests);
            FaultRun.report("server restart", endedWhileDown.size() + " requests ended while down, all failed "
                    + FaultRun.bySqlState(endedWhileDown) + ", slowest getConnection() " + ms(slowestWhileDown.latencyNanos())
                    + "; in flight at the stop " + inFlightAtStop.stream().filter(r -> !r.succeeded()).count()
                    + " failed " + FaultRun.bySqlState(inFlightAtStop) + "; serving again " + ms(servingAgain - accepting)
                    + " after the server accepted connections (" + ms(accepting - stopped) + " after the stop); "
                    + failedConnects + " failed connects while down");
        }
    }
}
