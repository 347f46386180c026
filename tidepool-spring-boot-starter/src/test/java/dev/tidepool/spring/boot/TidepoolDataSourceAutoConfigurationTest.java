package dev.tidepool.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tidepool.core.Order;
import dev.tidepool.jdbc.TidepoolDataSource;
import java.sql.Connection;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadata;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Which data source a Boot application gets, and how it is configured: the conditions, the
 * property binding and the connection details, with HikariCP on the class path throughout.
 */
@Timeout(120)
class TidepoolDataSourceAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TidepoolDataSourceAutoConfiguration.class,
                    DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
                    JdbcTemplateAutoConfiguration.class));

    private static String h2() {
        return "spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    @Test
    void theDataSourceIsTidepoolsAlthoughHikariCpIsOnTheClassPath() {
        assertThat(HikariDataSource.class).isNotNull(); // on the class path, as spring-boot-starter-jdbc brings it
        runner.withPropertyValues(h2()).run(context -> {
            assertThat(context).hasSingleBean(DataSource.class);
            assertThat(context.getBean(DataSource.class)).isExactlyInstanceOf(TidepoolDataSource.class);
            assertThat(context).doesNotHaveBean(HikariDataSource.class);
            assertThat(context.getBean(JdbcTemplate.class).queryForObject("select 41 + 1", Integer.class)).isEqualTo(42);
        });
    }

    @Test
    void withoutAUrlTheEmbeddedDatabaseIsUsedAsBootDoes() {
        runner.run(context -> {
            TidepoolDataSource dataSource = context.getBean(TidepoolDataSource.class);
            assertThat(dataSource.getJdbcUrl()).startsWith("jdbc:h2:mem:");
            assertThat(context.getBean(JdbcTemplate.class).queryForObject("select 1", Integer.class)).isOne();
        });
    }

    @Test
    void bootsDataSourcePropertiesAreHonoured() {
        runner.withPropertyValues(h2(), "spring.datasource.username=sa", "spring.datasource.password=",
                "spring.datasource.driver-class-name=org.h2.Driver", "spring.datasource.name=orders").run(context -> {
            TidepoolDataSource dataSource = context.getBean(TidepoolDataSource.class);
            assertThat(dataSource.getUsername()).isEqualTo("sa");
            assertThat(dataSource.getDriverClassName()).isEqualTo("org.h2.Driver");
            assertThat(dataSource.getPoolName()).isEqualTo("orders");
        });
    }

    @Test
    void everyTidepoolPropertyBindsInRelaxedForm() {
        runner.withPropertyValues(h2(),
                "spring.datasource.tidepool.maximum-pool-size=7",
                "spring.datasource.tidepool.minimum-idle=2",
                "spring.datasource.tidepool.pool-name=bound",
                "spring.datasource.tidepool.connection-timeout=1234",
                "spring.datasource.tidepool.idle-timeout=45000",
                "spring.datasource.tidepool.max-lifetime=120000",
                "spring.datasource.tidepool.leak-detection-threshold=5000",
                "spring.datasource.tidepool.validation-timeout=800",
                "spring.datasource.tidepool.auto-commit=false",
                "spring.datasource.tidepool.read-only=true",
                "spring.datasource.tidepool.order=queue",
                "spring.datasource.tidepool.transaction-isolation=TRANSACTION_SERIALIZABLE",
                "spring.datasource.tidepool.connection-test-query=select 1",
                "spring.datasource.tidepool.data-source-properties.LOCK_TIMEOUT=10000",
                "spring.datasource.tidepool.dataSourceProperties.MODE=PostgreSQL").run(context -> {
            TidepoolDataSource dataSource = context.getBean(TidepoolDataSource.class);
            assertThat(dataSource.getMaximumPoolSize()).isEqualTo(7);
            assertThat(dataSource.getMinimumIdle()).isEqualTo(2);
            assertThat(dataSource.getPoolName()).isEqualTo("bound");
            assertThat(dataSource.getConnectionTimeout()).isEqualTo(1234);
            assertThat(dataSource.getIdleTimeout()).isEqualTo(45000);
            assertThat(dataSource.getMaxLifetime()).isEqualTo(120000);
            assertThat(dataSource.getLeakDetectionThreshold()).isEqualTo(5000);
            assertThat(dataSource.getValidationTimeout()).isEqualTo(800);
            assertThat(dataSource.isAutoCommit()).isFalse();
            assertThat(dataSource.isReadOnly()).isTrue();
            assertThat(dataSource.getOrder()).isEqualTo(Order.QUEUE);
            assertThat(dataSource.getTransactionIsolation()).isEqualTo("TRANSACTION_SERIALIZABLE");
            assertThat(dataSource.getDataSourceProperties()).containsEntry("LOCK_TIMEOUT", "10000")
                    .containsEntry("MODE", "PostgreSQL");
            // ... and take effect on the running pool.
            try (Connection connection = dataSource.getConnection()) {
                assertThat(connection.getAutoCommit()).isFalse();
                assertThat(connection.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
            }
            assertThat(dataSource.getTotalConnections()).isBetween(1, 7);
        });
    }

    @Test
    void connectionDetailsFromAServiceConnectionWinOverTheProperties() {
        String realUrl = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        runner.withPropertyValues("spring.datasource.url=jdbc:postgresql://nowhere.invalid/none",
                        "spring.datasource.tidepool.jdbc-url=jdbc:postgresql://nowhere.invalid/either")
                .withBean(JdbcConnectionDetails.class, () -> new JdbcConnectionDetails() {
                    @Override public String getUsername() {
                        return "sa";
                    }

                    @Override public String getPassword() {
                        return "";
                    }

                    @Override public String getJdbcUrl() {
                        return realUrl;
                    }
                })
                .run(context -> {
                    TidepoolDataSource dataSource = context.getBean(TidepoolDataSource.class);
                    assertThat(dataSource.getJdbcUrl()).isEqualTo(realUrl);
                    assertThat(dataSource.getDriverClassName()).isEqualTo("org.h2.Driver");
                    assertThat(context.getBean(JdbcTemplate.class).queryForObject("select 1", Integer.class)).isOne();
                });
    }

    @Test
    void theApplicationsOwnDataSourceWins() {
        runner.withPropertyValues(h2()).withUserConfiguration(OwnDataSource.class).run(context -> {
            assertThat(context).hasSingleBean(DataSource.class);
            assertThat(context.getBean(DataSource.class)).isSameAs(context.getBean("ownDataSource"));
            assertThat(context).doesNotHaveBean(TidepoolDataSourceBeanPostProcessor.class);
        });
    }

    @Test
    void anotherPoolNamedInSpringDatasourceTypeWins() {
        runner.withPropertyValues(h2(), "spring.datasource.type=com.zaxxer.hikari.HikariDataSource").run(context ->
                assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class));
    }

    @Test
    void tidepoolNamedInSpringDatasourceTypeIsTidepoolWithAllItsSettings() {
        runner.withPropertyValues(h2(), "spring.datasource.type=dev.tidepool.jdbc.TidepoolDataSource",
                "spring.datasource.tidepool.maximum-pool-size=3").run(context -> {
            TidepoolDataSource dataSource = context.getBean(TidepoolDataSource.class);
            assertThat(dataSource.getMaximumPoolSize()).isEqualTo(3);
        });
    }

    @Test
    void withoutTidepoolOnTheClassPathBootsOwnPoolIsUsed() {
        runner.withPropertyValues(h2()).withClassLoader(new FilteredClassLoader(TidepoolDataSource.class))
                .run(context -> assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class));
    }

    @Test
    void thePoolStartsOnFirstUseSoAnUnreachableDatabaseDoesNotStopTheStart() {
        runner.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none",
                "spring.datasource.tidepool.connection-timeout=250").run(context -> {
            assertThat(context).hasNotFailed();
            TidepoolDataSource dataSource = context.getBean(TidepoolDataSource.class);
            assertThat(dataSource.isRunning()).isFalse();
            assertThat(dataSource.getTotalConnections()).isZero();
        });
    }

    @Test
    void theMetadataProviderGivesBootTheLiveFigures() {
        runner.withPropertyValues(h2(), "spring.datasource.tidepool.maximum-pool-size=4",
                "spring.datasource.tidepool.minimum-idle=1",
                "spring.datasource.tidepool.connection-test-query=select 1").run(context -> {
            TidepoolDataSource dataSource = context.getBean(TidepoolDataSource.class);
            DataSourcePoolMetadata metadata = context.getBean("tidepoolPoolDataSourceMetadataProvider",
                    DataSourcePoolMetadataProvider.class).getDataSourcePoolMetadata(dataSource);
            assertThat(metadata).isNotNull();
            assertThat(metadata.getActive()).isZero(); // there before the pool starts, unlike HikariCP's
            try (Connection ignored = dataSource.getConnection()) {
                assertThat(metadata.getActive()).isOne();
                assertThat(metadata.getUsage()).isEqualTo(0.25f);
            }
            assertThat(metadata.getActive()).isZero();
            // The borrow may have made the pool open one more connection in the background (minimum-idle 1):
            // compare the two readings once that has settled.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(metadata.getIdle()).isPositive().isEqualTo(dataSource.getIdleConnections()));
            assertThat(metadata.getMax()).isEqualTo(4);
            assertThat(metadata.getMin()).isEqualTo(1);
            assertThat(metadata.getValidationQuery()).isEqualTo("select 1");
            assertThat(metadata.getDefaultAutoCommit()).isTrue();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnDataSource {
        @Bean
        DataSource ownDataSource() {
            org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
            h2.setURL("jdbc:h2:mem:own");
            return h2;
        }
    }
}
