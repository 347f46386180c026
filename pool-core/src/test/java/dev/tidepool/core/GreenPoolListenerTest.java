package dev.tidepool.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link GreenPool}'s name and {@link PoolListener} events, which JMX monitoring relies on. */
@Timeout(60)
class GreenPoolListenerTest {

    @Test
    void hearsExhaustionTimeoutAndShutdownOnce() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        GreenPool pool = new GreenPool(1, "workers");
        pool.addListener(new PoolListener() {
            @Override
            public void exhausted(String name) {
                events.add("exhausted " + name);
            }

            @Override
            public void timedOut(String name, Duration waited) {
                events.add("timedOut " + name + " " + waited.toMillis());
            }

            @Override
            public void closed(String name) {
                events.add("closed " + name);
            }
        });
        CountDownLatch release = new CountDownLatch(1);
        pool.spawn(() -> {
            release.await();
            return null;
        });

        assertThatThrownBy(() -> pool.spawn(() -> 1, Duration.ofMillis(5))).isInstanceOf(PoolFullException.class);
        release.countDown();
        pool.waitAll();
        pool.shutdown();
        pool.shutdownNow();
        pool.close();

        assertThat(events).containsExactly("exhausted workers", "timedOut workers 5", "closed workers");
        assertThat(pool.name()).isEqualTo("workers");
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> new GreenPool(1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new GreenPool(-1, "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        GreenPool pool = new GreenPool(1);
        assertThatThrownBy(() -> pool.addListener(null)).isInstanceOf(NullPointerException.class);
        assertThat(pool.removeListener(new PoolListener() { })).isFalse();
    }
}
