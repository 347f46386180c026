package dev.tidepool.core;

import static dev.tidepool.core.GreenTestSupport.LONG;
import static dev.tidepool.core.GreenTestSupport.awaitLatch;
import static dev.tidepool.core.GreenTestSupport.background;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tidepool.core.GreenTestSupport.Background;
import dev.tidepool.core.GreenTestSupport.LogCapture;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * eventlet's Stress class (spawn_order_check, imap_memory_check) scaled up, and a check that
 * resizing under load never lets more tasks run than the pool allows.
 */
class GreenPoolStressTest {

    /** A token (producer, sequence number) that may fail, as eventlet's StressException. */
    static final class StressException extends Exception {
        final int[] token;

        StressException(int[] token) {
            super("stress " + token[0] + "/" + token[1]);
            this.token = token;
        }
    }

    /** eventlet's pressure(): a few random pauses (work, not synchronisation), then maybe fail. */
    static int[] pressure(int[] token) throws StressException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (random.nextBoolean()) {
            LockSupport.parkNanos(random.nextLong(100_000));
        }
        if (random.nextInt(10) < 8) {
            return token;
        }
        throw new StressException(token);
    }

    @ParameterizedTest(name = "pile of {0}")
    @ValueSource(ints = {5, 50})
    @Timeout(60)
    void threeProducersIntoOnePileKeepTheirOrder(int concurrency) throws Exception {
        // eventlet spawn_order_check: a pile is strictly ordered per producer, failures included
        long start = System.nanoTime();
        GreenPile<int[]> pile = new GreenPile<>(concurrency);
        int iters = 1000;
        List<Background<Object>> producers = new ArrayList<>();
        for (int unique = 1; unique <= 3; unique++) {
            int u = unique;
            producers.add(background("producer-" + u, () -> {
                for (int i = 0; i < iters; i++) {
                    int[] token = {u, i};
                    pile.spawn(() -> pressure(token));
                }
                return null;
            }));
        }
        pile.spawn(() -> pressure(new int[] {0, 0}));

        int[] latest = {-1, -1, -1, -1};
        int received = 0;
        int failures = 0;
        while (received < 3 * iters + 1) {
            if (!pile.hasNext()) {
                Thread.yield(); // the producers have not caught up: look again
                continue;
            }
            int[] token;
            try {
                token = pile.next();
            } catch (CompletionException e) {
                token = ((StressException) e.getCause()).token;
                failures++;
            }
            received++;
            assertThat(token[1]).as("producer %d out of order", token[0]).isGreaterThan(latest[token[0]]);
            latest[token[0]] = token[1];
        }
        for (Background<Object> producer : producers) {
            producer.get();
        }
        assertThat(latest).containsExactly(0, iters - 1, iters - 1, iters - 1);
        assertThat(failures).isPositive();
        assertThat(pile.hasNext()).isFalse();
        assertThat(pile.pool().join(LONG)).isTrue();
        System.out.printf("[stress] pile of %d: %d results (%d failures) in %d ms%n", concurrency, received,
                failures, (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    @Timeout(120)
    void imapOfAMillionItemsKeepsMemoryFlat() throws Exception {
        // eventlet imap_memory_check, with a million lazily made items through a pool of 100
        int poolSize = 100;
        int count = 1_000_000;
        GreenPool pool = new GreenPool(poolSize);
        AtomicLong pulled = new AtomicLong();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        Iterable<Integer> lazy = () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public Integer next() {
                if (next >= count) {
                    throw new NoSuchElementException();
                }
                pulled.incrementAndGet();
                return next++;
            }
        };

        System.gc();
        long baseline = usedHeap();
        long maxUsedAfterGc = baseline;
        long maxInFlight = 0;
        long start = System.nanoTime();
        long read = 0;
        try (MapIterator<Integer> it = pool.imap(x -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                return x;
            } finally {
                running.decrementAndGet();
            }
        }, lazy)) {
            int latest = -1;
            while (it.hasNext()) {
                int x = it.next();
                read++;
                if (x != latest + 1) {
                    throw new AssertionError("out of order: " + x + " after " + latest);
                }
                latest = x;
                long inFlight = pulled.get() - read; // taken from the input and not yet read back
                if (inFlight > maxInFlight) {
                    maxInFlight = inFlight;
                }
                if (read % 100_000 == 0) {
                    System.gc();
                    maxUsedAfterGc = Math.max(maxUsedAfterGc, usedHeap());
                }
            }
            assertThat(latest).isEqualTo(count - 1);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        long growthMb = (maxUsedAfterGc - baseline) / (1024 * 1024);
        System.out.printf("[stress] imap of %,d items through a pool of %d: %d ms, max in flight %d, "
                + "max running %d, heap growth after GC %d MB%n", count, poolSize, millis, maxInFlight,
                maxRunning.get(), growthMb);
        assertThat(read).isEqualTo(count);
        assertThat(maxInFlight).as("items running or unread").isLessThanOrEqualTo(2L * poolSize);
        assertThat(maxRunning.get()).isLessThanOrEqualTo(poolSize);
        assertThat(growthMb).as("heap growth over baseline, MB").isLessThan(64);
        assertThat(pool.join(LONG)).isTrue();
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    @Test
    @Timeout(120)
    void runningNeverExceedsTheSizeWhileSpawnersRaceAResizer() throws Exception {
        int[] sizes = {16, 4, 32, 8, 1, 24, 2};
        int maxSize = 32;
        GreenPool pool = new GreenPool(sizes[0]);
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        AtomicInteger maxRunningSeen = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        AtomicBoolean spawning = new AtomicBoolean(true);
        long start = System.nanoTime();

        AtomicInteger resizeCount = new AtomicInteger();
        Background<Integer> resizer = background("resizer", () -> {
            while (spawning.get()) {
                pool.resize(sizes[resizeCount.getAndIncrement() % sizes.length]);
                maxRunningSeen.accumulateAndGet(pool.running(), Math::max);
                Thread.yield();
            }
            return resizeCount.get();
        });
        int spawners = 10;
        int perSpawner = 1000;
        CountDownLatch go = new CountDownLatch(1);
        List<Background<Object>> threads = new ArrayList<>();
        for (int s = 0; s < spawners; s++) {
            threads.add(background("spawner-" + s, () -> {
                awaitLatch(go);
                for (int i = 0; i < perSpawner; i++) {
                    if (i % 10 == 0) {
                        // let the resizer move on between batches, so spawns and resizes interleave
                        int seen = resizeCount.get();
                        while (resizeCount.get() == seen && spawning.get()) {
                            Thread.yield();
                        }
                    }
                    pool.spawnN(() -> {
                        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                        maxRunningSeen.accumulateAndGet(pool.running(), Math::max);
                        if (ThreadLocalRandom.current().nextInt(4) == 0) {
                            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(50_000));
                        }
                        concurrent.decrementAndGet();
                        ran.incrementAndGet();
                    });
                }
                return null;
            }));
        }
        go.countDown();
        for (Background<Object> thread : threads) {
            thread.get();
        }
        spawning.set(false);
        int resizes = resizer.get();
        assertThat(resizes).as("resizes interleaved with the spawns").isGreaterThanOrEqualTo(perSpawner / 10);
        pool.resize(3);
        pool.waitAll();
        assertThat(ran.get()).isEqualTo(spawners * perSpawner);
        assertThat(maxConcurrent.get()).isLessThanOrEqualTo(maxSize);
        assertThat(maxRunningSeen.get()).isLessThanOrEqualTo(maxSize);
        assertThat(pool.running()).isZero();
        assertThat(pool.waiting()).isZero();
        assertThat(pool.free()).isEqualTo(3);

        int maxConcurrentWhileResizing = maxConcurrent.get();
        // steady size after all that resizing: never more than 3 at once
        concurrent.set(0);
        maxConcurrent.set(0);
        CountDownLatch go2 = new CountDownLatch(1);
        List<Background<Object>> second = new ArrayList<>();
        for (int s = 0; s < spawners; s++) {
            second.add(background("steady-" + s, () -> {
                awaitLatch(go2);
                for (int i = 0; i < 200; i++) {
                    pool.spawnN(() -> {
                        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                        int seen = pool.running();
                        if (seen > pool.size()) {
                            maxRunningSeen.set(Integer.MAX_VALUE); // fails below
                        }
                        Thread.yield();
                        concurrent.decrementAndGet();
                    });
                }
                return null;
            }));
        }
        go2.countDown();
        for (Background<Object> thread : second) {
            thread.get();
        }
        pool.waitAll();
        assertThat(maxConcurrent.get()).isLessThanOrEqualTo(3);
        assertThat(maxRunningSeen.get()).isLessThanOrEqualTo(maxSize);
        assertThat(pool.free()).isEqualTo(3);
        System.out.printf("[stress] %,d spawns from %d threads racing %,d resizes, then %,d at size 3: %d ms, "
                + "max concurrent %d while resizing (bound %d), %d at size 3%n", spawners * perSpawner, spawners, resizes,
                spawners * 200, (System.nanoTime() - start) / 1_000_000, maxConcurrentWhileResizing, maxSize,
                maxConcurrent.get());
    }

    @Test
    @Timeout(60)
    void concurrentSpawnersDiscardsAndWaitAllKeepTheCountsExact() throws Exception {
        // The group tracks tasks in a lazily swept list and derives running() and
        // completedCount() from it: racing spawners, ends, discards and sweeps must not lose a task.
        GreenPool pool = new GreenPool(8);
        LogCapture log = new LogCapture(GreenPool.class.getName()); // spawnN failures are logged
        int producers = 4;
        int perProducer = 5_000;
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger discarded = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Background<Object>> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            threads.add(background("producer-" + p, () -> {
                awaitLatch(go);
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < perProducer; i++) {
                    int kind = random.nextInt(20);
                    if (kind == 0) {
                        pool.spawnN(() -> {
                            failures.incrementAndGet();
                            throw new IllegalStateException("expected in this test");
                        });
                    } else if (kind == 1) {
                        GreenThread<Object> t = pool.spawn(() -> {
                            LockSupport.parkNanos(20_000);
                            return null;
                        });
                        if (pool.discard(t)) {
                            discarded.incrementAndGet();
                        }
                    } else {
                        pool.spawnN(() -> LockSupport.parkNanos(random.nextInt(3) * 1_000L));
                    }
                    if (i % 1000 == 0) {
                        assertThat(pool.running()).isBetween(0, 8 + producers);
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Background<Object> thread : threads) {
            thread.get();
        }
        pool.waitAll();
        assertThat(pool.running()).isZero();
        assertThat(pool.free()).isEqualTo(8);
        assertThat(pool.spawnedCount()).isEqualTo(producers * perProducer);
        assertThat(pool.completedCount()).isEqualTo(producers * perProducer - discarded.get());
        assertThat(pool.failedCount()).isEqualTo(failures.get());
        assertThat(pool.trackedThreads()).isEmpty();
        log.close();
        assertThat(log.records).hasSize(failures.get());
    }
}
