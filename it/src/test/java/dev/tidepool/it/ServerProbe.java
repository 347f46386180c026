package dev.tidepool.it;

import dev.tidepool.testsupport.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;

/**
 * Finds the moment a stopped server accepts connections again, the instant the fault tests measure
 * the pool's recovery from: on a virtual thread, it logs in as the superuser every few
 * milliseconds (a refused connect or "the database system is starting up" fails at once) and
 * keeps the {@code System.nanoTime()} at which the first successful attempt began. The server was
 * accepting from then at the latest, so a bound measured from it is not shortened by the probe's
 * own polling.
 */
final class ServerProbe {
    private static final Duration POLL = Duration.ofMillis(5);

    private final CompletableFuture<Long> accepted;

    private ServerProbe(PostgresServer server, Duration patience) {
        AtomicLong attemptStart = new AtomicLong();
        this.accepted = CompletableFuture.supplyAsync(() -> {
            Awaitility.await().atMost(patience).pollDelay(Duration.ZERO).pollInterval(POLL)
                    .until(() -> loggedIn(server, attemptStart));
            return attemptStart.get();
        }, runnable -> Thread.ofVirtual().name("server-probe").start(runnable));
    }

    /** Starts probing {@code server}, for at most {@code patience}. */
    static ServerProbe start(PostgresServer server, Duration patience) {
        return new ServerProbe(server, patience);
    }

    private static boolean loggedIn(PostgresServer server, AtomicLong attemptStart) {
        attemptStart.set(System.nanoTime());
        try (Connection ignored = server.connectAsAdmin()) {
            return true;
        } catch (SQLException refusedOrStarting) {
            return false;
        }
    }

    /** When the first successful login began (System.nanoTime()); waits for it. */
    long acceptedNanos(Duration patience) throws InterruptedException, ExecutionException, TimeoutException {
        return accepted.get(patience.toNanos(), TimeUnit.NANOSECONDS);
    }
}
