package dev.tidepool.core;

import static dev.tidepool.core.ResourcePoolTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ResourcePool.Builder#createBackoff}: while {@code create()} fails, one create at a time,
 * paced pool-wide, however many callers wait; callers meanwhile get returned items; the first
 * success lets every waiter create again.
 */
@Timeout(60)
class ResourcePoolCreateBackoffTest {
    /** A resource that can go down: create() throws while it is. */
    private static final class Flaky {
        final AtomicBoolean down = new AtomicBoolean();
        final AtomicInteger attempts = new AtomicInteger();

        Object create() {
            attempts.incrementAndGet();
            if (down.get()) {
                throw new IllegalStateException("connection refused");
            }
            return new Object();
        }
    }

    private final Flaky resource = new Flaky();

    private ResourcePool<Object> pool(int maxSize) {
        return ResourcePool.builder(resource::create).maxSize(maxSize).createBackoff(Duration.ofMillis(250))
                .createAsync(task -> Thread.ofVirtual().start(task)).build();
    }

    @Test
    void anOutageCostsAFewCreatesASecondNotOnePerWaiter() throws Exception {
        try (ResourcePool<Object> pool = pool(4)) {
            resource.down.set(true);
            long start = System.nanoTime();
            long loadNanos = TimeUnit.MILLISECONDS.toNanos(1500);
            AtomicInteger failures = new AtomicInteger();
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                callers.add(Thread.ofVirtual().start(() -> {
                    while (System.nanoTime() - start < loadNanos) {
                        try {
                            pool.put(pool.get(Duration.ofMillis(100)));
                        } catch (IllegalStateException | TimeoutException e) {
                            failures.incrementAndGet();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }));
            }
            for (Thread caller : callers) {
                caller.join();
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) + 1;

            // One attempt per 10, 20, 40 ... 250 ms: about 4 a second. Without the backoff, each
            // failure handed its slot to the next of the 100 callers, who created at once.
            assertThat((long) resource.attempts.get()).as("creates in about %d s", seconds).isLessThanOrEqualTo(20 + 8 * seconds);
            assertThat(failures.get()).isPositive();
            assertThat(pool.size()).isZero();
            assertThat(pool.free()).isEqualTo(4);
        }
    }

    @Test
    void whileCreatesArePacedAWaiterGetsTheItemsThatComeBack() throws Exception {
        try (ResourcePool<Object> pool = pool(2)) {
            Object held = pool.get();
            resource.down.set(true);
            assertThatThrownBy(() -> pool.get(Duration.ofSeconds(20))).isInstanceOf(IllegalStateException.class);

            // A caller that keeps asking, as a JDBC borrower does until its timeout: each paced turn
            // it is granted fails, and in between it waits in line.
            AtomicReference<Object> got = new AtomicReference<>();
            Thread waiter = Thread.ofVirtual().start(() -> {
                while (got.get() == null) {
                    try {
                        got.set(pool.get(Duration.ofSeconds(30)));
                    } catch (IllegalStateException e) {
                        // the turn's create failed: ask again
                    } catch (InterruptedException | TimeoutException e) {
                        return;
                    }
                }
            });
            await().until(() -> resource.attempts.get() >= 3); // paced turns have come and failed

            pool.put(held);

            await().until(() -> got.get() == held);
            waiter.join();
            assertThat(pool.size()).isEqualTo(1);
            pool.put(held);
        }
    }

    @Test
    void theFirstSuccessLetsEveryWaiterCreateAgain() throws Exception {
        try (ResourcePool<Object> pool = pool(4)) {
            resource.down.set(true);
            assertThatThrownBy(() -> pool.get(Duration.ofSeconds(20))).isInstanceOf(IllegalStateException.class);
            List<Object> got = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> waiters = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                waiters.add(Thread.ofVirtual().start(() -> {
                    while (true) {
                        try {
                            got.add(pool.get(Duration.ofSeconds(30)));
                            return;
                        } catch (IllegalStateException e) {
                            // a paced turn failed: ask again
                        } catch (InterruptedException | TimeoutException e) {
                            return;
                        }
                    }
                }));
            }
            await().until(() -> resource.attempts.get() >= 3);

            resource.down.set(false);

            await().until(() -> got.size() == 4);
            for (Thread waiter : waiters) {
                waiter.join();
            }
            assertThat(got).doesNotHaveDuplicates();
            assertThat(pool.size()).isEqualTo(4);
            got.forEach(pool::put);
            assertThat(pool.free()).isEqualTo(4);
        }
    }

    @Test
    void theBackoffMustBePositive() {
        assertThatThrownBy(() -> ResourcePool.builder(Object::new).createBackoff(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> ResourcePool.builder(Object::new).createBackoff(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-0.005S");
    }
}
