package dev.tidepool.testsupport.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * PostgreSQL through zonky's {@link EmbeddedPostgres} with its Maven Central binaries, for a JVM
 * that does not run as root. Zonky stops the server on {@link #close()} and registers its own
 * shutdown hook.
 */
final class ZonkyPostgres implements PostgresServer {
    private static final System.Logger LOG = System.getLogger(ZonkyPostgres.class.getName());

    private final EmbeddedPostgres postgres;
    private final Path hba;
    private final String password;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ZonkyPostgres(EmbeddedPostgres postgres, Path hba, String password) {
        this.postgres = postgres;
        this.hba = hba;
        this.password = password;
    }

    /** Starts a server with {@code settings} (already checked by {@link PostgresBootstrap#settings}). */
    static ZonkyPostgres start(Map<String, String> settings) {
        String password = PostgresServer.randomPassword();
        Path hba = null;
        try {
            hba = PostgresBootstrap.writeHba(Files.createTempFile("tidepool-pg_hba-", ".conf"));
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPort(PostgresBootstrap.freePort())
                    .setServerConfig("listen_addresses", PostgresBootstrap.HOST)
                    .setServerConfig("hba_file", hba.toString())
                    .setPGStartupWait(Duration.ofSeconds(60));
            settings.forEach(builder::setServerConfig);
            EmbeddedPostgres postgres = builder.start();
            try {
                PostgresBootstrap.createRoleAndDatabase(postgres.getPort(), password);
            } catch (SQLException e) {
                postgres.close();
                throw new IllegalStateException("embedded PostgreSQL started but could not be set up", e);
            }
            return new ZonkyPostgres(postgres, hba, password);
        } catch (IOException e) {
            deleteQuietly(hba);
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        } catch (RuntimeException e) {
            deleteQuietly(hba);
            throw e;
        }
    }

    @Override
    public String jdbcUrl() {
        return PostgresBootstrap.url(postgres.getPort(), PostgresBootstrap.DATABASE);
    }

    @Override
    public String username() {
        return PostgresBootstrap.ROLE;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public Connection connectAsAdmin() throws SQLException {
        return PostgresBootstrap.connectAsSuperuser(postgres.getPort());
    }

    @Override
    public boolean isLocalProcess() {
        return true;
    }

    @Override
    public String description() {
        return "embedded (zonky EmbeddedPostgres, binaries from Maven Central) at " + jdbcUrl();
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "stopping embedded PostgreSQL failed", e);
        } finally {
            deleteQuietly(hba);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file; the OS cleans up
            }
        }
    }
}
