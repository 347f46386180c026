package dev.tidepool.testsupport.postgres;

import dev.tidepool.testsupport.process.Commands;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PostgreSQL through zonky's {@link EmbeddedPostgres} with its Maven Central binaries, for a JVM
 * that does not run as root. The data directory is this class's own (zonky is told not to clean
 * it), so that {@link #stop()} ({@code EmbeddedPostgres.close()}: {@code pg_ctl stop -m fast})
 * keeps it and {@link #startAgain(Map)} starts a new {@code EmbeddedPostgres} on the same directory
 * and port, which zonky then does not initialise again. {@link #close()} stops the server and
 * deletes the directory; zonky's own shutdown hook stops a server the JVM leaves running.
 */
final class ZonkyPostgres extends LocalPostgres {
    private static final System.Logger LOG = System.getLogger(ZonkyPostgres.class.getName());
    private static final Duration START_LIMIT = Duration.ofSeconds(60);

    /** Holds the data directory and pg_hba.conf; deleted on close. */
    private final Path directory;
    private final Path data;
    private final Path hba;
    private final int port;
    /** The settings it was created with (checked); a restart may put others on top for one run. */
    private final Map<String, String> settings;
    private final ServerLifecycle lifecycle = new ServerLifecycle(() -> "embedded PostgreSQL at " + jdbcUrl());
    /** The running server, or null while stopped; written by the {@link #lifecycle} steps. */
    private volatile EmbeddedPostgres postgres;

    private ZonkyPostgres(Path directory, int port, Map<String, String> settings) {
        this.directory = directory;
        this.data = directory.resolve("data");
        this.hba = directory.resolve("pg_hba.conf");
        this.port = port;
        this.settings = settings;
    }

    /** Starts a server with {@code settings} (already checked by {@link PostgresBootstrap#settings}). */
    static ZonkyPostgres start(Map<String, String> settings) {
        ZonkyPostgres server = null;
        try {
            Path directory = Files.createTempDirectory("tidepool-pg-zonky-");
            server = new ZonkyPostgres(directory, PostgresBootstrap.freePort(), settings);
            PostgresBootstrap.writeHba(server.hba);
            server.postgres = server.launch(Map.of());
            server.lifecycle.started();
            PostgresBootstrap.createRoleAndDatabase(server.port, server.password());
            return server;
        } catch (IOException e) {
            closeQuietly(server);
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        } catch (SQLException e) {
            closeQuietly(server);
            throw new IllegalStateException("embedded PostgreSQL started but could not be set up", e);
        } catch (RuntimeException e) {
            closeQuietly(server);
            throw e;
        }
    }

    /** A new EmbeddedPostgres on this server's directory and port, with {@code runSettings} on top. */
    private EmbeddedPostgres launch(Map<String, String> runSettings) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false) // initdb only when there is no postgresql.conf yet
                .setPort(port)
                .setServerConfig("listen_addresses", PostgresBootstrap.HOST)
                .setServerConfig("hba_file", hba.toString())
                .setPGStartupWait(START_LIMIT);
        Map<String, String> merged = new LinkedHashMap<>(settings);
        merged.putAll(runSettings);
        merged.forEach(builder::setServerConfig);
        return builder.start();
    }

    @Override
    int port() {
        return port;
    }

    @Override
    public String description() {
        return "embedded (zonky EmbeddedPostgres, binaries from Maven Central) at " + jdbcUrl();
    }

    @Override
    public boolean canRestart() {
        return true;
    }

    @Override
    public void stop() {
        lifecycle.stop(() -> {
            EmbeddedPostgres running = postgres;
            postgres = null;
            running.close(); // pg_ctl stop -m fast -w; zonky logs, never throws, if that fails
            if (Files.exists(data.resolve("postmaster.pid"))) {
                throw new IOException("postmaster.pid is still there");
            }
        });
    }

    @Override
    public void startAgain(Map<String, String> settings) {
        Map<String, String> runSettings = PostgresBootstrap.checked(settings);
        lifecycle.startAgain(() -> postgres = launch(runSettings));
    }

    @Override
    public void close() {
        lifecycle.close(() -> {
            EmbeddedPostgres running = postgres;
            postgres = null;
            try {
                if (running != null) {
                    running.close();
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "stopping embedded PostgreSQL failed", e);
            } finally {
                Commands.deleteTree(directory);
            }
        });
    }

    private static void closeQuietly(ZonkyPostgres server) {
        if (server != null) {
            server.close();
        }
    }

}
