package dev.tidepool.it;

import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.testsupport.postgres.EmbeddedPostgresServer;
import dev.tidepool.testsupport.postgres.PostgresServer;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;

/**
 * Which {@link PostgresServer} the integration tests run on, and their pool configuration for it.
 * The server is started once per JVM (see {@link PostgresExtension}) and stopped when the tests
 * end, or by a shutdown hook if the JVM ends first.
 *
 * <p>Where it comes from ({@link #start()}), by the system property {@code tidepool.it.postgres}:
 * <ul>
 *   <li>{@code auto} (default): a Testcontainers container when a Docker engine is reachable,
 *       otherwise embedded;</li>
 *   <li>{@code embedded}: {@link EmbeddedPostgresServer}, PostgreSQL binaries from Maven Central
 *       (test-support), never the machine's own installation;</li>
 *   <li>{@code container}: {@link ContainerPostgres}, failing if there is no Docker engine.</li>
 * </ul>
 */
final class ItPostgres {

    private ItPostgres() {
    }

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
                    server = EmbeddedPostgresServer.start();
                }
            }
            case "container" -> server = ContainerPostgres.start();
            case "embedded" -> server = EmbeddedPostgresServer.start();
            default -> throw new IllegalArgumentException(
                    "tidepool.it.postgres=" + mode + ": expected auto, embedded or container");
        }
        System.out.printf("[tidepool-it] PostgreSQL%s: %s; ready in %d ms%n", why, server.description(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return server;
    }

    /** Whether Testcontainers finds a Docker engine; false whatever goes wrong asking. */
    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    /**
     * A pool configuration for {@code server}'s database whose connections carry
     * {@code applicationName}, so {@code pg_stat_activity} tells them apart from everything else.
     */
    static TidepoolConfig config(PostgresServer server, String applicationName) {
        TidepoolConfig config = new TidepoolConfig();
        config.setJdbcUrl(server.jdbcUrl());
        config.setUsername(server.username());
        config.setPassword(server.password());
        config.setPoolName(applicationName);
        config.addDataSourceProperty("ApplicationName", applicationName);
        return config;
    }
}
