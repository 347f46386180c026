package dev.tidepool.spring.boot;

import dev.tidepool.jdbc.TidepoolDataSource;
import javax.sql.DataSource;
import javax.sql.XADataSource;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JndiDataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.XADataSourceAutoConfiguration;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.jmx.export.MBeanExporter;
import org.springframework.util.StringUtils;

/**
 * Makes the application's {@link DataSource} a {@link TidepoolDataSource}, the way Boot makes it
 * a HikariCP pool: it runs before Boot's {@link DataSourceAutoConfiguration} (so it wins even
 * with HikariCP on the class path), and backs off when the application defines its own
 * {@code DataSource}, when {@code spring.datasource.type} names another pool, or when Boot's
 * JNDI, XA or R2DBC configuration applies.
 *
 * <p>The connection comes from Boot's {@link JdbcConnectionDetails} ({@code spring.datasource.url},
 * {@code username}, {@code password}, {@code driver-class-name}, or what {@code @ServiceConnection}
 * and Docker Compose provide), every {@code TidepoolConfig} property from
 * {@code spring.datasource.tidepool.*}, e.g.
 * <pre>{@code
 * spring.datasource.url=jdbc:postgresql://db/app
 * spring.datasource.tidepool.maximum-pool-size=20
 * spring.datasource.tidepool.connection-timeout=5000
 * }</pre>
 * The pool starts on first use, as Boot's HikariCP pool does; its settings are checked when the
 * bean is made, so a bad combination fails the start with a {@link TidepoolFailureAnalyzer}
 * message. With {@code spring.jmx.enabled=true} it registers its MXBean (pool-jmx), and Boot's
 * own MBean exporter is told to leave it alone. Closing the context waits, up to
 * {@code tidepool.shutdown-timeout}, for borrowed connections to come back, then closes the pool.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class,
        after = {JndiDataSourceAutoConfiguration.class, XADataSourceAutoConfiguration.class})
@ConditionalOnClass({DataSource.class, EmbeddedDatabaseType.class, TidepoolDataSource.class})
@ConditionalOnMissingBean(type = "io.r2dbc.spi.ConnectionFactory")
@EnableConfigurationProperties({DataSourceProperties.class, TidepoolProperties.class})
public final class TidepoolDataSourceAutoConfiguration {
    /** Made by Spring Boot, which finds this auto-configuration in the starter's imports file. */
    public TidepoolDataSourceAutoConfiguration() {
    }

    /** The bean name Boot gives the application's data source, and the one its post-processors look for. */
    static final String DATA_SOURCE_BEAN = "dataSource";
    static final String TYPE = "dev.tidepool.jdbc.TidepoolDataSource";

    /** For Boot's {@code jdbc.connections.*} meters and its {@code db} health indicator. */
    @Bean
    DataSourcePoolMetadataProvider tidepoolPoolDataSourceMetadataProvider() {
        return dataSource -> {
            TidepoolDataSource tidepool = DataSourceUnwrapper.unwrap(dataSource, TidepoolDataSource.class);
            return tidepool == null ? null : new TidepoolDataSourcePoolMetadata(tidepool);
        };
    }

    /** Graceful close of every Tidepool data source and GreenPool bean, the application's own too. */
    @Bean
    static TidepoolShutdown tidepoolShutdown(Environment environment) {
        return new TidepoolShutdown(TidepoolShutdown.timeout(environment));
    }

    /** The data source itself, unless the application has one. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean({DataSource.class, XADataSource.class})
    @ConditionalOnProperty(name = "spring.datasource.type", havingValue = TYPE, matchIfMissing = true)
    static class PooledDataSourceConfiguration {

        @Bean
        @ConditionalOnMissingBean(JdbcConnectionDetails.class)
        JdbcConnectionDetails jdbcConnectionDetails(DataSourceProperties properties) {
            return new PropertiesConnectionDetails(properties);
        }

        @Bean
        static TidepoolDataSourceBeanPostProcessor tidepoolDataSourceBeanPostProcessor(
                ObjectProvider<JdbcConnectionDetails> connectionDetails) {
            return new TidepoolDataSourceBeanPostProcessor(connectionDetails);
        }

        @Bean(DATA_SOURCE_BEAN)
        @ConfigurationProperties("spring.datasource.tidepool")
        TidepoolDataSource dataSource(DataSourceProperties properties, JdbcConnectionDetails connectionDetails,
                                      Environment environment) {
            TidepoolDataSource dataSource = new TidepoolDataSource();
            boolean driverAsWell = environment.getProperty("spring.datasource.tidepool.data-source-class-name") == null;
            TidepoolDataSourceBeanPostProcessor.apply(connectionDetails, dataSource, driverAsWell);
            if (StringUtils.hasText(properties.getName())) {
                dataSource.setPoolName(properties.getName());
            }
            // Before binding, so spring.datasource.tidepool.register-mbeans=false still wins.
            if (environment.getProperty("spring.jmx.enabled", Boolean.class, false)) {
                dataSource.setRegisterMbeans(true);
            }
            return dataSource;
        }
    }

    /**
     * A data source that registers its own MXBean is not exported again by Boot's MBean exporter,
     * as Boot does for HikariCP's {@code registerMbeans}.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MBeanExporter.class)
    @ConditionalOnBooleanProperty("spring.jmx.enabled")
    static class JmxConfiguration {
        JmxConfiguration(ListableBeanFactory beanFactory, ObjectProvider<MBeanExporter> exporter) {
            exporter.ifUnique(mbeanExporter -> {
                for (String name : beanFactory.getBeanNamesForType(TidepoolDataSource.class, false, false)) {
                    if (beanFactory.getBean(name, TidepoolDataSource.class).isRegisterMbeans()) {
                        mbeanExporter.addExcludedBean(name);
                    }
                }
            });
        }
    }
}
