package dev.tidepool.demo;

import dev.tidepool.core.GreenPool;
import dev.tidepool.core.TaskGroup;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import javax.sql.DataSource;

/**
 * One pool's run: {@code clients} virtual threads, each running transactions against the pool
 * back to back until the run stops, reporting every wait for a connection to a {@link Meter}.
 *
 * <p>How the threads are arranged, and why: client {@code c} is a task of the {@link TaskGroup}
 * {@code clients}, which tracks tasks and never limits them. It spawns its work into the
 * {@link GreenPool} {@code workers} (sized to the number of clients) and waits for it; the work
 * runs transactions one after another on that green thread. So the same thread borrows again and
 * again, as a request thread or a queue consumer does (this is what lets a pool with a
 * thread-local fast path, like HikariCP's, hand a connection back to the thread that just
 * returned it). The work ends early when the GreenPool has been shrunk below what runs in it
 * ({@code free() < 0}): its slot goes back, and the client's next {@code spawn} waits for one. A
 * JMX resize of the GreenPool therefore shows within about one transaction per client: shrink it
 * to 100, and 100 clients run while the rest wait in {@code spawn} (the view's "waiting").
 *
 * <p>{@link #stop} lets the clients finish the transaction they are in for a moment, then kills
 * the rest (interrupts them: a client waiting for a connection gives up, an open transaction is
 * rolled back).
 */
final class ClientRun {
    /** How long clients may finish their current transaction before they are interrupted. */
    private static final Duration GRACE = Duration.ofSeconds(1);
    /** Pause after a failed transaction, so a broken database does not spin the CPU. */
    private static final Duration BACKOFF = Duration.ofMillis(100);

    private final DataSource dataSource;
    private final GreenPool workers;
    private final Workload workload;
    private final Duration latency;
    private final Meter meter;
    private final TaskGroup clients = new TaskGroup();
    private volatile boolean stopping;

    ClientRun(DataSource dataSource, GreenPool workers, Workload workload, Duration latency, Meter meter) {
        this.dataSource = dataSource;
        this.workers = workers;
        this.workload = workload;
        this.latency = latency;
        this.meter = meter;
    }

    /** Starts one client per meter slot. */
    void start() throws InterruptedException {
        for (int id = 0; id < meter.clients(); id++) {
            int client = id;
            clients.spawn(() -> {
                client(client);
                return null;
            });
        }
    }

    /** Ends the run: the clients stop within {@link #GRACE}, or are interrupted. */
    void stop() throws InterruptedException {
        stopping = true;
        if (!clients.join(GRACE)) {
            workers.kill();
            clients.kill();
        }
    }

    private void client(int id) {
        while (!stopping) {
            try {
                workers.spawn(() -> {
                    work(id);
                    return null;
                }).join();
            } catch (InterruptedException e) {
                return;
            } catch (CancellationException | CompletionException ended) {
                // the work was killed or interrupted: the run is ending, the loop condition sees it
            }
        }
    }

    private void work(int id) throws InterruptedException {
        while (!stopping && workers.free() >= 0) {
            transaction(id);
        }
    }

    /** One transaction: wait for a connection (measured), use it, give it back. */
    private void transaction(int id) throws InterruptedException {
        boolean slow = workload.nextIsSlow();
        long asked = System.nanoTime();
        meter.waitStarted(id, asked);
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLTransientConnectionException timedOut) {
            meter.timedOut(id, System.nanoTime() - asked);
            return;
        } catch (SQLException | RuntimeException e) {
            meter.abandoned(id);
            failed(e);
            return;
        }
        meter.granted(id, System.nanoTime() - asked);
        try (connection) {
            if (slow) {
                Bank.report(connection, latency);
            } else {
                Bank.transfer(connection, latency);
            }
            meter.committed();
        } catch (SQLException | RuntimeException e) {
            failed(e);
        }
    }

    private void failed(Exception e) throws InterruptedException {
        if (stopping || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("run stopping");
        }
        meter.failed(e);
        Thread.sleep(BACKOFF);
    }
}
