package dev.tidepool.testsupport.postgres;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What the embedded servers share, however they run the binaries: one role and one database
 * ({@link PostgresBootstrap}) on a loopback port, a password generated for this server, and a
 * process on this machine.
 */
abstract class LocalPostgres implements PostgresServer {
    private final String password = PostgresServer.randomPassword();

    /** The loopback port it listens on: chosen before its first start, kept across restarts. */
    abstract int port();

    @Override
    public final String jdbcUrl() {
        return PostgresBootstrap.url(port(), PostgresBootstrap.DATABASE);
    }

    @Override
    public final String username() {
        return PostgresBootstrap.ROLE;
    }

    @Override
    public final String password() {
        return password;
    }

    @Override
    public final Connection connectAsAdmin() throws SQLException {
        return PostgresBootstrap.connectAsSuperuser(port());
    }

    @Override
    public final boolean isLocalProcess() {
        return true;
    }
}
