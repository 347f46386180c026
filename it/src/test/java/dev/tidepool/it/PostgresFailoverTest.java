package dev.tidepool.it;

import static dev.tidepool.it.FaultRun.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tidepool.it.QueryLoad.Request;
import dev.tidepool.testsupport.postgres.PostgresServer;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A failover-shaped fault: the server comes back from a restart with fewer connections than the
 * pool wants (a smaller replica promoted). The pool logs that once, serves with what it gets, and
 * the application sees no storm of errors.
 *
 * <p>While the pool grows back, nothing here connects as the superuser (no probe, no
 * {@code pg_stat_activity}): a superuser session takes one of the few slots, and a connect it
 * crowds out would be the test's doing, not the server's.
 */
@ExtendWith(ClassPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresFailoverTest {
    private static final int MAX_CONNECTIONS = 8;
    private static final int SUPERUSER_RESERVED = 3;
    /** What the pool's role gets of the {@value FaultRun#POOL_SIZE} it wants. */
    private static final int ROLE_CONNECTIONS = MAX_CONNECTIONS - SUPERUSER_RESERVED;
    /** How long the pool serves with what it got, under the load. */
    private static final Duration SERVING = Duration.ofSeconds(3);

    private final PostgresServer postgres;

    PostgresFailoverTest(PostgresServer postgres) {
        this.postgres = postgres;
    }

    @Test
    void serverBackWithFewerConnectionsThanThePoolWants() throws Exception {
        assumeTrue(postgres.canRestart(), postgres.description() + " cannot be restarted with other settings on the"
                + " same port (a container's published port changes): the failover fault is tested on the embedded"
                + " server");
        try (FaultRun run = FaultRun.start(postgres, "failover", config -> { })) {
            postgres.stop();
            postgres.startAgain(Map.of("max_connections", Integer.toString(MAX_CONNECTIONS),
                    "superuser_reserved_connections", Integer.toString(SUPERUSER_RESERVED)));
            long started = System.nanoTime();
            run.awaitServingAfter(started);
            FaultRun.await().until(() -> connected(run) == ROLE_CONNECTIONS);
            long fullyConnected = System.nanoTime();
            int failedConnectsBefore = failedConnects(run);
            FaultRun.await().during(SERVING).until(() -> connected(run) == ROLE_CONNECTIONS);
            long servedUntil = System.nanoTime();
            int failedConnectsWhileServing = failedConnects(run) - failedConnectsBefore;
            assertThat((long) failedConnectsWhileServing).as("refused connects while serving with what it got")
                    .isLessThanOrEqualTo(FaultRun.pacedConnectBound(servedUntil - fullyConnected));

            List<Request> requests = run.stopLoad();
            List<Request> afterRestart = requests.stream().filter(r -> r.startNanos() >= started).toList();
            assertThat(afterRestart).as("requests once the server was back: %s", FaultRun.bySqlState(afterRestart))
                    .isNotEmpty().allMatch(Request::succeeded);
            assertThat(postgres.backendCount(run.app)).isEqualTo(ROLE_CONNECTIONS);

            // One line per state change: the outage, the recovery, and, once, the server's limit.
            List<String> log = run.log.infoAndAbove();
            assertThat(run.log.lines(Level.WARNING, "refuses more connections")).as("%s", log).singleElement()
                    .satisfies(l -> assertThat(l.message()).contains("SQLState 53300")
                            .contains("of maximumPoolSize " + FaultRun.POOL_SIZE));
            assertThat(run.log.lines(Level.WARNING, "cannot connect")).as("%s", log).hasSize(1);
            assertThat(run.log.lines(Level.INFO, "connected again")).as("%s", log).hasSize(1);
            assertThat(run.log.lines(Level.INFO, "accepts all")).as("%s", log).isEmpty();

            run.verifyAfterLoad(requests);
            Request slowest = afterRestart.stream().max(Comparator.comparingLong(Request::latencyNanos)).orElseThrow();
            double seconds = (servedUntil - fullyConnected) / 1e9;
            FaultRun.report("failover to max_connections=" + MAX_CONNECTIONS, "serves with " + ROLE_CONNECTIONS + " of "
                    + FaultRun.POOL_SIZE + " connections; " + afterRestart.size() + " requests after the restart, none"
                    + " failed, slowest " + ms(slowest.latencyNanos()) + "; one WARNING for 53300; refused connects"
                    + " while serving: " + failedConnectsWhileServing + " in " + String.format("%.1f", seconds) + " s");
        }
    }

    /** The pool's open connections, as it reports them: busy plus idle, not the connects under way. */
    private static long connected(FaultRun run) {
        return run.pool.getTotalConnections();
    }

    /** Connect attempts that failed so far, as the pool logged them (each at DEBUG, a state change at WARNING). */
    private static int failedConnects(FaultRun run) {
        return run.log.lines(Level.FINE, "cannot connect").size() + run.log.lines(Level.WARNING, "cannot connect").size()
                + run.log.lines(Level.WARNING, "refuses more connections").size();
    }
}
