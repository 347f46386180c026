package dev.tidepool.micrometer;

import dev.tidepool.jdbc.MetricsTracker;
import dev.tidepool.jdbc.MetricsTrackerFactory;
import dev.tidepool.jdbc.PoolStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
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
    private final boolean openTelemetryNames;

    /**
     * A factory for meters named {@code tidepool.connections*}, tagged {@code pool=<poolName>}.
     *
     * @param registry where the meters go
     */
    public MicrometerMetricsTrackerFactory(MeterRegistry registry) {
        this(Objects.requireNonNull(registry, "registry"), Tags.empty(), false, false);
    }

    private MicrometerMetricsTrackerFactory(MeterRegistry registry, Tags tags, boolean hikariCpNames,
                                            boolean openTelemetryNames) {
        this.registry = registry;
        this.tags = tags;
        this.hikariCpNames = hikariCpNames;
        this.openTelemetryNames = openTelemetryNames;
    }

    /**
     * The same factory, also publishing every figure under HikariCP's names
     * ({@code hikaricp.connections*}, no base units, as HikariCP registers them), so the dashboards
     * and alerts written for HikariCP keep working. Each timed event is then recorded twice.
     *
     * @return a new factory
     */
    public MicrometerMetricsTrackerFactory withHikariCpNames() {
        return new MicrometerMetricsTrackerFactory(registry, tags, true, openTelemetryNames);
    }

    /**
     * The same factory, also publishing OpenTelemetry's database client connection metrics
     * ({@code db.client.connection.count} with {@code db.client.connection.state} = {@code idle} |
     * {@code used}, {@code .idle.max}, {@code .idle.min}, {@code .max}, {@code .pending_requests},
     * {@code .timeouts}, and the histograms {@code .create_time}, {@code .wait_time},
     * {@code .use_time} in seconds), each with the required {@code db.client.connection.pool.name}
     * attribute, exactly as the semantic conventions name them; for export over OTLP with
     * Micrometer's OTLP registry. Each timed event is then recorded once more.
     *
     * @return a new factory
     */
    public MicrometerMetricsTrackerFactory withOpenTelemetryNames() {
        return new MicrometerMetricsTrackerFactory(registry, tags, hikariCpNames, true);
    }

    /**
     * The same factory, adding {@code extraTags} to every meter (after {@code pool}).
     *
     * @param extraTags tags such as an application or region
     * @return a new factory
     */
    public MicrometerMetricsTrackerFactory withTags(Iterable<Tag> extraTags) {
        return new MicrometerMetricsTrackerFactory(registry, tags.and(extraTags), hikariCpNames, openTelemetryNames);
    }

    /** {@return whether {@link #withHikariCpNames()} was asked for} */
    public boolean publishesHikariCpNames() {
        return hikariCpNames;
    }

    /** {@return whether {@link #withOpenTelemetryNames()} was asked for} */
    public boolean publishesOpenTelemetryNames() {
        return openTelemetryNames;
    }

    @Override
    public MetricsTracker create(String poolName, PoolStats poolStats) {
        Tags poolTags = Tags.of("pool", poolName).and(tags);
        List<ConnectionRecorder> namings = new ArrayList<>(3);
        namings.add(ConnectionMeters.register(ConnectionMeterNames.TIDEPOOL, poolStats, poolTags, registry));
        if (hikariCpNames) {
            namings.add(ConnectionMeters.register(ConnectionMeterNames.HIKARICP, poolStats, poolTags, registry));
        }
        if (openTelemetryNames) {
            namings.add(OpenTelemetryConnectionMeters.register(poolName, poolStats, tags, registry));
        }
        return new Tracker(namings.toArray(ConnectionRecorder[]::new), poolStats);
    }

    @Override
    public String toString() {
        return "MicrometerMetricsTrackerFactory[" + registry.getClass().getSimpleName() + ", tags " + tags
                + (hikariCpNames ? ", with HikariCP names" : "")
                + (openTelemetryNames ? ", with OpenTelemetry names" : "") + "]";
    }

    /**
     * Records each event into every naming asked for. Holds the stats: the gauges reference them
     * only weakly. Iterating the array allocates nothing.
     */
    private record Tracker(ConnectionRecorder[] namings, PoolStats stats) implements MetricsTracker {
        @Override
        public void recordConnectionCreatedMillis(long connectionCreatedMillis) {
            for (ConnectionRecorder naming : namings) {
                naming.recordCreatedMillis(connectionCreatedMillis);
            }
        }

        @Override
        public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
            for (ConnectionRecorder naming : namings) {
                naming.recordAcquiredNanos(elapsedAcquiredNanos);
            }
        }

        @Override
        public void recordConnectionUsageMillis(long elapsedBorrowedMillis) {
            for (ConnectionRecorder naming : namings) {
                naming.recordUsageMillis(elapsedBorrowedMillis);
            }
        }

        @Override
        public void recordConnectionTimeout() {
            for (ConnectionRecorder naming : namings) {
                naming.recordTimeout();
            }
        }

        @Override
        public void recordConnectionShed() {
            for (ConnectionRecorder naming : namings) {
                naming.recordShed();
            }
        }

        @Override
        public void close() {
            for (ConnectionRecorder naming : namings) {
                naming.remove();
            }
        }
    }
}
