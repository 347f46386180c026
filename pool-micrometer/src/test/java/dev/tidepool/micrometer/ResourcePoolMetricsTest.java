package dev.tidepool.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidepool.core.ResourcePool;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ResourcePool meters: read from the pool's own counters at publish time. */
@Timeout(120)
class ResourcePoolMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final MeterRegistry registry = new SimpleMeterRegistry();

    private double value(String name) {
        return registry.get(name).tag("pool", "things").tag("app", "test").meter().measure().iterator().next()
                .getValue();
    }

    @Test
    void gaugesCountersAndTheAcquireTimerFollowThePool() throws Exception {
        AtomicInteger made = new AtomicInteger();
        try (ResourcePool<Integer> pool = ResourcePool.builder(made::incrementAndGet)
                .minSize(1).maxSize(2).name("things").build()) {
            new ResourcePoolMetrics(pool, Tags.of("app", "test")).bindTo(registry);
            Integer first = pool.get();
            Integer second = pool.get();
            assertThat(value("tidepool.pool.size")).isEqualTo(2);
            assertThat(value("tidepool.pool.active")).isEqualTo(2);
            assertThat(value("tidepool.pool.idle")).isZero();
            assertThat(value("tidepool.pool.max")).isEqualTo(2);
            assertThat(value("tidepool.pool.min")).isEqualTo(1);
            assertThatThrownBy(() -> pool.get(Duration.ofMillis(50))).isInstanceOf(TimeoutException.class);
            assertThat(value("tidepool.pool.timeouts")).isEqualTo(1);
            pool.put(first);
            pool.discard(second);
            assertThat(value("tidepool.pool.created")).isEqualTo(2);
            assertThat(value("tidepool.pool.disposed")).isEqualTo(1);
            assertThat(value("tidepool.pool.idle")).isEqualTo(1);

            var acquire = registry.get("tidepool.pool.acquire").tag("pool", "things").functionTimer();
            assertThat(acquire.count()).isEqualTo(2);
            // The timed-out caller waited about 50 ms; that wait is in the total.
            assertThat(acquire.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(40);
            assertThat(registry.get("tidepool.pool.acquire.max").timeGauge().value(TimeUnit.MILLISECONDS))
                    .isGreaterThanOrEqualTo(40);
            assertThat(registry.get("tidepool.pool.waiting").gauge().getId().getBaseUnit()).isEqualTo("threads");
        }
    }

    @Test
    void waitingReachesTheNumberOfBlockedVirtualThreads() throws Exception {
        int threads = 1_000;
        try (ResourcePool<Object> pool = ResourcePool.builder(Object::new).maxSize(1).name("things").build();
             ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor()) {
            new ResourcePoolMetrics(pool, Tags.of("app", "test")).bindTo(registry);
            Object held = pool.get();
            CountDownLatch served = new CountDownLatch(threads);
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                work.add(virtualThreads.submit(() -> {
                    Object item = pool.get();
                    served.countDown();
                    pool.put(item);
                    return null;
                }));
            }
            Awaitility.await().atMost(WAIT).until(() -> value("tidepool.pool.waiting") == threads);
            pool.put(held);
            assertThat(served.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            for (Future<?> f : work) {
                f.get();
            }
            assertThat(value("tidepool.pool.waiting")).isZero();
            assertThat(registry.get("tidepool.pool.acquire").functionTimer().count()).isEqualTo(threads + 1);
        }
    }
}
