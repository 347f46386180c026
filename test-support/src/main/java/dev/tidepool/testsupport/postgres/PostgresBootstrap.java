package dev.tidepool.testsupport.postgres;

import java.io.IOException;
import java.security.SecureRandom;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * What both embedded servers share: authentication rules, server settings, the role and database,
 * a port, and the state behind {@link PostgresServer}'s static helpers.
 */
final class PostgresBootstrap {
    static final String SUPERUSER = "postgres";
    static final String ROLE = PostgresServer.ROLE;
    static final String DATABASE = PostgresServer.DATABASE;
    static final String HOST = "127.0.0.1";

    /** Behind {@link PostgresServer#uniqueName}. */
    static final AtomicInteger NAMES = new AtomicInteger();
    /** Behind {@link PostgresServer#randomPassword}. */
    static final SecureRandom RANDOM = new SecureRandom();

    /** What the servers set themselves: where they listen and whom they let in. */
    private static final Set<String> OWN_SETTINGS = Set.of("listen_addresses", "port", "hba_file",
            "unix_socket_directories");
    /** A setting's name as postgresql.conf spells it. */
    private static final Pattern SETTING_NAME = Pattern.compile("[a-z][a-z0-9_.]*");
    /** A value that needs no escaping inside single quotes or on a command line. */
    private static final Pattern SETTING_VALUE = Pattern.compile("[A-Za-z0-9_.:/+ -]*");

    /**
     * Loopback only. The superuser (the tests' bookkeeping) is trusted; everyone else, the pools'
     * role included, must give a password, so a wrong one fails with 28P01.
     */
    static final String PG_HBA = """
            # TYPE  DATABASE  USER       ADDRESS        METHOD
            host    all       %1$s   127.0.0.1/32   trust
            host    all       %1$s   ::1/128        trust
            host    all       all        127.0.0.1/32   scram-sha-256
            host    all       all        ::1/128        scram-sha-256
            """.formatted(SUPERUSER);

    private PostgresBootstrap() {
    }

    /**
     * {@link EmbeddedPostgresServer#DEFAULT_SETTINGS} with {@code overrides} on top, in that order.
     *
     * @throws IllegalArgumentException as {@link #checked} does
     */
    static Map<String, String> settings(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(EmbeddedPostgresServer.DEFAULT_SETTINGS);
        merged.putAll(checked(overrides));
        return merged;
    }

    /**
     * {@code settings}, in their order, once each name and value is checked.
     *
     * @throws IllegalArgumentException naming the setting, if a name or value is not a plain word
     *         (quotes, newlines and {@code #} could inject other settings) or the name is one of
     *         the servers' own (where they listen, whom they let in)
     */
    static Map<String, String> checked(Map<String, String> settings) {
        Map<String, String> checked = new LinkedHashMap<>();
        settings.forEach((name, value) -> {
            if (name == null || !SETTING_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a PostgreSQL setting name: '" + name + "'");
            }
            if (OWN_SETTINGS.contains(name)) {
                throw new IllegalArgumentException("PostgreSQL setting " + name + " is the server's own; it cannot be"
                        + " changed");
            }
            if (value == null || !SETTING_VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("PostgreSQL setting " + name + ": unsupported value '" + value
                        + "' (letters, digits, spaces and _.:/+- only)");
            }
            checked.put(name, value);
        });
        return checked;
    }

    /** Writes {@link #PG_HBA} to {@code file}, readable by everyone (it holds no secret). */
    static Path writeHba(Path file) throws IOException {
        Files.writeString(file, PG_HBA);
        file.toFile().setReadable(true, false);
        return file;
    }

    /** A port free on the loopback interface right now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    static String url(int port, String database) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
    }

    /** A superuser connection (trusted on loopback). */
    static Connection connectAsSuperuser(int port) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", SUPERUSER);
        properties.setProperty("loginTimeout", "20"); // seconds; a stuck server fails the test, not hangs it
        return DriverManager.getConnection(url(port, "postgres"), properties);
    }

    /** Creates the pools' role, with {@code password}, and its database. */
    static void createRoleAndDatabase(int port, String password) throws SQLException {
        try (Connection admin = connectAsSuperuser(port); Statement sql = admin.createStatement()) {
            // The password is letters and digits only (PostgresServer.randomPassword), safe inline.
            sql.execute("create role " + ROLE + " login password '" + password + "'");
            sql.execute("create database " + DATABASE + " owner " + ROLE);
        }
    }
}
