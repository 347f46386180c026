package dev.tidepool.core;

import static dev.tidepool.core.GreenTestSupport.LONG;
import static dev.tidepool.core.GreenTestSupport.awaitLatch;
import static dev.tidepool.core.GreenTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidepool.core.GreenTestSupport.LogCapture;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** GreenThread: eventlet's GreenThread / gevent's Greenlet as a Future. */
@Timeout(60)
class GreenThreadTest {

    @Test
    void spawnRunsTheTaskOnAVirtualThreadOfItsOwn() throws Exception {
        Thread caller = Thread.currentThread();
        GreenThread<Thread> t = GreenThread.spawn(Thread::currentThread);
        Thread ran = t.join();
        assertThat(ran).isNotSameAs(caller);
        assertThat(ran.isVirtual()).isTrue();
        assertThat(t.isDone()).isTrue();
        assertThat(t.isCancelled()).isFalse();
        assertThat(t.get()).isSameAs(ran);
        assertThat(t.get(1, TimeUnit.SECONDS)).isSameAs(ran);
        assertThat(t.exception()).isNull();
    }

    @Test
    void joinRethrowsUncheckedFailuresAsTheyAreAndWrapsCheckedOnes() {
        IllegalStateException unchecked = new IllegalStateException("unchecked");
        AssertionError error = new AssertionError("error");
        IOException checked = new IOException("checked");
        GreenThread<Object> a = GreenThread.spawn(() -> {
            throw unchecked;
        });
        GreenThread<Object> b = GreenThread.spawn(() -> {
            throw error;
        });
        GreenThread<Object> c = GreenThread.spawn(() -> {
            throw checked;
        });
        assertThatThrownBy(a::join).isSameAs(unchecked);
        assertThatThrownBy(b::join).isSameAs(error);
        assertThatThrownBy(c::join).isInstanceOf(CompletionException.class).hasCause(checked);
    }

    @Test
    void getKeepsTheFutureContract() throws Exception {
        IllegalStateException unchecked = new IllegalStateException("unchecked");
        IOException checked = new IOException("checked");
        GreenThread<Object> a = GreenThread.spawn(() -> {
            throw unchecked;
        });
        GreenThread<Object> c = GreenThread.spawn(() -> {
            throw checked;
        });
        assertThatThrownBy(a::get).isInstanceOf(ExecutionException.class).hasCause(unchecked);
        assertThatThrownBy(c::get).isInstanceOf(ExecutionException.class).hasCause(checked);
        assertThatThrownBy(() -> c.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasCause(checked);

        CountDownLatch release = new CountDownLatch(1);
        GreenThread<Object> slow = GreenThread.spawn(GreenPoolTest.waitFor(release));
        assertThatThrownBy(() -> slow.get(10, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        assertThat(slow.isDone()).isFalse();
        release.countDown();
        assertThat(slow.get(LONG.toSeconds(), TimeUnit.SECONDS)).isNull();
    }

    @Test
    void exceptionIsNullWhileRunningAndOnSuccessAndTheTasksOwnOnFailure() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        IOException checked = new IOException("checked");
        GreenThread<Object> t = GreenThread.spawn(() -> {
            awaitLatch(release);
            throw checked;
        });
        assertThat(t.exception()).isNull();
        release.countDown();
        assertThatThrownBy(t::join).isInstanceOf(CompletionException.class);
        assertThat(t.exception()).isSameAs(checked);
        assertThat(GreenThread.spawn(() -> "ok").exception()).isNull();
    }

    @Test
    void nullResultsAreAllowed() throws Exception {
        GreenThread<Object> t = GreenThread.spawn(() -> null);
        assertThat(t.join()).isNull();
        assertThat(t.get()).isNull();
        assertThat(t.exception()).isNull();
    }

    @Test
    void linkRunsOnceWhenTheTaskCompletes() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GreenThread<String> t = GreenThread.spawn(() -> {
            awaitLatch(release);
            return "result";
        });
        AtomicInteger calls = new AtomicInteger();
        List<Object> seen = new CopyOnWriteArrayList<>();
        assertThat(t.link(done -> {
            calls.incrementAndGet();
            seen.add(done.join());
        })).isSameAs(t);
        assertThat(calls.get()).as("not before completion").isZero();
        release.countDown();
        assertThat(t.join()).isEqualTo("result");
        t.awaitEnd();
        assertThat(calls.get()).isEqualTo(1);
        assertThat(seen).containsExactly("result");

        AtomicInteger late = new AtomicInteger();
        t.link(done -> late.incrementAndGet()); // linked after done: runs at once, in the caller
        assertThat(late.get()).isEqualTo(1);
        t.kill(); // nothing to kill any more; links do not run again
        assertThat(calls.get()).isEqualTo(1);
        assertThat(late.get()).isEqualTo(1);
    }

    @Test
    void linkRunsForFailedAndKilledTasksToo() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        IllegalStateException boom = new IllegalStateException("boom");
        GreenThread<Object> failed = GreenThread.spawn(() -> {
            throw boom;
        });
        failed.link(done -> failures.add(done.exception()));
        eventually().until(() -> failures.size() == 1);
        assertThat(failures).containsExactly(boom);

        GreenThread<Object> killed = GreenThread.spawn(GreenTestSupport::blockUntilInterrupted);
        AtomicInteger calls = new AtomicInteger();
        killed.link(done -> calls.incrementAndGet());
        killed.kill();
        killed.kill();
        eventually().until(() -> calls.get() == 1);
        killed.awaitEnd();
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void aThrowingLinkIsLoggedAndDoesNotStopTheOthers() throws Exception {
        try (LogCapture log = new LogCapture("dev.tidepool.core.GreenThread")) {
            IllegalStateException fromLink = new IllegalStateException("link failed");
            GreenThread<String> t = GreenThread.spawn(() -> "x");
            t.join();
            AtomicBoolean second = new AtomicBoolean();
            t.link(done -> {
                throw fromLink;
            });
            t.link(done -> second.set(true));
            assertThat(second).isTrue();
            assertThat(t.join()).isEqualTo("x");
            assertThat(log.records).anyMatch(r -> r.getThrown() == fromLink);
        }
    }

    @Test
    void killDoesNotWaitForTheTaskToEnd() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch stop = new CountDownLatch(1);
        AtomicInteger interrupts = new AtomicInteger();
        AtomicBoolean finished = new AtomicBoolean();
        GreenThread<String> stubborn = GreenThread.spawn(() -> {
            started.countDown();
            for (;;) {
                try {
                    awaitLatch(stop);
                    finished.set(true);
                    return "ignored the kill";
                } catch (InterruptedException e) {
                    interrupts.incrementAndGet();
                }
            }
        });
        awaitLatch(started);
        stubborn.kill(); // returns although the task goes on
        assertThat(stubborn.isDone()).isTrue();
        assertThat(stubborn.isCancelled()).isTrue();
        assertThatThrownBy(stubborn::join).isInstanceOf(CancellationException.class);
        assertThatThrownBy(stubborn::get).isInstanceOf(CancellationException.class);
        assertThat(stubborn.exception()).isInstanceOf(CancellationException.class);
        eventually().until(() -> interrupts.get() == 1);
        assertThat(finished).as("the task still runs").isFalse();
        assertThat(stubborn.awaitEnd(0)).isFalse();

        stubborn.kill();
        stubborn.cancel(true);
        stop.countDown();
        stubborn.awaitEnd();
        assertThat(finished).isTrue();
        assertThat(interrupts.get()).as("interrupted at most once").isEqualTo(1);
        assertThatThrownBy(stubborn::join).as("the late result does not replace the kill")
                .isInstanceOf(CancellationException.class);
    }

