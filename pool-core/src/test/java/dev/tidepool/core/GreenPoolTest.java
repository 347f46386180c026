package dev.tidepool.core;

import static dev.tidepool.core.GreenTestSupport.LONG;
import static dev.tidepool.core.GreenTestSupport.SHORT;
import static dev.tidepool.core.GreenTestSupport.awaitLatch;
import static dev.tidepool.core.GreenTestSupport.background;
import static dev.tidepool.core.GreenTestSupport.blockUntilInterrupted;
import static dev.tidepool.core.GreenTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidepool.core.GreenTestSupport.Background;
import dev.tidepool.core.GreenTestSupport.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * GreenPool: eventlet's {@code tests/greenpool_test.py} and gevent's {@code test__pool.py}, ported
 * where they make sense on the JVM, plus the Rules of the "GreenPool" section of API.md.
 */
@Timeout(60)
class GreenPoolTest {

    /** A task that waits for {@code release} and then returns {@code value}. */
    static <T> Callable<T> waitFor(CountDownLatch release, T value) {
        return () -> {
            awaitLatch(release);
            return value;
        };
    }

    static Callable<Object> waitFor(CountDownLatch release) {
        return waitFor(release, null);
    }

    /**
     * eventlet's {@code assert_pool_has_free}: exactly {@code n} spawns go through without waiting,
     * the next one would wait.
     */
    static void assertPoolHasFree(GreenPool pool, int n) throws Exception {
        assertThat(pool.free()).isEqualTo(n);
        CountDownLatch release = new CountDownLatch(1);
        List<GreenThread<Object>> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                held.add(pool.spawn(waitFor(release), Duration.ZERO));
            }
            assertThatThrownBy(() -> pool.spawn(() -> "one too many", Duration.ZERO))
                    .isInstanceOf(PoolFullException.class);
        } finally {
            release.countDown();
        }
        for (GreenThread<Object> thread : held) {
            thread.join();
        }
    }

    // ------------------------------------------------------------------ spawning (eventlet)

    @Test
    void spawnReturnsEachTasksResult() throws Exception {
        GreenPool pool = new GreenPool(4);
        List<GreenThread<Integer>> waiters = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            waiters.add(pool.spawn(() -> {
                Thread.yield();
                return n;
            }));
        }
        List<Integer> results = new ArrayList<>();
        for (GreenThread<Integer> waiter : waiters) {
            results.add(waiter.join());
        }
        assertThat(results).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void spawnRunsEachTaskOnANewVirtualThread() throws Exception {
        GreenPool pool = new GreenPool(2);
        Thread caller = Thread.currentThread();
        Thread first = pool.spawn(Thread::currentThread).join();
        Thread second = pool.spawn(Thread::currentThread).join();
        assertThat(first.isVirtual()).isTrue();
        assertThat(first).isNotSameAs(second).isNotSameAs(caller);
    }

    @Test
    void spawnNThenWaitAllRunsEveryTask() throws Exception {
        GreenPool pool = new GreenPool(4);
        List<Integer> results = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            pool.spawnN(() -> results.add(n));
        }
        pool.waitAll();
        assertThat(results).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(pool.running()).isZero();
    }

    @Test
    void waitingCountsBlockedSpawnersExactly() throws Exception {
        GreenPool pool = new GreenPool(1);
        CountDownLatch done = new CountDownLatch(1);
        Callable<Object> waiter = () -> pool.spawn(waitFor(done)).join();

        assertThat(pool.running()).isZero();
        assertThat(pool.waiting()).isZero();
        Background<Object> w1 = background("waiter-1", waiter);
        w1.awaitBlocked(); // in join(): it got the slot
        assertThat(pool.waiting()).isZero();
        Background<Object> w2 = background("waiter-2", waiter);
        w2.awaitBlocked(); // in spawn(): pool full
        assertThat(pool.waiting()).isEqualTo(1);
        Background<Object> w3 = background("waiter-3", waiter);
        w3.awaitBlocked();
        assertThat(pool.waiting()).isEqualTo(2);
        assertThat(pool.running()).isEqualTo(1);

        done.countDown();
        w1.get();
        w2.get();
        w3.get();
        assertThat(pool.waiting()).isZero();
        assertThat(pool.running()).isZero();
    }

    @Test
    void waitingDoesNotCountWaitAvailableCallers() throws Exception {
        // API.md: waiting() counts "callers blocked in spawn right now"
        GreenPool pool = new GreenPool(1);
        CountDownLatch release = new CountDownLatch(1);
        pool.spawn(waitFor(release));
        Background<Integer> looker = background("wait-available", () -> pool.waitAvailable(LONG));
        looker.awaitBlocked();
        try {
            assertThat(pool.waiting()).as("a waitAvailable() caller is not a blocked spawner").isZero();
        } finally {
            release.countDown();
        }
        assertThat(looker.get()).isEqualTo(1);
    }

    @Test
    void multipleTasksCoordinate() throws Exception {
        // eventlet/gevent test_multiple_coros
        List<String> results = new CopyOnWriteArrayList<>();
        CountDownLatch evt = new CountDownLatch(1);
        CountDownLatch consumerWaiting = new CountDownLatch(1);
        GreenPool pool = new GreenPool(2);
        GreenThread<Object> done = pool.spawn(() -> {
            results.add("cons1");
            consumerWaiting.countDown();
            awaitLatch(evt);
            results.add("cons2");
            return null;
        });
        awaitLatch(consumerWaiting);
        pool.spawnN(() -> {
            results.add("prod");
            evt.countDown();
        });
        done.join();
        assertThat(results).containsExactly("cons1", "prod", "cons2");
    }

    @Test
    void freeCountsFollowSpawnsAndEnds() throws Exception {
        // eventlet test_spawn_n_2, gevent test_execute_async
        GreenPool pool = new GreenPool(2);
        assertThat(pool.free()).isEqualTo(2);
        List<Integer> r = new CopyOnWriteArrayList<>();
        CountDownLatch hold1 = new CountDownLatch(1);
        GreenThread<Boolean> first = pool.spawn(() -> {
            awaitLatch(hold1);
            return r.add(1);
        });
        assertThat(pool.free()).isEqualTo(1);
        hold1.countDown();
        first.join();
        assertThat(r).containsExactly(1);
        assertThat(pool.free()).as("a finished task's slot is free once join() returns").isEqualTo(2);

        CountDownLatch hold = new CountDownLatch(1);
        pool.spawnN(() -> {
            uninterruptibly(hold);
            r.add(2);
        });
        assertThat(pool.free()).isEqualTo(1);
        pool.spawnN(() -> {
            uninterruptibly(hold);
            r.add(3);
        });
        assertThat(pool.free()).isZero();
        assertThat(pool.full()).isTrue();
        assertThat(r).containsExactly(1);

        Background<Object> fourth = background("spawnN-4", () -> {
            pool.spawnN(() -> r.add(4));
            return null;
        });
        fourth.awaitBlocked();
        assertThat(pool.waiting()).isEqualTo(1);
        hold.countDown();
        fourth.get();
        pool.waitAll();
        assertThat(r).containsExactlyInAnyOrder(1, 2, 3, 4);
        assertThat(pool.free()).isEqualTo(2);
    }

    @Test
    void spawnInterruptedWhileWaitingStartsNothingAndLosesNoSlot() throws Exception {
        GreenPool pool = new GreenPool(1);
        CountDownLatch release = new CountDownLatch(1);
        GreenThread<Object> running = pool.spawn(waitFor(release));
        AtomicBoolean ran = new AtomicBoolean();
        Background<Object> spawner = background("spawner", () -> pool.spawn(() -> ran.getAndSet(true)));
        spawner.awaitBlocked();
        spawner.thread.interrupt();
        assertThat(spawner.failure()).isInstanceOf(InterruptedException.class);
        assertThat(pool.waiting()).isZero();
        assertThat(pool.running()).isEqualTo(1);
        release.countDown();
        running.join();
        assertThat(ran).isFalse();
        assertPoolHasFree(pool, 1);
    }

    // ------------------------------------------------------------------ reentrancy

    @Test
    void reentrantSpawnInAFullPoolOfOneRunsInline() throws Exception {
        // eventlet test_reentrant
        GreenPool pool = new GreenPool(1);
        GreenThread<List<Object>> outer = pool.spawn(() -> {
            GreenThread<String> waiter = pool.spawn(() -> "reenter");
            GreenThread<Thread> where = pool.spawn(Thread::currentThread);
            return List.of(waiter.join(), waiter.isDone(), where.join() == Thread.currentThread());
        });
        assertThat(outer.join()).containsExactly("reenter", true, true);

        CountDownLatch evt = new CountDownLatch(1);
        AtomicReference<String> inner = new AtomicReference<>();
        pool.spawnN(() -> {
            try {
                pool.spawnN(() -> inner.set("reenter"));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            evt.countDown();
        });
        awaitLatch(evt);
        assertThat(inner.get()).isEqualTo("reenter");
        pool.waitAll();
        assertPoolHasFree(pool, 1);
    }

    @Test
    void reentrantApplyRunsInline() throws Exception {
        // gevent test_reentrant
        GreenPool pool = new GreenPool(1);
        int result = pool.apply(() -> pool.apply(() -> 5 + 1));
        assertThat(result).isEqualTo(6);

        Thread outer = pool.spawn(() -> {
            Thread me = Thread.currentThread();
            Thread applied = pool.apply(Thread::currentThread);
            return applied == me ? me : null;
        }).join();
        assertThat(outer).as("apply from inside ran in the caller's thread").isNotNull();

        CountDownLatch evt = new CountDownLatch(1);
        pool.applyAsync(() -> {
            evt.countDown();
            return null;
        });
        awaitLatch(evt);
    }

    @Test
    void reentrantSpawnFailureReachesTheInnerHandleNotTheCaller() throws Exception {
        GreenPool pool = new GreenPool(1);
        IllegalStateException boom = new IllegalStateException("inner");
        Throwable seen = pool.spawn(() -> pool.spawn(() -> {
            throw boom;
        }).exception()).join();
        assertThat(seen).isSameAs(boom);
        assertPoolHasFree(pool, 1);
    }

    // ------------------------------------------------------------------ resizing

    @Test
    void resize() throws Exception {
        // eventlet test_resize
        GreenPool pool = new GreenPool(2);
        CountDownLatch evt = new CountDownLatch(1);
        GreenThread<Object> a = pool.spawn(waitFor(evt));
        GreenThread<Object> b = pool.spawn(waitFor(evt));
        assertThat(pool.free()).isZero();
        assertThat(pool.running()).isEqualTo(2);
        assertPoolHasFree(pool, 0);

        pool.resize(1);
        assertThat(pool.size()).isEqualTo(1);
        assertThat(pool.free()).isEqualTo(-1);
        evt.countDown();
        a.join();
        b.join();
        assertThat(pool.free()).isEqualTo(1);
        assertThat(pool.running()).isZero();
        assertPoolHasFree(pool, 1);

        pool.resize(2);
        assertThat(pool.free()).isEqualTo(2);
        assertThat(pool.running()).isZero();
        assertPoolHasFree(pool, 2);
    }

    @Test
    void growingWakesBlockedSpawnersAtOnce() throws Exception {
        GreenPool pool = new GreenPool(1);
        CountDownLatch release = new CountDownLatch(1);
        pool.spawn(waitFor(release));
        Background<GreenThread<Object>> s1 = background("spawner-1", () -> pool.spawn(waitFor(release)));
        s1.awaitBlocked();
        Background<GreenThread<Object>> s2 = background("spawner-2", () -> pool.spawn(waitFor(release)));
        s2.awaitBlocked();
        assertThat(pool.waiting()).isEqualTo(2);

        pool.resize(3);
        // the first task still runs: only the resize can have let them through
        GreenThread<Object> t1 = s1.get();
        GreenThread<Object> t2 = s2.get();
        assertThat(pool.running()).isEqualTo(3);
        assertThat(pool.waiting()).isZero();
        assertThat(pool.free()).isZero();
        release.countDown();
        t1.join();
        t2.join();
        pool.waitAll();
        assertThat(pool.free()).isEqualTo(3);
    }

    @Test
    void shrinkingLetsRunningTasksFinishAndFreeIsNegativeUntilThen() throws Exception {
        GreenPool pool = new GreenPool(3);
        CountDownLatch[] release = {new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1)};
        List<GreenThread<String>> tasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            tasks.add(pool.spawn(waitFor(release[i], "task-" + i)));
        }
        pool.resize(1);
        assertThat(pool.size()).isEqualTo(1);
        assertThat(pool.free()).isEqualTo(-2);
        assertThat(pool.running()).as("shrinking touches no running task").isEqualTo(3);
        assertThat(pool.full()).isTrue();
        assertThatThrownBy(() -> pool.spawn(() -> "no", Duration.ZERO)).isInstanceOf(PoolFullException.class);

        Background<GreenThread<String>> spawner = background("spawner", () -> pool.spawn(() -> "late"));
        spawner.awaitBlocked();
        release[0].countDown();
        assertThat(tasks.get(0).join()).isEqualTo("task-0");
        assertThat(pool.free()).isEqualTo(-1);
        assertThat(pool.waiting()).isEqualTo(1);
        release[1].countDown();
        assertThat(tasks.get(1).join()).isEqualTo("task-1");
        assertThat(pool.free()).isZero();
        assertThat(pool.waiting()).isEqualTo(1);
        release[2].countDown();
        assertThat(tasks.get(2).join()).isEqualTo("task-2");
        assertThat(spawner.get().join()).isEqualTo("late");
        pool.waitAll();
        assertThat(pool.free()).isEqualTo(1);
        assertPoolHasFree(pool, 1);
    }

    // ------------------------------------------------------------------ failures free slots

    @Test
    void throwingTasksFreeTheirSlots() throws Exception {
        // eventlet test_exceptions: for spawn and spawn_n, a RuntimeException and an Error
        GreenPool pool = new GreenPool(2);
        try (LogCapture log = new LogCapture("dev.tidepool.core.GreenPool")) {
            for (boolean useSpawnN : new boolean[] {false, true}) {
                for (Throwable failure : List.of(new IllegalStateException("raiser"), new DeathError())) {
                    assertPoolHasFree(pool, 2);
                    CountDownLatch go = new CountDownLatch(1);
                    Callable<Object> raiser = () -> {
                        awaitLatch(go);
                        throw GreenTestSupport.<RuntimeException>sneakyThrow(failure);
                    };
                    if (useSpawnN) {
                        pool.spawnN(() -> {
                            try {
                                raiser.call();
                            } catch (Exception e) {
                                throw GreenTestSupport.<RuntimeException>sneakyThrow(e);
                            }
                        });
                    } else {
                        pool.spawn(raiser);
                    }
                    assertThat(pool.free()).isEqualTo(1);
                    go.countDown();
                    pool.waitAll();
                    assertPoolHasFree(pool, 2);
                }
            }
            // the two spawnN failures were logged, the spawn ones were left to their handles
            eventually().until(() -> log.records.size() >= 2);
            assertThat(log.records).extracting(r -> (Object) r.getThrown().getClass())
                    .containsExactlyInAnyOrder(IllegalStateException.class, DeathError.class);
        }
    }

    /** Something like greenlet's GreenletExit: an Error, not an Exception. */
    static final class DeathError extends Error {
        DeathError() {
            super("dying on purpose");
        }
    }

    @Test
    void aKilledTaskFreesItsSlot() throws Exception {
        GreenPool pool = new GreenPool(1);
        GreenThread<Object> victim = pool.spawn(GreenTestSupport::blockUntilInterrupted);
        assertThat(pool.killOne(victim)).isTrue();
        assertThat(pool.running()).isZero();
        assertThat(pool.contains(victim)).isFalse();
        assertPoolHasFree(pool, 1);

        GreenThread<Object> second = pool.spawn(GreenTestSupport::blockUntilInterrupted);
        second.kill(); // the handle's own kill: does not wait, the slot comes back when it ends
        eventually().until(() -> pool.free() == 1);
        assertPoolHasFree(pool, 1);
    }

    @Test
    void spawnNFailureIsLogged() throws Exception {
        GreenPool pool = new GreenPool(2);
        IllegalStateException boom = new IllegalStateException("spawnN failure");
        try (LogCapture log = new LogCapture("dev.tidepool.core.GreenPool")) {
            pool.spawnN(() -> {
                throw boom;
            });
            eventually().until(() -> log.records.stream().anyMatch(r -> r.getThrown() == boom));
            LogRecord record = log.records.stream().filter(r -> r.getThrown() == boom).findFirst().orElseThrow();
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(record.getMessage()).contains(pool.name());
        }
        pool.waitAll();
        assertPoolHasFree(pool, 2);
    }

    @Test
    void spawnNFailureIsLoggedWhenItRanInline() throws Exception {
        GreenPool pool = new GreenPool(1);
        IllegalStateException boom = new IllegalStateException("inline spawnN failure");
        try (LogCapture log = new LogCapture("dev.tidepool.core.GreenPool")) {
            pool.spawn(() -> {
                pool.spawnN(() -> {
                    throw boom;
                });
                return null;
            }).join();
            eventually().until(() -> log.records.stream().anyMatch(r -> r.getThrown() == boom));
        }
    }

    @Test
    void aKilledSpawnNTaskIsNotLoggedAsAFailure() throws Exception {
        GreenPool pool = new GreenPool(1);
        try (LogCapture log = new LogCapture("dev.tidepool.core.GreenPool")) {
            CountDownLatch started = new CountDownLatch(1);
            pool.spawnN(() -> {
                started.countDown();
                try {
                    blockUntilInterrupted();
                } catch (InterruptedException e) {
                    throw new IllegalStateException("interrupted, as asked", e);
                }
            });
            awaitLatch(started);
            pool.kill();
            assertThat(log.records).noneMatch(r -> r.getThrown() != null);
        }
    }

    // ------------------------------------------------------------------ waiting

    @Test
    void waitAllOnNothingReturns() throws Exception {
        new GreenPool().waitAll();
        new GreenPool(0).waitAll();
    }

    @Test
    void waitAllFromInsideThrowsIllegalStateException() throws Exception {
        // eventlet test_recursive_waitall
        GreenPool pool = new GreenPool();
        GreenThread<Object> gt = pool.spawn(() -> {
            pool.waitAll();
            return "waited for itself";
        });
        assertThatThrownBy(gt::join).isInstanceOf(IllegalStateException.class);
        pool.waitAll();
    }

    @Test
    void waitAllWaitsForEveryTask() throws Exception {
        GreenPool pool = new GreenPool(3);
        CountDownLatch release = new CountDownLatch(1);
        List<GreenThread<Object>> tasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            tasks.add(pool.spawn(waitFor(release)));
        }
        Background<Object> waiter = background("waitAll", () -> {
            pool.waitAll();
            return pool.running();
        });
        waiter.awaitBlocked();
        assertThat(waiter.isDone()).isFalse();
        release.countDown();
        assertThat(waiter.get()).isEqualTo(0);
        for (GreenThread<Object> task : tasks) {
            assertThat(task.isDone()).isTrue(); // waitAll() returns only once every result is known
            assertThat(task.join()).isNull();
        }
    }

    @Test
    void everyResultIsKnownOnceWaitAllOrJoinReturns() throws Exception {
        // eventlet's waitall / gevent's join: afterwards every task is dead, its result ready
        GreenPool pool = new GreenPool(4);
        for (int round = 0; round < 20_000; round++) {
            GreenThread<Integer> t = pool.spawn(() -> 1);
            if (round % 2 == 0) {
                pool.waitAll();
            } else {
                assertThat(pool.join(LONG)).isTrue();
            }
            assertThat(t.isDone()).as("round %d: the pool is empty but the task's result is not known", round)
                    .isTrue();
        }
    }

    @Test
    void joinWithTimeoutIsFalseOnTimeAndTrueOnceEmpty() throws Exception {
        // gevent TestSpawn.testSpawnAndWait
        GreenPool pool = new GreenPool(1);
        assertThat(pool.running()).isZero();
        CountDownLatch release = new CountDownLatch(1);
        pool.spawn(waitFor(release));
        assertThat(pool.running()).isEqualTo(1);
        assertThat(pool.join(SHORT)).as("waiting on a busy pool times out").isFalse();
        assertThat(pool.join(Duration.ZERO)).isFalse();
        assertThat(pool.running()).isEqualTo(1);
        release.countDown();
        assertThat(pool.join(LONG)).isTrue();
        assertThat(pool.running()).isZero();
    }

    @Test
    void joinOnAnEmptyPoolIsTrue() throws Exception {
        // gevent TestJoinEmpty
        GreenPool pool = new GreenPool();
        assertThat(pool.join(Duration.ZERO)).isTrue();
        assertThat(pool.join(LONG, true)).isTrue();
    }

    @Test
    void joinRaisingErrorsThrowsAFailingTasksRuntimeExceptionAsItIs() throws Exception {
        GreenPool pool = new GreenPool(4);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        IllegalStateException boom = new IllegalStateException("boom");
        pool.spawn(() -> {
            awaitLatch(go);
            throw boom;
        });
        pool.spawn(waitFor(release)); // keeps the pool busy: only the failure can end the join
        Background<Boolean> joiner = background("joiner", () -> pool.join(LONG, true));
        joiner.awaitBlocked();
        go.countDown();
        try {
            assertThat(joiner.failure()).isSameAs(boom);
        } finally {
            release.countDown();
        }
        assertThat(pool.join(LONG, true)).isTrue();
    }

    @Test
    void joinRaisingErrorsWrapsACheckedFailureInCompletionException() throws Exception {
        GreenPool pool = new GreenPool(4);
        CountDownLatch go = new CountDownLatch(1);
        IOException checked = new IOException("checked");
        pool.spawn(() -> {
            awaitLatch(go);
            throw checked;
        });
        Background<Boolean> joiner = background("joiner", () -> pool.join(LONG, true));
        joiner.awaitBlocked();
        go.countDown();
        assertThat(joiner.failure()).isInstanceOf(CompletionException.class).hasCause(checked);
    }

    @Test
    void joinWithoutRaisingErrorsIgnoresFailures() throws Exception {
        GreenPool pool = new GreenPool(4);
        CountDownLatch go = new CountDownLatch(1);
        pool.spawn(() -> {
            awaitLatch(go);
            throw new IllegalStateException("ignored");
        });
        Background<Boolean> joiner = background("joiner", () -> pool.join(LONG, false));
        joiner.awaitBlocked();
        go.countDown();
        assertThat(joiner.get()).isTrue();
        assertThat(pool.running()).isZero();
    }

    @Test
    void joinRaisingErrorsTimesOutWithFalse() throws Exception {
        // gevent TestJoinSleep_raise_error
        GreenPool pool = new GreenPool();
        GreenThread<Object> sleeper = pool.spawn(GreenTestSupport::blockUntilInterrupted);
        try {
            assertThat(pool.join(SHORT, true)).isFalse();
        } finally {
            sleeper.kill();
        }
        assertThat(pool.join(LONG, true)).as("a killed task is no failure to raise").isTrue();
    }

    // ------------------------------------------------------------------ gevent's surface

    @Test
    void applyReturnsTheResult() throws Exception {
        GreenPool pool = new GreenPool(2);
        assertThat(pool.apply(() -> "return value")).isEqualTo("return value");
        assertThat(pool.<Object>apply(() -> null)).isNull();
        assertThat(pool.running()).isZero();
    }

    @Test
    void applyRethrowsTheTasksExceptionAsItIs() {
        GreenPool pool = new GreenPool(1);
        IllegalStateException expected = new IllegalStateException("expected");
        assertThatThrownBy(() -> pool.apply(() -> {
            throw expected;
        })).isSameAs(expected);
        IOException checked = new IOException("checked");
        assertThatThrownBy(() -> pool.apply(() -> {
            throw checked;
        })).isInstanceOf(CompletionException.class).hasCause(checked);
        assertThat(pool.free()).isEqualTo(1);
    }

    @Test
    void applyAsyncTakesAFreeSlotAndRunsUntrackedWhenFull() throws Exception {
        // gevent test_execute_async
        GreenPool pool = new GreenPool(2);
        assertThat(pool.free()).isEqualTo(2);
        List<Integer> r = new CopyOnWriteArrayList<>();
        GreenThread<Boolean> first = pool.spawn(() -> r.add(1));
        first.join();
        assertThat(r).containsExactly(1);
        assertThat(pool.free()).isEqualTo(2);

        CountDownLatch hold = new CountDownLatch(1);
        GreenThread<Boolean> second = pool.applyAsync(() -> {
            awaitLatch(hold);
            return r.add(2);
        });
        assertThat(pool.free()).isEqualTo(1);
        assertThat(pool.contains(second)).isTrue();
        GreenThread<Boolean> third = pool.applyAsync(() -> {
            awaitLatch(hold);
            return r.add(3);
        });
        assertThat(pool.free()).isZero();
        assertThat(r).containsExactly(1);

        GreenThread<Boolean> fourth = pool.applyAsync(() -> { // never blocks
            awaitLatch(hold);
            return r.add(4);
        });
        assertThat(pool.contains(fourth)).as("a full pool runs it untracked").isFalse();
        assertThat(pool.running()).isEqualTo(2);
        assertThat(pool.free()).isZero();
        assertThat(r).containsExactly(1);
        hold.countDown();
        second.join();
        third.join();
        fourth.join();
        assertThat(r).containsExactlyInAnyOrder(1, 2, 3, 4);
        pool.waitAll();
        assertThat(pool.free()).isEqualTo(2);
    }

    @Test
    void applyAsyncNeverBlocksEvenOnAPoolOfZero() throws Exception {
        GreenPool pool = new GreenPool(0);
        assertThat(pool.applyAsync(() -> 7).join()).isEqualTo(7);
        assertThat(pool.running()).isZero();
        assertThat(pool.free()).isZero();
    }

    @Test
    void applyAsyncCallsOnSuccessWithTheResult() throws Exception {
        // gevent test_async_callback
        GreenPool pool = new GreenPool(1);
        List<Integer> result = new CopyOnWriteArrayList<>();
        GreenThread<Integer> res = pool.applyAsync(() -> 7 * 7, result::add);
        assertThat(res.join()).isEqualTo(49);
        eventually().until(() -> result.equals(List.of(49)));

        List<Object> nothing = new CopyOnWriteArrayList<>();
        GreenThread<Object> failed = pool.applyAsync(() -> {
            throw new IllegalStateException("no callback for me");
        }, nothing::add);
        assertThatThrownBy(failed::join).isInstanceOf(IllegalStateException.class);
        failed.awaitEnd(); // its links have run by now
        assertThat(nothing).isEmpty();

        List<Object> nulls = new CopyOnWriteArrayList<>();
        pool.applyAsync(() -> null, v -> nulls.add(v == null ? "null" : v)).join();
        eventually().until(() -> nulls.equals(List.of("null")));
    }

    @Test
    void executeWaitsForASlotAndThenRunsTheTaskAsynchronously() throws Exception {
        GreenPool pool = new GreenPool(1);
        CountDownLatch hold = new CountDownLatch(1);
        pool.spawn(waitFor(hold));
        CountDownLatch ran = new CountDownLatch(1);
        CountDownLatch taskRelease = new CountDownLatch(1);
        Background<Object> executor = background("execute", () -> {
            pool.execute(() -> {
                ran.countDown();
                uninterruptibly(taskRelease);
            });
            return "returned";
        });
        executor.awaitBlocked();
        assertThat(pool.waiting()).isEqualTo(1);
        hold.countDown();
        assertThat(executor.get()).isEqualTo("returned"); // while its task still waits
        awaitLatch(ran);
        assertThat(pool.running()).isEqualTo(1);
        taskRelease.countDown();
        pool.waitAll();
        assertThat(pool.free()).isEqualTo(1);
    }

    @Test
    void addTracksAForeignThreadInASlotAndThrowsPoolFullWhenFull() throws Exception {
        // gevent test_add_method, test_add_method_non_blocking
        GreenPool pool = new GreenPool(1);
        CountDownLatch release = new CountDownLatch(1);
        GreenThread<Object> first = GreenThread.spawn(waitFor(release));
        GreenThread<Object> second = GreenThread.spawn(waitFor(release));
        try {
            assertThat(pool.free()).isEqualTo(1);
            assertThat(pool.running()).isZero();
            pool.add(first);
            assertThat(pool.free()).isZero();
            assertThat(pool.running()).isEqualTo(1);
            assertThat(pool.contains(first)).isTrue();
            pool.add(first); // already tracked: nothing changes
            assertThat(pool.running()).isEqualTo(1);

            assertThatThrownBy(() -> pool.add(second)).isInstanceOf(PoolFullException.class);
            assertThat(pool.free()).isZero();
            assertThat(pool.running()).isEqualTo(1);
            assertThat(pool.contains(second)).isFalse();
        } finally {
            release.countDown();
        }
        first.join();
        assertThat(pool.contains(first)).isFalse();
        assertThat(pool.free()).isEqualTo(1);
        second.join();
        pool.add(second); // already ended: not tracked, no slot kept
        assertThat(pool.running()).isZero();
        assertThat(pool.free()).isEqualTo(1);
    }

    @Test
    void spawnWithZeroOrShortTimeoutThrowsPoolFullWhenFull() throws Exception {
        // gevent test_add_method_timeout, test_start_method_timeout
        GreenPool pool = new GreenPool(1);
        CountDownLatch release = new CountDownLatch(1);
        pool.spawn(waitFor(release));
        AtomicBoolean ran = new AtomicBoolean();
        assertThatThrownBy(() -> pool.spawn(() -> ran.getAndSet(true), Duration.ZERO))
                .isInstanceOf(PoolFullException.class);
        assertThatThrownBy(() -> pool.spawn(() -> ran.getAndSet(true), SHORT))
                .isInstanceOf(PoolFullException.class)
                .hasMessageContaining(pool.name());
        assertThat(pool.running()).isEqualTo(1);
        assertThat(pool.waiting()).isZero();

        Background<GreenThread<String>> patient = background("patient", () -> pool.spawn(() -> "in time", LONG));
        patient.awaitBlocked();
        release.countDown();
        assertThat(patient.get().join()).isEqualTo("in time");
        assertThat(ran).isFalse();
    }

    @Test
    void spawnWithZeroTimeoutGoesThroughWhenASlotIsFree() throws Exception {
        GreenPool pool = new GreenPool(1);
        assertThat(pool.spawn(() -> "now", Duration.ZERO).join()).isEqualTo("now");
    }

    @Test
    void aPoolOfZeroIsAlwaysFull() throws Exception {
        // gevent TestPool0.test_wait_full
        GreenPool pool = new GreenPool(0);
        assertThat(pool.size()).isZero();
        assertThat(pool.free()).isZero();
        assertThat(pool.full()).isTrue();
        assertThat(pool.waitAvailable(Duration.ofMillis(10))).isZero();
        assertThatThrownBy(() -> pool.spawn(() -> "x", SHORT)).isInstanceOf(PoolFullException.class);
        assertThatThrownBy(() -> pool.spawn(() -> "x", Duration.ZERO)).isInstanceOf(PoolFullException.class);

        Background<GreenThread<String>> spawner = background("spawner", () -> pool.spawn(() -> "after resize"));
        spawner.awaitBlocked();
        assertThat(pool.waiting()).isEqualTo(1);
        pool.resize(1);
        assertThat(spawner.get().join()).isEqualTo("after resize");
    }

    @Test
    void fullAndWaitAvailable() throws Exception {
        GreenPool pool = new GreenPool(2);
        assertThat(pool.full()).isFalse();
        assertThat(pool.waitAvailable(Duration.ZERO)).isEqualTo(2);
        CountDownLatch r1 = new CountDownLatch(1);
        CountDownLatch r2 = new CountDownLatch(1);
        GreenThread<Object> t1 = pool.spawn(waitFor(r1));
        assertThat(pool.full()).isFalse();
        assertThat(pool.waitAvailable(Duration.ZERO)).isEqualTo(1);
        assertThat(pool.free()).as("waitAvailable takes no slot").isEqualTo(1);
        pool.spawn(waitFor(r2));
        assertThat(pool.full()).isTrue();
        assertThat(pool.waitAvailable(SHORT)).isZero();

        Background<Integer> looker = background("waitAvailable", () -> pool.waitAvailable(LONG));
        looker.awaitBlocked();
        r1.countDown();
        t1.join();
        assertThat(looker.get()).isEqualTo(1);
        assertThat(pool.free()).isEqualTo(1);
        r2.countDown();
        pool.waitAll();
        assertThat(pool.waitAvailable(Duration.ZERO)).isEqualTo(2);
    }

    @Test
    void killInterruptsEveryTaskAndWaitsForThem() throws Exception {
        // gevent test_kill_block
        GreenPool pool = new GreenPool(5);
        List<GreenThread<Object>> tasks = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            tasks.add(pool.spawn(() -> {
                started.countDown();
                return blockUntilInterrupted();
            }));
        }
        awaitLatch(started);
        pool.kill();
        assertThat(pool.running()).isZero();
        assertThat(pool.free()).isEqualTo(5);
        for (GreenThread<Object> task : tasks) {
            assertThat(task.isCancelled()).isTrue();
            assertThatThrownBy(task::join).isInstanceOf(CancellationException.class);
        }
        pool.kill(); // on an empty pool: returns at once
    }

    @Test
    void killEndsAMapAsync() throws Exception {
        // gevent test_terminate
        GreenPool pool = new GreenPool(3);
        AtomicInteger started = new AtomicInteger();
        GreenThread<List<Object>> result = pool.mapAsync(x -> {
            started.incrementAndGet();
            try {
                return blockUntilInterrupted();
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
        }, Collections.nCopies(6, "x"));
        eventually().until(() -> started.get() >= 1);
        pool.kill();
        assertThatThrownBy(result::join).isInstanceOf(CancellationException.class);
        assertThat(pool.join(LONG)).isTrue();
        assertThat(pool.running()).isZero();
    }

    /** gevent's Undead: shrugs off every interrupt, counting them, until told to stop. */
    static final class Undead implements Callable<String> {
        final AtomicInteger shots = new AtomicInteger();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch stop = new CountDownLatch(1);

        @Override
        public String call() {
            started.countDown();
            for (;;) {
                try {
                    if (stop.await(LONG.toSeconds(), TimeUnit.SECONDS)) {
                        return "stopped";
                    }
                    throw new AssertionError("never told to stop");
                } catch (InterruptedException e) {
                    shots.incrementAndGet();
                }
            }
        }
    }

    @Test
    void killAndKillOneInterruptEachTaskExactlyOnce() throws Exception {
        // gevent test_kill_fires_once
        GreenPool pool = new GreenPool(4);
        Undead u1 = new Undead();
        Undead u2 = new Undead();
        GreenThread<String> p1 = pool.spawn(u1);
        GreenThread<String> p2 = pool.spawn(u2);
        awaitLatch(u1.started);
        awaitLatch(u2.started);
        assertThat(u1.shots.get()).isZero();
        assertThat(u2.shots.get()).isZero();

        List<Background<?>> killers = new ArrayList<>();
        killers.add(background("killOne-1", () -> pool.killOne(p1)));
        eventually().until(() -> u1.shots.get() == 1);
        assertThat(u2.shots.get()).isZero();
        killers.add(background("killOne-2", () -> pool.killOne(p1)));
        killers.add(background("killOne-3", () -> pool.killOne(p1)));
        for (int i = 0; i < 3; i++) {
            killers.add(background("kill-" + i, () -> {
                pool.kill();
                return true;
            }));
        }
        killers.add(background("killOne-p2", () -> pool.killOne(p2)));
        for (Background<?> killer : killers) {
            if (killer.thread.getName().startsWith("kill-")) {
                GreenTestSupport.awaitTimedWaiting(killer.thread); // past its kill pass, waiting for the end
            } else {
                killer.awaitBlocked(); // killOne: interrupted, waiting for the end
            }
        }
        eventually().until(() -> u2.shots.get() == 1);
        assertThat(u1.shots.get()).isEqualTo(1);
        assertThat(u2.shots.get()).isEqualTo(1);
        assertThat(pool.running()).as("a killed task counts until it has ended").isEqualTo(2);
        assertThat(killers).noneMatch(Background::isDone);

        u1.stop.countDown();
        u2.stop.countDown();
        for (Background<?> killer : killers) {
            assertThat(killer.get()).isEqualTo(true);
        }
        assertThat(u1.shots.get()).isEqualTo(1);
        assertThat(u2.shots.get()).isEqualTo(1);
        assertThat(pool.running()).isZero();
        assertThat(pool.free()).isEqualTo(4);
        assertThatThrownBy(p1::join).isInstanceOf(CancellationException.class);
        assertThatThrownBy(p2::get).isInstanceOf(CancellationException.class);
    }

    @Test
    void killOneReturnsFalseForAThreadThePoolDoesNotTrack() throws Exception {
        GreenPool pool = new GreenPool(1);
        GreenPool other = new GreenPool(1);
        CountDownLatch release = new CountDownLatch(1);
        GreenThread<Object> loose = GreenThread.spawn(waitFor(release));
        GreenThread<Object> elsewhere = other.spawn(waitFor(release));
        GreenThread<Object> mine = pool.spawn(waitFor(release));
        GreenThread<Object> untracked = pool.applyAsync(waitFor(release)); // pool full: untracked
        try {
            assertThat(pool.killOne(loose)).isFalse();
            assertThat(pool.killOne(elsewhere)).isFalse();
            assertThat(pool.killOne(untracked)).isFalse();
            assertThat(loose.isDone()).isFalse();
            assertThat(elsewhere.isDone()).isFalse();
            assertThat(untracked.isDone()).isFalse();
        } finally {
            release.countDown();
        }
        mine.join();
        assertThat(pool.killOne(mine)).as("a finished task is no longer tracked").isFalse();
        assertThat(mine.join()).isNull();
        loose.join();
        elsewhere.join();
        untracked.join();
    }

    @Test
    void aKilledTasksJoinAndGetThrowCancellationException() throws Exception {
        GreenPool pool = new GreenPool(2);
        GreenThread<Object> victim = pool.spawn(GreenTestSupport::blockUntilInterrupted);
        assertThat(pool.killOne(victim)).isTrue();
        assertThat(victim.isDone()).isTrue();
        assertThat(victim.isCancelled()).isTrue();
        assertThatThrownBy(victim::join).isInstanceOf(CancellationException.class);
        assertThatThrownBy(victim::get).isInstanceOf(CancellationException.class);
        assertThatThrownBy(() -> victim.get(1, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        assertThat(victim.exception()).isInstanceOf(CancellationException.class);
        assertThat(pool.failedCount()).as("a killed task is not a failure").isZero();
    }

    @Test
    void exceptionReturnsTheTasksOwnExceptionUnwrapped() throws Exception {
        GreenPool pool = new GreenPool(2);
        IOException checked = new IOException("checked");
        IllegalArgumentException unchecked = new IllegalArgumentException("unchecked");
        GreenThread<Object> a = pool.spawn(() -> {
            throw checked;
        });
        GreenThread<Object> b = pool.spawn(() -> {
            throw unchecked;
        });
        GreenThread<String> c = pool.spawn(() -> "fine");
        assertThatThrownBy(a::join).isInstanceOf(CompletionException.class).hasCause(checked);
        assertThatThrownBy(b::join).isSameAs(unchecked);
        assertThat(a.exception()).isSameAs(checked);
        assertThat(b.exception()).isSameAs(unchecked);
        assertThat(c.join()).isEqualTo("fine");
        assertThat(c.exception()).isNull();
        assertThatThrownBy(a::get).isInstanceOf(ExecutionException.class).hasCause(checked);
    }

    @Test
    void nullResultsAreAllowed() throws Exception {
        GreenPool pool = new GreenPool(1);
        GreenThread<Object> t = pool.spawn(() -> null);
        assertThat(t.join()).isNull();
        assertThat(t.get()).isNull();
        assertThat(t.exception()).isNull();
        assertThat(pool.<Object>apply(() -> null)).isNull();
        assertThat(pool.submit(() -> null).get()).isNull();
    }

    @Test
    void aFinishedTaskLeavesThePoolAtOnce() throws Exception {
        GreenPool pool = new GreenPool(2);
        CountDownLatch release = new CountDownLatch(1);
        GreenThread<Object> t = pool.spawn(waitFor(release));
        assertThat(pool.contains(t)).isTrue();
        release.countDown();
        t.join();
        assertThat(pool.contains(t)).isFalse();
        assertThat(pool.running()).isZero();
        assertThat(pool.free()).isEqualTo(2);

        GreenThread<Object> failed = pool.spawn(() -> {
            throw new IllegalStateException("x");
        });
        assertThatThrownBy(failed::join).isInstanceOf(IllegalStateException.class);
        assertThat(pool.contains(failed)).isFalse();
        assertThat(pool.free()).isEqualTo(2);
    }

    @Test
    void discardStopsTrackingAndFreesTheSlotOnce() throws Exception {
        // gevent test_discard
        GreenPool pool = new GreenPool(1);
        GreenThread<Object> first = pool.spawn(GreenTestSupport::blockUntilInterrupted);
        assertThat(pool.discard(first)).isTrue();
        assertThat(pool.contains(first)).isFalse();
        assertThat(pool.running()).isZero();
        assertThat(pool.free()).isEqualTo(1);
        assertThat(pool.discard(first)).isFalse();
        assertThat(pool.killOne(first)).isFalse();

        CountDownLatch release = new CountDownLatch(1);
        GreenThread<Object> second = pool.spawn(waitFor(release), Duration.ZERO);
        first.kill();
        first.awaitEnd();
        assertThat(pool.free()).as("the discarded task's end gives back no second slot").isZero();
        assertThat(pool.running()).isEqualTo(1);
        assertThatThrownBy(() -> pool.spawn(() -> "x", Duration.ZERO)).isInstanceOf(PoolFullException.class);
        release.countDown();
        second.join();
        assertPoolHasFree(pool, 1);
    }

    @Test
    void countersCountSpawnedCompletedAndFailedTasks() throws Exception {
        GreenPool pool = new GreenPool(3);
        pool.spawn(() -> "ok").join();
        GreenThread<Object> failing = pool.spawn(() -> {
            throw new IllegalStateException("x");
        });
        assertThatThrownBy(failing::join).isInstanceOf(IllegalStateException.class);
        GreenThread<Object> killed = pool.spawn(GreenTestSupport::blockUntilInterrupted);
        pool.killOne(killed);
        assertThat(pool.spawnedCount()).isEqualTo(3);
        // A task is counted as the very last step of its end, after the end mark that join and
        // killOne wait for (the contract: exact once nothing ends meanwhile), so allow that step.
        eventually().until(pool::completedCount, n -> n == 3);
        assertThat(pool.completedCount()).isEqualTo(3);
        assertThat(pool.failedCount()).isEqualTo(1);
    }

    @Test
    void aTimedOutTokenPoolWaitInsideATaskHarmsNeitherPool() throws Exception {
        // eventlet test_pool_smash
        GreenPool pool = new GreenPool(1);
        TokenPool tp = new TokenPool(1);
        Token token = tp.get();
        GreenThread<String> e1 = pool.spawn(() -> {
            try {
                tp.get(Duration.ZERO);
                return "received something";
            } catch (TimeoutException e) {
                return "timed out";
            }
        });
        assertThat(e1.join()).isEqualTo("timed out");
        GreenThread<Object> gt = GreenThread.spawn(() -> {
            tp.put(token);
            return null;
        });
        assertThat(pool.spawn(() -> "resumed").join()).isEqualTo("resumed");
        gt.join();
        assertThat(tp.get(LONG)).isSameAs(token);
    }

    // ------------------------------------------------------------------ ExecutorService

    @Nested
    @Timeout(60)
    class AsExecutorService {

        @Test
        void executeRunsTheTask() throws Exception {
            GreenPool pool = new GreenPool(2);
            CountDownLatch ran = new CountDownLatch(1);
            pool.execute(ran::countDown);
            awaitLatch(ran);
            pool.waitAll();
        }

        @Test
        void executeInterruptedWhileWaitingIsRejectedAndKeepsTheInterrupt() throws Exception {
            GreenPool pool = new GreenPool(1);
            CountDownLatch release = new CountDownLatch(1);
            pool.spawn(waitFor(release));
            Background<Boolean> caller = background("execute", () -> {
                try {
                    pool.execute(() -> { });
                    return null;
                } catch (RejectedExecutionException e) {
                    return Thread.currentThread().isInterrupted();
                }
            });
            caller.awaitBlocked();
            caller.thread.interrupt();
            assertThat(caller.get()).isTrue();
            release.countDown();
            pool.waitAll();
            assertPoolHasFree(pool, 1);
        }

        @Test
        void submitCallableRunnableAndRunnableWithResult() throws Exception {
            GreenPool pool = new GreenPool(2);
            assertThat(pool.submit(() -> 42).get(LONG.toSeconds(), TimeUnit.SECONDS)).isEqualTo(42);
            AtomicBoolean ran = new AtomicBoolean();
            assertThat(pool.submit(() -> ran.set(true)).get(LONG.toSeconds(), TimeUnit.SECONDS)).isNull();
            assertThat(ran).isTrue();
            assertThat(pool.submit(() -> { }, "given").get(LONG.toSeconds(), TimeUnit.SECONDS)).isEqualTo("given");
            IllegalStateException boom = new IllegalStateException("boom");
            Future<Object> failing = pool.submit(() -> {
                throw boom;
            });
            assertThatThrownBy(failing::get).isInstanceOf(ExecutionException.class).hasCause(boom);
        }

        @Test
        void invokeAllWaitsForEveryTask() throws Exception {
            GreenPool pool = new GreenPool(2);
            IllegalStateException boom = new IllegalStateException("boom");
            List<Callable<Integer>> tasks = List.of(() -> 1, () -> {
                throw boom;
            }, () -> 3, () -> 4);
            List<Future<Integer>> futures = pool.invokeAll(tasks);
            assertThat(futures).hasSize(4).allMatch(Future::isDone);
            assertThat(futures.get(0).get()).isEqualTo(1);
            assertThatThrownBy(() -> futures.get(1).get()).isInstanceOf(ExecutionException.class).hasCause(boom);
            assertThat(futures.get(2).get()).isEqualTo(3);
            assertThat(futures.get(3).get()).isEqualTo(4);
        }

        @Test
        void invokeAllWithTimeoutCancelsWhatDidNotFinish() throws Exception {
            GreenPool pool = new GreenPool(2);
            List<Callable<Object>> tasks = List.of(() -> "quick", GreenTestSupport::blockUntilInterrupted);
            List<Future<Object>> futures = pool.invokeAll(tasks, SHORT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(futures).hasSize(2).allMatch(Future::isDone);
            assertThat(futures.get(0).get()).isEqualTo("quick");
            assertThat(futures.get(1).isCancelled()).isTrue();
            assertThat(pool.join(LONG)).as("the cancelled task was interrupted").isTrue();
        }

        @Test
        void invokeAnyReturnsASuccessAndKillsTheRest() throws Exception {
            GreenPool pool = new GreenPool(4);
            List<Callable<Object>> tasks = List.of(() -> {
                throw new IllegalStateException("failed");
            }, () -> "winner", GreenTestSupport::blockUntilInterrupted);
            assertThat(pool.invokeAny(tasks)).isEqualTo("winner");
            assertThat(pool.join(LONG)).isTrue();
            assertThat(pool.invokeAny(tasks, LONG.toSeconds(), TimeUnit.SECONDS)).isEqualTo("winner");
            assertThat(pool.join(LONG)).isTrue();
        }

        @Test
        void invokeAnyThrowsExecutionExceptionWhenEveryTaskFails() {
            GreenPool pool = new GreenPool(4);
            IllegalStateException a = new IllegalStateException("a");
            IllegalStateException b = new IllegalStateException("b");
            List<Callable<Object>> tasks = List.of(() -> {
                throw a;
            }, () -> {
                throw b;
            });
            assertThatThrownBy(() -> pool.invokeAny(tasks))
                    .isInstanceOf(ExecutionException.class)
                    .satisfies(e -> assertThat(e.getCause()).isIn(a, b));
            assertThatThrownBy(() -> pool.invokeAny(List.of())).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void invokeAnyWithTimeoutThrowsTimeoutException() throws Exception {
            GreenPool pool = new GreenPool(2);
            List<Callable<Object>> tasks = List.of(GreenTestSupport::blockUntilInterrupted);
            assertThatThrownBy(() -> pool.invokeAny(tasks, SHORT.toMillis(), TimeUnit.MILLISECONDS))
                    .isInstanceOf(TimeoutException.class);
            assertThat(pool.join(LONG)).isTrue();
        }

        @Test
        void invokeAnyWithTimeoutKeepsItsDeadlineWhileThePoolIsFull() throws Exception {
            // more tasks than slots: the second spawn waits for a slot, but no longer than the timeout
            GreenPool pool = new GreenPool(1);
            List<Callable<Object>> tasks = List.of(GreenTestSupport::blockUntilInterrupted,
                    GreenTestSupport::blockUntilInterrupted);
            Background<Object> caller = background("invokeAny",
                    () -> pool.invokeAny(tasks, SHORT.toMillis(), TimeUnit.MILLISECONDS));
            assertThat(caller.failure()).isInstanceOf(TimeoutException.class);
            assertThat(pool.join(LONG)).as("what it started was killed").isTrue();
            assertThat(pool.waiting()).isZero();
        }

        @Test
        void shutdownRejectsNewWorkAndLetsRunningTasksFinish() throws Exception {
            GreenPool pool = new GreenPool(2);
            CountDownLatch release = new CountDownLatch(1);
            GreenThread<String> running = pool.spawn(waitFor(release, "finished"));
            pool.shutdown();
            assertThat(pool.isShutdown()).isTrue();
            assertThat(pool.isTerminated()).isFalse();
            assertThatThrownBy(() -> pool.spawn(() -> "x")).isInstanceOf(RejectedExecutionException.class);
            assertThatThrownBy(() -> pool.spawn(() -> "x", LONG)).isInstanceOf(RejectedExecutionException.class);
            assertThatThrownBy(() -> pool.spawnN(() -> { })).isInstanceOf(RejectedExecutionException.class);
            assertThatThrownBy(() -> pool.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
            assertThatThrownBy(() -> pool.submit(() -> "x")).isInstanceOf(RejectedExecutionException.class);
            assertThatThrownBy(() -> pool.applyAsync(() -> "x")).isInstanceOf(RejectedExecutionException.class);
            assertThatThrownBy(() -> pool.imap(x -> x, List.of(1))).isInstanceOf(RejectedExecutionException.class);
            GreenPile<String> pile = new GreenPile<>(pool);
            assertThatThrownBy(() -> pile.spawn(() -> "x")).isInstanceOf(RejectedExecutionException.class);
            assertThat(pile.size()).isZero();
            assertThat(pool.running()).isEqualTo(1);

            assertThat(pool.awaitTermination(SHORT.toMillis(), TimeUnit.MILLISECONDS)).isFalse();
            release.countDown();
            assertThat(running.join()).isEqualTo("finished");
            assertThat(pool.awaitTermination(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(pool.isTerminated()).isTrue();
        }

        @Test
        void shutdownNowInterruptsRunningTasks() throws Exception {
            GreenPool pool = new GreenPool(3);
            CountDownLatch started = new CountDownLatch(2);
            List<GreenThread<Object>> tasks = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                tasks.add(pool.spawn(() -> {
                    started.countDown();
                    return blockUntilInterrupted();
                }));
            }
            awaitLatch(started);
            assertThat(pool.shutdownNow()).isEmpty();
            assertThat(pool.isShutdown()).isTrue();
            assertThat(pool.awaitTermination(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(pool.isTerminated()).isTrue();
            assertThat(tasks).allMatch(GreenThread::isCancelled);
            assertThatThrownBy(() -> pool.spawn(() -> "x")).isInstanceOf(RejectedExecutionException.class);
        }

        @Test
        void awaitTerminationIsFalseWhileNotShutDown() throws Exception {
            // ExecutorService: "true if this executor terminated"; it cannot terminate before a shutdown
            GreenPool pool = new GreenPool(2);
            assertThat(pool.isTerminated()).isFalse();
            assertThat(pool.awaitTermination(SHORT.toMillis(), TimeUnit.MILLISECONDS)).isFalse();
        }

        @Test
        void awaitTerminationWaitingBeforeTheShutdownReturnsOnceTerminated() throws Exception {
            GreenPool pool = new GreenPool(2);
            CountDownLatch release = new CountDownLatch(1);
            pool.spawn(waitFor(release));
            Background<Boolean> awaiter = background("awaitTermination",
                    () -> pool.awaitTermination(LONG.toSeconds(), TimeUnit.SECONDS));
            GreenTestSupport.awaitTimedWaiting(awaiter.thread);
            release.countDown();
            assertThat(pool.join(LONG)).isTrue();
            assertThat(awaiter.isDone()).as("quiet is not terminated").isFalse();
            pool.shutdown();
            assertThat(awaiter.get()).isTrue();
            assertThat(pool.isTerminated()).isTrue();
        }

        @Test
        void closeShutsDownAndWaitsForRunningTasks() throws Exception {
            GreenPool pool = new GreenPool(2);
            CountDownLatch release = new CountDownLatch(1);
            GreenThread<String> running = pool.spawn(waitFor(release, "done"));
            Background<Object> releaser = background("releaser", () -> {
                eventually().until(pool::isShutdown);
                release.countDown();
                return null;
            });
            pool.close();
            assertThat(running.join()).isEqualTo("done");
            assertThat(pool.isTerminated()).isTrue();
            releaser.get();
            assertThatThrownBy(() -> pool.spawn(() -> "x")).isInstanceOf(RejectedExecutionException.class);
        }
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void badInputThrowsClearExceptionsAndChangesNothing() throws Exception {
        // gevent test_init_error
        assertThatThrownBy(() -> new GreenPool(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");

        GreenPool pool = new GreenPool(2);
        assertThatThrownBy(() -> pool.resize(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(pool.size()).isEqualTo(2);
        assertThat(pool.free()).isEqualTo(2);

        assertThatThrownBy(() -> pool.spawn(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.spawn(null, LONG)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.spawn(() -> "x", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.spawn(() -> "x", Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pool.spawnN(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.execute(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.submit((Callable<Object>) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.submit((Runnable) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.apply(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.applyAsync(null)).isInstanceOf(NullPointerException.class);
        AtomicBoolean ran = new AtomicBoolean();
        assertThatThrownBy(() -> pool.applyAsync(() -> ran.getAndSet(true), null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.add(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.join(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.join(null, true)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.join(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pool.waitAvailable(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool.waitAvailable(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(pool.discard(null)).isFalse();
        assertThat(pool.contains(null)).isFalse();
        assertThat(pool.killOne(null)).isFalse();

        assertThat(ran).isFalse();
        assertThat(pool.size()).isEqualTo(2);
        assertThat(pool.running()).isZero();
        assertThat(pool.waiting()).isZero();
        assertThat(pool.free()).isEqualTo(2);
        assertThat(pool.spawnedCount()).isZero();
        assertPoolHasFree(pool, 2);
    }

    @Test
    void defaultSizeIsAThousand() {
        assertThat(new GreenPool().size()).isEqualTo(1000);
    }

    static void uninterruptibly(CountDownLatch latch) {
        try {
            awaitLatch(latch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
