package dev.tidepool.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Pools keep the item put last in a per-stripe hot slot (see {@link IdleItems}); these tests
 * pin down that the slot is just one end of the stripe's order: housekeeping and races see it like
 * any other idle item.
 */
class ResourcePoolStackSlotTest {

    @Test
    void stackOrderHoldsWhenSeveralItemsAreReturnedInARow() throws Exception {
        AtomicInteger n = new AtomicInteger();
        ResourcePool<Integer> pool = new ResourcePool<>(0, 5, Order.STACK, n::incrementAndGet);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            out.add(pool.get());
        }
        out.forEach(pool::put); // each put pushes the previous top from the hot slot down
        List<Integer> again = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            again.add(pool.get());
        }
        assertThat(again).containsExactly(5, 4, 3, 2, 1);
        assertThat(n.get()).isEqualTo(5);
        pool.close();
    }

    @Test
    void queueOrderHoldsWhenSeveralItemsAreReturnedInARow() throws Exception {
        AtomicInteger n = new AtomicInteger();
        ResourcePool<Integer> pool = new ResourcePool<>(0, 5, Order.QUEUE, n::incrementAndGet);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            out.add(pool.get());
        }
        out.forEach(pool::put); // each put pushes the previous tail from the hot slot into the deque
        assertThat(pool.get()).isEqualTo(1);
        assertThat(pool.get()).isEqualTo(2);
        pool.put(1); // 3, 4, 5, 1
        for (int expected : new int[] {3, 4, 5, 1}) {
            assertThat(pool.get()).isEqualTo(expected);
        }
        pool.close();
    }

    @Test
    void theHotItemIsIdleForHousekeeping() throws Exception {
        List<Object> disposed = new ArrayList<>();
        ResourcePool<Object> pool = ResourcePool.builder(Object::new)
                .minSize(0).maxSize(3).order(Order.STACK).dispose(disposed::add).build();
        Object a = pool.get();
        Object b = pool.get();
        pool.put(a);
        pool.put(b); // b is hot, a below it
        assertThat(pool.idle()).isEqualTo(2);
        assertThat(pool.revalidate(b)).isTrue();
        assertThat(pool.evict(b)).isTrue();
        assertThat(disposed).containsExactly(b);
        assertThat(pool.idle()).isEqualTo(1);
        assertThat(pool.get()).isSameAs(a);
        pool.put(a);
        assertThat(pool.evictIdle(5, info -> true)).isEqualTo(1);
        assertThat(disposed).containsExactly(b, a);
        assertThat(pool.size()).isZero();
        pool.close();
    }

    @Test
    void shrinkTakesTheColdestFirstAndTheHotItemLast() throws Exception {
        List<Object> disposed = new ArrayList<>();
        ResourcePool<Object> pool = ResourcePool.builder(Object::new)
                .minSize(0).maxSize(3).order(Order.STACK).dispose(disposed::add).build();
        Object a = pool.get();
        Object b = pool.get();
        Object c = pool.get();
        pool.put(a);
        pool.put(b);
        pool.put(c);
        pool.resize(1);
        assertThat(disposed).containsExactly(a, b);
        pool.resize(0);
        assertThat(disposed).containsExactly(a, b, c);
        pool.close();
    }

    /**
     * Threads that each hold two items at a time (so every return displaces the hot item) race with
     * evictAll and revalidateIdle: no item may be handed out after it was disposed, and afterwards
     * every item is accounted for.
     */
    @ParameterizedTest
    @EnumSource(Order.class)
    @Timeout(60)
    void displacedItemsAreNeverLostOrHandedOutAfterDisposal(Order order) throws Exception {
        Set<Object> disposed = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicInteger created = new AtomicInteger();
        ResourcePool<Object> pool = ResourcePool.builder(() -> {
                    created.incrementAndGet();
                    return new Object();
                })
                .minSize(0).maxSize(6).order(order).dispose(disposed::add).build();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    while (!stop.get()) {
                        Object x = pool.get();
                        Object y = pool.get();
                        if (disposed.contains(x) || disposed.contains(y)) {
                            errors.add("handed out a disposed item");
                        }
                        pool.put(x);
                        pool.put(y);
                    }
                } catch (InterruptedException e) {
                    errors.add("interrupted");
                }
            }));
        }
        threads.add(Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                pool.evictAll();
                pool.revalidateIdle(info -> true);
                Thread.onSpinWait();
            }
        }));
        Thread.sleep(1500);
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(errors).isEmpty();
        assertThat(pool.inUse()).isZero();
        assertThat(pool.idle()).isEqualTo(pool.size());
        assertThat(pool.size()).isEqualTo(created.get() - disposed.size());
        assertThat(pool.size()).isBetween(0, 6);
        pool.close();
        assertThat(disposed).hasSize(created.get());
    }
}