    @Test
    void cancelFollowsTheFutureContract() throws Exception {
        GreenThread<Object> t = GreenThread.spawn(GreenTestSupport::blockUntilInterrupted);
        assertThat(t.cancel(true)).isTrue();
        t.cancel(true); // no effect (Future allows either answer here)
        assertThat(t.isCancelled()).isTrue();
        t.awaitEnd(); // the interrupt ended it

        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        GreenThread<Object> gentle = GreenThread.spawn(() -> {
            try {
                awaitLatch(release);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return null;
        });
        assertThat(gentle.cancel(false)).isTrue();
        assertThat(gentle.isCancelled()).isTrue();
        release.countDown();
        gentle.awaitEnd();
        assertThat(interrupted).as("cancel(false) does not interrupt").isFalse();

        GreenThread<String> done = GreenThread.spawn(() -> "done");
        done.join();
        assertThat(done.cancel(true)).isFalse();
        done.kill();
        assertThat(done.isCancelled()).isFalse();
        assertThat(done.join()).isEqualTo("done");
    }

    @Test
    void killingDoesNotInterruptTheCallerOfAnInlineTask() throws Exception {
        GreenPool pool = new GreenPool(1);
        GreenThread<Boolean> outer = pool.spawn(() -> {
            GreenThread<String> inline = pool.spawn(() -> "inline"); // full: ran in this thread
            inline.kill();
            inline.cancel(true);
            return Thread.currentThread().isInterrupted();
        });
        assertThat(outer.join()).isFalse();
    }

    @Test
    void toStringShowsTheState() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GreenThread<Object> t = GreenThread.spawn(GreenPoolTest.waitFor(release));
        assertThat(t.toString()).contains("running");
        release.countDown();
        t.join();
        assertThat(t.toString()).contains("done");
        GreenThread<Object> k = GreenThread.spawn(GreenTestSupport::blockUntilInterrupted);
        k.kill();
        assertThat(k.toString()).contains("killed");
    }

    @Test
    void badInput() {
        assertThatThrownBy(() -> GreenThread.spawn(null)).isInstanceOf(NullPointerException.class);
        GreenThread<String> t = GreenThread.spawn(() -> "x");
        assertThatThrownBy(() -> t.link(null)).isInstanceOf(NullPointerException.class);
        assertThat(t.join()).isEqualTo("x");
    }
}
