package dev.tidepool.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;

/**
 * What every chart the benchmarks draw shares: a white plot with grey range grid lines, numbers in
 * one locale, one size of PNG, and AWT in headless mode (no display is needed, and CI has none).
 */
public final class Charts {
    /** Width of every PNG, in pixels. */
    public static final int WIDTH = 820;
    /** Height of every PNG, in pixels. */
    public static final int HEIGHT = 460;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Charts() {
    }

    /** White background, grey range grid lines, no outline. */
    public static void style(CategoryPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xCCCCCC));
        plot.setRangeGridlinesVisible(true);
        plot.setOutlineVisible(false);
    }

    /** A number format for {@code pattern} that does not depend on the machine's locale. */
    public static DecimalFormat format(String pattern) {
        return new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT));
    }

    /** Writes {@code chart} to {@code file} as a {@value #WIDTH} x {@value #HEIGHT} PNG. */
    public static Path save(JFreeChart chart, Path file) throws IOException {
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        return file;
    }
}
