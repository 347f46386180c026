package dev.tidepool.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WaitHistogramTest {
    @Test
    void percentilesAreBucketUpperBoundsWithinOneSixteenth() {
        WaitHistogram histogram = new WaitHistogram();
        for (long v = 1; v <= 10_000; v++) {
            histogram.record(v * 1_000);          // 1 µs .. 10 ms, evenly
        }
        WaitHistogram.Snapshot s = histogram.snapshot();

        assertThat(s.total()).isEqualTo(10_000);
        assertThat(s.max()).isEqualTo(10_000_000);
        assertThat((double) s.percentile(0.50)).isCloseTo(5_000_000, within(5_000_000 / 16.0));
        assertThat(s.percentile(0.50)).isGreaterThanOrEqualTo(5_000_000);
        assertThat((double) s.percentile(0.99)).isCloseTo(9_900_000, within(9_900_000 / 16.0));
        assertThat(s.percentile(1.0)).isEqualTo(10_000_000);
        assertThat(s.countAbove(1_000_000_000)).isZero();
        assertThat(s.countAbove(5_000_000)).isBetween(4_500L, 5_000L);
    }

    @Test
    void smallValuesAreExactAndNegativeOnesCountAsZero() {
        WaitHistogram histogram = new WaitHistogram();
        histogram.record(-5);
        histogram.record(3);
        histogram.record(3);
        WaitHistogram.Snapshot s = histogram.snapshot();

        assertThat(s.percentile(0.34)).isEqualTo(3);
        assertThat(s.percentile(0.33)).isZero();
        assertThat(new WaitHistogram().snapshot().percentile(0.99)).isZero();
        assertThat(WaitHistogram.upperBound(WaitHistogram.index(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theDifferenceOfTwoSnapshotsIsWhatCameInBetween() {
        WaitHistogram histogram = new WaitHistogram();
        histogram.record(2_000_000_000L);
        WaitHistogram.Snapshot first = histogram.snapshot();
        histogram.record(1_000);
        histogram.record(1_000);
        WaitHistogram.Snapshot window = histogram.snapshot().since(first);

        assertThat(window.total()).isEqualTo(2);
        assertThat(window.max()).isBetween(1_000L, 1_063L);
        assertThat(window.percentile(0.99)).isBetween(1_000L, 1_063L);
    }

    @Test
    void manyVirtualThreadsRecordingAtOnceLoseNothing() throws InterruptedException {
        WaitHistogram histogram = new WaitHistogram();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 100; t++) {
            int base = t;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 1_000; i++) {
                    histogram.record(base * 1_000L + i);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(histogram.snapshot().total()).isEqualTo(100_000);
        assertThat(histogram.snapshot().max()).isEqualTo(99 * 1_000L + 999);
    }
}
