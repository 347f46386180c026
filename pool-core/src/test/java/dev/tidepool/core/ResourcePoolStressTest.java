package dev.tidepool.core;

import static java.util.concurrent.TimeUnit.SECONDS;
import static dev.tidepool.core.ResourcePoolTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 1,000 virtual threads borrow and return items from a pool of 8 while another thread resizes it
 * between 1 and 16, an interrupter interrupts random borrowers, some borrowers use short or zero
 * timeouts and a few discard their item. Checks, during the run, that no item is ever held by two
 * borrowers at once and that no more than 16 (the largest maxSize ever set) are out at once; and
 * afterwards that no item was lost, duplicated or leaked.
 *
 * <p>Run in each {@link Fairness} mode: {@code STRICT}, {@code BOUNDED(1ms)} (borrowers hold for
 * at most 50 µs, so waiters become overdue and barging stops and starts all the time), and
 * switching between them (and between bounds) every fraction of a millisecond. With failing
 * callbacks on, {@code create()} throws now and then (the borrower sees it), and {@code validate()}
 * now and then fails or throws (the item is disposed and replaced).
 *
 * <p>Nothing here is timed: helper threads pace themselves with tiny parks, and the only waits are
 * latches with generous bounds.
 */
class ResourcePoolStressTest {
    static final int BORROWERS = 1_000;
    static final int ROUNDS = 60;
    static final int START_MAX = 8;
    static final int LARGEST_MAX = 16;

    /** A pooled item; {@code held} is set by whoever holds it, so a double hand-out shows. */
    static final class Item {
        final int id;
        final AtomicBoolean held = new AtomicBoolean();

        Item(int id) {
            this.id = id;
        }

        @Override
        public String toString() {
            return "item-" + id;
        }
    }

    /** How the pool serves waiters during a run. */
    enum Mode {
        STRICT, BOUNDED, SWITCHING;

        Fairness initial() {
            return this == STRICT ? Fairness.STRICT : Fairness.bounded(Duration.ofMillis(1));
        }
    }

    /** What a switching run cycles through. */
    static final List<Fairness> SWITCHES = List.of(Fairness.STRICT, Fairness.bounded(Duration.ofMillis(1)),
            Fairness.bounded(Duration.ofNanos(200_000)), Fairness.STRICT, Fairness.bounded(Duration.ofMillis(5)));

    static Stream<Arguments> runs() {
        return Stream.of(Order.values()).flatMap(order -> Stream.of(
                Arguments.of(order, Mode.STRICT, false),
                Arguments.of(order, Mode.STRICT, true),
                Arguments.of(order, Mode.BOUNDED, true),
                Arguments.of(order, Mode.SWITCHING, true)));
    }

