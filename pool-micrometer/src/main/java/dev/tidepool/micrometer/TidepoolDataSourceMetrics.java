package dev.tidepool.micrometer;

import dev.tidepool.jdbc.TidepoolDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * Binds a {@link TidepoolDataSource}'s meters to a registry: sets a
 * {@link MicrometerMetricsTrackerFactory} on it, so the gauges, the timeout counter and the
 * acquire, usage and creation timers of {@link ConnectionMeterNames} appear when the pool starts,
 * or at once if it is running already (HikariCP's rule: a data source takes metrics once).
 *
 * <pre>{@code
 * new TidepoolDataSourceMetrics(dataSource).withHikariCpNames().bindTo(meterRegistry);
 * }</pre>
 *
 * <p>To publish to several registries, bind once to a {@code CompositeMeterRegistry} of them.
 */
public final class TidepoolDataSourceMetrics implements MeterBinder {
    private final TidepoolDataSource dataSource;
    private final Iterable<Tag> tags;
    private final boolean hikariCpNames;

    /**
     * Meters named {@code tidepool.connections*}, tagged {@code pool=<poolName>}.
     *
     * @param dataSource the data source to publish
     */
    public TidepoolDataSourceMetrics(TidepoolDataSource dataSource) {
        this(dataSource, java.util.List.of(), false);
    }

    /**
     * Meters named {@code tidepool.connections*}, tagged {@code pool=<poolName>} and {@code tags}.
     *
     * @param dataSource the data source to publish
     * @param tags       extra tags on every meter
     */
    public TidepoolDataSourceMetrics(TidepoolDataSource dataSource, Iterable<Tag> tags) {
        this(dataSource, tags, false);
    }

    private TidepoolDataSourceMetrics(TidepoolDataSource dataSource, Iterable<Tag> tags, boolean hikariCpNames) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.tags = Objects.requireNonNull(tags, "tags");
        this.hikariCpNames = hikariCpNames;
    }

    /**
     * The same binder, also publishing under HikariCP's names ({@code hikaricp.connections*}).
     *
     * @return a new binder
     */
    public TidepoolDataSourceMetrics withHikariCpNames() {
        return new TidepoolDataSourceMetrics(dataSource, tags, true);
    }

    /**
     * Sets the tracker factory on the data source.
     *
     * @throws IllegalStateException if the data source has a metric registry, or has started with
     *                               a registry or tracker factory already
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        MicrometerMetricsTrackerFactory factory = new MicrometerMetricsTrackerFactory(registry).withTags(tags);
        dataSource.setMetricsTrackerFactory(hikariCpNames ? factory.withHikariCpNames() : factory);
    }
}
