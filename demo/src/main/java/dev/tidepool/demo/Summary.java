package dev.tidepool.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The table printed when the demo ends: one column per pool that ran, one row per measure, and
 * under it what "wait" and "starved" mean. With one pool it is that pool's summary; with
 * {@code --compare-hikari} the two side by side.
 */
final class Summary {
    /** The definitions printed under every table (and used in the user guide). */
    static final String WAIT_DEFINITION = "wait: time spent in getConnection(), for every connection asked for;"
            + " a wait still open when the run ended counts with the time waited so far.";
    static final String STARVED_DEFINITION = "starved: clients (of the client virtual threads) that never got"
            + " a connection during their pool's run.";

    private Summary() {
    }

    static void print(PrintStream out, String heading, List<RunResult> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(row("", results, RunResult::label));
        rows.add(row("throughput", results, r -> Format.rate(r.transactionsPerSecond()) + " tx/s"));
        rows.add(row("wait p50", results, r -> Format.nanos(r.waits().percentile(0.50))));
        rows.add(row("wait p99", results, r -> Format.nanos(r.waits().percentile(0.99))));
        rows.add(row("wait max", results, r -> Format.nanos(r.waits().max())));
        rows.add(row("waits over 1 s", results, r -> Format.count(r.waitsOverOneSecond())
                + " of " + Format.count(r.waits().total())));
        rows.add(row("starved clients", results, r -> Format.count(r.starved()) + " of " + Format.count(r.clients())));
        rows.add(row("timeouts", results, r -> Format.count(r.timeouts())));
        rows.add(row("failed transactions", results, r -> Format.count(r.errors())));
        rows.add(row("ran for", results, r -> String.format(java.util.Locale.ROOT, "%.1f s", r.seconds())
                + (r.stoppedEarly() ? " (stopped)" : "")));

        int[] widths = new int[results.size() + 1];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        out.println();
        out.println(heading);
        out.println();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ").append(pad(row[0], widths[0], false));
            for (int c = 1; c < row.length; c++) {
                line.append("   ").append(pad(row[c], widths[c], true));
            }
            out.println(line.toString().stripTrailing());
        }
        out.println();
        out.println("  " + WAIT_DEFINITION);
        out.println("  " + STARVED_DEFINITION);
        for (RunResult r : results) {
            if (r.lastError() != null) {
                out.println("  " + r.label() + ": last failed transaction: " + r.lastError());
            }
        }
        out.flush();
    }

    private static String[] row(String name, List<RunResult> results, Function<RunResult, String> cell) {
        String[] row = new String[results.size() + 1];
        row[0] = name;
        for (int i = 0; i < results.size(); i++) {
            row[i + 1] = cell.apply(results.get(i));
        }
        return row;
    }

    private static String pad(String text, int width, boolean right) {
        String fill = " ".repeat(width - text.length());
        return right ? fill + text : text + fill;
    }
}
