package dev.tidepool.bench.jdbc;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tidepool.bench.Charts;
import java.awt.Color;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Draws the charts of a JMH JSON result file ({@code -rf json}) of {@link ConnectionBench} or
 * {@link StatementBench}: one PNG per benchmark class and {@code config}, one group of bars per
 * thread count, one bar per pool at the median of all its measured iterations (every fork's).
 * The tables in docs/benchmarks.md give each row's worst and best fork beside the median.
 *
 * <pre>{@code
 * ./mvnw -q -pl bench -am package exec:exec -DskipTests \
 *     -Dbench.main=dev.tidepool.bench.jdbc.JmhCharts \
 *     -Dbench.args="--json ../docs/data/jdbc-jmh.json --out ../docs/images"
 * }</pre>
 */
public final class JmhCharts {
    private static final Map<String, Color> POOL_COLORS = Map.of(
            "tidepool", new Color(0x4C78A8), "hikari", new Color(0xF58518), "agroal", new Color(0x54A24B));

    private JmhCharts() {
    }

    /** {@code --json FILE --out DIR}; one line and exit code 2 if they are wrong. */
    public static void main(String[] args) throws IOException {
        Charts.Files files = Charts.arguments("JmhCharts", args, Path.of("target", "jdbc-jmh.json"),
                Path.of("target", "charts"), "a JMH result of ConnectionBench/StatementBench, -rf json");
        if (files == null) {
            return;
        }
        for (Path written : render(files.json(), files.out())) {
            System.out.println("wrote " + written.toAbsolutePath().normalize());
        }
    }

    /** One result: a benchmark method, its parameters, and every measured iteration of every fork. */
    record Result(String benchmarkClass, String method, String config, String pool, double median) {
    }

    /** Reads a JMH JSON result file. */
    static List<Result> read(Path json) throws IOException {
        List<Result> results = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(json)) {
            for (JsonElement element : JsonParser.parseReader(reader).getAsJsonArray()) {
                JsonObject run = element.getAsJsonObject();
                String[] name = run.get("benchmark").getAsString().split("\\.");
                JsonObject params = run.getAsJsonObject("params");
                List<Double> values = new ArrayList<>();
                for (JsonElement fork : run.getAsJsonObject("primaryMetric").getAsJsonArray("rawData")) {
                    for (JsonElement iteration : (JsonArray) fork) {
                        values.add(iteration.getAsDouble());
                    }
                }
                Collections.sort(values);
                int n = values.size();
                double median = n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
                results.add(new Result(name[name.length - 2], name[name.length - 1],
                        params == null || !params.has("config") ? "" : params.get("config").getAsString(),
                        params == null ? "" : params.get("pool").getAsString(), median));
            }
        }
        return results;
    }

    /** Writes one chart per benchmark class and config into {@code directory}; returns the files. */
    public static List<Path> render(Path json, Path directory) throws IOException {
        Files.createDirectories(directory);
        Map<String, List<Result>> byChart = new TreeMap<>();
        for (Result result : read(json)) {
            byChart.computeIfAbsent(result.benchmarkClass() + " " + result.config(), k -> new ArrayList<>()).add(result);
        }
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, List<Result>> chart : byChart.entrySet()) {
            String[] key = chart.getKey().split(" ", 2);
            String file = key[0].replace("Bench", "").toLowerCase(Locale.ROOT) + "-" + key[1] + ".png";
            written.add(Charts.save(bars(key[0], key[1], chart.getValue()), directory.resolve(file)));
        }
        return written;
    }

    private static JFreeChart bars(String benchmarkClass, String config, List<Result> results) {
        DefaultCategoryDataset medians = new DefaultCategoryDataset();
        results.stream()
                .sorted((a, b) -> Integer.compare(order(a.method()), order(b.method())))
                .forEach(r -> medians.addValue(r.median(), r.pool(), threads(r.method())));
        BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        for (int i = 0; i < medians.getRowCount(); i++) {
            renderer.setSeriesPaint(i, POOL_COLORS.getOrDefault(String.valueOf(medians.getRowKey(i)), Color.GRAY));
        }
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", Charts.format("0.0")));
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12,
                TextAnchor.BOTTOM_CENTER));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setItemMargin(0.05);
        NumberAxis axis = new NumberAxis("operations/µs (higher is better)");
        CategoryPlot plot = new CategoryPlot(medians, new CategoryAxis(null), axis, renderer);
        Charts.style(plot);
        String what = benchmarkClass.equals("ConnectionBench") ? "getConnection() + close()"
                : "createStatement() + execute() + close()";
        JFreeChart chart = new JFreeChart(benchmarkClass + ", " + config + ": " + what, JFreeChart.DEFAULT_TITLE_FONT,
                plot, true);
        chart.addSubtitle(new TextTitle("bars: median of every measured iteration of every fork; stub driver, pool of "
                + JdbcPools.SIZE));
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.TOP);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** The benchmark method's thread count, from its name ({@code cycle_t2}, {@code statement_vt32}). */
    static String threads(String method) {
        String suffix = method.substring(method.lastIndexOf('_') + 1);
        return suffix.startsWith("vt") ? suffix.substring(2) + " virtual" : suffix.substring(1) + " platform";
    }

    private static int order(String method) {
        String suffix = method.substring(method.lastIndexOf('_') + 1);
        return suffix.startsWith("vt") ? 1_000 + Integer.parseInt(suffix.substring(2))
                : Integer.parseInt(suffix.substring(1));
    }
}
