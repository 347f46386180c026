package dev.tidepool.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The housekeeping side of {@link ResourcePool}: eviction, idle-time eviction, revalidation,
 * background filling, asynchronous creation, the validation shortcut for recently returned items,
 * and listeners. These are what the JDBC pool's idle timeout, max lifetime, keepalive,
 * minimum idle and connection timeout stand on.
 */
@Timeout(60)
class ResourcePoolHousekeepingTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static ConditionFactory await() {
        return Awaitility.await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
    }

    /** Counts what the pool made and disposed, by identity. */
    static final class Tracker {
        final AtomicInteger made = new AtomicInteger();
        final Set<Object> disposed = ConcurrentHashMap.newKeySet();

        ResourcePool.Builder<Object> builder() {
            return ResourcePool.<Object>builder(() -> new Object[] {made.incrementAndGet()})
                    .dispose(item -> assertThat(disposed.add(item)).as("disposed twice: %s", item).isTrue());
        }
    }

    @Nested
    class Evict {
        @Test
        void anIdleItemIsDisposedAtOnce() throws Exception {
            Tracker t = new Tracker();
            ResourcePool<Object> pool = t.builder().minSize(2).maxSize(4).build();
            Object a = pool.get();
            pool.put(a);

            assertThat(pool.evict(a)).isTrue();

            assertThat(t.disposed).containsExactly(a);
            assertThat(pool.size()).isEqualTo(1);
            assertThat(pool.idle()).isEqualTo(1);
            assertThat(pool.evict(a)).as("no longer held").isFalse();
        }

        @Test
        void aCheckedOutItemIsDisposedWhenItComesBackAndNeverKept() throws Exception {
            Tracker t = new Tracker();
            ResourcePool<Object> pool = t.builder().maxSize(1).build();
            Object a = pool.get();

            assertThat(pool.evict(a)).isTrue();
            assertThat(t.disposed).isEmpty();
            assertThat(pool.size()).isEqualTo(1);

            pool.put(a);
            assertThat(t.disposed).containsExactly(a);
            assertThat(pool.size()).isZero();
            Object b = pool.get();
            assertThat(b).isNotSameAs(a);
        }

        @Test
        void anEvictedItemReturnedWhileSomeoneWaitsIsNotHandedToTheWaiter() throws Exception {
            Tracker t = new Tracker();
            ResourcePool<Object> pool = t.builder().maxSize(1).build();
            Object a = pool.get();
            AtomicReference<Object> got = new AtomicReference<>();
            Thread waiter = Thread.ofVirtual().start(() -> {
                try {
                    got.set(pool.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            await().until(() -> pool.waiting() == 1);

            pool.evict(a);
            pool.put(a);
            waiter.join();

            assertThat(got.get()).isNotNull().isNotSameAs(a);
            assertThat(t.disposed).containsExactly(a);
        }

        @Test
        void evictAllDisposesIdleNowAndBorrowedLater() throws Exception {
            Tracker t = new Tracker();
            ResourcePool<Object> pool = t.builder().minSize(3).maxSize(3).build();
            Object out = pool.get();

            assertThat(pool.evictAll()).isEqualTo(3);

            assertThat(t.disposed).hasSize(2).doesNotContain(out);
            assertThat(pool.idle()).isZero();
            Object fresh = pool.get();
            assertThat(t.disposed).doesNotContain(fresh);
            pool.put(out);
            pool.put(fresh);
            assertThat(t.disposed).hasSize(3).contains(out);
            assertThat(pool.size()).isEqualTo(1);
        }

        @Test
        void unknownItemsAreNotEvictedAndNullIsRejected() {
            ResourcePool<Object> pool = new Tracker().builder().build();
            assertThat(pool.evict(new Object())).isFalse();
            assertThatThrownBy(() -> pool.evict(null)).isInstanceOf(NullPointerException.class);
        }

        /**
         * Borrowers hammer the pool while another thread evicts everything over and over: no item
         * is ever handed out after it was disposed, none is disposed twice (the tracker asserts
         * that), and once all is back the books balance.
         */
        @Test
        void evictionRacingBorrowersNeverHandsOutADisposedItem() throws Exception {
            Tracker t = new Tracker();
            ResourcePool<Object> pool = t.builder().maxSize(4).order(Order.STACK).build();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicInteger stale = new AtomicInteger();
            List<Thread> borrowers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                borrowers.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int round = 0; round < 5_000; round++) {
                            Object item = pool.get();
                            if (t.disposed.contains(item)) {
                                stale.incrementAndGet();
                            }
                            if (ThreadLocalRandom.current().nextInt(8) == 0) {
                                pool.evict(item);
                            }
                            pool.put(item);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            Thread evictor = Thread.ofPlatform().start(() -> {
                while (borrowers.stream().anyMatch(Thread::isAlive)) {
                    pool.evictAll();
                    Thread.yield();
                }
            });
            for (Thread b : borrowers) {
                b.join();
            }
            evictor.join();

            assertThat(failure.get()).isNull();
            assertThat(stale.get()).isZero();
            assertThat(pool.size()).isEqualTo(pool.idle()).isLessThanOrEqualTo(4);
            assertThat(t.made.get() - t.disposed.size()).isEqualTo(pool.size());
            assertThat(pool.stats().createdCount() - pool.stats().disposedCount()).isEqualTo(pool.size());
        }
    }

    @Nested
    class EvictIdle {
        @Test
        void disposesAtMostMaxMatchingItemsLeastRecentlyReturnedFirst() throws Exception {
            Tracker t = new Tracker();
            ResourcePool<Object> pool = t.builder().maxSize(4).trackIdleTime(true).build();
            List<Object> all = List.of(pool.get(), pool.get(), pool.get(), pool.get());
            for (Object item : all) {
                pool.put(item);
                long before = CoarseClock.now();
                while (CoarseClock.now() == before) {
                    Thread.onSpinWait(); // distinct return times: returns are stamped from the 10 ms clock
                }
            }

            assertThat(pool.evictIdle(2, info -> true)).isEqualTo(2);

            assertThat(t.disposed).containsExactlyInAnyOrder(all.get(0), all.get(1));
            assertThat(pool.size()).isEqualTo(2);
        }

        @Test
        void leavesCheckedOutAndUnselectedItemsAlone() throws Exception {
            Tracker t = new Tracker();
            ResourcePool<Object> pool = t.builder().maxSize(3).trackIdleTime(true).build();
            Object out = pool.get();
            Object keep = pool.get();
            Object drop = pool.get();
            pool.put(keep);
            pool.put(drop);

            assertThat(pool.evictIdle(10, info -> info.item() == drop || info.item() == out)).isEqualTo(1);

            assertThat(t.disposed).containsExactly(drop);
            assertThat(pool.evictIdle(0, info -> true)).isZero();
            assertThat(pool.evictIdle(-1, info -> true)).isZero();
            assertThat(pool.idle()).isEqualTo(1);
            pool.put(out);
        }

        @Test
        void idleTimeIsMeasuredFromTheLastReturn() throws Exception {
            ResourcePool<Object> pool = new Tracker().builder().maxSize(1).trackIdleTime(true).build();
            Object item = pool.get();
            pool.put(item);
            List<Duration> idleTimes = new CopyOnWriteArrayList<>();
            List<Duration> ages = new CopyOnWriteArrayList<>();
            await().until(() -> {
                pool.evictIdle(1, info -> {
                    idleTimes.add(info.idleTime());
                    ages.add(info.age());
                    return false;
                });
                return idleTimes.getLast().toMillis() >= 20;
            });
            assertThat(ages.getLast()).isGreaterThanOrEqualTo(idleTimes.getLast());
            assertThat(pool.idle()).isEqualTo(1);
        }
    }

    @Nested
    class Revalidate {
        @Test
        void keepsAGoodIdleItemAndDisposesABadOne() throws Exception {
            Tracker t = new Tracker();
            Set<Object> bad = ConcurrentHashMap.newKeySet();
            ResourcePool<Object> pool = t.builder().maxSize(2).validate(item -> !bad.contains(item)).build();
            Object good = pool.get();
            Object broken = pool.get();
            pool.put(good);
            pool.put(broken);
            bad.add(broken);

            assertThat(pool.revalidate(good)).isTrue();
            assertThat(pool.revalidate(broken)).isFalse();

            assertThat(t.disposed).containsExactly(broken);
            assertThat(pool.idle()).isEqualTo(1);
            assertThat(pool.size()).isEqualTo(1);
        }

        @Test
        void leavesACheckedOutItemAlone() throws Exception {
            Tracker t = new Tracker();
            AtomicInteger checks = new AtomicInteger();
            ResourcePool<Object> pool = t.builder().maxSize(1).validate(item -> checks.incrementAndGet() < 0).build();
            Object out = pool.get();

            assertThat(pool.revalidate(out)).isFalse();

            assertThat(checks.get()).isZero();
            assertThat(t.disposed).isEmpty();
            pool.put(out);
        }

        @Test
        void aGoodItemGoesToWhoeverQueuedWhileItWasBeingChecked() throws Exception {
            CountDownLatch checking = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger checks = new AtomicInteger();
            ResourcePool<Object> pool = ResourcePool.<Object>builder(Object::new).maxSize(1).validate(item -> {
                if (checks.incrementAndGet() == 1) {
                    checking.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return true;
            }).validateAfterIdle(Duration.ofHours(1)).build();
            Object item = pool.get();
            pool.put(item);
            AtomicReference<Boolean> kept = new AtomicReference<>();
            Thread keepalive = Thread.ofVirtual().start(() -> kept.set(pool.revalidate(item)));
            assertThat(checking.await(20, TimeUnit.SECONDS)).isTrue();
            AtomicReference<Object> got = new AtomicReference<>();
            Thread waiter = Thread.ofVirtual().start(() -> {
                try {
                    got.set(pool.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            await().until(() -> pool.waiting() == 1);

            release.countDown();
            waiter.join();
            keepalive.join();

            assertThat(kept.get()).isTrue();
            assertThat(got.get()).isSameAs(item);
            assertThat(pool.size()).isEqualTo(1);
        }
    }

    @Nested
    class Selective {
        @Test
        void evictIfMarksIdleAndCheckedOutItemsItSelects() throws Exception {
            Tracker t = new Tracker();
            ResourcePool<Object> pool = t.builder().maxSize(3).build();
            Object out = pool.get();
            Object idleOld = pool.get();
            Object idleYoung = pool.get();
            pool.put(idleOld);
            pool.put(idleYoung);

            assertThat(pool.evictIf(info -> info.item() != idleYoung)).isEqualTo(2);
            assertThat(pool.evictIf(info -> info.item() != idleYoung)).as("already marked").isZero();

            assertThat(t.disposed).containsExactly(idleOld);
            pool.put(out);
            assertThat(t.disposed).containsExactlyInAnyOrder(idleOld, out);
            assertThat(pool.size()).isEqualTo(1);
        }

        @Test
        void revalidateIdleChecksOnlySelectedIdleItemsAndRecordsTheCheck() throws Exception {
            Tracker t = new Tracker();
            Set<Object> bad = ConcurrentHashMap.newKeySet();
            AtomicInteger checks = new AtomicInteger();
            ResourcePool<Object> pool = t.builder().maxSize(3).trackIdleTime(true)
                    .validate(item -> checks.incrementAndGet() > 0 && !bad.contains(item)).build();
            Object out = pool.get();
            Object good = pool.get();
            Object broken = pool.get();
            pool.put(good);
            pool.put(broken);
            bad.add(broken);
            long before = System.nanoTime();

            assertThat(pool.revalidateIdle(info -> true)).isEqualTo(1);

            assertThat(checks.get()).isEqualTo(2);
            assertThat(t.disposed).containsExactly(broken);
            List<Long> validated = new CopyOnWriteArrayList<>();
            pool.evictIdle(1, info -> validated.add(info.validatedNanos()) && false);
            assertThat(validated).singleElement().satisfies(v -> assertThat(v).isGreaterThanOrEqualTo(before));
            assertThat(pool.revalidateIdle(info -> false)).isZero();
            assertThat(checks.get()).isEqualTo(2);
            pool.put(out);
        }
    }

    @Nested
    class InUseCountsBorrowedItemsOnly {
        @Test
        void anItemBeingMadeOrCheckedIsNotInUse() throws Exception {
            CountDownLatch making = new CountDownLatch(1);
            CountDownLatch checking = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger made = new AtomicInteger();
            ResourcePool<Object> pool = ResourcePool.<Object>builder(() -> {
                if (made.incrementAndGet() == 2) {
                    making.countDown();
                    await(release);
                }
                return new Object();
            }).maxSize(2).validate(item -> {
                checking.countDown();
                await(release);
                return true;
            }).build();
            Object first = pool.get();
            pool.put(first);
            Thread filler = Thread.ofVirtual().start(pool::addIdle);
            Thread keepalive = Thread.ofVirtual().start(() -> pool.revalidate(first));
            assertThat(making.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(checking.await(20, TimeUnit.SECONDS)).isTrue();

            assertThat(pool.size()).isEqualTo(2);
            assertThat(pool.idle()).isZero();
            assertThat(pool.inUse()).isZero();

            release.countDown();
            filler.join();
            keepalive.join();
            assertThat(pool.idle()).isEqualTo(2);
            assertThat(pool.inUse()).isZero();
            Object out = pool.get();
            assertThat(pool.inUse()).isEqualTo(1);
            pool.put(out);
        }

        private static void await(CountDownLatch latch) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Nested
    class TimeUnitOverload {
        @Test
        void getWithATimeUnitBorrowsAndTimesOutLikeTheDurationForm() throws Exception {
            ResourcePool<Object> pool = ResourcePool.<Object>builder(Object::new).maxSize(1).build();
            Object item = pool.get(1, TimeUnit.SECONDS);

            assertThatThrownBy(() -> pool.get(5, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            assertThatThrownBy(() -> pool.get(-1, TimeUnit.MILLISECONDS))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1 MILLISECONDS");
            assertThatThrownBy(() -> pool.get(1, null)).isInstanceOf(NullPointerException.class);
            pool.put(item);
            assertThat(pool.get(Long.MAX_VALUE, TimeUnit.DAYS)).as("no overflow").isSameAs(item);
        }
    }

    @Nested
    class AddIdle {
        @Test
        void makesOneIdleItemUntilTheMaximum() {
            Tracker t = new Tracker();
            ResourcePool<Object> pool = t.builder().maxSize(2).build();

            assertThat(pool.addIdle()).isTrue();
            assertThat(pool.addIdle()).isTrue();
            assertThat(pool.addIdle()).isFalse();

            assertThat(pool.idle()).isEqualTo(2);
            assertThat(t.made.get()).isEqualTo(2);
        }

        @Test
        void aFailingCreateGivesItsSlotBack() {
            ResourcePool<Object> pool = ResourcePool.<Object>builder(() -> {
                throw new IllegalStateException("db down");
            }).maxSize(1).build();

            assertThatThrownBy(pool::addIdle).hasMessage("db down");

            assertThat(pool.size()).isZero();
            assertThat(pool.free()).isEqualTo(1);
        }

        @Test
        void closedPoolRefuses() {
            ResourcePool<Object> pool = new Tracker().builder().build();
            pool.close();
            assertThatThrownBy(pool::addIdle).isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    class CreateAsync {
        private final Executor virtualThreads = task -> Thread.ofVirtual().start(task);

        @Test
        void aTimedGetKeepsItsTimeoutWhileCreateIsStuckAndTheLateItemIsAdopted() throws Exception {
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger made = new AtomicInteger();
            ResourcePool<Object> pool = ResourcePool.<Object>builder(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return new Object[] {made.incrementAndGet()};
            }).maxSize(1).createAsync(virtualThreads).build();

            // If the create ran in this thread, this call could not return before release.
            assertThatThrownBy(() -> pool.get(Duration.ofMillis(50)))
                    .isInstanceOf(TimeoutException.class).hasMessageContaining("create() did not finish");
            assertThat(pool.stats().timeoutCount()).isEqualTo(1);
            assertThat(pool.size()).as("the slot stays with the create in progress").isEqualTo(1);

            release.countDown();
            await().until(() -> pool.idle() == 1);
            assertThat(pool.get(Duration.ofSeconds(5))).isNotNull();
            assertThat(made.get()).isEqualTo(1);
        }

        @Test
        void aFailureReachesTheCallerAndGivesTheSlotBack() {
            ResourcePool<Object> pool = ResourcePool.<Object>builder(() -> {
                throw new IllegalArgumentException("bad password for user app");
            }).maxSize(1).createAsync(virtualThreads).build();

            assertThatThrownBy(() -> pool.get(Duration.ofSeconds(5)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("bad password for user app");
            assertThat(pool.size()).isZero();
        }

        @Test
        void anInterruptedCallerLeavesTheItemToThePool() throws Exception {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch creating = new CountDownLatch(1);
            ResourcePool<Object> pool = ResourcePool.<Object>builder(() -> {
                creating.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return new Object();
            }).maxSize(1).createAsync(virtualThreads).build();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    pool.get();
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            assertThat(creating.await(20, TimeUnit.SECONDS)).isTrue();
            caller.interrupt();
            caller.join();
            assertThat(thrown.get()).isInstanceOf(InterruptedException.class);

            release.countDown();
            await().until(() -> pool.idle() == 1);
            assertThat(pool.size()).isEqualTo(1);
        }

        @Test
        void aRejectingExecutorGivesTheSlotBack() {
            ResourcePool<Object> pool = ResourcePool.<Object>builder(Object::new).maxSize(1)
                    .createAsync(task -> {
                        throw new java.util.concurrent.RejectedExecutionException("shut down");
                    }).build();

            assertThatThrownBy(() -> pool.get(Duration.ofSeconds(1)))
                    .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
            assertThat(pool.size()).isZero();
        }
    }

    @Nested
    class ValidateAfterIdle {
        @Test
        void recentlyReturnedItemsSkipValidationOthersDoNot() throws Exception {
            AtomicInteger checks = new AtomicInteger();
            ResourcePool<Object> recent = ResourcePool.<Object>builder(Object::new).maxSize(1)
                    .validate(item -> checks.incrementAndGet() > 0)
                    .validateAfterIdle(Duration.ofHours(1)).build();
            recent.put(recent.get());
            recent.put(recent.get());
            assertThat(checks.get()).isZero();

            ResourcePool<Object> always = ResourcePool.<Object>builder(Object::new).maxSize(1)
                    .validate(item -> checks.incrementAndGet() > 0).build();
            always.put(always.get());
            always.put(always.get());
            assertThat(checks.get()).isEqualTo(1);
        }

        @Test
        void itemsIdleLongerAreValidated() throws Exception {
            AtomicInteger checks = new AtomicInteger();
            ResourcePool<Object> pool = ResourcePool.<Object>builder(Object::new).maxSize(1)
                    .validate(item -> checks.incrementAndGet() > 0)
                    .validateAfterIdle(Duration.ofMillis(1)).build();
            Object item = pool.get();
            pool.put(item);
            long returned = System.nanoTime();
            await().until(() -> System.nanoTime() - returned > TimeUnit.MILLISECONDS.toNanos(5));
            pool.put(pool.get());
            assertThat(checks.get()).isEqualTo(1);
        }

        @Test
        void aNegativeDurationIsRejected() {
            assertThatThrownBy(() -> ResourcePool.builder(Object::new).validateAfterIdle(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-0.001S");
        }
    }

    @Nested
    class Listeners {
        @Test
        void hearExhaustionTimeoutsAndClose() throws Exception {
            List<String> events = new CopyOnWriteArrayList<>();
            ResourcePool<Object> pool = ResourcePool.<Object>builder(Object::new).maxSize(1).name("p").build();
            pool.addListener(new PoolListener() {
                @Override
                public void exhausted(String name) {
                    events.add("exhausted " + name);
                }

                @Override
                public void timedOut(String name, Duration waited) {
                    events.add("timedOut " + name + (waited.toMillis() >= 10 ? " >=10ms" : " early"));
                }

                @Override
                public void closed(String name) {
                    events.add("closed " + name);
                }
            });
            pool.addListener(new PoolListener() {
                @Override
                public void exhausted(String name) {
                    throw new IllegalStateException("a broken listener must not break the pool");
                }
            });
            Object item = pool.get();
            assertThat(events).isEmpty();

            assertThatThrownBy(() -> pool.get(Duration.ofMillis(10))).isInstanceOf(TimeoutException.class);
            pool.put(item);
            pool.close();

            assertThat(events).containsExactly("exhausted p", "timedOut p >=10ms", "closed p");
        }

        @Test
        void aRemovedListenerHearsNothing() {
            List<String> events = new CopyOnWriteArrayList<>();
            ResourcePool<Object> pool = ResourcePool.<Object>builder(Object::new).build();
            PoolListener listener = new PoolListener() {
                @Override
                public void closed(String name) {
                    events.add(name);
                }
            };
            pool.addListener(listener);
            assertThat(pool.removeListener(listener)).isTrue();
            assertThat(pool.removeListener(listener)).isFalse();
            pool.close();
            assertThat(events).isEmpty();
            assertThatThrownBy(() -> pool.addListener(null)).isInstanceOf(NullPointerException.class);
        }
    }
}
