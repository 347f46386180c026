package dev.tidepool.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Races of the counting join (a join compares resolved pushes with the head's push count and is
 * woken by the end that makes them equal) and of the merged outcome/listener field.
 */
class GreenPoolRaceTest {

    @Test
    @Timeout(60)
    void waitAllNeverReturnsBeforeEveryTaskHasEndedAndNeverMissesItsWakeUp() throws Exception {
        // Many short rounds: a lost wake-up hangs a join (caught by its timeout), an early return
        // shows as a task not yet done or a slot not yet free.
        GreenPool pool = new GreenPool(4);
        for (int round = 0; round < 2_000; round++) {
            int n = 1 + round % 7;
            List<GreenThread<Integer>> threads = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int value = i;
                threads.add(pool.spawn(() -> {
                    if (ThreadLocalRandom.current().nextBoolean()) {
                        Thread.yield();
                    }
                    return value;
                }));
            }
            assertThat(pool.join(Duration.ofSeconds(10))).as("round %d", round).isTrue();
            for (int i = 0; i < n; i++) {
                assertThat(threads.get(i).isDone()).isTrue();
                assertThat(threads.get(i).join()).isEqualTo(i);
            }
            assertThat(pool.running()).isZero();
            assertThat(pool.free()).isEqualTo(4);
        }
        assertThat(pool.spawnedCount()).isEqualTo(pool.completedCount());
    }

    @Test
    @Timeout(60)
    void joinsRacingSpawnersThatTimeOutAndDiscardsEndWithTheGroupQuiet() throws Exception {
        // Pushes resolved by an end, a discard, or an abandoned (timed-out) spawn: a join waiting
        // meanwhile must be woken by whichever resolves last, and the counts must add up.
        GreenPool pool = new GreenPool(2);
        int producers = 3;
        int perProducer = 2_000;
        AtomicInteger started = new AtomicInteger();
        AtomicInteger discarded = new AtomicInteger();
        AtomicInteger abandoned = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < perProducer; i++) {
                        try {
                            GreenThread<Object> t = pool.spawn(() -> {
                                LockSupport.parkNanos(random.nextInt(3) * 10_000L);
                                return null;
                            }, Duration.ofNanos(random.nextInt(2) * 20_000L));
                            started.incrementAndGet();
                            if (random.nextInt(10) == 0 && pool.discard(t)) {
                                discarded.incrementAndGet();
                            }
                        } catch (PoolFullException e) {
                            abandoned.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        Thread joiner = Thread.ofVirtual().start(() -> {
            try {
                go.await();
                while (threads.stream().anyMatch(Thread::isAlive)) {
                    pool.join(Duration.ofMillis(1));
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        joiner.join();
        assertThat(pool.join(Duration.ofSeconds(10))).isTrue();
        assertThat(pool.running()).isZero();
        assertThat(pool.free()).isEqualTo(2);
        assertThat(started.get() + abandoned.get()).isEqualTo(producers * perProducer);
        assertThat(pool.spawnedCount()).isEqualTo(started.get());
        assertThat(pool.completedCount()).isEqualTo(started.get() - discarded.get());
        assertThat(pool.isQuiet()).isTrue();
    }

    @Test
    @Timeout(60)
    void linksAndWaitersRacingTheEndAreEachCalledOnce() throws Exception {
        // The outcome and the listener stack share one field: a link pushed at the instant the
        // task completes runs exactly once, either taken by the completion or run by its linker.
        TaskGroup group = new TaskGroup();
        int tasks = 5_000;
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch allLinked = new CountDownLatch(tasks);
        for (int i = 0; i < tasks; i++) {
            int value = i;
            GreenThread<Integer> t = group.spawn(() -> value);
            Thread.ofVirtual().start(() -> {
                t.link(done -> {
                    assertThat(done.join()).isEqualTo(value);
                    calls.incrementAndGet();
                });
                assertThat(t.join()).isEqualTo(value);
                allLinked.countDown();
            });
        }
        assertThat(allLinked.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(group.join(Duration.ofSeconds(10))).isTrue();
        assertThat(calls.get()).isEqualTo(tasks);
    }

    @Test
    @Timeout(60)
    void killsRacingTheEndOfSpawnNTasksLeaveNothingRunning() throws Exception {
        // spawnN tasks publish no outcome of their own; a kill racing their end must neither
        // hang kill() nor leave a task counted.
        GreenPool pool = new GreenPool(16);
        for (int round = 0; round < 200; round++) {
            for (int i = 0; i < 16; i++) {
                pool.spawnN(Thread::yield);
            }
            pool.kill();
            assertThat(pool.running()).isZero();
            assertThat(pool.free()).isEqualTo(16);
        }
        pool.waitAll();
        assertThat(pool.spawnedCount()).isEqualTo(200 * 16);
    }

    @Test
    @Timeout(60)
    void sweepsThatStopEarlyNeverCutOffAPendingTask() throws Exception {
        // A sweep stops once it has seen as many pending tasks as are unresolved and cuts off the
        // rest: long-lived tasks among thousands of short ones (some discarded, so resolved while
        // still running) must all stay reachable for running(), kill() and join.
        TaskGroup group = new TaskGroup();
        CountDownLatch release = new CountDownLatch(1);
        List<GreenThread<Object>> longLived = new ArrayList<>();
        int discarded = 0;
        for (int i = 0; i < 30_000; i++) {
            if (i % 97 == 0) {
                GreenThread<Object> t = group.spawn(() -> {
                    release.await();
                    return null;
                });
                if (i % 3 == 0 && group.discard(t)) {
                    discarded++;
                } else {
                    longLived.add(t);
                }
            } else {
                group.spawn(() -> null);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (group.running() != longLived.size() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(group.running()).isEqualTo(longLived.size());
        assertThat(group.trackedThreads()).containsExactlyInAnyOrderElementsOf(longLived);
        assertThat(group.join(Duration.ZERO)).isFalse();
        release.countDown();
        assertThat(group.join(Duration.ofSeconds(10))).isTrue();
        assertThat(group.running()).isZero();
        assertThat(group.completedCount()).isEqualTo(30_000 - discarded);
    }

    @Test
    @Timeout(60)
    void theTaskListOfAPoolNobodyJoinsStaysBounded() throws Exception {
        // Nobody joins, so only sweeps keep the list short: at most about four times the live
        // tasks (here at most 50 running, plus the spawn in progress) plus 256 + 64.
        GreenPool pool = new GreenPool(50);
        int longest = 0;
        for (int i = 0; i < 100_000; i++) {
            pool.spawnN(() -> { });
            if (i % 1_000 == 999) {
                longest = Math.max(longest, pool.listedTasks());
            }
        }
        assertThat(longest).isLessThanOrEqualTo(4 * 51 + 256 + 64 + 1);
        pool.waitAll();
        assertThat(pool.listedTasks()).isLessThanOrEqualTo(1); // a quiet join drops the list
    }
}
