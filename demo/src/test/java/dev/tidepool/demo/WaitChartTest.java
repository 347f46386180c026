package dev.tidepool.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.data.xy.XYSeries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WaitChartTest {
    private static RunResult run(String label, long... waits) {
        WaitHistogram histogram = new WaitHistogram();
        for (long w : waits) {
            histogram.record(w);
        }
        return new RunResult(label, label, 1, waits.length, histogram.snapshot(), 0, 10, 0, 0, null, false);
    }

    @Test
    void drawsOneLinePerPoolToAPng(@TempDir Path folder) throws IOException {
        long[] fair = new long[1_000];
        long[] unfair = new long[1_000];
        for (int i = 0; i < 1_000; i++) {
            fair[i] = 100_000_000L + i * 10_000L;            // all around 100 ms
            unfair[i] = i < 990 ? 5_000L : 5_000_000_000L;   // mostly µs, a 5 s tail
        }
        Path file = folder.resolve("waits.png");

        WaitChart.write(file, "title", List.of("subtitle"), List.of(run("Tidepool", fair), run("HikariCP", unfair)));

        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image.getWidth()).isEqualTo(1000);
        assertThat(image.getHeight()).isEqualTo(600);
    }

    @Test
    void aSeriesFollowsThePercentilesUpToWhatItsCountCanTell() {
        long[] waits = new long[100];
        for (int i = 0; i < 100; i++) {
            waits[i] = (i + 1) * 1_000_000L;   // 1 .. 100 ms
        }
        XYSeries series = WaitChart.series(run("pool", waits));

        assertThat(series.getMinX()).isEqualTo(1.0);                       // percentile 0
        assertThat(series.getMaxX()).isCloseTo(100.0, org.assertj.core.api.Assertions.within(1e-6)); // 99%: 1 in 100
        assertThat(series.getMaxY()).isBetween(99.0, 100.0);
        assertThat(series.getKey().toString()).startsWith("pool (p99 ");
    }
}
