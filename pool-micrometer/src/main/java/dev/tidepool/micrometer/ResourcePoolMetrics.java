package dev.tidepool.micrometer;

import dev.tidepool.core.ResourcePool;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Publishes a {@link ResourcePool}'s figures, all tagged {@code pool=<name>}:
 *
 * <table>
 *   <caption>ResourcePool meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code tidepool.pool.size}</td><td>gauge</td><td>items created and not yet disposed (idle + in use)</td></tr>
 *   <tr><td>{@code tidepool.pool.idle}</td><td>gauge</td><td>items idle in the pool</td></tr>
 *   <tr><td>{@code tidepool.pool.active}</td><td>gauge</td><td>items checked out</td></tr>
 *   <tr><td>{@code tidepool.pool.max}, {@code .min}</td><td>gauge</td><td>the pool's bounds</td></tr>
 *   <tr><td>{@code tidepool.pool.waiting}</td><td>gauge</td><td>callers blocked in {@code get()}</td></tr>
 *   <tr><td>{@code tidepool.pool.acquire}</td><td>function timer</td><td>count: items handed out;
 *       total: time callers spent waiting for one (an item handed out at once waited 0)</td></tr>
 *   <tr><td>{@code tidepool.pool.acquire.max}</td><td>time gauge</td><td>the longest wait so far</td></tr>
 *   <tr><td>{@code tidepool.pool.timeouts}</td><td>function counter</td><td>{@code get(timeout)} calls that gave up</td></tr>
 *   <tr><td>{@code tidepool.pool.created}, {@code .disposed}</td><td>function counter</td><td>items made and disposed so far</td></tr>
 * </table>
 *
 * <pre>{@code
 * ResourcePool<HttpClient> clients = ResourcePool.builder(HttpClient::newHttpClient).maxSize(16).name("http").build();
 * new ResourcePoolMetrics(clients).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>Every meter reads the pool's own counters ({@link ResourcePool#stats()}) when the registry
 * publishes, so the pool's borrow path records nothing for Micrometer and pays nothing for it. As
 * with Micrometer's own binders, the meters hold the pool weakly: a pool nobody else holds reads
 * as NaN.
 */
public final class ResourcePoolMetrics implements MeterBinder {
    private final ResourcePool<?> pool;
    private final Tags tags;

    /**
     * Meters tagged {@code pool=<pool.name()>}.
     *
     * @param pool the pool to publish
     */
    public ResourcePoolMetrics(ResourcePool<?> pool) {
        this(pool, Tags.empty());
    }

    /**
     * Meters tagged {@code pool=<pool.name()>} and {@code tags}.
     *
     * @param pool the pool to publish
     * @param tags extra tags on every meter
     */
    public ResourcePoolMetrics(ResourcePool<?> pool, Iterable<Tag> tags) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.tags = Tags.of("pool", pool.name()).and(Objects.requireNonNull(tags, "tags"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge("tidepool.pool.size", "Items created and not yet disposed, idle or in use", ResourcePool::size, registry);
        gauge("tidepool.pool.idle", "Items idle in the pool", ResourcePool::idle, registry);
        gauge("tidepool.pool.active", "Items checked out", ResourcePool::inUse, registry);
        gauge("tidepool.pool.max", "The most items the pool holds", ResourcePool::maxSize, registry);
        gauge("tidepool.pool.min", "The items the pool keeps at least", ResourcePool::minSize, registry);
        Gauge.builder("tidepool.pool.waiting", pool, ResourcePool::waiting)
                .description("Callers blocked waiting for an item")
                .baseUnit("threads")
                .tags(tags)
                .register(registry);
        FunctionTimer.builder("tidepool.pool.acquire", pool,
                        p -> p.stats().borrowCount(), p -> p.stats().totalWaitNanos(), TimeUnit.NANOSECONDS)
                .description("Items handed out, and the time callers waited for them")
                .tags(tags)
                .register(registry);
        TimeGauge.builder("tidepool.pool.acquire.max", pool, TimeUnit.NANOSECONDS, p -> p.stats().maxWaitNanos())
                .description("The longest any caller has waited for an item")
                .tags(tags)
                .register(registry);
        counter("tidepool.pool.timeouts", "Callers that gave up waiting for an item", p -> p.stats().timeoutCount(),
                "requests", registry);
        counter("tidepool.pool.created", "Items made so far", p -> p.stats().createdCount(), "items", registry);
        counter("tidepool.pool.disposed", "Items disposed so far", p -> p.stats().disposedCount(), "items", registry);
    }

    private void gauge(String name, String description, ToDoubleFunction<ResourcePool<?>> value,
                       MeterRegistry registry) {
        Gauge.builder(name, pool, value).description(description).baseUnit("items").tags(tags).register(registry);
    }

    private void counter(String name, String description, ToDoubleFunction<ResourcePool<?>> value, String unit,
                         MeterRegistry registry) {
        FunctionCounter.builder(name, pool, value).description(description).baseUnit(unit).tags(tags)
                .register(registry);
    }
}
