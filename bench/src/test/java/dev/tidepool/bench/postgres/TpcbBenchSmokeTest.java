package dev.tidepool.bench.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tidepool.bench.postgres.TpcbReport.PoolResult;
import dev.tidepool.bench.postgres.TpcbReport.RoundResult;
import dev.tidepool.bench.postgres.TpcbReport.Scenario;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TPC-B benchmark end to end, tiny, so that it cannot rot: the embedded PostgreSQL, scale 1,
 * one round of 1 s per pool with 20 virtual threads on pools of 20; then its JSON read back and
 * its charts drawn. It checks what the run did (transactions, no errors, the server's view of the
 * pools), never how fast.
 */
class TpcbBenchSmokeTest {

    @TempDir
    Path dir;

    @Test
    void tinyRunCommitsThroughEveryPoolAndItsReportReadsBackAndDraws() throws Exception {
        Path json = dir.resolve("report").resolve("tpcb.json");
        TpcbOptions options = TpcbOptions.parse("--scale", "1", "--rounds", "1", "--warmup", "0", "--duration", "1s",
                "--shapes", "virtual:20", "--settings", "fixed20", "--json", json.toString());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        TpcbReport report = TpcbBench.run(options, new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(report.scenarios()).hasSize(1);
        Scenario scenario = report.scenarios().get(0);
        assertThat(scenario.pools()).extracting(PoolResult::pool).containsExactly("tidepool", "hikari", "agroal");
        for (PoolResult pool : scenario.pools()) {
            assertThat(pool.rounds()).as(pool.pool()).hasSize(1);
            RoundResult round = pool.rounds().get(0);
            assertThat(round.transactions()).as(pool.pool() + " transactions").isPositive();
            assertThat(round.errors()).as(pool.pool() + " errors: " + round.firstError()).isZero();
            assertThat(round.firstError()).as(pool.pool()).isNull();
            assertThat(round.starved()).as(pool.pool() + " starved").isZero();
            assertThat(round.peakBackends()).as(pool.pool() + ": a full, fixed pool of 20").isEqualTo(20);
            assertThat(round.cpuMicrosPerTransaction()).as(pool.pool()).isPositive();
            assertThat(pool.summary().transactionsPerSecond().median()).isEqualTo(round.transactionsPerSecond());
        }
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("| pool | tx/s | p50 wait ms | p99 wait ms | max wait ms | starved threads | errors")
                .contains("Tidepool vs the best peer");

        JsonObject root = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertThat(root.keySet()).containsExactly("benchmark", "date", "environment", "options", "scenarios");
        assertThat(root.get("benchmark").getAsString()).isEqualTo("tpcb-postgres");
        assertThat(root.getAsJsonObject("environment").get("postgres").getAsString()).startsWith("PostgreSQL 14");
        JsonObject scenarioJson = root.getAsJsonArray("scenarios").get(0).getAsJsonObject();
        assertThat(scenarioJson.keySet()).contains("name", "shape", "virtualThreads", "threads", "settings", "pools");
        JsonArray pools = scenarioJson.getAsJsonArray("pools");
        assertThat(pools).hasSize(3);
        JsonObject summary = pools.get(0).getAsJsonObject().getAsJsonObject("summary");
        assertThat(summary.keySet()).containsExactly("transactionsPerSecond", "p50WaitMicros", "p99WaitMicros",
                "maxWaitMicros", "starved", "errors", "cpuMicrosPerTransaction", "peakBackends");
        assertThat(summary.getAsJsonObject("transactionsPerSecond").keySet()).containsExactly("median", "min", "max");
        JsonObject roundJson = pools.get(0).getAsJsonObject().getAsJsonArray("rounds").get(0).getAsJsonObject();
        assertThat(roundJson.keySet()).contains("transactionsPerSecond", "p50WaitMicros", "p99WaitMicros",
                "maxWaitMicros", "starved", "errors", "cpuMicrosPerTransaction", "peakBackends");
        assertThat(TpcbReport.read(json)).isEqualTo(report);

        List<Path> charts = TpcbCharts.render(TpcbReport.read(json), dir.resolve("charts"));
        assertThat(charts).extracting(p -> p.getFileName().toString())
                .containsExactly("tpcb-virtual-20-fixed20-throughput.png", "tpcb-virtual-20-fixed20-waits.png");
        for (Path chart : charts) {
            assertThat(Files.size(chart)).as(chart.toString()).isGreaterThan(1000);
            BufferedImage image = ImageIO.read(chart.toFile());
            assertThat(image).as(chart + " is a PNG").isNotNull();
            assertThat(image.getWidth()).isEqualTo(dev.tidepool.bench.Charts.WIDTH);
            assertThat(image.getHeight()).isEqualTo(dev.tidepool.bench.Charts.HEIGHT);
        }
    }
}
