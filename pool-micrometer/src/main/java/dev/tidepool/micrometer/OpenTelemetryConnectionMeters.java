package dev.tidepool.micrometer;

import dev.tidepool.jdbc.PoolStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A data source's meters under OpenTelemetry's semantic conventions for database client
 * connection pools (the {@code db.client.connection.*} metrics), exactly as specified: names,
 * units, and the required {@code db.client.connection.pool.name} attribute; the count carries
 * {@code db.client.connection.state} = {@code idle} | {@code used}. The three durations are
 * histograms in seconds whatever the registry's base time unit, so they are recorded as
 * distribution summaries with unit {@code s} rather than as timers (Micrometer's OTLP registry
 * would export timers in milliseconds).
 *
 * <table>
 *   <caption>The meters</caption>
 *   <tr><th>name</th><th>kind</th><th>unit</th><th>value</th></tr>
 *   <tr><td>{@code db.client.connection.count}</td><td>gauge (UpDownCounter)</td><td>{@code {connection}}</td>
 *       <td>idle and used connections, one series per state</td></tr>
 *   <tr><td>{@code db.client.connection.idle.max}</td><td>gauge</td><td>{@code {connection}}</td>
 *       <td>the most idle connections allowed: maximumPoolSize</td></tr>
 *   <tr><td>{@code db.client.connection.idle.min}</td><td>gauge</td><td>{@code {connection}}</td>
 *       <td>the idle connections kept: minimumIdle</td></tr>
 *   <tr><td>{@code db.client.connection.max}</td><td>gauge</td><td>{@code {connection}}</td>
 *       <td>maximumPoolSize</td></tr>
 *   <tr><td>{@code db.client.connection.pending_requests}</td><td>gauge</td><td>{@code {request}}</td>
 *       <td>callers waiting for a connection</td></tr>
 *   <tr><td>{@code db.client.connection.timeouts}</td><td>counter</td><td>{@code {timeout}}</td>
 *       <td>getConnection() calls that timed out</td></tr>
 *   <tr><td>{@code db.client.connection.create_time}</td><td>histogram</td><td>{@code s}</td>
 *       <td>time to open a connection</td></tr>
 *   <tr><td>{@code db.client.connection.wait_time}</td><td>histogram</td><td>{@code s}</td>
 *       <td>time waited for a connection</td></tr>
 *   <tr><td>{@code db.client.connection.use_time}</td><td>histogram</td><td>{@code s}</td>
 *       <td>time a connection was held</td></tr>
 * </table>
 */
final class OpenTelemetryConnectionMeters implements ConnectionRecorder {
    static final String POOL_NAME = "db.client.connection.pool.name";
    static final String STATE = "db.client.connection.state";
    private static final double NANOS_PER_SECOND = 1e9;
    private static final double MILLIS_PER_SECOND = 1e3;

    private final MeterRegistry registry;
    private final DistributionSummary createTime;
    private final DistributionSummary waitTime;
    private final DistributionSummary useTime;
    private final Counter timeouts;
    private final List<Meter> all;

    private OpenTelemetryConnectionMeters(MeterRegistry registry, DistributionSummary createTime,
                                          DistributionSummary waitTime, DistributionSummary useTime, Counter timeouts,
                                          List<Meter> all) {
        this.registry = registry;
        this.createTime = createTime;
        this.waitTime = waitTime;
        this.useTime = useTime;
        this.timeouts = timeouts;
        this.all = all;
    }

    /** Registers the meters of pool {@code poolName}, with {@code extraTags} after the required attribute. */
    static OpenTelemetryConnectionMeters register(String poolName, PoolStats stats, Tags extraTags,
                                                  MeterRegistry registry) {
        Tags tags = Tags.of(POOL_NAME, poolName).and(extraTags);
        Gauge idle = gauge("db.client.connection.count", "The number of connections that are currently in state"
                + " described by the state attribute", stats, PoolStats::getIdleConnections, "{connection}",
                tags.and(STATE, "idle"), registry);
        Gauge used = gauge("db.client.connection.count", "The number of connections that are currently in state"
                + " described by the state attribute", stats, PoolStats::getActiveConnections, "{connection}",
                tags.and(STATE, "used"), registry);
        Gauge idleMax = gauge("db.client.connection.idle.max", "The maximum number of idle open connections allowed",
                stats, PoolStats::getMaxConnections, "{connection}", tags, registry);
        Gauge idleMin = gauge("db.client.connection.idle.min", "The minimum number of idle open connections allowed",
                stats, PoolStats::getMinConnections, "{connection}", tags, registry);
        Gauge max = gauge("db.client.connection.max", "The maximum number of open connections allowed", stats,
                PoolStats::getMaxConnections, "{connection}", tags, registry);
        Gauge pending = gauge("db.client.connection.pending_requests", "The number of current pending requests for"
                + " an open connection", stats, PoolStats::getPendingThreads, "{request}", tags, registry);
        Counter timeouts = Counter.builder("db.client.connection.timeouts")
                .description("The number of connection timeouts that have occurred trying to obtain a connection"
                        + " from the pool")
                .baseUnit("{timeout}").tags(tags).register(registry);
        DistributionSummary createTime = seconds("db.client.connection.create_time",
                "The time it took to create a new connection", tags, registry);
        DistributionSummary waitTime = seconds("db.client.connection.wait_time",
                "The time it took to obtain an open connection from the pool", tags, registry);
        DistributionSummary useTime = seconds("db.client.connection.use_time",
                "The time between borrowing a connection and returning it to the pool", tags, registry);
        return new OpenTelemetryConnectionMeters(registry, createTime, waitTime, useTime, timeouts,
                List.of(idle, used, idleMax, idleMin, max, pending, timeouts, createTime, waitTime, useTime));
    }

    private static Gauge gauge(String name, String description, PoolStats stats, ToDoubleFunction<PoolStats> value,
                               String unit, Tags tags, MeterRegistry registry) {
        return Gauge.builder(name, stats, value).description(description).baseUnit(unit).tags(tags).register(registry);
    }

    private static DistributionSummary seconds(String name, String description, Tags tags, MeterRegistry registry) {
        return DistributionSummary.builder(name).description(description).baseUnit("s").tags(tags).register(registry);
    }

    @Override
    public void recordAcquiredNanos(long nanos) {
        waitTime.record(nanos / NANOS_PER_SECOND);
    }

    @Override
    public void recordUsageMillis(long millis) {
        useTime.record(millis / MILLIS_PER_SECOND);
    }

    @Override
    public void recordCreatedMillis(long millis) {
        createTime.record(millis / MILLIS_PER_SECOND);
    }

    @Override
    public void recordTimeout() {
        timeouts.increment();
    }

    @Override
    public void remove() {
        for (Meter meter : all) {
            registry.remove(meter);
        }
    }
}
