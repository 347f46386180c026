package dev.tidepool.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** What both embedded servers share: authentication rules, the test role and database, a port. */
final class PostgresBootstrap {
    static final String SUPERUSER = "postgres";
    static final String ROLE = "tidepool";
    static final String DATABASE = "tidepool";
    static final String HOST = "127.0.0.1";

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
