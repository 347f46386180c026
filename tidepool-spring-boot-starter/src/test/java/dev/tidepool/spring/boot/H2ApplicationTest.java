package dev.tidepool.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tidepool.core.GreenPool;
import dev.tidepool.core.ResourcePool;
import dev.tidepool.jdbc.TidepoolDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import javax.management.ObjectName;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

/**
 * A whole Boot application on H2, as a newcomer has it: spring-boot-starter-jdbc (with HikariCP),
 * the actuator, and this starter, configured by properties alone.
 */
@SpringBootTest(classes = H2ApplicationTest.Application.class, properties = {
        "spring.datasource.url=jdbc:h2:mem:h2-application;DB_CLOSE_DELAY=-1",
        "spring.datasource.tidepool.maximum-pool-size=7",
        "spring.datasource.tidepool.minimum-idle=2",
        "spring.datasource.tidepool.pool-name=h2-app",
        "spring.jmx.enabled=true",
        "spring.jmx.unique-names=true",
        "tidepool.metrics.hikaricp-names=true",
        "tidepool.green-pool.size=2"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@Timeout(120)
class H2ApplicationTest {
    @Autowired
    private ApplicationContext context;
    @Autowired
    private DataSource dataSource;
    @Autowired
    private MeterRegistry registry;
    @Autowired
    private HealthEndpoint health;

    @Test
    void theDataSourceIsTidepoolWithItsBoundSettingsAndHikariCpLoses() {
        assertThat(dataSource).isExactlyInstanceOf(TidepoolDataSource.class);
        assertThat(context.getBeansOfType(HikariDataSource.class)).isEmpty();
        TidepoolDataSource tidepool = (TidepoolDataSource) dataSource;
        assertThat(tidepool.getMaximumPoolSize()).isEqualTo(7);
        assertThat(tidepool.getMinimumIdle()).isEqualTo(2);
        assertThat(tidepool.getPoolName()).isEqualTo("h2-app");
        assertThat(context.getBean(JdbcTemplate.class).queryForObject("select 6 * 7", Integer.class)).isEqualTo(42);
    }

    @Test
    void bootsJdbcMetersAndTidepoolsOwnShowABorrow() throws Exception {
        try (Connection ignored = dataSource.getConnection()) {
            assertThat(registry.get("jdbc.connections.active").tag("name", "dataSource").gauge().value()).isEqualTo(1);
            assertThat(registry.get("jdbc.connections.max").tag("name", "dataSource").gauge().value()).isEqualTo(7);
            assertThat(registry.get("jdbc.connections.min").tag("name", "dataSource").gauge().value()).isEqualTo(2);
            assertThat(registry.get("tidepool.connections.active").tag("pool", "h2-app").gauge().value()).isEqualTo(1);
            assertThat(registry.get("tidepool.connections.max").tag("pool", "h2-app").gauge().value()).isEqualTo(7);
            assertThat(registry.get("hikaricp.connections.active").tag("pool", "h2-app").gauge().value()).isEqualTo(1);
        }
        assertThat(registry.get("jdbc.connections.active").tag("name", "dataSource").gauge().value()).isZero();
        assertThat(registry.get("tidepool.connections.acquire").tag("pool", "h2-app").timer().count()).isPositive();
        assertThat(registry.get("tidepool.connections.usage").tag("pool", "h2-app").timer().count()).isPositive();
    }

    @Test
    void theDbHealthIsUp() {
        assertThat(health.healthForPath("db").getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void thePoolsMXBeanIsRegisteredOnce() throws Exception {
        dataSource.getConnection().close();
        var server = ManagementFactory.getPlatformMBeanServer();
        assertThat(server.queryNames(new ObjectName("dev.tidepool:type=DataSource,*"), null))
                .contains(new ObjectName("dev.tidepool:type=DataSource,name=h2-app"))
                .filteredOn(n -> "h2-app".equals(n.getKeyProperty("name"))).hasSize(1);
        assertThat(server.getAttribute(new ObjectName("dev.tidepool:type=DataSource,name=h2-app"), "MaximumPoolSize"))
                .isEqualTo(7);
    }

    @Test
    void theApplicationsGreenPoolAndResourcePoolBeansArePublishedToo() throws Exception {
        GreenPool tasks = context.getBean(GreenPool.class);
        tasks.spawn(() -> 1).join();
        tasks.waitAll();
        assertThat(registry.get("tidepool.greenpool.size").tag("pool", "applicationTaskExecutor").gauge().value())
                .isEqualTo(2);
        assertThat(registry.get("tidepool.greenpool.task.duration").tag("pool", "applicationTaskExecutor")
                .tag("outcome", "success").timer().count()).isEqualTo(1);
        assertThat(registry.get("tidepool.pool.max").tag("pool", "buffers").gauge().value()).isEqualTo(3);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
        @Bean(destroyMethod = "close")
        ResourcePool<StringBuilder> buffers() {
            return ResourcePool.builder(StringBuilder::new).maxSize(3).name("buffers").build();
        }
    }
}
