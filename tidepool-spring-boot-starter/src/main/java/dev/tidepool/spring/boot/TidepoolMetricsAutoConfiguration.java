package dev.tidepool.spring.boot;

import dev.tidepool.core.GreenPool;
import dev.tidepool.core.ResourcePool;
import dev.tidepool.jdbc.TidepoolDataSource;
import dev.tidepool.micrometer.GreenPoolMetrics;
import dev.tidepool.micrometer.MicrometerMetricsTrackerFactory;
import dev.tidepool.micrometer.ResourcePoolMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.System.Logger.Level;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Publishes Tidepool's own meters when the application has a Micrometer {@link MeterRegistry}
 * (Boot's actuator): every {@link TidepoolDataSource} bean ({@code tidepool.connections.*}, and
 * {@code hikaricp.connections.*} too with {@code tidepool.metrics.hikaricp-names=true}), every
 * {@link GreenPool} bean ({@code tidepool.greenpool.*}) and every {@link ResourcePool} bean
 * ({@code tidepool.pool.*}). Boot's own {@code jdbc.connections.*} meters come from the
 * {@code DataSourcePoolMetadataProvider} of {@link TidepoolDataSourceAutoConfiguration}.
 *
 * <pre>{@code
 * # application.properties: keep the HikariCP dashboards working after the switch
 * tidepool.metrics.hikaricp-names=true
 *
 * // anywhere in the application
 * double waiting = meterRegistry.get("tidepool.connections.pending").tag("pool", "orders").gauge().value();
 * }</pre>
 *
 * <p>As Boot does for HikariCP, a data source that already has a metric registry or tracker
 * factory is left alone; the binding happens once the context's beans are made, and a pool that
 * started before that (a schema script ran, say) is bound while it runs.
 */
@AutoConfiguration(after = {TidepoolDataSourceAutoConfiguration.class, TidepoolGreenPoolAutoConfiguration.class,
        DataSourceAutoConfiguration.class},
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({MeterRegistry.class, MicrometerMetricsTrackerFactory.class})
@ConditionalOnBean(MeterRegistry.class)
public final class TidepoolMetricsAutoConfiguration {
    /** Made by Spring Boot, which finds this auto-configuration in the starter's imports file. */
    public TidepoolMetricsAutoConfiguration() {
    }

    private static final System.Logger LOG = System.getLogger(TidepoolMetricsAutoConfiguration.class.getName());

    @Bean
    MeterBinder tidepoolDataSourceMeterBinder(ObjectProvider<DataSource> dataSources, TidepoolProperties properties) {
        boolean hikariCpNames = properties.getMetrics().isHikaricpNames();
        boolean openTelemetryNames = properties.getMetrics().isOpentelemetryNames();
        return registry -> dataSources.stream(ObjectProvider.UNFILTERED, false).forEach(dataSource -> {
            TidepoolDataSource tidepool = DataSourceUnwrapper.unwrap(dataSource, TidepoolDataSource.class);
            if (tidepool != null && tidepool.getMetricRegistry() == null && tidepool.getMetricsTrackerFactory() == null) {
                MicrometerMetricsTrackerFactory factory = new MicrometerMetricsTrackerFactory(registry);
                if (hikariCpNames) {
                    factory = factory.withHikariCpNames();
                }
                if (openTelemetryNames) {
                    factory = factory.withOpenTelemetryNames();
                }
                try {
                    tidepool.setMetricsTrackerFactory(factory);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, () -> "Failed to bind Tidepool metrics of " + tidepool + ": " + e.getMessage());
                }
            }
        });
    }

    @Bean
    MeterBinder tidepoolGreenPoolMeterBinder(ObjectProvider<GreenPool> pools) {
        return registry -> pools.stream(ObjectProvider.UNFILTERED, false)
                .forEach(pool -> new GreenPoolMetrics(pool).bindTo(registry));
    }

    @Bean
    MeterBinder tidepoolResourcePoolMeterBinder(ObjectProvider<ResourcePool<?>> pools) {
        return registry -> pools.stream(ObjectProvider.UNFILTERED, false)
                .forEach(pool -> new ResourcePoolMetrics(pool).bindTo(registry));
    }
}
