package dev.tidepool.micrometer;

import dev.tidepool.core.GreenPool;
import dev.tidepool.core.TaskRecorder;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Publishes a {@link GreenPool}'s figures, all tagged {@code pool=<name>}:
 *
 * <table>
 *   <caption>GreenPool meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code tidepool.greenpool.size}</td><td>gauge</td><td>the most tasks that run at once</td></tr>
 *   <tr><td>{@code tidepool.greenpool.running}</td><td>gauge</td><td>tasks running now</td></tr>
 *   <tr><td>{@code tidepool.greenpool.waiting}</td><td>gauge</td><td>callers blocked in {@code spawn} now</td></tr>
 *   <tr><td>{@code tidepool.greenpool.spawned}, {@code .completed}, {@code .failed}</td><td>function counter</td>
 *       <td>tasks started, ended (however they ended) and ended by throwing, so far</td></tr>
 *   <tr><td>{@code tidepool.greenpool.task.duration}</td><td>timer, tag {@code outcome=success|failure}</td>
 *       <td>how long each task ran</td></tr>
 * </table>
 *
 * <pre>{@code
 * GreenPool crawlers = new GreenPool(200, "crawlers");
 * new GreenPoolMetrics(crawlers).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>The gauges and counters read the pool when the registry publishes. The timer needs each
 * task's end: binding sets a {@link TaskRecorder} on the pool (added to one already set, so a
 * pool bound to two registries records into both). Without it the pool reads no clock for its
 * tasks; with it, two clock reads and one timer record per task, allocation-free.
 */
public final class GreenPoolMetrics implements MeterBinder {
    private final GreenPool pool;
    private final Tags tags;

    /**
     * Meters tagged {@code pool=<pool.name()>}.
     *
     * @param pool the pool to publish
     */
    public GreenPoolMetrics(GreenPool pool) {
        this(pool, Tags.empty());
    }

    /**
     * Meters tagged {@code pool=<pool.name()>} and {@code tags}.
     *
     * @param pool the pool to publish
     * @param tags extra tags on every meter
     */
    public GreenPoolMetrics(GreenPool pool, Iterable<Tag> tags) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.tags = Tags.of("pool", pool.name()).and(Objects.requireNonNull(tags, "tags"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge("tidepool.greenpool.size", "The most tasks that run at once", GreenPool::size, BaseUnits.TASKS, registry);
        gauge("tidepool.greenpool.running", "Tasks running now", GreenPool::running, BaseUnits.TASKS, registry);
        gauge("tidepool.greenpool.waiting", "Callers blocked in spawn, waiting for a free slot", GreenPool::waiting,
                BaseUnits.THREADS, registry);
        counter("tidepool.greenpool.spawned", "Tasks started so far", GreenPool::spawnedCount, registry);
        counter("tidepool.greenpool.completed", "Tasks that have ended so far, however they ended",
                GreenPool::completedCount, registry);
        counter("tidepool.greenpool.failed", "Tasks that ended by throwing so far", GreenPool::failedCount, registry);
        TaskTimer timer = new TaskTimer(timer("success", registry), timer("failure", registry));
        TaskRecorder previous = pool.taskRecorder();
        pool.setTaskRecorder(previous == TaskRecorder.NONE ? timer : new Both(previous, timer));
    }

    private Timer timer(String outcome, MeterRegistry registry) {
        return Timer.builder("tidepool.greenpool.task.duration")
                .description("How long each task ran")
                .tags(tags)
                .tag("outcome", outcome)
                .register(registry);
    }

    private void gauge(String name, String description, ToDoubleFunction<GreenPool> value, String unit,
                       MeterRegistry registry) {
        Gauge.builder(name, pool, value).description(description).baseUnit(unit).tags(tags).register(registry);
    }

    private void counter(String name, String description, ToDoubleFunction<GreenPool> value, MeterRegistry registry) {
        FunctionCounter.builder(name, pool, value).description(description).baseUnit(BaseUnits.TASKS).tags(tags)
                .register(registry);
    }

    /** Times each task into the timer of its outcome; holds the timers, so no lookup per task. */
    private record TaskTimer(Timer success, Timer failure) implements TaskRecorder {
        @Override
        public void taskEnded(long elapsedNanos, boolean failed) {
            (failed ? failure : success).record(elapsedNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The recorder set before, then this binder's. */
    private record Both(TaskRecorder first, TaskRecorder second) implements TaskRecorder {
        @Override
        public void taskEnded(long elapsedNanos, boolean failed) {
            first.taskEnded(elapsedNanos, failed);
            second.taskEnded(elapsedNanos, failed);
        }
    }
}
