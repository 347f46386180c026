package dev.tidepool.testsupport.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server's view of one or more pools while they run: a daemon thread with its own superuser
 * connection counts rows of {@code pg_stat_activity} every {@code interval} and keeps the largest
 * count. Either the rows whose {@code application_name} is a pool's ({@link #start}, the TPC-B
 * benchmark's), or every client backend of a role ({@link #startForRole}: what a fleet of pools
 * costs the server, directly or through PgBouncer, whose server connections carry its clients'
 * application names in turn). One query per sample on a connection of its own, so its cost is the
 * same whatever is being measured.
 *
 * <pre>{@code
 * try (BackendSampler sampler = BackendSampler.start(postgres, "tpcb-hikari", Duration.ofMillis(50))) {
 *     runRound();
 *     int peak = sampler.stop();
 * }
 * }</pre>
 */
public final class BackendSampler implements AutoCloseable {
    private static final String COUNT_APPLICATION = "select count(*) from pg_stat_activity where application_name = ?";
    private static final String COUNT_ROLE = "select count(*) from pg_stat_activity where usename = ?"
            + " and backend_type = 'client backend'";

    private final Connection admin;
    private final PreparedStatement count;
    private final ScheduledExecutorService timer;
    /** Written only by the timer's thread; read after it has ended. */
    private int peak;
    private SQLException failure;
    private boolean stopped;

    private BackendSampler(Connection admin, PreparedStatement count) {
        this.admin = admin;
        this.count = count;
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "pg-backend-sampler");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Counts the backends named {@code applicationName}: at once, then every {@code interval}. */
    public static BackendSampler start(PostgresServer server, String applicationName, Duration interval)
            throws SQLException {
        return start(server, COUNT_APPLICATION, applicationName, interval);
    }

    /** Counts the client backends of {@code role}, whatever their application name: at once, then every {@code interval}. */
    public static BackendSampler startForRole(PostgresServer server, String role, Duration interval)
            throws SQLException {
        return start(server, COUNT_ROLE, role, interval);
    }

    private static BackendSampler start(PostgresServer server, String sql, String parameter, Duration interval)
            throws SQLException {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("sampling interval " + interval + " is not positive");
        }
        Connection admin = server.connectAsAdmin();
        try {
            PreparedStatement count = admin.prepareStatement(sql);
            count.setString(1, parameter);
            BackendSampler sampler = new BackendSampler(admin, count);
            sampler.timer.scheduleAtFixedRate(sampler::sample, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
            return sampler;
        } catch (SQLException | RuntimeException e) {
            admin.close();
            throw e;
        }
    }

    private void sample() {
        if (failure != null) {
            return;
        }
        try (ResultSet row = count.executeQuery()) {
            row.next();
            peak = Math.max(peak, row.getInt(1));
        } catch (SQLException e) {
            failure = e;
        }
    }

    /**
     * Takes a last sample, stops, closes the connection and returns the largest count seen.
     *
     * @throws SQLException if any sample failed
     */
    public int stop() throws SQLException {
        if (!stopped) {
            stopped = true;
            timer.shutdown();
            try {
                if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the pg_stat_activity sampler did not stop within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping the pg_stat_activity sampler", e);
            }
            sample();
            admin.close();
        }
        if (failure != null) {
            throw failure;
        }
        return peak;
    }

    /** {@link #stop()}, for try-with-resources when a round failed; a sampling failure is dropped. */
    @Override
    public void close() {
        try {
            stop();
        } catch (SQLException ignored) {
            // close() only runs after stop() or on a failure path, where the first failure matters more
        }
    }
}
