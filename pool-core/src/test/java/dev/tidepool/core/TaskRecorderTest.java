package dev.tidepool.core;

import static dev.tidepool.core.GreenTestSupport.awaitLatch;
import static dev.tidepool.core.GreenTestSupport.blockUntilInterrupted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidepool.core.GreenTestSupport.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link TaskRecorder}: what a GreenPool and a TaskGroup tell it, and when. */
@Timeout(60)
class TaskRecorderTest {
    record Ended(long elapsedNanos, boolean failed) {
    }

    static final class Recording implements TaskRecorder {
        final List<Ended> ended = new CopyOnWriteArrayList<>();

        @Override
        public void taskEnded(long elapsedNanos, boolean failed) {
            ended.add(new Ended(elapsedNanos, failed));
        }
    }

    @Test
    void aPoolStartsWithNoneAndNullMeansNone() {
        try (GreenPool pool = new GreenPool(2)) {
            assertThat(pool.taskRecorder()).isSameAs(TaskRecorder.NONE);
            pool.setTaskRecorder(new Recording());
            pool.setTaskRecorder(null);
            assertThat(pool.taskRecorder()).isSameAs(TaskRecorder.NONE);
        }
    }

    @Test
    void eachTaskIsRecordedOnceWithItsOutcomeBeforeItsResultIsSeen() throws Exception {
        Recording recording = new Recording();
        try (GreenPool pool = new GreenPool(4)) {
            pool.setTaskRecorder(recording);
            GreenThread<String> ok = pool.spawn(() -> {
                Thread.sleep(20); // a measurable body: the elapsed time must cover it
                return "done";
            });
            assertThat(ok.join()).isEqualTo("done");
            assertThat(recording.ended).singleElement().satisfies(e -> {
                assertThat(e.failed()).isFalse();
                assertThat(e.elapsedNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
            });

            GreenThread<Object> bad = pool.spawn(() -> {
                throw new IllegalStateException("boom");
            });
            assertThatThrownBy(bad::join).isInstanceOf(IllegalStateException.class);
            assertThat(recording.ended).hasSize(2);
            assertThat(recording.ended.get(1).failed()).isTrue();
            assertThat(pool.failedCount()).isEqualTo(1);
        }
    }

    @Test
    void aKilledTaskIsRecordedButNotAsFailed() throws Exception {
        Recording recording = new Recording();
        try (GreenPool pool = new GreenPool(1)) {
            pool.setTaskRecorder(recording);
            CountDownLatch started = new CountDownLatch(1);
            GreenThread<Object> blocked = pool.spawn(() -> {
                started.countDown();
                return blockUntilInterrupted();
            });
            awaitLatch(started);
            pool.killOne(blocked);
            assertThatThrownBy(blocked::join).isInstanceOf(CancellationException.class);
            assertThat(recording.ended).singleElement().extracting(Ended::failed).isEqualTo(false);
            assertThat(pool.failedCount()).isZero();
        }
    }

    @Test
    void spawnNAndATaskGroupAreRecordedTooAndWaitAllSeesEveryRecord() throws Exception {
        Recording recording = new Recording();
        try (GreenPool pool = new GreenPool(8)) {
            pool.setTaskRecorder(recording);
            for (int i = 0; i < 100; i++) {
                pool.spawnN(() -> { });
            }
            pool.waitAll();
            assertThat(recording.ended).hasSize(100).noneMatch(Ended::failed);
        }
        Recording groupRecording = new Recording();
        TaskGroup group = new TaskGroup();
        group.setTaskRecorder(groupRecording);
        group.spawn(() -> 1).join();
        assertThat(groupRecording.ended).hasSize(1);
    }

    @Test
    void aRecorderThatThrowsIsLoggedAndTheTaskStillSucceeds() throws Exception {
        try (GreenPool pool = new GreenPool(1);
             LogCapture log = new LogCapture(GreenThread.class.getName())) {
            pool.setTaskRecorder((elapsed, failed) -> {
                throw new IllegalArgumentException("recorder bug");
            });
            assertThat(pool.spawn(() -> "fine").join()).isEqualTo("fine");
            assertThat(log.records).singleElement()
                    .satisfies(r -> assertThat(r.getThrown()).hasMessage("recorder bug"));
        }
    }
}
