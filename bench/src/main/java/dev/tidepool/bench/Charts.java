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

    /** Where a chart tool reads its JSON and writes its PNGs. */
    public record Files(Path json, Path out) {
    }

    /**
     * Reads a chart tool's command line, {@code --json FILE --out DIR} (each optional, with the
     * defaults given). Prints the usage and returns null for {@code --help}; prints one line and
     * exits with code 2 for an unknown option, a missing value, or no JSON file at {@code FILE}.
     *
     * @param tool    the tool's name, for the messages
     * @param missing what to tell a user whose JSON file does not exist
     */
    public static Files arguments(String tool, String[] args, Path json, Path out, String missing) {
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                System.out.println(tool + " --json FILE [" + json + "] --out DIR [" + out + "]");
                return null;
            }
            if (i + 1 >= args.length || !(option.equals("--json") || option.equals("--out"))) {
                System.err.println(tool + ": unknown option or missing value: '" + option + "' (try --help)");
                System.exit(2);
                return null;
            }
            Path value = Path.of(args[++i]);
            if (option.equals("--json")) {
                json = value;
            } else {
                out = value;
            }
        }
        if (!java.nio.file.Files.isRegularFile(json)) {
            System.err.println(tool + ": no JSON at " + json.toAbsolutePath().normalize() + " (" + missing + ")");
            System.exit(2);
            return null;
        }
        return new Files(json, out);
    }

    /** Writes {@code chart} to {@code file} as a {@value #WIDTH} x {@value #HEIGHT} PNG. */
    public static Path save(JFreeChart chart, Path file) throws IOException {
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        return file;
    }
}
