package dev.tidepool.bench.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidepool.bench.Charts;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart tool on a small JMH result written here: it reads every fork's iterations, takes
 * their median, and draws one PNG per benchmark class and configuration.
 */
class JmhChartsTest {

    @TempDir
    Path dir;

    @Test
    void readsTheMedianOfEveryIterationOfEveryForkAndDrawsOneChartPerClassAndConfig() throws Exception {
        Path json = dir.resolve("jmh.json");
        Files.writeString(json, "[" + String.join(",",
                run("ConnectionBench.cycle_t1", "benchbase", "tidepool", "[[1.0, 2.0], [3.0, 10.0]]"),
                run("ConnectionBench.cycle_t1", "benchbase", "hikari", "[[4.0], [5.0], [6.0]]"),
                run("ConnectionBench.cycle_vt32", "full", "agroal", "[[7.0, 8.0]]"),
                run("StatementBench.cycle_t2", "benchbase", "tidepool", "[[9.0]]")) + "]");

        List<JmhCharts.Result> results = JmhCharts.read(json);

        assertThat(results).extracting(JmhCharts.Result::median).containsExactly(2.5, 5.0, 7.5, 9.0);
        assertThat(results.get(2)).isEqualTo(new JmhCharts.Result("ConnectionBench", "cycle_vt32", "full", "agroal", 7.5));

        List<Path> charts = JmhCharts.render(json, dir.resolve("charts"));

        assertThat(charts).extracting(p -> p.getFileName().toString())
                .containsExactly("connection-benchbase.png", "connection-full.png", "statement-benchbase.png");
        for (Path chart : charts) {
            BufferedImage image = ImageIO.read(chart.toFile());
            assertThat(image.getWidth()).isEqualTo(Charts.WIDTH);
            assertThat(image.getHeight()).isEqualTo(Charts.HEIGHT);
        }
    }

    private static String run(String benchmark, String config, String pool, String rawData) {
        return """
                {"benchmark": "dev.tidepool.bench.jdbc.%s", "params": {"config": "%s", "pool": "%s"},
                 "primaryMetric": {"rawData": %s}}""".formatted(benchmark, config, pool, rawData);
    }
}
