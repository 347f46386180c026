package dev.tidepool.core;

import static dev.tidepool.core.GreenTestSupport.LONG;
import static dev.tidepool.core.GreenTestSupport.SHORT;
import static dev.tidepool.core.GreenTestSupport.awaitLatch;
import static dev.tidepool.core.GreenTestSupport.background;
import static dev.tidepool.core.GreenTestSupport.blockUntilInterrupted;
import static dev.tidepool.core.GreenTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidepool.core.GreenPoolTest.Undead;
import dev.tidepool.core.GreenTestSupport.Background;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TaskGroup, gevent's Group: tracks tasks and never limits them (gevent's test__greenletset.py). */
@Timeout(60)
class TaskGroupTest {

    static Callable<Object> waitFor(CountDownLatch release) {
        return GreenPoolTest.waitFor(release);
    }

    @Test
    void neverLimitsHowManyTasksRun() throws Exception {
        TaskGroup group = new TaskGroup();
        int n = 500;
        CountDownLatch allRunning = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        List<GreenThread<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int id = i;
            tasks.add(group.spawn(() -> { // never blocks
                allRunning.countDown();
                awaitLatch(release);
                return id;
            }));
        }
        awaitLatch(allRunning); // all 500 are running at the same time
        assertThat(group.running()).isEqualTo(n);
        release.countDown();
        assertThat(group.join(LONG)).isTrue();
        assertThat(group.running()).isZero();
        for (int i = 0; i < n; i++) {
            assertThat(tasks.get(i).join()).isEqualTo(i);
        }
    }

    @Test
    void tracksATaskUntilItEnds() throws Exception {
        // gevent test_basic
        TaskGroup group = new TaskGroup();
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);
        GreenThread<Object> a = group.spawn(waitFor(first));
        assertThat(group.running()).isEqualTo(1);
        GreenThread<Object> b = group.spawn(waitFor(second));
        assertThat(group.running()).isEqualTo(2);
        assertThat(group.contains(a)).isTrue();
        assertThat(group.contains(b)).isTrue();
        first.countDown();
        a.join();
        assertThat(group.running()).isEqualTo(1);
        assertThat(group.contains(a)).isFalse();
        second.countDown();
        b.join();
        assertThat(group.running()).isZero();
        assertThat(group.contains(b)).isFalse();
    }

    @Test
    void joinWaitsForEveryTask() throws Exception {
        // gevent test_waitall
        TaskGroup group = new TaskGroup();
        CountDownLatch release = new CountDownLatch(1);
        group.spawn(waitFor(release));
        group.spawn(waitFor(release));
        assertThat(group.join(SHORT)).isFalse();
        assertThat(group.join(Duration.ZERO)).isFalse();
        Background<Boolean> joiner = background("joiner", () -> group.join(LONG, true));
        joiner.awaitBlocked();
        release.countDown();
        assertThat(joiner.get()).isTrue();
        assertThat(group.running()).isZero();
        assertThat(new TaskGroup().join(Duration.ZERO)).as("an empty group").isTrue();
    }

    @Test
    void joinRaisingErrorsThrowsTheFailure() throws Exception {
        for (Throwable failure : List.of(new IllegalStateException("rt"), new IOException("checked"),
                new AssertionError("error"))) {
            TaskGroup group = new TaskGroup();
            CountDownLatch go = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            group.spawn(() -> {
                awaitLatch(go);
                throw GreenTestSupport.<RuntimeException>sneakyThrow(failure);
            });
            group.spawn(waitFor(release));
            Background<Boolean> joiner = background("joiner", () -> group.join(LONG, true));
            joiner.awaitBlocked();
            go.countDown();
            Throwable thrown = joiner.failure();
            release.countDown();
            if (failure instanceof IOException) {
                assertThat(thrown).isInstanceOf(CompletionException.class).hasCause(failure);
            } else {
                assertThat(thrown).isSameAs(failure);
            }
            assertThat(group.join(LONG)).isTrue();
        }
    }

    @Test
    void killInterruptsEveryTaskAndWaits() throws Exception {
        // gevent test_kill_block
        TaskGroup group = new TaskGroup();
        CountDownLatch started = new CountDownLatch(2);
        List<GreenThread<Object>> tasks = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            tasks.add(group.spawn(() -> {
                started.countDown();
                return blockUntilInterrupted();
            }));
        }
        awaitLatch(started);
        group.kill();
        assertThat(group.running()).isZero();
        assertThat(tasks).allMatch(GreenThread::isCancelled);
    }

    @Test
    void killFromInsideThrowsIllegalStateException() throws Exception {
        TaskGroup group = new TaskGroup();
        GreenThread<Object> self = group.spawn(() -> {
            group.kill();
            return "killed itself";
        });
        assertThatThrownBy(self::join).isInstanceOf(IllegalStateException.class);
        GreenThread<Boolean> own = group.spawn(() -> {
            GreenThread<?> me = null;
            for (GreenThread<?> t : group.trackedThreads()) {
                if (t.thread() == Thread.currentThread()) {
                    me = t;
                }
            }
            return group.killOne(me);
        });
        assertThatThrownBy(own::join).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void killAndKillOneInterruptAddedThreadsExactlyOnce() throws Exception {
        // gevent test_kill_fires_once, with threads spawned elsewhere and added
        Undead u1 = new Undead();
        Undead u2 = new Undead();
        GreenThread<String> p1 = GreenThread.spawn(u1);
        GreenThread<String> p2 = GreenThread.spawn(u2);
        awaitLatch(u1.started);
        awaitLatch(u2.started);
        TaskGroup group = new TaskGroup();
        group.add(p1);
        group.add(p2);
        assertThat(group.running()).isEqualTo(2);

        List<Background<Boolean>> killers = new ArrayList<>();
        killers.add(background("killOne-a", () -> group.killOne(p1)));
        eventually().until(() -> u1.shots.get() == 1);
        killers.add(background("killOne-b", () -> group.killOne(p1)));
        killers.add(background("killOne-c", () -> group.killOne(p1)));
        for (int i = 0; i < 3; i++) {
            killers.add(background("kill-" + i, () -> {
                group.kill();
                return true;
            }));
        }
        for (Background<Boolean> killer : killers) {
            if (killer.thread.getName().startsWith("kill-")) {
                GreenTestSupport.awaitTimedWaiting(killer.thread);
            } else {
                killer.awaitBlocked();
            }
        }
        eventually().until(() -> u2.shots.get() == 1);
        assertThat(u1.shots.get()).isEqualTo(1);
        assertThat(group.running()).isEqualTo(2);
        p1.kill(); // the handle's own kill: still at most once
        p2.cancel(true);
        u1.stop.countDown();
        u2.stop.countDown();
        for (Background<Boolean> killer : killers) {
            assertThat(killer.get()).isTrue();
        }
        assertThat(u1.shots.get()).isEqualTo(1);
        assertThat(u2.shots.get()).isEqualTo(1);
        assertThat(group.running()).isZero();
    }

    @Test
    void killOneIsFalseForAThreadTheGroupDoesNotTrack() throws Exception {
        TaskGroup group = new TaskGroup();
        CountDownLatch release = new CountDownLatch(1);
        GreenThread<Object> loose = GreenThread.spawn(waitFor(release));
        try {
            assertThat(group.killOne(loose)).isFalse();
            assertThat(loose.isDone()).isFalse();
            group.add(loose);
            assertThat(group.discard(loose)).isTrue();
            assertThat(group.killOne(loose)).as("discarded").isFalse();
            assertThat(loose.isDone()).isFalse();
        } finally {
            release.countDown();
        }
        loose.join();
    }

    @Test
    void addAndDiscard() throws Exception {
        TaskGroup group = new TaskGroup();
        CountDownLatch release = new CountDownLatch(1);
        GreenThread<Object> loose = GreenThread.spawn(waitFor(release));
        group.add(loose);
        group.add(loose); // twice: tracked once
        assertThat(group.running()).isEqualTo(1);
        assertThat(group.contains(loose)).isTrue();
        assertThat(group.discard(loose)).isTrue();
        assertThat(group.discard(loose)).isFalse();
        assertThat(group.running()).isZero();
        assertThat(group.contains(loose)).isFalse();
        group.add(loose);
        release.countDown();
        loose.join();
        eventually().until(() -> group.running() == 0);
        assertThat(group.contains(loose)).isFalse();

        GreenThread<String> done = GreenThread.spawn(() -> "done");
        done.join();
        done.awaitEnd();
        group.add(done); // already ended: not tracked
        assertThat(group.contains(done)).isFalse();
        assertThat(group.running()).isZero();
        assertThat(group.join(Duration.ZERO)).isTrue();
    }

    @Test
    void applyAndApplyAsync() throws Exception {
        TaskGroup group = new TaskGroup();
        assertThat(group.apply(() -> 6 * 7)).isEqualTo(42);
        assertThat(group.<Object>apply(() -> null)).isNull();
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> group.apply(() -> {
            throw boom;
        })).isSameAs(boom);
        assertThat(group.apply(() -> group.apply(Thread::currentThread) == Thread.currentThread()))
                .as("apply from inside runs inline").isTrue();

        CountDownLatch release = new CountDownLatch(1);
        GreenThread<Object> async = group.applyAsync(waitFor(release));
        assertThat(group.contains(async)).isTrue();
        release.countDown();
        async.join();
        List<Integer> got = new CopyOnWriteArrayList<>();
        assertThat(group.applyAsync(() -> 5, got::add).join()).isEqualTo(5);
        eventually().until(() -> got.equals(List.of(5)));
    }

    @Test
    void theMapFamilyWorksOnAGroup() throws Exception {
        TaskGroup group = new TaskGroup();
        List<Integer> input = IntStream.range(0, 2000).boxed().toList();
        List<Integer> expected = input.stream().map(x -> x + 1).toList();
        try (MapIterator<Integer> it = group.imap(x -> x + 1, input)) {
            List<Integer> got = new ArrayList<>();
            it.forEachRemaining(got::add);
            assertThat(got).containsExactlyElementsOf(expected);
        }
        List<Integer> unordered = new ArrayList<>();
        group.imapUnordered(x -> x + 1, input).forEachRemaining(unordered::add);
        assertThat(unordered).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(group.map(x -> x + 1, input)).containsExactlyElementsOf(expected);
        assertThat(group.mapAsync(x -> x * 2, List.of(1, 2, 3)).join()).containsExactly(2, 4, 6);
        List<Integer> sums = new ArrayList<>();
        group.imap((Integer a, Integer b) -> a + b, List.of(1, 2, 3), List.of(10, 20)).forEachRemaining(sums::add);
        assertThat(sums).containsExactly(11, 22);
        assertThat(group.join(LONG)).isTrue();
    }

    @Test
    void aGroupsImapKeepsAtMostItsWindowRunningOrUnread() throws Exception {
        TaskGroup group = new TaskGroup();
        AtomicInteger started = new AtomicInteger();
        MapIteratorTest.Source src = new MapIteratorTest.Source(5000);
        try (MapIterator<Integer> it = group.imap(x -> {
            started.incrementAndGet();
            return x;
        }, src)) {
            src.awaitFeederParkedAfter(TaskGroup.MAP_WINDOW + 1);
            eventually().until(() -> started.get() >= TaskGroup.MAP_WINDOW);
            assertThat(started.get()).isEqualTo(TaskGroup.MAP_WINDOW);
            int read = 0;
            while (it.hasNext()) {
                assertThat(it.next()).isEqualTo(read);
                read++;
                assertThat(started.get() - read).isLessThanOrEqualTo(TaskGroup.MAP_WINDOW);
            }
            assertThat(read).isEqualTo(5000);
        }
    }

    @Test
    void aKilledTasksJoinAndGetThrowCancellationException() throws Exception {
        TaskGroup group = new TaskGroup();
        GreenThread<Object> victim = group.spawn(GreenTestSupport::blockUntilInterrupted);
        assertThat(group.killOne(victim)).isTrue();
        assertThat(group.contains(victim)).isFalse();
        assertThatThrownBy(victim::join).isInstanceOf(CancellationException.class);
        assertThatThrownBy(victim::get).isInstanceOf(CancellationException.class);
    }

    @Test
    void countersCountTheGroupsTasks() throws Exception {
        TaskGroup group = new TaskGroup();
        group.spawn(() -> 1).join();
        GreenThread<Object> failing = group.spawn(() -> {
            throw new IOException("x");
        });
        assertThatThrownBy(failing::join).isInstanceOf(CompletionException.class);
        GreenThread<Object> killed = group.spawn(GreenTestSupport::blockUntilInterrupted);
        group.killOne(killed);
        assertThat(group.spawnedCount()).isEqualTo(3);
        // A task is counted as the very last step of its end, after the end mark that join and
        // killOne wait for (the contract: exact once nothing ends meanwhile), so allow that step.
        eventually().until(group::completedCount, n -> n == 3);
        assertThat(group.completedCount()).isEqualTo(3);
        assertThat(group.failedCount()).isEqualTo(1);
        assertThatThrownBy(failing::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void badInputThrowsClearExceptionsAndChangesNothing() {
        TaskGroup group = new TaskGroup();
        assertThatThrownBy(() -> group.spawn(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> group.add(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> group.apply(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> group.applyAsync(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> group.applyAsync(() -> 1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> group.join(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> group.join(Duration.ofSeconds(-1), true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> group.imap(null, List.of())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> group.imapUnordered(x -> x, List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(group.discard(null)).isFalse();
        assertThat(group.running()).isZero();
        assertThat(group.spawnedCount()).isZero();
    }
}
