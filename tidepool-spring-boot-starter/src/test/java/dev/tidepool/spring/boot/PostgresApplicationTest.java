package dev.tidepool.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidepool.jdbc.TidepoolDataSource;
import dev.tidepool.testsupport.postgres.EmbeddedPostgresServer;
import dev.tidepool.testsupport.postgres.PostgresServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Boot application on the real PostgreSQL that {@code it} uses (test-support's embedded server):
 * the meters after a borrow, {@code db} health going DOWN when the database refuses connections
 * and UP again, and a context close that leaves no connection on the server.
 */
@ExtendWith(PostgresApplicationTest.StopPostgres.class) // before SpringExtension: its afterAll runs last
@SpringBootTest(classes = PostgresApplicationTest.Application.class, properties = {
        "spring.datasource.tidepool.maximum-pool-size=5",
        "spring.datasource.tidepool.connection-timeout=1000",
        "spring.datasource.tidepool.pool-name=pg-app",
        "spring.datasource.tidepool.data-source-properties.ApplicationName=" + PostgresApplicationTest.APP})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@Timeout(180)
class PostgresApplicationTest {
    static final String APP = "tidepool-boot";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final PostgresServer POSTGRES = EmbeddedPostgresServer.start();

    @Autowired
    private DataSource dataSource;
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private MeterRegistry registry;
    @Autowired
    private HealthEndpoint health;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry properties) {
        properties.add("spring.datasource.url", POSTGRES::jdbcUrl);
        properties.add("spring.datasource.username", POSTGRES::username);
        properties.add("spring.datasource.password", POSTGRES::password);
    }

    @Test
    void theDataSourceIsTidepoolAndTalksToPostgres() {
        assertThat(dataSource).isInstanceOf(TidepoolDataSource.class);
        assertThat(jdbc.queryForObject("select current_database()", String.class)).isEqualTo(PostgresServer.DATABASE);
        assertThat(jdbc.queryForObject("select current_setting('application_name')", String.class)).isEqualTo(APP);
    }

    @Test
    void theMetersShowABorrow() throws Exception {
        try (Connection ignored = dataSource.getConnection()) {
            assertThat(registry.get("jdbc.connections.active").tag("name", "dataSource").gauge().value()).isEqualTo(1);
            assertThat(registry.get("tidepool.connections.active").tag("pool", "pg-app").gauge().value()).isEqualTo(1);
        }
        // The pool fills to its minimum in the background; once settled, the gauge is what the server sees.
        Awaitility.await().atMost(WAIT).until(() -> registry.get("tidepool.connections").tag("pool", "pg-app")
                .gauge().value() == POSTGRES.backendCount(APP));
        assertThat(registry.get("tidepool.connections.creation").tag("pool", "pg-app").timer().count()).isPositive();
    }

    @Test
    void healthGoesDownWhenTheDatabaseGoesAwayAndUpWhenItComesBack() throws Exception {
        assertThat(health.healthForPath("db").getStatus()).isEqualTo(Status.UP);
        try {
            try (Connection admin = POSTGRES.connectAsAdmin(); Statement sql = admin.createStatement()) {
                sql.execute("alter database " + PostgresServer.DATABASE + " allow_connections false");
            }
            for (int pid : POSTGRES.backendPids(APP)) {
                POSTGRES.terminateBackend(pid);
            }
            Awaitility.await().atMost(WAIT).until(() -> health.healthForPath("db").getStatus().equals(Status.DOWN));
        } finally {
            try (Connection admin = POSTGRES.connectAsAdmin(); Statement sql = admin.createStatement()) {
                sql.execute("alter database " + PostgresServer.DATABASE + " allow_connections true");
            }
        }
        Awaitility.await().atMost(WAIT).until(() -> health.healthForPath("db").getStatus().equals(Status.UP));
    }

    @Test
    void closingTheContextClosesThePoolAndLeavesNoConnectionOnTheServer() throws Exception {
        String name = APP + "-closing";
        SpringApplication application = new SpringApplication(Application.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        ConfigurableApplicationContext context = application.run(
                "--spring.datasource.url=" + POSTGRES.jdbcUrl(),
                "--spring.datasource.username=" + POSTGRES.username(),
                "--spring.datasource.password=" + POSTGRES.password(),
                "--spring.datasource.tidepool.minimum-idle=3",
                "--spring.datasource.tidepool.pool-name=" + name,
                "--spring.datasource.tidepool.data-source-properties.ApplicationName=" + name,
                "--spring.jmx.enabled=false");
        TidepoolDataSource closing = context.getBean(TidepoolDataSource.class);
        closing.getConnection().close();
        Awaitility.await().atMost(WAIT).until(() -> POSTGRES.backendCount(name) >= 3);

        context.close();
        assertThat(closing.isClosed()).isTrue();
        Awaitility.await().atMost(WAIT).until(() -> POSTGRES.backendCount(name) == 0);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
    }

    /** Stops the server once Spring has closed the class's context. */
    static final class StopPostgres implements AfterAllCallback {
        @Override
        public void afterAll(ExtensionContext context) {
            POSTGRES.close();
        }
    }
}
