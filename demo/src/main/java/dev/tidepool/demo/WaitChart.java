package dev.tidepool.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws the wait for a connection by percentile, one line per pool, to a PNG: the way latency
 * tails are usually shown (HdrHistogram's percentile plots). The x axis is the percentile on a
 * scale of {@code 1 / (1 - q)}, so 90%, 99%, 99.9% and 99.99% are evenly spaced and the tail
 * gets the room; the y axis is the wait in milliseconds, logarithmic, so microseconds and seconds
 * fit on one picture. Each line stops at the last percentile its run has data for.
 *
 * <p>The data are the runs' own histograms ({@link RunResult#waits()}): every wait of the run,
 * the ones still open at its end included.
 */
final class WaitChart {
    private static final Color[] COLOURS = {new Color(0x00796B), new Color(0xE65100), new Color(0x3949AB)};
    /** Waits below this (1 µs) are drawn at it: a log axis has no 0. */
    private static final double FLOOR_MILLIS = 0.001;

    private WaitChart() {
    }

    /** Writes the chart to {@code file} (1000 x 600 pixels), each subtitle on a line of its own. */
    static void write(Path file, String title, List<String> subtitles, List<RunResult> results) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (RunResult result : results) {
            data.addSeries(series(result));
        }
        LogAxis percentile = new LogAxis("percentile of connection waits");
        percentile.setNumberFormatOverride(new PercentileFormat());
        percentile.setLowerBound(1);
        percentile.setUpperBound(100_000);
        percentile.setBase(10);
        percentile.setMinorTickCount(0);
        percentile.setTickUnit(new NumberTickUnit(1));   // in powers of 10: 0%, 90%, 99%, 99.9%, ...
        LogAxis wait = new LogAxis("wait for a connection (ms)");
        wait.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
        wait.setBase(10);
        wait.setSmallestValue(FLOOR_MILLIS);
        wait.setTickUnit(new NumberTickUnit(1));         // 0.001, 0.01, ... 10,000 ms

        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < results.size(); i++) {
            lines.setSeriesPaint(i, COLOURS[i % COLOURS.length]);
            lines.setSeriesStroke(i, new BasicStroke(3f));
        }
        XYPlot plot = new XYPlot(data, percentile, wait, lines);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xBDBDBD));
        plot.setRangeGridlinePaint(new Color(0xBDBDBD));

        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 18), plot, true);
        for (String subtitle : subtitles) {
            chart.addSubtitle(new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        }
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 1000, 600);
    }

    /** The run's wait at the percentiles 0, 10, ..., 90, 95, 99, 99.5, 99.9, ... as far as its count allows. */
    static XYSeries series(RunResult result) {
        XYSeries series = new XYSeries(result.label() + " (p99 " + Format.nanos(result.waits().percentile(0.99))
                + ", max " + Format.nanos(result.waits().max()) + ")");
        WaitHistogram.Snapshot waits = result.waits();
        if (waits.total() == 0) {
            return series;
        }
        for (double q : quantiles(waits.total())) {
            double x = 1 / (1 - q);
            double millis = Math.max(FLOOR_MILLIS, waits.percentile(q) / 1e6);
            series.add(x, millis);
        }
        return series;
    }

    /** Quantiles spread evenly on the 1 / (1 - q) scale, up to what {@code count} values can tell. */
    static double[] quantiles(long count) {
        double last = Math.min(0.99999, 1 - 1.0 / count);
        int steps = 200;
        double[] qs = new double[steps + 1];
        double top = Math.log10(1 / (1 - last));
        for (int i = 0; i <= steps; i++) {
            qs[i] = 1 - Math.pow(10, -top * i / steps);
        }
        return qs;
    }

    /** Labels the 1 / (1 - q) axis with the percentile q: 1 -> 0%, 10 -> 90%, 100 -> 99%, 1000 -> 99.9%. */
    private static final class PercentileFormat extends NumberFormat {
        private static final long serialVersionUID = 1L;

        @Override
        public StringBuffer format(double number, StringBuffer to, FieldPosition pos) {
            double q = 100 * (1 - 1 / number);
            String text = q < 0.5 ? "0%" : new DecimalFormat("0.####").format(q) + "%";
            return to.append(text);
        }

        @Override
        public StringBuffer format(long number, StringBuffer to, FieldPosition pos) {
            return format((double) number, to, pos);
        }

        @Override
        public Number parse(String source, ParsePosition position) {
            throw new UnsupportedOperationException("labels only");
        }

        @Override
        public String toString() {
            return "PercentileFormat[" + Locale.ROOT + "]";
        }
    }
}
