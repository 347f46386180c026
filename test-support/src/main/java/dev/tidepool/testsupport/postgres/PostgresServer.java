package dev.tidepool.testsupport.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A real PostgreSQL server for tests and benchmarks: its test database, the role that owns it, and
 * a superuser for bookkeeping. Implementations: {@link EmbeddedPostgresServer#start()} (Maven
 * Central's binaries, on this machine) and, in the {@code it} module, a Testcontainers container.
 *
 * <p>Every server has a database {@value #DATABASE} owned by the role {@value #ROLE} (or, in a
 * container, the image's one role), which logs in with a password ({@link #username()},
 * {@link #password()}; password authentication is enforced), and a superuser for the caller's own
 * bookkeeping ({@link #connectAsAdmin()}: {@code pg_stat_activity}, {@code pg_terminate_backend}).
 * A server is stopped by {@link #close()}, or by a shutdown hook if the JVM ends first. For fault
 * tests an embedded server can also be stopped and started again on the same port and data
 * directory, with other settings if need be ({@link #stop()}, {@link #startAgain(Map)}).
 *
 * <pre>{@code
 * try (PostgresServer postgres = EmbeddedPostgresServer.start();
 *      Connection connection = postgres.connect()) {
 *     connection.createStatement().execute("create table t (id int primary key)");
 *     int backends = postgres.backendCount("my-app");   // connections with ApplicationName=my-app
 * }
 * }</pre>
 */
public interface PostgresServer extends AutoCloseable {

    /** The name of the database every server makes for its users. */
    String DATABASE = "tidepool";

    /** The role that owns {@link #DATABASE} and logs in with a password (not a superuser). */
    String ROLE = "tidepool";

    /** The test database's URL, without credentials. */
    String jdbcUrl();

    /** The role the pools log in as. */
    String username();

    /** Its password, random per run. */
    String password();

    /** A connection as a superuser, outside any pool; the caller closes it. */
    Connection connectAsAdmin() throws SQLException;

    /** Whether the server is a local process of this machine (not a container). */
    boolean isLocalProcess();

    /** Where this server comes from, for logs. */
    String description();

    /** Stops the server and deletes what it wrote; a second call does nothing. */
    @Override
    void close();

    // ------------------------------------------------------------------ faults

    /**
     * Whether {@link #stop()} and {@link #startAgain} work on this server: true for the embedded
     * servers; false for a container, whose published port changes when it restarts.
     */
    default boolean canRestart() {
        return false;
    }

    /**
     * Stops the server with a fast shutdown ({@code pg_ctl stop -m fast}): every session ends (its
     * client sees SQLState 57P01), and connections are refused until {@link #startAgain}. The data
     * directory and the port are kept. Returns once the server process has exited; does nothing if
     * it is stopped already.
     *
     * <pre>{@code
     * postgres.stop();                                     // clients now get "Connection refused"
     * postgres.startAgain(Map.of("max_connections", "8")); // same port and data, fewer connections
     * postgres.stop();
     * postgres.startAgain();                               // its own settings again
     * }</pre>
     *
     * @throws UnsupportedOperationException if {@link #canRestart()} is false
     * @throws IllegalStateException         if the server is closed, or did not stop within 30 s
     */
    default void stop() {
        throw new UnsupportedOperationException(description() + " cannot be stopped and started again");
    }

    /**
     * Starts a {@link #stop() stopped} server again on the same port and data directory, with the
     * settings it was created with. Returns once it accepts connections.
     *
     * @throws UnsupportedOperationException if {@link #canRestart()} is false
     * @throws IllegalStateException         if the server is closed or running, or did not start within 60 s
     */
    default void startAgain() {
        startAgain(Map.of());
    }

    /**
     * Starts a {@link #stop() stopped} server again on the same port and data directory, with the
     * settings it was created with and {@code settings} on top for this run only (a later
     * {@link #startAgain()} goes back to its own): {@code Map.of("max_connections", "8")} for a
     * failover to a smaller server. Returns once it accepts connections.
     *
     * @throws IllegalArgumentException      naming the setting, if a name or value is not a plain
     *         word, or names what the server sets itself ({@code port}, {@code listen_addresses},
     *         {@code hba_file}, {@code unix_socket_directories}); checked before anything starts
     * @throws UnsupportedOperationException if {@link #canRestart()} is false
     * @throws IllegalStateException         if the server is closed or running, or did not start within 60 s
     */
    default void startAgain(Map<String, String> settings) {
        throw new UnsupportedOperationException(description() + " cannot be stopped and started again");
    }

    // ------------------------------------------------------------------ helpers

    /** A connection as {@link #username()} outside any pool; the caller closes it. */
    default Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", username());
        properties.setProperty("password", password());
        return DriverManager.getConnection(jdbcUrl(), properties);
    }

    /** The backend pids of the connections named {@code applicationName}, in pid order. */
    default List<Integer> backendPids(String applicationName) throws SQLException {
        try (Connection admin = connectAsAdmin();
             PreparedStatement query = admin.prepareStatement(
                     "select pid from pg_stat_activity where application_name = ? order by pid")) {
            query.setString(1, applicationName);
            List<Integer> pids = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    pids.add(rows.getInt(1));
                }
            }
            return pids;
        }
    }

    /** How many connections named {@code applicationName} the server has. */
    default int backendCount(String applicationName) throws SQLException {
        return backendPids(applicationName).size();
    }

    /** Kills a backend (its client sees SQLState 57P01) and waits up to 10 s until it is gone. */
    default boolean terminateBackend(int pid) throws SQLException {
        try (Connection admin = connectAsAdmin();
             PreparedStatement kill = admin.prepareStatement("select pg_terminate_backend(?, 10000)")) {
            kill.setInt(1, pid);
            try (ResultSet row = kill.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    /** Cancels what a backend is running (its client sees SQLState 57014); the connection lives on. */
    default boolean cancelBackend(int pid) throws SQLException {
        try (Connection admin = connectAsAdmin();
             PreparedStatement cancel = admin.prepareStatement("select pg_cancel_backend(?)")) {
            cancel.setInt(1, pid);
            try (ResultSet row = cancel.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    /**
     * A name unique in this JVM, {@code <prefix>-<n>}, for {@code application_name}, pools and
     * tables.
     */
    static String uniqueName(String prefix) {
        return prefix + "-" + PostgresBootstrap.NAMES.incrementAndGet();
    }

    /** A random password of letters and digits (safe to inline in SQL, never in any message). */
    static String randomPassword() {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder password = new StringBuilder("Tp");
        for (int i = 0; i < 22; i++) {
            password.append(alphabet.charAt(PostgresBootstrap.RANDOM.nextInt(alphabet.length())));
        }
        return password.toString();
    }
}