    @ParameterizedTest(name = "{0}, {1}, failing callbacks: {2}")
    @MethodSource("runs")
    @Timeout(120)
    void thousandBorrowersWithResizesInterruptsAndTimeouts(Order order, Mode fairness, boolean failingCallbacks)
            throws Exception {
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicInteger ids = new AtomicInteger();
        Set<Item> created = ConcurrentHashMap.newKeySet();
        Set<Item> disposed = ConcurrentHashMap.newKeySet();
        AtomicBoolean failing = new AtomicBoolean(failingCallbacks);
        LongAdder createFailures = new LongAdder();
        LongAdder validateFailures = new LongAdder();

        ResourcePool<Item> pool = ResourcePool.<Item>builder(() -> {
                    if (failing.get() && ThreadLocalRandom.current().nextInt(40) == 0) {
                        throw new CreateFailed();
                    }
                    Item item = new Item(ids.incrementAndGet());
                    created.add(item);
                    return item;
                })
                .maxSize(START_MAX)
                .order(order)
                .fairness(fairness.initial())
                .validate(item -> {
                    if (!failing.get()) {
                        return true;
                    }
                    int roll = ThreadLocalRandom.current().nextInt(80);
                    if (roll == 0) {
                        validateFailures.increment();
                        throw new IllegalStateException("validate failed on purpose");
                    }
                    if (roll < 3) {
                        validateFailures.increment();
                        return false;
                    }
                    return true;
                })
                .dispose(item -> {
                    if (!disposed.add(item)) {
                        errors.add("disposed twice: " + item);
                    }
                    if (item.held.get()) {
                        errors.add("disposed while held: " + item);
                    }
                })
                .name("stress-" + order + "-" + fairness)
                .build();
        // validate() throwing is logged once per throw; keep hundreds of stack traces out of the build log.
        java.util.logging.Logger poolLog = java.util.logging.Logger.getLogger(ResourcePool.class.getName());
        java.util.logging.Level logLevel = poolLog.getLevel();
        poolLog.setLevel(java.util.logging.Level.OFF);
        int startFree = pool.free();
        assertThat(startFree).isEqualTo(START_MAX);

        AtomicInteger out = new AtomicInteger();
        AtomicInteger maxOut = new AtomicInteger();
        LongAdder borrows = new LongAdder();
        LongAdder timeouts = new LongAdder();
        LongAdder interrupts = new LongAdder();
        LongAdder discards = new LongAdder();
        LongAdder resizes = new LongAdder();
        AtomicLong samples = new AtomicLong();

        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch borrowersDone = new CountDownLatch(BORROWERS);
        AtomicBoolean stop = new AtomicBoolean();

        Thread[] borrowers = new Thread[BORROWERS];
        for (int n = 0; n < BORROWERS; n++) {
            borrowers[n] = Thread.ofVirtual().name("borrower-" + n).unstarted(() -> {
                try {
                    awaitIgnoringInterrupts(go);
                    for (int round = 0; round < ROUNDS; round++) {
                        ThreadLocalRandom r = ThreadLocalRandom.current();
                        int mode = r.nextInt(10);
                        try {
                            Item item;
                            Lease<Item> lease = null;
                            switch (mode) {
                                case 0, 1, 2 -> item = pool.get();
                                case 3 -> item = pool.get(Duration.ofNanos(r.nextLong(1, 2_000_000)));
                                case 4 -> item = pool.get(Duration.ZERO);
                                case 5, 6, 7 -> {
                                    lease = pool.item();
                                    item = lease.get();
                                }
                                default -> {
                                    lease = pool.item(Duration.ofNanos(r.nextLong(1, 2_000_000)));
                                    item = lease.get();
                                }
                            }
                            borrows.increment();
                            if (!item.held.compareAndSet(false, true)) {
                                errors.add("handed out while held by another borrower: " + item);
                            }
                            if (disposed.contains(item)) {
                                errors.add("handed out after it was disposed: " + item);
                            }
                            int nowOut = out.incrementAndGet();
                            maxOut.accumulateAndGet(nowOut, Math::max);
                            try {
                                // "work" while holding: a tiny park or a yield
                                if (r.nextBoolean()) {
                                    LockSupport.parkNanos(r.nextLong(1_000, 50_000));
                                } else {
                                    Thread.yield();
                                }
                            } finally {
                                out.decrementAndGet();
                                if (!item.held.compareAndSet(true, false)) {
                                    errors.add("held flag lost while holding: " + item);
                                }
                                if (lease != null) {
                                    lease.close();
                                    if (r.nextInt(8) == 0) {
                                        lease.close(); // a second close must do nothing
                                    }
                                } else if (r.nextInt(50) == 0) {
                                    pool.discard(item);
                                    discards.increment();
                                } else {
                                    pool.put(item);
                                }
                            }
                        } catch (InterruptedException e) {
                            interrupts.increment();
                        } catch (TimeoutException e) {
                            timeouts.increment();
                        } catch (CreateFailed e) {
                            createFailures.increment();
                        }
                    }
                } catch (Throwable t) {
                    errors.add(Thread.currentThread().getName() + " failed: " + t);
                } finally {
                    Thread.interrupted(); // an interrupt may land after the last get
                    borrowersDone.countDown();
                }
            });
        }

        Thread resizer = Thread.ofPlatform().name("resizer").start(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            while (!stop.get()) {
                pool.resize(r.nextInt(1, LARGEST_MAX + 1));
                resizes.increment();
                LockSupport.parkNanos(r.nextLong(50_000, 1_000_000));
            }
        });
        LongAdder switches = new LongAdder();
        Thread switcher = Thread.ofPlatform().name("switcher").start(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            for (int i = 0; fairness == Mode.SWITCHING && !stop.get(); i++) {
                pool.setFairness(SWITCHES.get(i % SWITCHES.size()));
                switches.increment();
                LockSupport.parkNanos(r.nextLong(50_000, 1_000_000));
            }
        });
        Thread interrupter = Thread.ofPlatform().name("interrupter").start(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            while (!stop.get()) {
                borrowers[r.nextInt(BORROWERS)].interrupt();
                LockSupport.parkNanos(r.nextLong(100_000, 1_000_000));
            }
        });
        Thread sampler = Thread.ofPlatform().name("sampler").start(() -> {
            while (!stop.get()) {
                int nowOut = out.get();
                if (nowOut > LARGEST_MAX) {
                    errors.add("sampler: " + nowOut + " items out at once, more than " + LARGEST_MAX);
                }
                int size = pool.size();
                if (size > LARGEST_MAX) {
                    errors.add("sampler: size() " + size + " above the largest maxSize " + LARGEST_MAX);
                }
                int waiting = pool.waiting();
                if (waiting < 0 || waiting > BORROWERS) {
                    errors.add("sampler: waiting() " + waiting);
                }
                samples.incrementAndGet();
                LockSupport.parkNanos(20_000);
            }
        });

        long startNanos = System.nanoTime();
        for (Thread t : borrowers) {
            t.start();
        }
        go.countDown();
        boolean finished = borrowersDone.await(60, SECONDS);
        stop.set(true);
        resizer.join(SECONDS.toMillis(30));
        switcher.join(SECONDS.toMillis(30));
        interrupter.join(SECONDS.toMillis(30));
        sampler.join(SECONDS.toMillis(30));
        long tookMillis = (System.nanoTime() - startNanos) / 1_000_000;
        System.out.printf("stress %s %s%s: %d ms, %d borrows, %d timeouts, %d interrupts, %d discards, %d resizes,"
                        + " %d fairness switches, %d create / %d validate failures, max out %d, created %d,"
                        + " disposed %d, samples %d%n",
                order, fairness, failingCallbacks ? " failing callbacks" : "", tookMillis, borrows.sum(), timeouts.sum(),
                interrupts.sum(), discards.sum(), resizes.sum(), switches.sum(), createFailures.sum(),
                validateFailures.sum(), maxOut.get(), created.size(), disposed.size(), samples.get());
        failing.set(false); // the checks below borrow too
        poolLog.setLevel(logLevel);
        if (!finished) {
            String state = pool.toString();
            pool.close(); // release the stuck borrowers
            throw new AssertionError("borrowers did not finish (lost wake-up?): " + borrowersDone.getCount()
                    + " still running; " + state);
        }
        for (Thread t : borrowers) {
            t.join(SECONDS.toMillis(30));
        }

        assertThat(errors).isEmpty();
        assertThat(resizer.isAlive() || switcher.isAlive() || interrupter.isAlive() || sampler.isAlive()).isFalse();

        // the run really exercised what it claims to
        assertThat(resizes.sum()).isPositive();
        assertThat(interrupts.sum()).as("interrupted borrows").isPositive();
        assertThat(timeouts.sum()).as("timed-out borrows").isPositive();
        assertThat(borrows.sum()).isGreaterThan(BORROWERS);
        if (failingCallbacks) {
            assertThat(createFailures.sum()).as("create() failures").isPositive();
            assertThat(validateFailures.sum()).as("validate() failures").isPositive();
        }
        if (fairness == Mode.SWITCHING) {
            assertThat(switches.sum()).as("fairness switches").isPositive();
        }

        // during the run
        assertThat(maxOut.get()).isBetween(1, LARGEST_MAX);
        assertThat(out.get()).isZero();

        // afterwards: everything is back, nothing lost or duplicated
        pool.resize(START_MAX);
        pool.setFairness(Fairness.STRICT); // hands out nothing: nobody waits
        assertThat(pool.waiting()).isZero();
        assertThat(pool.maxSize()).isEqualTo(START_MAX);
        assertThat(pool.size()).isLessThanOrEqualTo(pool.maxSize());
        assertThat(pool.idle()).as("every item returned").isEqualTo(pool.size());
        assertThat(pool.free()).isEqualTo(startFree);
        assertThat(created.size() - disposed.size()).isEqualTo(pool.size());
        assertThat(created).containsAll(disposed);

        ResourcePool.Stats stats = pool.stats();
        assertThat(stats.createdCount()).isEqualTo(created.size());
        assertThat(stats.disposedCount()).isEqualTo(disposed.size());
        assertThat(stats.borrowCount()).isEqualTo(borrows.sum());
        assertThat(stats.timeoutCount()).isEqualTo(timeouts.sum());

        // the idle items are exactly the live ones, each once
        int size = pool.size();
        int createdBefore = created.size();
        List<Item> drained = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            drained.add(pool.get(Duration.ZERO));
        }
        assertThat(created.size()).as("draining creates nothing").isEqualTo(createdBefore);
        assertThat(drained).doesNotHaveDuplicates().doesNotContainAnyElementsOf(disposed);
        Set<Item> live = ConcurrentHashMap.newKeySet();
        live.addAll(created);
        live.removeAll(disposed);
        assertThat(drained).containsExactlyInAnyOrderElementsOf(live);
        assertThat(drained).allSatisfy(item -> assertThat(item.held).isFalse());
        drained.forEach(pool::put);
        assertThat(pool.free()).isEqualTo(startFree);
        assertThat(pool.waiting()).isZero();

        pool.close();
        assertThat(disposed).containsExactlyInAnyOrderElementsOf(created);
        assertThat(pool.size()).isZero();
    }

    /**
     * Bounded barging starves nobody: 200 virtual threads loop claim, hold (a park of 20 to 100
     * µs), return, on 4 items under {@code BOUNDED(5ms)}, until every thread has been served 20
     * times. A pool that let returning threads take their items back without a bound would leave
     * most threads unserved for good, and this would time out. The longest single wait is checked
     * against a deliberately generous limit (2 s for a 5 ms bound): on a loaded machine a thread
     * can lose its processor for a while; the precise rule is proved step by step in
     * {@link ResourcePoolFairnessTest}, and the measured waits are in the benchmarks.
     */
    @ParameterizedTest
    @EnumSource(Order.class)
    @Timeout(120)
    void boundedBargingServesEveryThread(Order order) throws Exception {
        int threads = 200;
        int claimsEach = 20;
        ResourcePool<Item> pool = ResourcePool.<Item>builder(() -> new Item(0))
                .maxSize(4).order(order).fairness(Fairness.bounded(Duration.ofMillis(5))).build();
        AtomicLong longestWait = new AtomicLong();
        LongAdder claims = new LongAdder();
        CountDownLatch done = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        for (int t = 0; t < threads; t++) {
            Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    for (int i = 0; i < claimsEach; i++) {
                        long start = System.nanoTime();
                        Item item = pool.get();
                        longestWait.accumulateAndGet(System.nanoTime() - start, Math::max);
                        claims.increment();
                        LockSupport.parkNanos(r.nextLong(20_000, 100_000));
                        pool.put(item);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    done.countDown();
                }
            });
        }
        go.countDown();
        boolean finished = done.await(90, SECONDS);
        System.out.printf("bounded %s: %d claims, longest wait %.1f ms%n", order, claims.sum(),
                longestWait.get() / 1e6);
        if (!finished) {
            pool.close();
        }
        assertThat(finished).as("every thread served %d times (starved: %d threads left)", claimsEach,
                done.getCount()).isTrue();
        assertThat(failures).isEmpty();
        assertThat(claims.sum()).isEqualTo((long) threads * claimsEach);
        assertThat(longestWait.get()).as("longest wait, ns").isLessThan(SECONDS.toNanos(2));
        assertThat(pool.size()).isLessThanOrEqualTo(4);
        await().untilAsserted(() -> assertThat(pool.idle()).isEqualTo(pool.size()));
        assertThat(pool.waiting()).isZero();
        pool.close();
    }

    /** What {@code create()} throws on purpose. */
    static final class CreateFailed extends RuntimeException {
        CreateFailed() {
            super("create failed on purpose", null, false, false);
        }
    }

    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
