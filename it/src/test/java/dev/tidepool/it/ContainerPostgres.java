package dev.tidepool.it;

import dev.tidepool.testsupport.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL in a Testcontainers container, where a Docker engine is reachable (see
 * {@link ItPostgres}). Its one role is a superuser with a password (the image's
 * {@code POSTGRES_USER}), so it serves as both the pools' role and the admin. Testcontainers' reaper removes the container should the JVM die.
 */
final class ContainerPostgres implements PostgresServer {
    /** {@code -Dtidepool.it.postgresImage} may name another (a mirror, another version). */
    static final String IMAGE = System.getProperty("tidepool.it.postgresImage", "postgres:16-alpine");

    private final PostgreSQLContainer<?> container;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ContainerPostgres(PostgreSQLContainer<?> container) {
        this.container = container;
    }

    static ContainerPostgres start() {
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>(
                DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("postgres"))
                .withDatabaseName(PostgresServer.DATABASE)
                .withUsername(PostgresServer.ROLE)
                .withPassword(PostgresServer.randomPassword())
                .withCommand("postgres", "-c", "fsync=off", "-c", "synchronous_commit=off",
                        "-c", "full_page_writes=off", "-c", "max_connections=100")
                .withStartupTimeout(Duration.ofSeconds(60));
        try {
            container.start();
        } catch (RuntimeException e) {
            container.stop();
            throw e;
        }
        return new ContainerPostgres(container);
    }

    @Override
    public String jdbcUrl() {
        return "jdbc:postgresql://" + container.getHost() + ":"
                + container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT) + "/" + container.getDatabaseName();
    }

    @Override
    public String username() {
        return container.getUsername();
    }

    @Override
    public String password() {
        return container.getPassword();
    }

    @Override
    public Connection connectAsAdmin() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", container.getUsername());
        properties.setProperty("password", container.getPassword());
        return DriverManager.getConnection(jdbcUrl(), properties);
    }

    @Override
    public boolean isLocalProcess() {
        return false;
    }

    @Override
    public String description() {
        return "Testcontainers " + container.getDockerImageName() + " at " + jdbcUrl();
    }

    @Override
    public void close() {
        if (!closed.getAndSet(true)) {
            container.stop();
        }
    }
}
