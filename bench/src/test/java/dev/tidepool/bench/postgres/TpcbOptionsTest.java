package dev.tidepool.bench.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's options, its median and rotation, and its report reader refuse bad input by name. */
class TpcbOptionsTest {

    @Test
    void defaultsAreTheIssuesTwoShapesOnBothSettingsWithAllThreePools() {
        TpcbOptions options = TpcbOptions.parse();
        assertThat(options.scale()).isEqualTo(10);
        assertThat(options.shapes()).containsExactly(new Shape(true, 1000), new Shape(false, 64));
        assertThat(options.settings()).containsExactly(PoolSettings.FIXED_20, PoolSettings.BENCHBASE);
        assertThat(options.pools()).containsExactly("tidepool", "hikari", "agroal");
        assertThat(PoolSettings.FIXED_20).isEqualTo(new PoolSettings("fixed20", 20, 20, Duration.ofSeconds(30)));
    }

    @Test
    void optionsAreRead() {
        TpcbOptions options = TpcbOptions.parse("--scale", "2", "--rounds", "3", "--warmup", "0", "--duration",
                "500ms", "--shapes", "platform:8", "--settings", "benchbase", "--pools", "hikari,tidepool",
                "--sample", "20ms", "--json", "x.json");
        assertThat(options).isEqualTo(new TpcbOptions(2, 3, 0, Duration.ofMillis(500), List.of(new Shape(false, 8)),
                List.of(PoolSettings.BENCHBASE), List.of("hikari", "tidepool"), Duration.ofMillis(20), Path.of("x.json")));
        assertThat(TpcbOptions.parse("--help")).isNull();
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> TpcbOptions.parse("--rounds", "many")).hasMessageContaining("--rounds 'many'");
        assertThatThrownBy(() -> TpcbOptions.parse("--rounds", "0")).hasMessageContaining("--rounds 0");
        assertThatThrownBy(() -> TpcbOptions.parse("--scale", "0")).hasMessageContaining("--scale 0");
        assertThatThrownBy(() -> TpcbOptions.parse("--duration", "soon")).hasMessageContaining("--duration 'soon'");
        assertThatThrownBy(() -> TpcbOptions.parse("--shapes", "green:10")).hasMessageContaining("'green:10'");
        assertThatThrownBy(() -> TpcbOptions.parse("--shapes", "virtual:0")).hasMessageContaining("threads 0");
        assertThatThrownBy(() -> TpcbOptions.parse("--settings", "huge")).hasMessageContaining("'huge'");
        assertThatThrownBy(() -> TpcbOptions.parse("--pools", "c3p0")).hasMessageContaining("'c3p0'");
        assertThatThrownBy(() -> TpcbOptions.parse("--frobnicate", "1")).hasMessageContaining("'--frobnicate'");
        assertThatThrownBy(() -> TpcbOptions.parse("--rounds")).hasMessageContaining("--rounds: a value is missing");
        assertThatThrownBy(() -> new PoolSettings("odd", 10, 11, Duration.ofSeconds(1)))
                .hasMessageContaining("minimumIdle 11");
    }

    @Test
    void spreadIsTheMedianWithMinAndMax() {
        assertThat(TpcbReport.Spread.of(3, 1, 2)).isEqualTo(new TpcbReport.Spread(2, 1, 3));
        assertThat(TpcbReport.Spread.of(4, 1, 2, 3)).isEqualTo(new TpcbReport.Spread(2.5, 1, 4));
        assertThat(TpcbReport.Spread.of()).isNull();
    }

    @Test
    void everyRoundStartsWithTheNextPool() {
        List<String> pools = List.of("a", "b", "c");
        assertThat(TpcbBench.rotated(pools, 0)).containsExactly("a", "b", "c");
        assertThat(TpcbBench.rotated(pools, 1)).containsExactly("b", "c", "a");
        assertThat(TpcbBench.rotated(pools, 5)).containsExactly("c", "a", "b");
    }

    @Test
    void aFileThatIsNotAReportIsNamed(@TempDir Path dir) throws IOException {
        Path other = Files.writeString(dir.resolve("other.json"), "{\"benchmark\": \"jmh\", \"scenarios\": []}");
        assertThatThrownBy(() -> TpcbReport.read(other)).isInstanceOf(IOException.class)
                .hasMessageContaining(other.toString()).hasMessageContaining("not a TPC-B report");
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"benchmark\": ");
        assertThatThrownBy(() -> TpcbReport.read(broken)).isInstanceOf(IOException.class)
                .hasMessageContaining(broken.toString());
    }
}
