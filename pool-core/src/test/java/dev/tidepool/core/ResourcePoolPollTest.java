package dev.tidepool.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ResourcePool#poll()}: an idle item now or null; it never waits, creates or barges. */
@Timeout(60)
class ResourcePoolPollTest {

    @Test
    void handsOutIdleItemsInTheOrderOfThePool() throws Exception {
        ResourcePool<Integer> stack = numbered(Order.STACK, 2, 2);
        ResourcePool<Integer> queue = numbered(Order.QUEUE, 2, 2);
        for (ResourcePool<Integer> pool : List.of(stack, queue)) {
            Integer a = pool.get();
            Integer b = pool.get();
            pool.put(a);
            pool.put(b);
            Integer expected = pool == stack ? b : a; // STACK: put last; QUEUE: the longest idle
            assertThat(pool.poll()).as(pool.toString()).isEqualTo(expected);
            assertThat(pool.inUse()).isEqualTo(1);
            assertThat(pool.stats().borrowCount()).isEqualTo(3);
        }
    }

    @Test
    void returnsNullWhenNothingIsIdleAndNeverCreates() {
        AtomicInteger made = new AtomicInteger();
        ResourcePool<Integer> pool = ResourcePool.<Integer>builder(made::incrementAndGet).maxSize(5).build();

        assertThat(pool.poll()).isNull();
        assertThat(made).hasValue(0);
        assertThat(pool.size()).isZero();
        assertThat(pool.free()).isEqualTo(5);
    }

    @Test
    void everyIdleItemIsPolledOnceThenNull() {
        ResourcePool<Integer> pool = numbered(Order.QUEUE, 4, 4);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            assertThat(seen.add(pool.poll())).isTrue();
        }
        assertThat(seen).containsExactlyInAnyOrder(1, 2, 3, 4);
        assertThat(pool.poll()).isNull();
        seen.forEach(pool::put);
        assertThat(pool.free()).isEqualTo(4);
    }

    @Test
    void anItemThatFailsValidationIsDisposedAndItsSlotFreed() throws Exception {
        Set<Object> disposed = ConcurrentHashMap.newKeySet();
        AtomicInteger made = new AtomicInteger();
        Set<Integer> broken = ConcurrentHashMap.newKeySet();
        ResourcePool<Integer> pool = ResourcePool.<Integer>builder(made::incrementAndGet)
                .minSize(2).maxSize(2).order(Order.QUEUE)
                .validate(i -> !broken.contains(i))
                .dispose(disposed::add)
                .build();
        broken.add(1);

        assertThat(pool.poll()).isEqualTo(2); // 1 failed, was disposed, and 2 was tried next
        assertThat(disposed).containsExactly(1);
        assertThat(pool.size()).isEqualTo(1);
        assertThat(pool.get(Duration.ofSeconds(10))).isEqualTo(3); // the freed slot makes a new one
    }

    @Test
    void anItemPutWhileACallerWaitsGoesToTheWaiterNotToAPoll() throws Exception {
        ResourcePool<Integer> pool = numbered(Order.QUEUE, 2, 2);
        Integer one = pool.get();
        Integer two = pool.get();
        List<Integer> got = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                got.add(pool.get(Duration.ofSeconds(30)));
            } catch (Exception e) {
                throw new AssertionError(e);
            } finally {
                done.countDown();
            }
        });
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> pool.waiting() == 1);

        pool.put(one); // straight to the waiter: a poll may not take it
        assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        waiter.join();
        assertThat(got).containsExactly(one);
        assertThat(pool.poll()).isNull();
        pool.put(two);
        pool.put(one);
        assertThat(pool.free()).isEqualTo(2);
    }

    @Test
    void aClosedPoolRefuses() {
        ResourcePool<Integer> pool = numbered(Order.STACK, 1, 1);
        pool.close();
        assertThatThrownBy(pool::poll).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void anInterruptedCallerStillGetsAnIdleItemAndKeepsItsFlag() {
        ResourcePool<Integer> pool = numbered(Order.STACK, 1, 1);
        Thread.currentThread().interrupt();
        try {
            assertThat(pool.poll()).isEqualTo(1); // poll never waits, so there is nothing to interrupt
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    private static ResourcePool<Integer> numbered(Order order, int min, int max) {
        AtomicInteger n = new AtomicInteger();
        return ResourcePool.<Integer>builder(n::incrementAndGet).minSize(min).maxSize(max).order(order).build();
    }
}
