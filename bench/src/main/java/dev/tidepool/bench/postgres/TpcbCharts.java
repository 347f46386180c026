package dev.tidepool.bench.postgres;

import dev.tidepool.bench.Charts;
import dev.tidepool.bench.postgres.TpcbReport.PoolResult;
import dev.tidepool.bench.postgres.TpcbReport.Scenario;
import dev.tidepool.bench.postgres.TpcbReport.Spread;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.MinMaxCategoryRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Draws the charts of a {@link TpcbReport} (the JSON {@link TpcbBench} writes) as PNG files with
 * JFreeChart, two per scenario: {@code tpcb-<scenario>-throughput.png}, one bar per pool at the
 * median transactions per second with a min–max bar over the measured rounds, and
 * {@code tpcb-<scenario>-waits.png}, the median p50, p99 and max wait for a connection per pool on
 * a logarithmic millisecond axis. Nothing but the JSON goes in, so the charts can be redrawn from a
 * committed report at any time:
 *
 * <pre>{@code
 * ./mvnw -q -pl bench -am package exec:exec -DskipTests \
 *     -Dbench.main=dev.tidepool.bench.postgres.TpcbCharts \
 *     -Dbench.args="--json ../docs/data/tpcb-postgres.json --out ../docs/images"
 * }</pre>
 */
public final class TpcbCharts {
    /** A wait of 0 cannot sit on a log axis; this is the axis floor, in ms (1 µs). */
    private static final double SMALLEST_WAIT_MS = 0.001;

    private TpcbCharts() {
    }

    /** {@code --json FILE --out DIR}; one line and exit code 2 if they are wrong. */
    public static void main(String[] args) throws IOException {
        Charts.Files files = Charts.arguments("TpcbCharts", args, Path.of("target", "tpcb-postgres.json"),
                Path.of("target", "charts"), "run TpcbBench first, or pass --json");
        if (files == null) {
            return;
        }
        for (Path written : render(TpcbReport.read(files.json()), files.out())) {
            System.out.println("wrote " + written.toAbsolutePath().normalize());
        }
    }

    /** Writes both charts of every scenario into {@code directory} (made if needed); returns the files. */
    public static List<Path> render(TpcbReport report, Path directory) throws IOException {
        Files.createDirectories(directory);
        List<Path> written = new ArrayList<>();
        for (Scenario scenario : report.scenarios()) {
            String slug = slug(scenario);
            written.add(Charts.save(throughput(report, scenario), directory.resolve("tpcb-" + slug + "-throughput.png")));
            written.add(Charts.save(waits(report, scenario), directory.resolve("tpcb-" + slug + "-waits.png")));
        }
        return written;
    }

    /** {@code virtual-1000-fixed20}: the scenario's name as a file name. */
    static String slug(Scenario scenario) {
        return (scenario.shape() + "-" + scenario.settings().name()).replaceAll("[^A-Za-z0-9]+", "-");
    }

    /** Median bars with a min–max line over each. */
    static JFreeChart throughput(TpcbReport report, Scenario scenario) {
        DefaultCategoryDataset medians = new DefaultCategoryDataset();
        DefaultCategoryDataset range = new DefaultCategoryDataset();
        for (PoolResult pool : scenario.pools()) {
            Spread tps = pool.summary().transactionsPerSecond();
            medians.addValue(tps.median(), "median", pool.pool());
            range.addValue(tps.min(), "min", pool.pool());
            range.addValue(tps.max(), "max", pool.pool());
        }
        BarRenderer bars = new BarRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, new Color(0x4C78A8));
        bars.setMaximumBarWidth(0.18);
        // Above the bar and left of the min-max line, which runs up the bar's middle.
        bars.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}   ", Charts.format("#,##0")));
        bars.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12,
                TextAnchor.BOTTOM_RIGHT));
        bars.setDefaultItemLabelsVisible(true);
        bars.setDefaultSeriesVisibleInLegend(false);
        MinMaxCategoryRenderer minMax = new MinMaxCategoryRenderer();
        minMax.setGroupPaint(Color.BLACK);
        minMax.setGroupStroke(new BasicStroke(2f));
        minMax.setDefaultSeriesVisibleInLegend(false);

        NumberAxis axis = new NumberAxis("transactions/s");
        axis.setNumberFormatOverride(Charts.format("#,##0"));
        CategoryPlot plot = new CategoryPlot(medians, new CategoryAxis(null), axis, bars);
        plot.setDataset(1, range);
        plot.setRenderer(1, minMax);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        Charts.style(plot);
        JFreeChart chart = new JFreeChart("TPC-B on PostgreSQL, " + TpcbTables.threads(scenario) + ", "
                + scenario.settings().name() + ": transactions/s", JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.addSubtitle(new TextTitle(String.format(Locale.ROOT, "bar: median of %d rounds, line: min–max; %s",
                report.options().rounds(), footnote(report))));
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** p50, p99 and max wait per pool (medians over the rounds), log axis. */
    static JFreeChart waits(TpcbReport report, Scenario scenario) {
        DefaultCategoryDataset waits = new DefaultCategoryDataset();
        for (PoolResult pool : scenario.pools()) {
            waits.addValue(ms(pool.summary().p50WaitMicros()), "p50", pool.pool());
            waits.addValue(ms(pool.summary().p99WaitMicros()), "p99", pool.pool());
            waits.addValue(ms(pool.summary().maxWaitMicros()), "max", pool.pool());
        }
        BarRenderer bars = new BarRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, new Color(0x72B7B2));
        bars.setSeriesPaint(1, new Color(0xF58518));
        bars.setSeriesPaint(2, new Color(0xE45756));
        bars.setItemMargin(0.05);
        bars.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new MillisFormat()));
        bars.setDefaultItemLabelsVisible(true);

        LogAxis axis = new LogAxis("wait for a connection, ms (log scale)");
        axis.setSmallestValue(SMALLEST_WAIT_MS);
        axis.setBase(10);
        axis.setTickUnit(new NumberTickUnit(1));   // one tick per power of ten
        axis.setNumberFormatOverride(Charts.format("#,##0.###"));
        CategoryPlot plot = new CategoryPlot(waits, new CategoryAxis(null), axis, bars);
        Charts.style(plot);
        JFreeChart chart = new JFreeChart("TPC-B on PostgreSQL, " + TpcbTables.threads(scenario) + ", "
                + scenario.settings().name() + ": wait for a connection", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.addSubtitle(new TextTitle(String.format(Locale.ROOT, "medians of %d rounds; %s",
                report.options().rounds(), footnote(report))));
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static String footnote(TpcbReport report) {
        return String.format(Locale.ROOT, "%s, %d CPUs, %s, scale %d, %.0f s rounds", report.date().substring(0, 10),
                report.environment().cpus(), report.environment().postgres(), report.options().scale(),
                report.options().secondsPerRound());
    }

    private static double ms(Spread micros) {
        return Math.max(SMALLEST_WAIT_MS, micros.median() / 1000);
    }

    /** Milliseconds with the digits that matter at their size ({@link TpcbTables#millis}). */
    private static final class MillisFormat extends NumberFormat {
        @Override
        public StringBuffer format(double ms, StringBuffer to, FieldPosition position) {
            return to.append(TpcbTables.millis(ms * 1000));
        }

        @Override
        public StringBuffer format(long ms, StringBuffer to, FieldPosition position) {
            return format((double) ms, to, position);
        }

        @Override
        public Number parse(String source, ParsePosition position) {
            throw new UnsupportedOperationException("labels are only written");
        }
    }
}
