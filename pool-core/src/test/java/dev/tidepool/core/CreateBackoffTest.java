package dev.tidepool.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The pacing rule on a clock the test moves: no pacing while creates succeed; after a failure one
 * turn per interval (10 ms doubling to the maximum), taken by one caller only; a refused turn makes
 * sure of a dispatch; a success ends the pacing and dispatches at once.
 */
class CreateBackoffTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ManualClock clock = new ManualClock();
    private final AtomicInteger dispatches = new AtomicInteger();
    private final CreateBackoff backoff = new CreateBackoff(250 * MS, dispatches::incrementAndGet, clock);

    @Test
    void noPacingWhileCreatesSucceed() {
        for (int i = 0; i < 100; i++) {
            assertThat(backoff.takeTurn()).isTrue();
        }
        assertThat(backoff.paced()).isFalse();
        assertThat(dispatches).hasValue(0);
    }

    @Test
    void afterAFailureOneTurnPerIntervalAndTheIntervalDoublesUpToTheMaximum() {
        long[] intervals = {10, 20, 40, 80, 160, 250, 250};
        for (long interval : intervals) {
            backoff.failed();
            assertThat(backoff.paced()).isTrue();
            clock.advance(Duration.ofNanos(interval * MS - 1));
            assertThat(backoff.takeTurn()).as("1 ns before the turn after %d ms", interval).isFalse();
            clock.advance(Duration.ofNanos(1));
            assertThat(backoff.takeTurn()).as("the turn after %d ms", interval).isTrue();
            assertThat(backoff.takeTurn()).as("a second caller at the same turn").isFalse();
        }
    }

    @Test
    void aRefusedTurnMakesSureOfADispatch() {
        backoff.failed();
        assertThat(backoff.takeTurn()).isFalse();
        // The dispatch comes from the shared timer, about 10 ms (of real time) later.
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> dispatches.get() >= 1);
    }

    @Test
    void aSuccessEndsThePacingDispatchesAndStartsTheIntervalsAgain() {
        backoff.failed();
        backoff.failed();
        backoff.failed();

        backoff.succeeded();

        assertThat(backoff.paced()).isFalse();
        assertThat(dispatches).hasValue(1);
        assertThat(backoff.takeTurn()).isTrue();
        backoff.succeeded(); // not paced: nothing to end, no dispatch
        assertThat(dispatches).hasValue(1);
        backoff.failed();
        clock.advance(Duration.ofMillis(10));
        assertThat(backoff.takeTurn()).isTrue();
    }
}
