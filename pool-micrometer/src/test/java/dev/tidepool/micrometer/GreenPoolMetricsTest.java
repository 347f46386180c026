package dev.tidepool.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidepool.core.GreenPool;
import dev.tidepool.core.GreenThread;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** GreenPool meters: gauges under load, counters, the task timer by outcome. */
@Timeout(120)
class GreenPoolMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final MeterRegistry registry = new SimpleMeterRegistry();

    private double gauge(String name) {
        return registry.get(name).tag("pool", "workers").gauge().value();
    }

    private double counter(String name) {
        return registry.get(name).tag("pool", "workers").functionCounter().count();
    }

    private Timer timer(String outcome) {
        return registry.get("tidepool.greenpool.task.duration").tag("pool", "workers").tag("outcome", outcome).timer();
    }

    @Test
    void underAThousandVirtualThreadsRunningAndWaitingAreExactThenEveryTaskIsTimed() throws Exception {
        int size = 10;
        int spawners = 1_000;
        try (GreenPool pool = new GreenPool(size, "workers");
             ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor()) {
            new GreenPoolMetrics(pool).bindTo(registry);
            CountDownLatch release = new CountDownLatch(1);
            List<Future<?>> spawns = new ArrayList<>();
            for (int i = 0; i < spawners; i++) {
                spawns.add(virtualThreads.submit(() -> pool.spawn(() -> {
                    release.await();
                    return null;
                })));
            }
            Awaitility.await().atMost(WAIT).until(() -> gauge("tidepool.greenpool.running") == size
                    && gauge("tidepool.greenpool.waiting") == spawners - size);
            assertThat(gauge("tidepool.greenpool.size")).isEqualTo(size);
            release.countDown();
            for (Future<?> f : spawns) {
                f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            pool.waitAll();
            assertThat(gauge("tidepool.greenpool.running")).isZero();
            assertThat(gauge("tidepool.greenpool.waiting")).isZero();
            assertThat(counter("tidepool.greenpool.spawned")).isEqualTo(spawners);
            assertThat(counter("tidepool.greenpool.completed")).isEqualTo(spawners);
            assertThat(timer("success").count()).isEqualTo(spawners);
            assertThat(timer("failure").count()).isZero();
        }
    }

    @Test
    void aFailedTaskIsCountedAndTimedAsAFailure() throws Exception {
        try (GreenPool pool = new GreenPool(2, "workers")) {
            new GreenPoolMetrics(pool).bindTo(registry);
            GreenThread<Object> bad = pool.spawn(() -> {
                throw new IllegalStateException("boom");
            });
            pool.waitAll(); // the task has ended (and been recorded) once the pool is empty
            assertThat(bad.exceptionNow()).isInstanceOf(IllegalStateException.class);
            assertThat(counter("tidepool.greenpool.failed")).isEqualTo(1);
            assertThat(timer("failure").count()).isEqualTo(1);
            assertThat(timer("success").count()).isZero();
        }
    }

    @Test
    void bindingKeepsARecorderSetBeforeAndTwoRegistriesBothRecord() throws Exception {
        AtomicInteger seenByOwnRecorder = new AtomicInteger();
        MeterRegistry other = new SimpleMeterRegistry();
        try (GreenPool pool = new GreenPool(2, "workers")) {
            pool.setTaskRecorder((nanos, failed) -> seenByOwnRecorder.incrementAndGet());
            new GreenPoolMetrics(pool).bindTo(registry);
            new GreenPoolMetrics(pool).bindTo(other);
            pool.spawn(() -> 1).join();
            assertThat(seenByOwnRecorder).hasValue(1);
            assertThat(timer("success").count()).isEqualTo(1);
            assertThat(other.get("tidepool.greenpool.task.duration").tag("outcome", "success").timer().count())
                    .isEqualTo(1);
        }
    }
}
