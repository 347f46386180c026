package dev.tidepool.micrometer;

import dev.tidepool.jdbc.PoolStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * One data source's meters under one set of names: registered together, recorded by the tracker,
 * removed together when the pool closes. Recording is a call on a pre-registered meter: no lookup,
 * no allocation.
 */
final class ConnectionMeters implements ConnectionRecorder {
    private final MeterRegistry registry;
    private final Timer acquire;
    private final Timer usage;
    private final Timer creation;
    private final Counter timeout;
    /** Null for a naming without a shed counter (HikariCP's). */
    private final Counter shed;
    private final List<Meter> all;

    private ConnectionMeters(MeterRegistry registry, Timer acquire, Timer usage, Timer creation, Counter timeout,
                             Counter shed, List<Meter> all) {
        this.shed = shed;
        this.registry = registry;
        this.acquire = acquire;
        this.usage = usage;
        this.creation = creation;
        this.timeout = timeout;
        this.all = all;
    }

    static ConnectionMeters register(ConnectionMeterNames names, PoolStats stats, Tags tags, MeterRegistry registry) {
        boolean units = names.baseUnits();
        Gauge total = gauge(names.total(), "Connections open, busy or idle", stats, PoolStats::getTotalConnections,
                units ? BaseUnits.CONNECTIONS : null, tags, registry);
        Gauge active = gauge(names.active(), "Connections borrowed right now", stats, PoolStats::getActiveConnections,
                units ? BaseUnits.CONNECTIONS : null, tags, registry);
        Gauge idle = gauge(names.idle(), "Connections idle in the pool", stats, PoolStats::getIdleConnections,
                units ? BaseUnits.CONNECTIONS : null, tags, registry);
        Gauge pending = gauge(names.pending(), "Threads waiting for a connection", stats, PoolStats::getPendingThreads,
                units ? BaseUnits.THREADS : null, tags, registry);
        Gauge max = gauge(names.max(), "The most connections the pool opens (maximumPoolSize)", stats,
                PoolStats::getMaxConnections, units ? BaseUnits.CONNECTIONS : null, tags, registry);
        Gauge min = gauge(names.min(), "The idle connections the pool keeps (minimumIdle)", stats,
                PoolStats::getMinConnections, units ? BaseUnits.CONNECTIONS : null, tags, registry);
        Counter timeout = Counter.builder(names.timeout())
                .description("getConnection() calls that gave up after connectionTimeout")
                .baseUnit(units ? "requests" : null)
                .tags(tags)
                .register(registry);
        Timer acquire = Timer.builder(names.acquire())
                .description("Time from getConnection() to having a connection")
                .tags(tags)
                .register(registry);
        Timer usage = Timer.builder(names.usage())
                .description("Time a connection was held, from getConnection() to close()")
                .tags(tags)
                .register(registry);
        Timer creation = Timer.builder(names.creation())
                .description("Time to open and set up a new physical connection")
                .tags(tags)
                .register(registry);
        Counter shed = names.shed() == null ? null : Counter.builder(names.shed())
                .description("getConnection() calls turned away at once because maximumThreadsAwaitingConnection"
                        + " callers were already waiting")
                .baseUnit("requests")
                .tags(tags)
                .register(registry);
        List<Meter> all = new ArrayList<>(List.of(total, active, idle, pending, max, min, timeout, acquire, usage,
                creation));
        if (shed != null) {
            all.add(shed);
        }
        return new ConnectionMeters(registry, acquire, usage, creation, timeout, shed, List.copyOf(all));
    }

    private static Gauge gauge(String name, String description, PoolStats stats, ToDoubleFunction<PoolStats> value,
                               String baseUnit, Tags tags, MeterRegistry registry) {
        return Gauge.builder(name, stats, value).description(description).baseUnit(baseUnit).tags(tags)
                .register(registry);
    }

    @Override
    public void recordAcquiredNanos(long nanos) {
        acquire.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void recordUsageMillis(long millis) {
        usage.record(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void recordCreatedMillis(long millis) {
        creation.record(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void recordTimeout() {
        timeout.increment();
    }

    @Override
    public void recordShed() {
        if (shed != null) {
            shed.increment();
        }
    }

    @Override
    public void remove() {
        for (Meter meter : all) {
            registry.remove(meter);
        }
    }
}
