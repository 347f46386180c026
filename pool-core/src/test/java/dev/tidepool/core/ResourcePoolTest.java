package dev.tidepool.core;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Phaser;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Unit tests for {@link ResourcePool} and {@link TokenPool}: every rule of the API contract, plus a
 * port of eventlet's {@code tests/pools_test.py}.
 *
 * <p>Blocking is observed, never guessed: a borrower runs in a virtual thread, and the test waits
 * (Awaitility) until {@link ResourcePool#waiting()} counts it <em>and</em> its thread is parked,
 * which happens only after it has queued. No test asserts how long anything took.
 */
@Timeout(60)
class ResourcePoolTest {
    /** Upper bound for anything the tests wait for; generous, it is never the expected path. */
    static final Duration WAIT = Duration.ofSeconds(20);

    /** Awaitility with a generous bound, polling often (its default first poll comes after 100 ms). */
    static ConditionFactory await() {
        return Awaitility.await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
    }

    // ------------------------------------------------------------------ fixtures

    /** A pooled object; identity is what the pool tracks. */
    static final class Res {
        final int id;
        volatile boolean broken;

        Res(int id) {
            this.id = id;
        }

        @Override
        public String toString() {
            return "res-" + id;
        }
    }

    /** Makes numbered {@link Res} objects and remembers them. */
    static final class Factory implements Supplier<Res> {
        final AtomicInteger count = new AtomicInteger();
        final List<Res> made = new CopyOnWriteArrayList<>();

        @Override
        public Res get() {
            Res r = new Res(count.incrementAndGet());
            made.add(r);
            return r;
        }

        int created() {
            return count.get();
        }
    }

    /** eventlet's IntPool: create() returns 1, 2, 3, ... */
    static class IntPool extends ResourcePool<Integer> {
        private final AtomicInteger current = new AtomicInteger();

        IntPool(int minSize, int maxSize) {
            this(minSize, maxSize, Order.QUEUE);
        }

        IntPool(int minSize, int maxSize, Order order) {
            super(minSize, maxSize, order);
        }

        @Override
        protected Integer create() {
            // Integer.valueOf caches small values, but each value is made once per pool, so the
            // identities stay distinct within the pool.
            return current.incrementAndGet();
        }
    }

    /** eventlet's RaisePool. */
    static final class RaisePool extends ResourcePool<Object> {
        final AtomicInteger attempts = new AtomicInteger();
        final RuntimeException failure = new RuntimeException("create failed on purpose");

        RaisePool(int maxSize) {
            super(0, maxSize, Order.QUEUE);
        }

        @Override
        protected Object create() {
            attempts.incrementAndGet();
            throw failure;
        }
    }

    /**
     * A subclass whose create() needs a field set in its own constructor: proves create() does not
     * run inside ResourcePool's constructor (the field would still be null there).
     */
    static final class PrefixPool extends ResourcePool<String> {
        private final String prefix;
        private final List<String> made;

        PrefixPool(String prefix, int minSize, int maxSize) {
            super(minSize, maxSize, Order.QUEUE);
            this.prefix = prefix;
            this.made = new CopyOnWriteArrayList<>();
        }

        @Override
        protected String create() {
            // new String: a distinct identity each time, even if the text repeated. Creates may
            // run concurrently, so the number comes from the list as it grows.
            String s = new String(prefix + "-" + (made.size() + 1));
            made.add(s);
            return s;
        }

        List<String> made() {
            return List.copyOf(made);
        }
    }

    /** A borrower running in its own virtual thread. */
    record Borrower<T>(Thread thread, CompletableFuture<T> result) {
        T item() throws Exception {
            return result.get(WAIT.toSeconds(), SECONDS);
        }

        Throwable failure() throws Exception {
            try {
                T got = result.get(WAIT.toSeconds(), SECONDS);
                throw new AssertionError("expected the borrower to fail, but it got " + got);
            } catch (ExecutionException e) {
                return e.getCause();
            }
        }
    }

    private final List<ResourcePool<?>> pools = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    /** Registers a pool so it is closed after the test, which releases any borrower still queued. */
    <P extends ResourcePool<?>> P track(P pool) {
        pools.add(pool);
        return pool;
    }

    @AfterEach
    void closePools() throws InterruptedException {
        pools.forEach(ResourcePool::close);
        for (Thread t : threads) {
            t.interrupt();
            t.join(WAIT.toMillis());
        }
    }

    <T> Borrower<T> startBorrower(Callable<T> call) {
        return startBorrower(threads, call);
    }

    /** Runs {@code call} in a new virtual thread, added to {@code threads} (interrupted after the test). */
    static <T> Borrower<T> startBorrower(List<Thread> threads, Callable<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = Thread.ofVirtual().name("borrower").start(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        threads.add(t);
        return new Borrower<>(t, result);
    }

    <T> Borrower<T> startBorrower(ResourcePool<T> pool) {
        return startBorrower(pool::get);
    }

    /** Waits until {@code pool.waiting() == expected} and {@code t} is parked (so it has queued). */
    static void awaitQueued(ResourcePool<?> pool, Thread t, int expectedWaiting) {
        await().untilAsserted(() -> {
            assertThat(pool.waiting()).as("waiting()").isEqualTo(expectedWaiting);
            assertThat(t.getState()).as("state of %s", t).isIn(Thread.State.WAITING, Thread.State.TIMED_WAITING);
        });
    }

    /** Starts a borrower and waits until it is the {@code position}-th caller queued in {@code pool}. */
    <T> Borrower<T> startQueuedBorrower(ResourcePool<T> pool, int position) {
        Borrower<T> b = startBorrower(pool);
        awaitQueued(pool, b.thread(), position);
        return b;
    }

    static void awaitWaiting(ResourcePool<?> pool, int expected) {
        await().untilAsserted(() -> assertThat(pool.waiting()).as("waiting()").isEqualTo(expected));
    }

    ResourcePool<Res> pool(Factory factory, int min, int max, Order order) {
        return track(new ResourcePool<>(min, max, order, factory));
    }

    ResourcePool<Res> pool(Factory factory, int min, int max, Order order, List<Res> disposed) {
        return track(ResourcePool.builder(factory).minSize(min).maxSize(max).order(order)
                .dispose(disposed::add).build());
    }

    // ------------------------------------------------------------------ eventlet tests/pools_test.py

    @Nested
    @DisplayName("eventlet pools_test.py, ported")
    class EventletPort {

        @Test
        void integersComeOutInOrder() throws Exception {
            IntPool pool = track(new IntPool(0, 4));
            assertThat(pool.get()).isEqualTo(1);
            assertThat(pool.get()).isEqualTo(2);
            assertThat(pool.get()).isEqualTo(3);
            assertThat(pool.get()).isEqualTo(4);
            assertThat(pool.size()).isEqualTo(4);
            assertThat(pool.free()).isZero();
        }

        @Test
        void free() throws Exception {
            IntPool pool = track(new IntPool(0, 4));
            assertThat(pool.free()).isEqualTo(4);
            Integer gotten = pool.get();
            assertThat(pool.free()).isEqualTo(3);
            pool.put(gotten);
            assertThat(pool.free()).isEqualTo(4);
        }

        @Test
        void exhaustion() throws Exception {
            IntPool pool = track(new IntPool(0, 4));
            Integer one = pool.get();
            Integer two = pool.get();
            Integer three = pool.get();
            Integer four = pool.get();
            assertThat(List.of(one, two, three, four)).containsExactly(1, 2, 3, 4);
            assertThat(pool.free()).isZero();

            Borrower<Integer> consumer = startQueuedBorrower(pool, 1); // nothing idle: it waits
            assertThat(consumer.result()).isNotDone();

            pool.put(one); // wakes the consumer
            assertThat(consumer.item()).isSameAs(one);
            awaitWaiting(pool, 0);
        }

        @Test
        void blocksOnPool() throws Exception {
            IntPool pool = track(new IntPool(0, 4));
            AtomicInteger waitingBeforeFifth = new AtomicInteger(-1);
            CountDownLatch fourTaken = new CountDownLatch(1);
            Borrower<String> greedy = startBorrower(() -> {
                pool.get();
                pool.get();
                pool.get();
                pool.get();
                waitingBeforeFifth.set(pool.waiting()); // nobody should be waiting yet
                fourTaken.countDown();
                pool.get(); // blocks: the pool is exhausted
                return "Failed!";
            });
            assertThat(fourTaken.await(WAIT.toSeconds(), SECONDS)).isTrue();
            assertThat(waitingBeforeFifth.get()).isZero();

            awaitQueued(pool, greedy.thread(), 1); // greedy blocks on the fifth get
            assertThat(greedy.result()).isNotDone();

            greedy.thread().interrupt(); // eventlet.kill
            assertThat(greedy.failure()).isInstanceOf(InterruptedException.class);
            assertThat(pool.waiting()).isZero();
            assertThat(pool.size()).isEqualTo(4);
            assertThat(pool.free()).isZero();
        }

        @Test
        void orderingQueue() throws Exception {
            IntPool pool = track(new IntPool(0, 4));
            Integer one = pool.get();
            Integer two = pool.get();
            pool.put(one);
            pool.put(two);
            assertThat(pool.get()).isSameAs(one);
            assertThat(pool.get()).isSameAs(two);
        }

        @Test
        void orderingAsStack() throws Exception {
            IntPool pool = track(new IntPool(0, 3, Order.STACK));
            Integer one = pool.get();
            Integer two = pool.get();
            pool.put(one);
            pool.put(two);
            assertThat(pool.get()).isSameAs(two);
            assertThat(pool.get()).isSameAs(one);
        }

        @Test
        void puttingToQueue() throws Exception {
            int size = 2;
            IntPool pool = track(new IntPool(0, size));
            List<Integer> results = new CopyOnWriteArrayList<>();
            CountDownLatch allPut = new CountDownLatch(size + 1);
            for (int index = 0; index < size + 1; index++) {
                Integer item = pool.get(); // the third get waits for one of the puts below
                int i = index;
                Thread t = Thread.ofVirtual().start(() -> {
                    pool.put(item);
                    results.add(i);
                    allPut.countDown();
                });
                threads.add(t);
            }
            assertThat(allPut.await(WAIT.toSeconds(), SECONDS)).isTrue();
            assertThat(results).containsExactlyInAnyOrder(0, 1, 2);
            // Unlike eventlet's spawn, a putter may run before the next get(), so that get() may
            // reuse the item instead of creating one: 1 or 2 items, all idle again.
            assertThat(pool.size()).isBetween(1, size);
            assertThat(pool.idle()).isEqualTo(pool.size());
            assertThat(pool.free()).isEqualTo(size);
            assertThat(pool.waiting()).isZero();
        }

        @Test
        void resize() throws Exception {
            IntPool pool = track(new IntPool(0, 2));
            Integer a = pool.get();
            Integer b = pool.get();
            assertThat(pool.free()).isZero();

            // the pool discards excess items put into it
            pool.resize(1);
            pool.put(a);
            pool.put(b);
            assertThat(pool.size()).isEqualTo(1);
            assertThat(pool.free()).isEqualTo(1);
            assertThat(pool.get()).isSameAs(b); // a was disposed, b kept

            // resize larger: more free
            pool.put(b);
            pool.resize(2);
            assertThat(pool.free()).isEqualTo(2);
        }

        @Test
        void createContention() throws Exception {
            // 100 borrowers, max 4, create() slow: exactly 4 items are ever made.
            AtomicInteger creates = new AtomicInteger();
            CountDownLatch createMayFinish = new CountDownLatch(1);
            ResourcePool<Res> pool = track(new ResourcePool<>(() -> {
                int n = creates.incrementAndGet();
                try {
                    createMayFinish.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return new Res(n);
            }));
            assertThat(pool.maxSize()).isEqualTo(4);
            assertThat(pool.order()).isEqualTo(Order.QUEUE);
            assertThat(pool.minSize()).isZero();

            int borrowers = 100;
            CountDownLatch done = new CountDownLatch(borrowers);
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            for (int i = 0; i < borrowers; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        Res x = pool.get();
                        pool.put(x);
                    } catch (Throwable e) {
                        errors.add(e);
                    } finally {
                        done.countDown();
                    }
                }));
            }
            // Four borrowers hold a slot and sit in create(); everyone else queues.
            await().untilAsserted(() -> {
                assertThat(creates.get()).isEqualTo(4);
                assertThat(pool.waiting()).isEqualTo(borrowers - 4);
            });
            assertThat(pool.size()).isEqualTo(4);
            createMayFinish.countDown();

            assertThat(done.await(WAIT.toSeconds(), SECONDS)).isTrue();
            assertThat(errors).isEmpty();
            assertThat(creates.get()).isEqualTo(4);
            assertThat(pool.stats().createdCount()).isEqualTo(4);
            assertThat(pool.stats().borrowCount()).isEqualTo(borrowers);
            assertThat(pool.size()).isEqualTo(4);
            assertThat(pool.idle()).isEqualTo(4);
            assertThat(pool.waiting()).isZero();
        }

        @Test
        void abstractPoolWithoutCreateThrowsUnsupported() {
            ResourcePool<Object> pool = track(new ResourcePool<>(0, 4, Order.QUEUE) {
            });
            assertThatThrownBy(pool::get)
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining(pool.name());
            // the failed create gave its slot back
            assertThat(pool.size()).isZero();
            assertThat(pool.free()).isEqualTo(4);
        }

        @Test
        void abstractPoolWithMinSizeFailsOnFirstUseNotInConstructor() {
            ResourcePool<Object> pool = track(new ResourcePool<>(2, 4, Order.QUEUE) {
            });
            assertThatThrownBy(pool::size).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(pool::get).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void subclassCreateRunsOnFirstUseNotInConstructor() throws Exception {
            // If ResourcePool's constructor called create(), prefix/made would still be null there.
            PrefixPool pool = track(new PrefixPool("conn", 2, 4));
            assertThat(pool.made()).as("nothing made while constructing").isEmpty();

            assertThat(pool.size()).as("first call makes the minimum").isEqualTo(2);
            assertThat(pool.made()).containsExactly("conn-1", "conn-2");
            assertThat(pool.get()).isEqualTo("conn-1");
            assertThat(pool.made()).hasSize(2);
        }

        @Test
        void minSizePrepopulatesSubclass() throws Exception {
            // eventlet TestIntPool2: len(pool.free_items) == 3 as the very first call.
            IntPool pool = track(new IntPool(3, 3));
            assertThat(pool.idle()).isEqualTo(3);
            assertThat(pool.size()).isEqualTo(3);
            assertThat(pool.get()).isEqualTo(1); // from the idle items, not a new one
            assertThat(pool.stats().createdCount()).isEqualTo(3);
        }

        @Test
        void createRaises() {
            RaisePool pool = track(new RaisePool(3));
            assertThat(pool.free()).isEqualTo(3);
            assertThatThrownBy(pool::get).isSameAs(pool.failure);
            assertThat(pool.free()).isEqualTo(3);
            assertThat(pool.size()).isZero();
            assertThatThrownBy(pool::get).isSameAs(pool.failure);
            assertThat(pool.attempts.get()).isEqualTo(2);
            assertThat(pool.free()).isEqualTo(3);
        }
    }

    // ------------------------------------------------------------------ creating

    @Nested
    class Creating {

        @Test
        void minSizeItemsExistAtConstruction() {
            Factory factory = new Factory();
            ResourcePool<Res> pool = pool(factory, 2, 4, Order.QUEUE);
            assertThat(factory.created()).isEqualTo(2);
            assertThat(pool.idle()).isEqualTo(2);
            assertThat(pool.size()).isEqualTo(2);
            assertThat(pool.free()).isEqualTo(4);

            Factory f2 = new Factory();
            ResourcePool<Res> built = track(ResourcePool.builder(f2).minSize(3).maxSize(5).build());
            assertThat(f2.created()).isEqualTo(3);
            assertThat(built.size()).isEqualTo(3);
            assertThat(built.minSize()).isEqualTo(3);
            assertThat(built.maxSize()).isEqualTo(5);
        }

        @ParameterizedTest
        @EnumSource(Order.class)
        void createOnlyWhenNoIdleItemAndRoomLeft(Order order) throws Exception {
            Factory factory = new Factory();
            ResourcePool<Res> pool = pool(factory, 0, 2, order);
            assertThat(factory.created()).isZero();

            Res a = pool.get();
            assertThat(factory.created()).isEqualTo(1);
            pool.put(a);
            assertThat(pool.get()).as("idle item reused, not a new one").isSameAs(a);
            assertThat(factory.created()).isEqualTo(1);

            Res b = pool.get(); // nothing idle, room left: create
            assertThat(b).isNotSameAs(a);
            assertThat(factory.created()).isEqualTo(2);

            assertThatThrownBy(() -> pool.get(Duration.ZERO)).isInstanceOf(TimeoutException.class);
            assertThat(factory.created()).as("no create at maxSize").isEqualTo(2);
            assertThat(pool.size()).isEqualTo(2);
        }

        @Test
        void createThatThrowsGivesBackItsSlotAndNextGetSucceeds() throws Exception {
            RuntimeException boom = new IllegalStateException("db down");
            AtomicInteger calls = new AtomicInteger();
            ResourcePool<Res> pool = track(new ResourcePool<>(0, 2, Order.QUEUE, () -> {
                if (calls.incrementAndGet() == 1) {
                    throw boom;
                }
                return new Res(calls.get());
            }));
            assertThatThrownBy(pool::get).isSameAs(boom);
            assertThat(pool.size()).isZero();
            assertThat(pool.free()).isEqualTo(2);
            assertThat(pool.stats().createdCount()).isZero();

            Res r = pool.get();
            assertThat(r.id).isEqualTo(2);
            assertThat(pool.size()).isEqualTo(1);
            assertThat(pool.free()).isEqualTo(1);
        }

        @Test
        void createThatThrowsAnErrorGivesBackItsSlot() throws Exception {
            AtomicInteger calls = new AtomicInteger();
            ResourcePool<Res> pool = track(new ResourcePool<>(0, 1, Order.QUEUE, () -> {
                if (calls.incrementAndGet() == 1) {
                    throw new OutOfMemoryError("pretend");
                }
                return new Res(calls.get());
            }));
            assertThatThrownBy(pool::get).isInstanceOf(OutOfMemoryError.class);
            assertThat(pool.size()).isZero();
            assertThat(pool.free()).isEqualTo(1);
            assertThat(pool.get(Duration.ZERO).id).isEqualTo(2);
        }

        @Test
        void createReturningNullGivesBackItsSlot() throws Exception {
            AtomicInteger calls = new AtomicInteger();
            ResourcePool<Res> pool = track(ResourcePool.<Res>builder(() -> calls.incrementAndGet() == 1 ? null : new Res(calls.get()))
                    .maxSize(1).name("nullish").build());
            assertThatThrownBy(pool::get)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("nullish")
                    .hasMessageContaining("null");
            assertThat(pool.size()).isZero();
            assertThat(pool.free()).isEqualTo(1);
            assertThat(pool.get(Duration.ZERO).id).isEqualTo(2);
        }

        @Test
        void createReturningAnItemThePoolAlreadyHoldsIsRejected() throws Exception {
            Res same = new Res(1);
            ResourcePool<Res> pool = track(ResourcePool.<Res>builder(() -> same).maxSize(2).name("dup").build());
            assertThat(pool.get()).isSameAs(same);
            assertThatThrownBy(pool::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("dup");
            assertThat(pool.size()).isEqualTo(1);
            assertThat(pool.free()).isEqualTo(1);
        }

        @Test
        void failedCreateForAWaiterReachesThatWaiterAndFreesTheSlot() throws Exception {
            AtomicInteger calls = new AtomicInteger();
            RuntimeException second = new RuntimeException("second create fails");
            ResourcePool<Res> pool = track(new ResourcePool<>(0, 1, Order.QUEUE, () -> {
                if (calls.incrementAndGet() == 2) {
                    throw second;
                }
                return new Res(calls.get());
            }));
            Res a = pool.get();
            Borrower<Res> w = startQueuedBorrower(pool, 1);
            pool.discard(a); // the slot goes to the waiter, whose create() fails
            assertThat(w.failure()).isSameAs(second);
            awaitWaiting(pool, 0);
            assertThat(pool.size()).isZero();
            assertThat(pool.free()).isEqualTo(1);
            assertThat(pool.get(Duration.ZERO).id).isEqualTo(3);
        }

        @Test
        void failedCreateHandsTheSlotToTheNextWaiter() throws Exception {
            // The first waiter's create() fails; the slot must not be lost: the next waiter creates.
            AtomicInteger calls = new AtomicInteger();
            CountDownLatch failNow = new CountDownLatch(1);
            ResourcePool<Res> pool = track(new ResourcePool<>(0, 1, Order.QUEUE, () -> {
                int n = calls.incrementAndGet();
                if (n == 1) {
                    try {
                        failNow.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    throw new RuntimeException("first create fails");
                }
                return new Res(n);
            }));
            Borrower<Res> first = startBorrower(pool);
            await().until(() -> calls.get() == 1); // first holds the only slot, in create()
            Borrower<Res> second = startQueuedBorrower(pool, 1);
            failNow.countDown();
            assertThat(first.failure()).hasMessage("first create fails");
            assertThat(second.item().id).isEqualTo(2);
            assertThat(pool.size()).isEqualTo(1);
        }
    }

    // ------------------------------------------------------------------ order and fairness

    @Nested
    class OrderAndFairness {

        @Test
        void stackHandsOutTheItemPutLast() throws Exception {
            ResourcePool<Res> pool = pool(new Factory(), 0, 3, Order.STACK);
            Res a = pool.get();
            Res b = pool.get();
            Res c = pool.get();
            pool.put(a);
            pool.put(b);
            pool.put(c);
            assertThat(pool.get()).isSameAs(c);
            assertThat(pool.get()).isSameAs(b);
            assertThat(pool.get()).isSameAs(a);
        }

        @Test
        void queueHandsOutTheItemPutFirst() throws Exception {
            ResourcePool<Res> pool = pool(new Factory(), 0, 3, Order.QUEUE);
            Res a = pool.get();
            Res b = pool.get();
            Res c = pool.get();
            pool.put(b);
            pool.put(c);
            pool.put(a);
            assertThat(pool.get()).isSameAs(b);
            assertThat(pool.get()).isSameAs(c);
            assertThat(pool.get()).isSameAs(a);
        }

        @ParameterizedTest
        @EnumSource(Order.class)
        void waitersAreServedFirstComeFirstServed(Order order) throws Exception {
            ResourcePool<Res> pool = pool(new Factory(), 0, 3, order);
            Res x = pool.get();
            Res y = pool.get();
            Res z = pool.get();
            List<Borrower<Res>> waiters = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                waiters.add(startQueuedBorrower(pool, i)); // one at a time: a known arrival order
            }
            pool.put(y);
            pool.put(z);
            pool.put(x);
            assertThat(waiters.get(0).item()).isSameAs(y);
            assertThat(waiters.get(1).item()).isSameAs(z);
            assertThat(waiters.get(2).item()).isSameAs(x);
            awaitWaiting(pool, 2);
            assertThat(waiters.get(3).result()).isNotDone();
            assertThat(waiters.get(4).result()).isNotDone();

            pool.put(waiters.get(2).item());
            assertThat(waiters.get(3).item()).isSameAs(x);
            pool.put(waiters.get(0).item());
            assertThat(waiters.get(4).item()).isSameAs(y);
            awaitWaiting(pool, 0);
        }

        @Test
        void waitersQueuedOnOneItemGetItInArrivalOrder() throws Exception {
            ResourcePool<Res> pool = pool(new Factory(), 0, 1, Order.QUEUE);
            Res only = pool.get();
            List<Integer> servedOrder = new CopyOnWriteArrayList<>();
            List<Borrower<Res>> waiters = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                int me = i;
                Borrower<Res> b = startBorrower(() -> {
                    Res r = pool.get();
                    servedOrder.add(me);
                    pool.put(r); // hands it straight to the next waiter
                    return r;
                });
                awaitQueued(pool, b.thread(), i);
                waiters.add(b);
            }
            pool.put(only);
            for (Borrower<Res> b : waiters) {
                assertThat(b.item()).isSameAs(only);
            }
            assertThat(servedOrder).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(pool.size()).isEqualTo(1);
        }

        @Test
        void putHandsTheItemStraightToTheLongestWaiter() throws Exception {
            List<Res> disposed = new CopyOnWriteArrayList<>();
            ResourcePool<Res> pool = pool(new Factory(), 0, 2, Order.STACK, disposed);
            Res a = pool.get();
            Res b = pool.get();
            Borrower<Res> first = startQueuedBorrower(pool, 1);
            Borrower<Res> second = startQueuedBorrower(pool, 2);

            pool.put(b);
            assertThat(pool.idle()).as("handed over, never idle").isZero();
            assertThat(first.item()).isSameAs(b);
            assertThat(second.result()).isNotDone();

            pool.put(a);
            assertThat(pool.idle()).isZero();
            assertThat(second.item()).isSameAs(a);
            assertThat(disposed).isEmpty();
        }

        @Test
        void newcomersDoNotBargePastWaiters() throws Exception {
            // A slot freed by discard() goes to the queued waiter, not to a later get(ZERO).
            ResourcePool<Res> pool = pool(new Factory(), 0, 1, Order.QUEUE);
            Res a = pool.get();
            Borrower<Res> waiter = startQueuedBorrower(pool, 1);
            pool.discard(a);
            Res got = waiter.item();
            assertThat(got).isNotSameAs(a);
            assertThatThrownBy(() -> pool.get(Duration.ZERO)).isInstanceOf(TimeoutException.class);
            pool.put(got);
        }
    }

    // ------------------------------------------------------------------ resize

    @Nested
    class Resize {

        @ParameterizedTest
        @EnumSource(Order.class)
        void growingLetsBlockedCallersCreateAtOnce(Order order) throws Exception {
            Factory factory = new Factory();
            ResourcePool<Res> pool = pool(factory, 0, 1, order);
            Res a = pool.get();
            Borrower<Res> w1 = startQueuedBorrower(pool, 1);
            Borrower<Res> w2 = startQueuedBorrower(pool, 2);
            Borrower<Res> w3 = startQueuedBorrower(pool, 3);

            pool.resize(3); // two more slots: the two longest waiters create right away
            Res r1 = w1.item();
            Res r2 = w2.item();
            assertThat(List.of(r1, r2)).doesNotContain(a).doesNotHaveDuplicates();
            awaitWaiting(pool, 1);
            assertThat(w3.result()).isNotDone();
            assertThat(factory.created()).isEqualTo(3);
            assertThat(pool.size()).isEqualTo(3);
            assertThat(pool.free()).isZero();

            pool.resize(4);
            assertThat(w3.item()).isNotIn(a, r1, r2);
            assertThat(factory.created()).isEqualTo(4);
            awaitWaiting(pool, 0);
        }

        @Test
        void growingFromZero() throws Exception {
            Factory factory = new Factory();
            ResourcePool<Res> pool = pool(factory, 0, 0, Order.QUEUE);
            assertThat(pool.free()).isZero();
            assertThatThrownBy(() -> pool.get(Duration.ZERO)).isInstanceOf(TimeoutException.class);
            Borrower<Res> w = startQueuedBorrower(pool, 1);
            pool.resize(1);
            assertThat(w.item()).isNotNull();
            assertThat(factory.created()).isEqualTo(1);
        }

        @ParameterizedTest
        @EnumSource(Order.class)
        void shrinkingNeverTouchesCheckedOutItems(Order order) throws Exception {
            List<Res> disposed = new CopyOnWriteArrayList<>();
            ResourcePool<Res> pool = pool(new Factory(), 0, 4, order, disposed);
            Res a = pool.get();
            Res b = pool.get();
            Res c = pool.get();
            Res d = pool.get();

            pool.resize(1);
            assertThat(pool.maxSize()).isEqualTo(1);
            assertThat(pool.size()).as("checked-out items stay").isEqualTo(4);
            assertThat(disposed).isEmpty();
            assertThat(pool.free()).as("idle + (max - size) = 0 + 1 - 4").isEqualTo(-3);

            // items put back while over max are disposed at once
            pool.put(a);
            assertThat(disposed).containsExactly(a);
            assertThat(pool.size()).isEqualTo(3);
            assertThat(pool.free()).isEqualTo(-2);
            pool.put(b);
            pool.put(c);
            assertThat(disposed).containsExactly(a, b, c);
            assertThat(pool.size()).isEqualTo(1);
            assertThat(pool.free()).isZero();

            pool.put(d); // within the max now: kept
            assertThat(disposed).containsExactly(a, b, c);
            assertThat(pool.size()).isEqualTo(1);
            assertThat(pool.idle()).isEqualTo(1);
            assertThat(pool.free()).isEqualTo(1);
            assertThat(pool.get()).isSameAs(d);
        }

        @Test
        void shrinkingDisposesIdleItemsBeyondTheNewMaxAtOnceQueue() throws Exception {
            List<Res> disposed = new CopyOnWriteArrayList<>();
            ResourcePool<Res> pool = pool(new Factory(), 0, 4, Order.QUEUE, disposed);
            Res a = pool.get();
            Res b = pool.get();
            Res c = pool.get();
            Res d = pool.get();
            pool.put(a);
            pool.put(b);
            pool.put(c);
            pool.put(d);
            assertThat(pool.idle()).isEqualTo(4);

            pool.resize(2);
            // QUEUE hands out a, b next; the ones put first go (least recently used)
            assertThat(disposed).containsExactlyInAnyOrder(a, b);
            assertThat(pool.size()).isEqualTo(2);
            assertThat(pool.idle()).isEqualTo(2);
            assertThat(pool.free()).isEqualTo(2);
            assertThat(pool.stats().disposedCount()).isEqualTo(2);
            assertThat(List.of(pool.get(), pool.get())).containsExactly(c, d);
        }

        @Test
        void shrinkingDisposesIdleItemsBeyondTheNewMaxAtOnceStack() throws Exception {
            List<Res> disposed = new CopyOnWriteArrayList<>();
            ResourcePool<Res> pool = pool(new Factory(), 0, 4, Order.STACK, disposed);
            Res a = pool.get();
            Res b = pool.get();
            Res c = pool.get();
            Res d = pool.get();
            pool.put(a);
            pool.put(b);
            pool.put(c);
            pool.put(d);

            pool.resize(2);
            // STACK keeps the hot ones (put last) and disposes the coldest
            assertThat(disposed).containsExactlyInAnyOrder(a, b);
            assertThat(pool.size()).isEqualTo(2);
            assertThat(pool.free()).isEqualTo(2);
            assertThat(List.of(pool.get(), pool.get())).containsExactly(d, c);
        }

        @ParameterizedTest
        @EnumSource(Order.class)
        void shrinkingWithIdleAndCheckedOutItems(Order order) throws Exception {
            List<Res> disposed = new CopyOnWriteArrayList<>();
            ResourcePool<Res> pool = pool(new Factory(), 0, 4, order, disposed);
            Res a = pool.get();
            Res b = pool.get();
            Res c = pool.get();
            Res d = pool.get();
            pool.put(a);
            pool.put(b);

            pool.resize(1);
            assertThat(disposed).containsExactlyInAnyOrder(a, b); // idle: at once
            assertThat(pool.size()).isEqualTo(2); // c, d are still out
            assertThat(pool.free()).isEqualTo(-1);

            pool.put(c);
            assertThat(disposed).containsExactlyInAnyOrder(a, b, c);
            pool.put(d);
            assertThat(disposed).hasSize(3);
            assertThat(pool.size()).isEqualTo(1);
            assertThat(pool.free()).isEqualTo(1);
        }

        @Test
        void waiterIsNotServedWhileThePoolIsOverItsNewMax() throws Exception {
            List<Res> disposed = new CopyOnWriteArrayList<>();
            ResourcePool<Res> pool = pool(new Factory(), 0, 2, Order.QUEUE, disposed);
            Res a = pool.get();
            Res b = pool.get();
            Borrower<Res> w = startQueuedBorrower(pool, 1);

            pool.resize(1);
            pool.put(a); // over max: disposed, not handed to the waiter
            assertThat(disposed).containsExactly(a);
            assertThat(pool.waiting()).isEqualTo(1);
            assertThat(w.result()).isNotDone();

            pool.put(b); // within max: straight to the waiter
            assertThat(w.item()).isSameAs(b);
            assertThat(disposed).containsExactly(a);
            assertThat(pool.size()).isEqualTo(1);
        }

        @Test
        void resizeOfAClosedPoolThrows() {
            ResourcePool<Res> pool = pool(new Factory(), 0, 2, Order.QUEUE);
            pool.close();
            assertThatThrownBy(() -> pool.resize(3)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(pool.name());
        }
    }

    // ------------------------------------------------------------------ free / waiting

    @Nested
    class Counters {

        @Test
        void freeIsIdlePlusRoomLeft() throws Exception {
            ResourcePool<Res> pool = pool(new Factory(), 1, 3, Order.QUEUE);
            assertThat(pool.free()).isEqualTo(3); // 1 idle + (3 - 1)
            Res a = pool.get();
            assertThat(pool.free()).isEqualTo(2); // 0 + (3 - 1)
            Res b = pool.get();
            assertThat(pool.free()).isEqualTo(1);
            pool.put(a);
            assertThat(pool.free()).isEqualTo(2); // 1 + (3 - 2)
            pool.put(b);
            assertThat(pool.free()).isEqualTo(3);
            assertThat(pool.size()).isEqualTo(2);
            assertThat(pool.inUse()).isZero();
        }

        @Test
        void waitingCountsExactlyTheBlockedCallers() throws Exception {
            ResourcePool<Res> pool = pool(new Factory(), 0, 1, Order.QUEUE);
            Res a = pool.get();
            assertThat(pool.waiting()).isZero();
            Borrower<Res> w1 = startQueuedBorrower(pool, 1);
            Borrower<Res> w2 = startQueuedBorrower(pool, 2);
            Borrower<Res> w3 = startQueuedBorrower(pool, 3);

            w2.thread().interrupt();
            assertThat(w2.failure()).isInstanceOf(InterruptedException.class);
            assertThat(pool.waiting()).isEqualTo(2);

            pool.put(a);
            assertThat(w1.item()).isSameAs(a);
            awaitWaiting(pool, 1);
            pool.put(a);
            assertThat(w3.item()).isSameAs(a);
            awaitWaiting(pool, 0);
        }
    }

    // ------------------------------------------------------------------ timeouts and interrupts

    @Nested
    class TimeoutsAndInterrupts {

        @Test
        void timedGetThrowsTimeoutExceptionNamingThePool() throws Exception {
            ResourcePool<Res> pool = track(ResourcePool.builder(new Factory()).maxSize(1).name("tiny").build());
            Res a = pool.get();
            assertThatThrownBy(() -> pool.get(Duration.ofMillis(20)))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("tiny");
            assertThatThrownBy(() -> pool.item(Duration.ofMillis(20)))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("tiny");
            assertThat(pool.waiting()).isZero();
            assertThat(pool.stats().timeoutCount()).isEqualTo(2);
            pool.put(a);
            assertThat(pool.free()).isEqualTo(1);
        }

        @Test
        void zeroTimeoutDoesNotWait() throws Exception {
            Factory factory = new Factory();
            ResourcePool<Res> pool = pool(factory, 0, 2, Order.QUEUE);
            // free slot: creates at once
            Res a = pool.get(Duration.ZERO);
            // idle item: hands it out at once
            pool.put(a);
            assertThat(pool.get(Duration.ZERO)).isSameAs(a);
            Res b = pool.get(Duration.ZERO);
            // exhausted and nobody will ever put: returns anyway (the class @Timeout guards a hang)
            assertThatThrownBy(() -> pool.get(Duration.ZERO)).isInstanceOf(TimeoutException.class);
            assertThatThrownBy(() -> pool.item(Duration.ZERO)).isInstanceOf(TimeoutException.class);
            assertThat(pool.waiting()).isZero();
            assertThat(factory.created()).isEqualTo(2);
            pool.put(a);
            pool.put(b);
            assertThat(pool.free()).isEqualTo(2);
        }

        @Test
        void zeroTimeoutDoesNotBargePastAWaiter() throws Exception {
            ResourcePool<Res> pool = pool(new Factory(), 0, 1, Order.QUEUE);
            Res a = pool.get();
            Borrower<Res> w = startQueuedBorrower(pool, 1);
            assertThatThrownBy(() -> pool.get(Duration.ZERO)).isInstanceOf(TimeoutException.class);
            assertThat(pool.waiting()).isEqualTo(1);
            pool.put(a);
            assertThat(w.item()).isSameAs(a);
        }

        @ParameterizedTest
        @EnumSource(Order.class)
        void timedOutWaiterLeavesNoTrace(Order order) throws Exception {
            Factory factory = new Factory();
            ResourcePool<Res> pool = pool(factory, 0, 2, order);
            int start = pool.free();
            Res a = pool.get();
            Res b = pool.get();
            Borrower<Res> timed = startBorrower(() -> pool.get(Duration.ofMillis(50)));
            assertThat(timed.failure()).isInstanceOf(TimeoutException.class);
            assertThat(pool.waiting()).isZero();

            pool.put(a);
            pool.put(b);
            assertThat(pool.free()).isEqualTo(start);
            assertThat(pool.size()).isEqualTo(2);
            assertThat(pool.idle()).isEqualTo(2);
            assertThat(List.of(pool.get(Duration.ZERO), pool.get(Duration.ZERO))).containsExactlyInAnyOrder(a, b);
            assertThat(factory.created()).isEqualTo(2);
        }

        @ParameterizedTest
        @EnumSource(Order.class)
        void interruptedWaiterLeavesNoTrace(Order order) throws Exception {
            Factory factory = new Factory();
            ResourcePool<Res> pool = pool(factory, 0, 2, order);
            int start = pool.free();
            Res a = pool.get();
            Res b = pool.get();
            Borrower<Res> w = startQueuedBorrower(pool, 1);
            w.thread().interrupt();
            assertThat(w.failure()).isInstanceOf(InterruptedException.class);
            assertThat(pool.waiting()).isZero();

            pool.put(a);
            pool.put(b);
            assertThat(pool.free()).isEqualTo(start);
            assertThat(pool.size()).isEqualTo(2);
            assertThat(List.of(pool.get(Duration.ZERO), pool.get(Duration.ZERO))).containsExactlyInAnyOrder(a, b);
            assertThat(factory.created()).isEqualTo(2);
        }

        @Test
        void alreadyInterruptedCallerTakesNothing() throws Exception {
            Factory factory = new Factory();
            ResourcePool<Res> pool = pool(factory, 1, 2, Order.QUEUE);
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(pool::get).isInstanceOf(InterruptedException.class);
            } finally {
                Thread.interrupted();
            }
            assertThat(pool.free()).isEqualTo(2);
            assertThat(pool.idle()).isEqualTo(1);
            assertThat(factory.created()).isEqualTo(1);
            assertThat(pool.stats().borrowCount()).isZero();
        }

        @Test
        void interruptRacingWithPutNeverLosesTheItem() throws Exception {
            Factory factory = new Factory();
            ResourcePool<Res> pool = pool(factory, 0, 1, Order.QUEUE);
            Res only = pool.get();
            int served = 0;
            int interrupted = 0;
            for (int round = 0; round < 200; round++) {
                Borrower<Res> w = startBorrower(() -> {
                    Res r = pool.get();
                    pool.put(r); // hand it straight back, so the pool ends each round as it began
                    return r;
                });
                awaitQueued(pool, w.thread(), 1);
                CountDownLatch go = new CountDownLatch(1);
                Res toPut = only;
                Thread putter = Thread.ofVirtual().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    pool.put(toPut);
                });
                go.countDown();
                if (ThreadLocalRandom.current().nextBoolean()) {
                    Thread.yield();
                }
                w.thread().interrupt();
                putter.join(WAIT.toMillis());
                try {
                    assertThat(w.item()).isSameAs(only);
                    served++;
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(InterruptedException.class);
                    interrupted++;
                }
                w.thread().join(WAIT.toMillis());
                // either way the item is back and idle, and nothing else changed
                assertThat(pool.waiting()).isZero();
                assertThat(pool.size()).isEqualTo(1);
                assertThat(pool.idle()).as("round %d", round).isEqualTo(1);
                assertThat(pool.free()).isEqualTo(1);
                only = pool.get(Duration.ZERO);
                assertThat(only).isSameAs(factory.made.get(0));
            }
            assertThat(served + interrupted).isEqualTo(200);
            assertThat(factory.created()).isEqualTo(1);
        }

        @Test
        void timeoutRacingWithPutNeverLosesTheItem() throws Exception {
            Factory factory = new Factory();
            ResourcePool<Res> pool = pool(factory, 0, 1, Order.QUEUE);
            Res only = pool.get();
            for (int round = 0; round < 200; round++) {
                long nanos = ThreadLocalRandom.current().nextLong(0, 300_000);
                Borrower<Res> w = startBorrower(() -> {
                    Res r = pool.get(Duration.ofNanos(nanos));
                    pool.put(r);
                    return r;
                });
                if (ThreadLocalRandom.current().nextBoolean()) {
                    Thread.yield();
                }
                pool.put(only);
                try {
                    assertThat(w.item()).isSameAs(factory.made.get(0));
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(TimeoutException.class);
                }
                w.thread().join(WAIT.toMillis());
                assertThat(pool.waiting()).isZero();
                assertThat(pool.size()).isEqualTo(1);
                assertThat(pool.idle()).as("round %d", round).isEqualTo(1);
                only = pool.get(Duration.ZERO);
            }
            assertThat(factory.created()).isEqualTo(1);
        }
    }

    /**
     * The narrow races of {@code WaitQueue.await}: a waiter that gives up (timeout or interrupt) at
     * the very instant {@code put()} hands it the item. Exactly one side must win: either the waiter
     * takes the item, or it gives up and the item stays with the pool. A long-lived platform-thread
     * waiter runs in lock-step with the test thread (a {@link Phaser}), and the put is fired by
     * spinning to a scanned offset around the waiter's deadline or just after the interrupt, so that
     * many rounds land inside the few hundred nanoseconds between the waiter's last look at its
     * outcome and its cancelling CAS. The number of rounds is fixed; nothing is timed.
     */
    @Nested
    class GiveUpAtTheInstantOfAGrant {
        static final int ROUNDS = 3_000;

        @Test
        @Timeout(120)
        void timeoutAtTheInstantOfAPutNeverLosesTheItem() throws Exception {
            race(false);
        }

        @Test
        @Timeout(120)
        void interruptAtTheInstantOfAPutNeverLosesTheItem() throws Exception {
            race(true);
        }

        private void race(boolean interrupt) throws Exception {
            Factory factory = new Factory();
            ResourcePool<Res> pool = pool(factory, 0, 1, Order.QUEUE);
            AtomicReference<Res> only = new AtomicReference<>(pool.get());
            Phaser phaser = new Phaser(3); // waiter, putter, this thread
            AtomicLong deadline = new AtomicLong(); // timeout race: when the waiter gives up
            AtomicLong interruptAt = new AtomicLong(); // interrupt race: when this thread interrupts
            List<Throwable> helperErrors = new CopyOnWriteArrayList<>();
            AtomicInteger served = new AtomicInteger();
            AtomicInteger gaveUp = new AtomicInteger();
            long timeoutNanos = 40_000;

            Thread waiter = Thread.ofPlatform().name("racing-waiter").start(() -> {
                for (int round = 0; round < ROUNDS; round++) {
                    if (phaser.arriveAndAwaitAdvance() < 0) {
                        return; // the test ended early
                    }
                    // The last round's interrupt may have come after this thread was served and
                    // had already cleared its flag; it was delivered before the round ended, so
                    // clearing here leaves only this round's interrupt.
                    Thread.interrupted();
                    try {
                        Res r;
                        if (interrupt) {
                            r = pool.get();
                        } else {
                            deadline.set(System.nanoTime() + timeoutNanos);
                            r = pool.get(Duration.ofNanos(timeoutNanos));
                        }
                        served.incrementAndGet();
                        pool.put(r); // back, so every round starts alike
                    } catch (InterruptedException | TimeoutException e) {
                        gaveUp.incrementAndGet();
                    } catch (Throwable t) {
                        helperErrors.add(t);
                    }
                    if (phaser.arriveAndAwaitAdvance() < 0) {
                        return;
                    }
                }
            });
            // Puts from its own thread, so the put can land just before, at, or just after the
            // moment the waiter gives up. The offset follows a staircase: later after a round the
            // waiter was served, earlier after it gave up, so the rounds cluster on the boundary
            // between the two outcomes, which is where the races are.
            Thread putter = Thread.ofPlatform().name("racing-putter").start(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                long offset = interrupt ? 0 : 50_000;
                int servedBefore = 0;
                for (int round = 0; round < ROUNDS; round++) {
                    if (phaser.arriveAndAwaitAdvance() < 0) {
                        return;
                    }
                    int servedNow = served.get();
                    if (round > 0) {
                        offset += servedNow > servedBefore ? 500 : -500;
                        offset = Math.clamp(offset, -20_000L, 200_000L);
                    }
                    servedBefore = servedNow;
                    try {
                        long base = awaitSet(interrupt ? interruptAt : deadline, phaser);
                        spinUntil(base + offset + random.nextLong(-2_000, 2_000));
                        pool.put(only.get());
                    } catch (Throwable t) {
                        helperErrors.add(t);
                    }
                    if (phaser.arriveAndAwaitAdvance() < 0) {
                        return;
                    }
                }
            });
            threads.add(waiter);
            threads.add(putter);

            try {
                for (int round = 0; round < ROUNDS; round++) {
                    phaser.arriveAndAwaitAdvance();
                    if (interrupt) {
                        // wait (spinning: rounds are short) until the waiter is parked in the queue
                        long spinStart = System.nanoTime();
                        while (pool.waiting() != 1 || waiter.getState() != Thread.State.WAITING) {
                            if (System.nanoTime() - spinStart > WAIT.toNanos()) {
                                throw new AssertionError("round " + round + ": the waiter never queued; "
                                        + pool + ", waiter " + waiter.getState() + ", errors " + helperErrors);
                            }
                            Thread.onSpinWait();
                        }
                        long at = System.nanoTime() + 20_000;
                        interruptAt.set(at);
                        spinUntil(at);
                        waiter.interrupt();
                    }
                    phaser.arriveAndAwaitAdvance();

                    assertThat(helperErrors).isEmpty();
                    assertThat(pool.waiting()).as("round %d: waiting()", round).isZero();
                    assertThat(pool.size()).as("round %d: size()", round).isEqualTo(1);
                    assertThat(pool.idle()).as("round %d: the item is back in the pool", round).isEqualTo(1);
                    assertThat(pool.free()).as("round %d: free()", round).isEqualTo(1);
                    deadline.set(0);
                    interruptAt.set(0);
                    only.set(pool.get(Duration.ZERO));
                }
            } finally {
                phaser.forceTermination(); // on failure: release the helpers
            }
            waiter.join(WAIT.toMillis());
            putter.join(WAIT.toMillis());
            assertThat(served.get() + gaveUp.get()).isEqualTo(ROUNDS);
            assertThat(factory.created()).as("never a new item: none was lost").isEqualTo(1);
            System.out.printf("%s race: %d served, %d gave up%n",
                    interrupt ? "interrupt" : "timeout", served.get(), gaveUp.get());
        }

        /** Spins until {@code value} is set; gives up if the test ended or after {@link #WAIT}. */
        private static long awaitSet(AtomicLong value, Phaser phaser) {
            long spinStart = System.nanoTime();
            long v;
            while ((v = value.get()) == 0) {
                if (phaser.isTerminated() || System.nanoTime() - spinStart > WAIT.toNanos()) {
                    throw new IllegalStateException("gave up waiting for the other threads");
                }
                Thread.onSpinWait();
            }
            return v;
        }

        private static void spinUntil(long nanoTime) {
            while (System.nanoTime() - nanoTime < 0) {
                Thread.onSpinWait();
            }
        }
    }

    // ------------------------------------------------------------------ discard and validate

    @Nested
    class DiscardAndValidate {

        @Test
        void discardDisposesTheItemAndFreesItsSlot() throws Exception {
            Factory factory = new Factory();
            List<Res> disposed = new CopyOnWriteArrayList<>();
            ResourcePool<Res> pool = pool(factory, 0, 2, Order.QUEUE, disposed);
            Res a = pool.get();
            Res b = pool.get();
            assertThat(pool.free()).isZero();

            pool.discard(a);
            assertThat(disposed).containsExactly(a);
            assertThat(pool.size()).isEqualTo(1);
            assertThat(pool.free()).isEqualTo(1);
            assertThat(pool.stats().disposedCount()).isEqualTo(1);

            Res c = pool.get();
            assertThat(c).isNotIn(a, b);
            assertThat(factory.created()).isEqualTo(3);

            // the discarded item is no longer the pool's
            assertThatThrownBy(() -> pool.put(a)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> pool.discard(a)).isInstanceOf(IllegalArgumentException.class);
            assertThat(pool.size()).isEqualTo(2);
        }

        @Test
        void discardOfAnIdleOrForeignItemIsRejected() throws Exception {
            List<Res> disposed = new CopyOnWriteArrayList<>();
            ResourcePool<Res> pool = pool(new Factory(), 0, 2, Order.QUEUE, disposed);
            Res a = pool.get();
            pool.put(a);
            assertThatThrownBy(() -> pool.discard(a)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> pool.discard(new Res(99))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(pool.name());
            assertThatThrownBy(() -> pool.discard(null)).isInstanceOf(NullPointerException.class);
            assertThat(disposed).isEmpty();
            assertThat(pool.size()).isEqualTo(1);
            assertThat(pool.free()).isEqualTo(2);
        }

        @Test
        void discardLetsAWaiterCreate() throws Exception {
            Factory factory = new Factory();
            ResourcePool<Res> pool = pool(factory, 0, 1, Order.QUEUE);
            Res a = pool.get();
            Borrower<Res> w = startQueuedBorrower(pool, 1);
            pool.discard(a);
            Res fresh = w.item();
            assertThat(fresh).isNotSameAs(a);
            assertThat(factory.created()).isEqualTo(2);
            assertThat(pool.size()).isEqualTo(1);
        }

        @Test
        void validateIsCheckedWhenAnIdleItemIsHandedOut() throws Exception {
            Factory factory = new Factory();
            List<Res> disposed = new CopyOnWriteArrayList<>();
            List<Res> validated = new CopyOnWriteArrayList<>();
            ResourcePool<Res> pool = track(ResourcePool.builder(factory).maxSize(2)
                    .validate(r -> {
                        validated.add(r);
                        return !r.broken;
                    })
                    .dispose(disposed::add).build());

            Res a = pool.get();
            assertThat(validated).as("a new item is not validated").isEmpty();
            pool.put(a);
            assertThat(pool.get()).isSameAs(a);
            assertThat(validated).containsExactly(a);

            a.broken = true;
            pool.put(a);
            Res replacement = pool.get();
            assertThat(replacement).isNotSameAs(a);
            assertThat(disposed).containsExactly(a);
            assertThat(factory.created()).isEqualTo(2);
            assertThat(pool.size()).isEqualTo(1);
            assertThat(pool.free()).isEqualTo(1);
            assertThat(pool.stats().disposedCount()).isEqualTo(1);
            assertThatThrownBy(() -> pool.put(a)).isInstanceOf(IllegalArgumentException.class);
            pool.put(replacement);
            assertThat(pool.free()).isEqualTo(2);
        }

        @Test
        void validateIsCheckedForAnItemHandedToAWaiter() throws Exception {
            Factory factory = new Factory();
            List<Res> disposed = new CopyOnWriteArrayList<>();
            ResourcePool<Res> pool = track(ResourcePool.builder(factory).maxSize(1)
                    .validate(r -> !r.broken).dispose(disposed::add).build());
            Res a = pool.get();
            Borrower<Res> w = startQueuedBorrower(pool, 1);
            a.broken = true;
            pool.put(a);
            Res got = w.item();
            assertThat(got).isNotSameAs(a);
            assertThat(got.broken).isFalse();
            assertThat(disposed).containsExactly(a);
            assertThat(pool.size()).isEqualTo(1);
        }

        @Test
        void validateThatThrowsCountsAsFailed() throws Exception {
            Factory factory = new Factory();
            List<Res> disposed = new CopyOnWriteArrayList<>();
            ResourcePool<Res> pool = track(ResourcePool.builder(factory).maxSize(1)
                    .validate(r -> {
                        if (r.broken) {
                            throw new IllegalStateException("cannot tell");
                        }
                        return true;
                    }).dispose(disposed::add).build());
            Res a = pool.get();
            a.broken = true;
            pool.put(a);
            Res b = pool.get();
            assertThat(b).isNotSameAs(a);
            assertThat(disposed).containsExactly(a);
            assertThat(pool.size()).isEqualTo(1);
        }

        @Test
        void replacementCreateFailureAfterFailedValidationGivesBackTheSlot() throws Exception {
            AtomicInteger calls = new AtomicInteger();
            List<Res> disposed = new CopyOnWriteArrayList<>();
            ResourcePool<Res> pool = track(ResourcePool.<Res>builder(() -> {
                        int n = calls.incrementAndGet();
                        if (n == 2) {
                            throw new RuntimeException("replacement failed");
                        }
                        return new Res(n);
                    })
                    .maxSize(1).validate(r -> !r.broken).dispose(disposed::add).build());
            Res a = pool.get();
            a.broken = true;
            pool.put(a);
            assertThatThrownBy(pool::get).hasMessage("replacement failed");
            assertThat(disposed).containsExactly(a);
            assertThat(pool.size()).isZero();
            assertThat(pool.free()).isEqualTo(1);
            assertThat(pool.get().id).isEqualTo(3);
        }

        @Test
        void disposeThatThrowsDoesNotBreakThePool() throws Exception {
            Factory factory = new Factory();
            ResourcePool<Res> pool = track(ResourcePool.builder(factory).maxSize(1)
                    .dispose(r -> {
                        throw new IllegalStateException("dispose failed");
                    }).build());
            Res a = pool.get();
            assertThatCode(() -> pool.discard(a)).doesNotThrowAnyException();
            assertThat(pool.size()).isZero();
            assertThat(pool.free()).isEqualTo(1);
            assertThat(pool.get()).isNotSameAs(a);
        }
    }

    // ------------------------------------------------------------------ misuse of put and leases

    @Nested
    class PutAndLease {

        @Test
        void putOfAForeignItemIsRejectedAndChangesNothing() throws Exception {
            ResourcePool<Res> pool = pool(new Factory(), 0, 2, Order.QUEUE);
            ResourcePool<Res> other = pool(new Factory(), 0, 2, Order.QUEUE);
            Res mine = pool.get();
            Res theirs = other.get();
            int size = pool.size();
            int free = pool.free();

            assertThatThrownBy(() -> pool.put(new Res(42)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(pool.name());
            assertThatThrownBy(() -> pool.put(theirs)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> pool.put(null)).isInstanceOf(NullPointerException.class);
            assertThat(pool.size()).isEqualTo(size);
            assertThat(pool.free()).isEqualTo(free);
            assertThat(pool.idle()).isZero();

            pool.put(mine);
            other.put(theirs);
            assertThat(pool.free()).isEqualTo(2);
        }

        @Test
        void secondPutOfTheSameItemIsRejectedAndChangesNothing() throws Exception {
            ResourcePool<Res> pool = pool(new Factory(), 0, 1, Order.QUEUE);
            Res a = pool.get();
            pool.put(a);
            int size = pool.size();
            int free = pool.free();
            assertThatThrownBy(() -> pool.put(a))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining(pool.name());
            assertThat(pool.size()).isEqualTo(size);
            assertThat(pool.free()).isEqualTo(free);
            assertThat(pool.idle()).isEqualTo(1);
            // the item is in the pool once, not twice
            assertThat(pool.get(Duration.ZERO)).isSameAs(a);
            assertThatThrownBy(() -> pool.get(Duration.ZERO)).isInstanceOf(TimeoutException.class);
        }

        @Test
        void secondPutAfterTheItemWentToSomeoneElseIsRejected() throws Exception {
            ResourcePool<Res> pool = pool(new Factory(), 0, 1, Order.QUEUE);
            Res a = pool.get();
            pool.put(a);
            Res again = pool.get(); // someone else's borrow now
            assertThat(again).isSameAs(a);
            pool.put(again);
            assertThatThrownBy(() -> pool.put(a)).isInstanceOf(IllegalStateException.class);
            assertThat(pool.idle()).isEqualTo(1);
        }

        @Test
        void leaseCloseReturnsTheItemAndASecondCloseDoesNothing() throws Exception {
            ResourcePool<Res> pool = pool(new Factory(), 0, 1, Order.QUEUE);
            Lease<Res> lease = pool.item();
            Res a = lease.get();
            assertThat(pool.free()).isZero();
            lease.close();
            assertThat(pool.free()).isEqualTo(1);
            assertThat(pool.idle()).isEqualTo(1);

            Res again = pool.get(); // the item is out again, on a new borrow
            assertThat(again).isSameAs(a);
            lease.close(); // stale: must not return the new borrow
            assertThat(pool.free()).isZero();
            assertThat(pool.idle()).isZero();
            assertThatThrownBy(() -> pool.get(Duration.ZERO)).isInstanceOf(TimeoutException.class);
            pool.put(again); // would throw IllegalStateException had the stale close returned it
            assertThat(pool.free()).isEqualTo(1);
        }

        @Test
        void tryWithResourcesReturnsTheItem() throws Exception {
            ResourcePool<Res> pool = pool(new Factory(), 0, 1, Order.QUEUE);
            Res seen;
            try (Lease<Res> lease = pool.item(Duration.ofSeconds(5))) {
                seen = lease.get();
                assertThat(pool.free()).isZero();
            }
            assertThat(pool.free()).isEqualTo(1);
            assertThat(pool.get()).isSameAs(seen);
        }

        @Test
        void discardInsideTryWithResourcesThenCloseIsANoOp() throws Exception {
            Factory factory = new Factory();
            List<Res> disposed = new CopyOnWriteArrayList<>();
            ResourcePool<Res> pool = pool(factory, 0, 1, Order.QUEUE, disposed);
            Res broken;
            try (Lease<Res> lease = pool.item()) {
                broken = lease.get();
                pool.discard(broken);
            }
            assertThat(disposed).containsExactly(broken);
            assertThat(pool.size()).isZero();
            assertThat(pool.idle()).isZero();
            assertThat(pool.free()).isEqualTo(1);
            Res next = pool.get();
            assertThat(next).isNotSameAs(broken);
            assertThat(factory.created()).isEqualTo(2);
        }

        @Test
        void putInsideTryWithResourcesThenCloseIsANoOp() throws Exception {
            ResourcePool<Res> pool = pool(new Factory(), 0, 1, Order.QUEUE);
            try (Lease<Res> lease = pool.item()) {
                pool.put(lease.get());
            }
            assertThat(pool.idle()).isEqualTo(1);
            assertThat(pool.free()).isEqualTo(1);
        }

        @Test
        void staleLeaseDoesNotReturnSomeoneElsesBorrow() throws Exception {
            ResourcePool<Res> pool = pool(new Factory(), 0, 1, Order.QUEUE);
            Lease<Res> lease = pool.item();
            Res a = lease.get();
            pool.put(a); // returned some other way
            Res other = pool.get(); // borrowed again
            assertThat(other).isSameAs(a);
            lease.close();
            assertThat(pool.idle()).isZero();
            assertThat(pool.free()).isZero();
            pool.put(other);
            assertThat(pool.free()).isEqualTo(1);
        }

        @Test
        void leaseGetAfterCloseThrows() throws Exception {
            ResourcePool<Res> pool = pool(new Factory(), 0, 1, Order.QUEUE);
            Lease<Res> lease = pool.item();
            lease.close();
            assertThatThrownBy(lease::get).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void leaseHandedToAWaiterThroughClose() throws Exception {
            ResourcePool<Res> pool = pool(new Factory(), 0, 1, Order.QUEUE);
            Lease<Res> lease = pool.item();
            Borrower<Lease<Res>> w = startBorrower(pool::item);
            awaitQueued(pool, w.thread(), 1);
            Res a = lease.get();
            lease.close();
            Lease<Res> theirs = w.item();
            assertThat(theirs.get()).isSameAs(a);
            lease.close();
            assertThat(pool.free()).isZero();
            theirs.close();
            assertThat(pool.free()).isEqualTo(1);
        }
    }

    // ------------------------------------------------------------------ close

    @Nested
    class Close {

        @Test
        void closeDisposesIdleItems() throws Exception {
            List<Res> disposed = new CopyOnWriteArrayList<>();
            ResourcePool<Res> pool = pool(new Factory(), 2, 4, Order.QUEUE, disposed);
            Res out = pool.get();
            Res c = pool.get();
            Res d = pool.get(); // created
            pool.put(c);
            pool.put(d);
            assertThat(pool.idle()).isEqualTo(2);

            pool.close();
            assertThat(pool.isClosed()).isTrue();
            assertThat(disposed).containsExactlyInAnyOrder(c, d);
            assertThat(pool.idle()).isZero();
            assertThat(pool.size()).isEqualTo(1); // the checked-out one is still usable
            assertThat(pool.stats().disposedCount()).isEqualTo(2);

            pool.put(out); // later put disposes
            assertThat(disposed).hasSize(3).contains(out);
            assertThat(pool.size()).isZero();
            assertThat(pool.idle()).isZero();
        }

        @Test
        void closeWakesEveryWaiterWithIllegalStateException() throws Exception {
            ResourcePool<Res> pool = track(ResourcePool.builder(new Factory()).maxSize(1).name("closing").build());
            Res a = pool.get();
            List<Borrower<Res>> waiters = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                waiters.add(startQueuedBorrower(pool, i));
            }
            Borrower<Res> timed = startBorrower(() -> pool.get(Duration.ofMinutes(5)));
            awaitQueued(pool, timed.thread(), 4);

            pool.close();
            for (Borrower<Res> w : waiters) {
                assertThat(w.failure()).isInstanceOf(IllegalStateException.class).hasMessageContaining("closing");
            }
            assertThat(timed.failure()).isInstanceOf(IllegalStateException.class).hasMessageContaining("closing");
            awaitWaiting(pool, 0);
            pool.put(a);
            assertThat(pool.size()).isZero();
        }

        @Test
        void everyBorrowAfterCloseThrows() {
            ResourcePool<Res> pool = pool(new Factory(), 1, 2, Order.QUEUE);
            pool.close();
            assertThatThrownBy(pool::get).isInstanceOf(IllegalStateException.class).hasMessageContaining(pool.name());
            assertThatThrownBy(() -> pool.get(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> pool.get(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(pool::item).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> pool.item(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
            assertThat(pool.size()).isZero();
        }

        @Test
        void leaseClosedAfterPoolCloseDisposesTheItem() throws Exception {
            List<Res> disposed = new CopyOnWriteArrayList<>();
            ResourcePool<Res> pool = pool(new Factory(), 0, 2, Order.QUEUE, disposed);
            Lease<Res> lease = pool.item();
            Res a = lease.get();
            pool.close();
            assertThat(disposed).isEmpty();
            lease.close();
            assertThat(disposed).containsExactly(a);
            assertThat(pool.size()).isZero();
            lease.close();
            assertThat(disposed).containsExactly(a);
        }

        @Test
        void discardAfterCloseDisposes() throws Exception {
            List<Res> disposed = new CopyOnWriteArrayList<>();
            ResourcePool<Res> pool = pool(new Factory(), 0, 2, Order.QUEUE, disposed);
            Res a = pool.get();
            pool.close();
            pool.discard(a);
            assertThat(disposed).containsExactly(a);
            assertThat(pool.size()).isZero();
        }

        @Test
        void secondCloseDoesNothing() throws Exception {
            List<Res> disposed = new CopyOnWriteArrayList<>();
            ResourcePool<Res> pool = pool(new Factory(), 2, 2, Order.QUEUE, disposed);
            pool.close();
            pool.close();
            assertThat(disposed).hasSize(2);
            assertThat(pool.stats().disposedCount()).isEqualTo(2);
        }
    }

    // ------------------------------------------------------------------ arguments

    @Nested
    class BadArguments {

        @Test
        void negativeMinSize() {
            assertThatThrownBy(() -> new ResourcePool<>(-1, 4, Order.QUEUE, new Factory()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
            assertThatThrownBy(() -> ResourcePool.builder(new Factory()).minSize(-3).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-3");
            assertThatThrownBy(() -> new IntPool(-5, 4))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-5");
        }

        @Test
        void negativeMaxSize() {
            assertThatThrownBy(() -> new ResourcePool<>(0, -2, Order.QUEUE, new Factory()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-2");
            assertThatThrownBy(() -> ResourcePool.builder(new Factory()).maxSize(-7).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-7");
            assertThatThrownBy(() -> new TokenPool(-4))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-4");
        }

        @Test
        void minAboveMax() {
            assertThatThrownBy(() -> new ResourcePool<>(5, 2, Order.QUEUE, new Factory()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("5").hasMessageContaining("2");
            assertThatThrownBy(() -> new TokenPool(3, 1, Order.STACK))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("3").hasMessageContaining("1");
        }

        @Test
        void nullSupplierAndNullOrder() {
            assertThatThrownBy(() -> new ResourcePool<Res>(null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("create");
            assertThatThrownBy(() -> new ResourcePool<Res>(0, 4, Order.QUEUE, null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("create");
            assertThatThrownBy(() -> ResourcePool.builder(null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("create");
            assertThatThrownBy(() -> new ResourcePool<>(0, 4, null, new Factory()))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("order");
            assertThatThrownBy(() -> ResourcePool.builder(new Factory()).order(null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("order");
        }

        @Test
        void constructorArgumentErrorsMakeNothing() {
            Factory factory = new Factory();
            assertThatThrownBy(() -> new ResourcePool<>(3, 2, Order.QUEUE, factory))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(factory.created()).isZero();
        }

        @Test
        void nullAndNegativeTimeoutsAndThePoolStillWorks() throws Exception {
            ResourcePool<Res> pool = pool(new Factory(), 0, 2, Order.QUEUE);
            assertThatThrownBy(() -> pool.get(null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("timeout");
            assertThatThrownBy(() -> pool.item(null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("timeout");
            Duration negative = Duration.ofMillis(-1);
            assertThatThrownBy(() -> pool.get(negative))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(negative.toString());
            assertThatThrownBy(() -> pool.item(negative))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(negative.toString());
            assertThat(pool.size()).isZero();
            assertThat(pool.free()).isEqualTo(2);
            assertThat(pool.waiting()).isZero();
            assertThat(pool.stats().timeoutCount()).isZero();

            Res a = pool.get(Duration.ofSeconds(1));
            pool.put(a);
            assertThat(pool.free()).isEqualTo(2);
        }

        @Test
        void resizeBelowZeroOrBelowMinSizeAndThePoolStillWorks() throws Exception {
            ResourcePool<Res> pool = pool(new Factory(), 2, 4, Order.QUEUE);
            assertThatThrownBy(() -> pool.resize(-1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
            assertThatThrownBy(() -> pool.resize(1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1").hasMessageContaining("minSize 2");
            assertThat(pool.maxSize()).isEqualTo(4);
            assertThat(pool.size()).isEqualTo(2);
            assertThat(pool.free()).isEqualTo(4);

            pool.resize(2); // equal to minSize is fine
            assertThat(pool.maxSize()).isEqualTo(2);
            Res a = pool.get();
            Res b = pool.get();
            assertThat(pool.free()).isZero();
            pool.put(a);
            pool.put(b);
            assertThat(pool.free()).isEqualTo(2);
        }
    }

    // ------------------------------------------------------------------ stats

    @Nested
    class StatsCounters {

        @Test
        void countersMoveAsExpected() throws Exception {
            Factory factory = new Factory();
            ResourcePool<Res> pool = track(ResourcePool.builder(factory).minSize(1).maxSize(2)
                    .validate(r -> !r.broken).build());
            ResourcePool.Stats s = pool.stats();
            assertThat(s.createdCount()).isEqualTo(1);
            assertThat(s.disposedCount()).isZero();
            assertThat(s.borrowCount()).isZero();
            assertThat(s.timeoutCount()).isZero();
            assertThat(s.totalWaitNanos()).isZero();
            assertThat(s.maxWaitNanos()).isZero();

            Res a = pool.get();
            Res b = pool.get();
            s = pool.stats();
            assertThat(s.createdCount()).isEqualTo(2);
            assertThat(s.borrowCount()).isEqualTo(2);
            assertThat(s.totalWaitNanos()).as("nobody waited").isZero();

            assertThatThrownBy(() -> pool.get(Duration.ofMillis(10))).isInstanceOf(TimeoutException.class);
            s = pool.stats();
            assertThat(s.timeoutCount()).isEqualTo(1);
            assertThat(s.borrowCount()).isEqualTo(2);
            assertThat(s.totalWaitNanos()).isGreaterThan(0);
            assertThat(s.maxWaitNanos()).isGreaterThan(0).isLessThanOrEqualTo(s.totalWaitNanos());
            long waitedSoFar = s.totalWaitNanos();

            Borrower<Res> w = startQueuedBorrower(pool, 1);
            pool.put(a);
            assertThat(w.item()).isSameAs(a);
            s = pool.stats();
            assertThat(s.borrowCount()).isEqualTo(3);
            assertThat(s.totalWaitNanos()).isGreaterThan(waitedSoFar);
            assertThat(s.maxWaitNanos()).isLessThanOrEqualTo(s.totalWaitNanos());

            pool.discard(b);
            assertThat(pool.stats().disposedCount()).isEqualTo(1);

            a.broken = true;
            pool.put(a);
            Res c = pool.get(); // a fails validation: disposed, replaced
            s = pool.stats();
            assertThat(s.disposedCount()).isEqualTo(2);
            assertThat(s.createdCount()).isEqualTo(3);
            assertThat(s.borrowCount()).isEqualTo(4);
            assertThat(s.createdCount() - s.disposedCount()).isEqualTo(pool.size());

            pool.put(c);
            pool.close();
            s = pool.stats();
            assertThat(s.disposedCount()).isEqualTo(3);
            assertThat(s.createdCount() - s.disposedCount()).isZero();
            assertThat(factory.created()).isEqualTo(3);
        }
    }

    // ------------------------------------------------------------------ TokenPool

    @Nested
    class Tokens {

        @Test
        void tokenPoolLimitsCallers() throws Exception {
            TokenPool tokens = track(new TokenPool(2));
            assertThat(tokens.maxSize()).isEqualTo(2);
            assertThat(tokens.minSize()).isZero();
            assertThat(tokens.order()).isEqualTo(Order.QUEUE);
            assertThat(tokens.size()).isZero();
            assertThat(tokens.free()).isEqualTo(2);

            Token t1 = tokens.get();
            Token t2 = tokens.get();
            assertThat(t1).isNotNull().isNotSameAs(t2);
            assertThat(tokens.free()).isZero();
            assertThatThrownBy(() -> tokens.get(Duration.ZERO)).isInstanceOf(TimeoutException.class);

            Borrower<Token> w = startQueuedBorrower(tokens, 1);
            tokens.put(t1);
            assertThat(w.item()).isSameAs(t1);

            tokens.resize(3);
            Token t3 = tokens.get(Duration.ZERO);
            assertThat(t3).isNotIn(t1, t2);
            assertThatThrownBy(() -> tokens.put(new Token())).isInstanceOf(IllegalArgumentException.class);
            tokens.put(t1);
            tokens.put(t2);
            tokens.put(t3);
            assertThat(tokens.free()).isEqualTo(3);
            assertThat(tokens.size()).isEqualTo(3);
        }

        @Test
        void tokenPoolMakesItsMinimumAtOnce() throws Exception {
            TokenPool tokens = track(new TokenPool(2, 3, Order.STACK));
            assertThat(tokens.idle()).isEqualTo(2);
            assertThat(tokens.stats().createdCount()).isEqualTo(2);
            assertThat(tokens.order()).isEqualTo(Order.STACK);
            Token a = tokens.get();
            Token b = tokens.get();
            tokens.put(a);
            tokens.put(b);
            assertThat(tokens.get()).isSameAs(b);
        }

        @Test
        void tokenPoolSubclassMakesItsMinimumOnFirstUse() {
            AtomicInteger made = new AtomicInteger();
            TokenPool tokens = track(new TokenPool(2, 4, Order.QUEUE) {
                @Override
                protected Token create() {
                    made.incrementAndGet();
                    return super.create();
                }
            });
            assertThat(tokens.size()).isEqualTo(2);
            assertThat(made.get()).isEqualTo(2);
        }

        @Test
        void tokenLeasesAndClose() throws Exception {
            TokenPool tokens = track(new TokenPool(1));
            try (Lease<Token> permit = tokens.item(Duration.ofSeconds(5))) {
                assertThat(permit.get()).isNotNull();
                assertThatThrownBy(() -> tokens.item(Duration.ZERO)).isInstanceOf(TimeoutException.class);
            }
            assertThat(tokens.free()).isEqualTo(1);
            Borrower<Token> w = startBorrower(tokens); // the single token is idle: served at once
            assertThat(w.item()).isNotNull();
            Borrower<Token> blocked = startQueuedBorrower(tokens, 1);
            tokens.close();
            assertThat(blocked.failure()).isInstanceOf(IllegalStateException.class);
            tokens.put(w.item());
            assertThat(tokens.size()).isZero();
        }
    }
}
