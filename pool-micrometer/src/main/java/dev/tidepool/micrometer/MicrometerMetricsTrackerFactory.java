package dev.tidepool.micrometer;

import dev.tidepool.jdbc.MetricsTracker;
import dev.tidepool.jdbc.MetricsTrackerFactory;
import dev.tidepool.jdbc.PoolStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.Objects;

/**
 * Publishes a {@code TidepoolDataSource}'s figures to a Micrometer {@link MeterRegistry}: the
 * counterpart of HikariCP's {@code MicrometerMetricsTrackerFactory}, with HikariCP's meter
 * vocabulary under the prefix {@code tidepool} (see {@link ConnectionMeterNames} for the table).
 * Immutable: the {@code with...} methods return a new factory.
 *
 * <pre>{@code
 * TidepoolConfig config = new TidepoolConfig();
 * config.setJdbcUrl("jdbc:postgresql://db/app");
 * config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meterRegistry)
 *         .withHikariCpNames()                       // also hikaricp.connections.*, for old dashboards
 *         .withTags(Tags.of("region", "eu-west-1")));
 * TidepoolDataSource dataSource = new TidepoolDataSource(config);
 * }</pre>
 *
 * <p>{@code config.setMetricRegistry(meterRegistry)} does the same as
 * {@code setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meterRegistry))}, as in
 * HikariCP. The meters are registered when the pool starts (or at once, if the factory is set on a
 * running pool) and removed when it closes.
 */
public final class MicrometerMetricsTrackerFactory implements MetricsTrackerFactory {
    private final MeterRegistry registry;
    private final Tags tags;
    private final boolean hikariCpNames;

    /**
     * A factory for meters named {@code tidepool.connections*}, tagged {@code pool=<poolName>}.
     *
     * @param registry where the meters go
     */
    public MicrometerMetricsTrackerFactory(MeterRegistry registry) {
        this(Objects.requireNonNull(registry, "registry"), Tags.empty(), false);
    }

    private MicrometerMetricsTrackerFactory(MeterRegistry registry, Tags tags, boolean hikariCpNames) {
        this.registry = registry;
        this.tags = tags;
        this.hikariCpNames = hikariCpNames;
    }

    /**
     * The same factory, also publishing every figure under HikariCP's names
     * ({@code hikaricp.connections*}, no base units, as HikariCP registers them), so the dashboards
     * and alerts written for HikariCP keep working. Each timed event is then recorded twice.
     *
     * @return a new factory
     */
    public MicrometerMetricsTrackerFactory withHikariCpNames() {
        return new MicrometerMetricsTrackerFactory(registry, tags, true);
    }

    /**
     * The same factory, adding {@code extraTags} to every meter (after {@code pool}).
     *
     * @param extraTags tags such as an application or region
     * @return a new factory
     */
    public MicrometerMetricsTrackerFactory withTags(Iterable<Tag> extraTags) {
        return new MicrometerMetricsTrackerFactory(registry, tags.and(extraTags), hikariCpNames);
    }

    /** Whether {@link #withHikariCpNames()} was asked for. */
    public boolean publishesHikariCpNames() {
        return hikariCpNames;
    }

    @Override
    public MetricsTracker create(String poolName, PoolStats poolStats) {
        Tags poolTags = Tags.of("pool", poolName).and(tags);
        ConnectionMeters tidepool = ConnectionMeters.register(ConnectionMeterNames.TIDEPOOL, poolStats, poolTags, registry);
        ConnectionMeters hikari = hikariCpNames
                ? ConnectionMeters.register(ConnectionMeterNames.HIKARICP, poolStats, poolTags, registry) : null;
        return hikari == null ? new SingleTracker(tidepool, poolStats) : new DoubleTracker(tidepool, hikari, poolStats);
    }

    @Override
    public String toString() {
        return "MicrometerMetricsTrackerFactory[" + registry.getClass().getSimpleName() + ", tags " + tags
                + (hikariCpNames ? ", with HikariCP names" : "") + "]";
    }

    /** Records into one set of meters. Holds the stats: the gauges reference them only weakly. */
    private record SingleTracker(ConnectionMeters meters, PoolStats stats) implements MetricsTracker {
        @Override
        public void recordConnectionCreatedMillis(long connectionCreatedMillis) {
            meters.recordCreatedMillis(connectionCreatedMillis);
        }

        @Override
        public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
            meters.recordAcquiredNanos(elapsedAcquiredNanos);
        }

        @Override
        public void recordConnectionUsageMillis(long elapsedBorrowedMillis) {
            meters.recordUsageMillis(elapsedBorrowedMillis);
        }

        @Override
        public void recordConnectionTimeout() {
            meters.recordTimeout();
        }

        @Override
        public void close() {
            meters.remove();
        }
    }

    /** Records into Tidepool's meters and HikariCP's names alike. */
    private record DoubleTracker(ConnectionMeters tidepool, ConnectionMeters hikari, PoolStats stats)
            implements MetricsTracker {
        @Override
        public void recordConnectionCreatedMillis(long connectionCreatedMillis) {
            tidepool.recordCreatedMillis(connectionCreatedMillis);
            hikari.recordCreatedMillis(connectionCreatedMillis);
        }

        @Override
        public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
            tidepool.recordAcquiredNanos(elapsedAcquiredNanos);
            hikari.recordAcquiredNanos(elapsedAcquiredNanos);
        }

        @Override
        public void recordConnectionUsageMillis(long elapsedBorrowedMillis) {
            tidepool.recordUsageMillis(elapsedBorrowedMillis);
            hikari.recordUsageMillis(elapsedBorrowedMillis);
        }

        @Override
        public void recordConnectionTimeout() {
            tidepool.recordTimeout();
            hikari.recordTimeout();
        }

        @Override
        public void close() {
            tidepool.remove();
            hikari.remove();
        }
    }
}
