package dev.tidepool.bench.postgres;

import dev.tidepool.bench.postgres.TpcbReport.PoolResult;
import dev.tidepool.bench.postgres.TpcbReport.Scenario;
import dev.tidepool.bench.postgres.TpcbReport.Spread;
import dev.tidepool.bench.postgres.TpcbReport.Summary;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Prints a {@link TpcbReport} as Markdown: per scenario, one row per pool with every metric as
 * {@code median (min–max)} over the measured rounds, then how Tidepool compares with the best of
 * the other pools (throughput, p99 and max wait, CPU per transaction).
 *
 * <pre>{@code
 * TpcbTables.print(TpcbReport.read(Path.of("target/tpcb-postgres.json")), System.out);
 * }</pre>
 */
public final class TpcbTables {
    private TpcbTables() {
    }

    /** Every scenario's table and comparison line. */
    public static void print(TpcbReport report, PrintStream out) {
        for (Scenario scenario : report.scenarios()) {
            out.println();
            out.printf(Locale.ROOT, "### %s, %s (pool %d, minimum idle %d, connectionTimeout %d ms)%n%n",
                    threads(scenario), scenario.settings().name(), scenario.settings().maximumPoolSize(),
                    scenario.settings().minimumIdle(), scenario.settings().connectionTimeoutMillis());
            out.println("| pool | tx/s | p50 wait ms | p99 wait ms | max wait ms | starved threads | errors"
                    + " | CPU µs/tx | peak backends |");
            out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            for (PoolResult pool : scenario.pools()) {
                Summary s = pool.summary();
                out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", pool.pool(),
                        spread(s.transactionsPerSecond(), TpcbTables::count),
                        spread(s.p50WaitMicros(), TpcbTables::millis), spread(s.p99WaitMicros(), TpcbTables::millis),
                        spread(s.maxWaitMicros(), TpcbTables::millis), spread(s.starved(), TpcbTables::count),
                        spread(s.errors(), TpcbTables::count), spread(s.cpuMicrosPerTransaction(), TpcbTables::count),
                        spread(s.peakBackends(), TpcbTables::count));
            }
            comparison(scenario).ifPresent(line -> out.println("\n" + line));
        }
        out.println();
        out.printf(Locale.ROOT, "Median (min–max) of %d measured rounds of %.1f s per pool (after %d warm-up round(s)),"
                        + " rounds interleaved, order rotated each round; scale %d; %s.%n",
                report.options().rounds(), report.options().secondsPerRound(), report.options().warmupRounds(),
                report.options().scale(), report.environment().postgres());
    }

    /** {@code 1,000 virtual threads}. */
    static String threads(Scenario scenario) {
        return String.format(Locale.ROOT, "%,d %s threads", scenario.threads(),
                scenario.virtualThreads() ? "virtual" : "platform");
    }

    /** Tidepool's medians over the best other pool's, if both are in the scenario. */
    static Optional<String> comparison(Scenario scenario) {
        Optional<PoolResult> tidepool = scenario.pools().stream().filter(p -> p.pool().equals("tidepool")).findFirst();
        List<PoolResult> peers = scenario.pools().stream().filter(p -> !p.pool().equals("tidepool")).toList();
        if (tidepool.isEmpty() || peers.isEmpty()) {
            return Optional.empty();
        }
        Summary ours = tidepool.get().summary();
        PoolResult fastest = peers.stream()
                .max(Comparator.comparingDouble(p -> p.summary().transactionsPerSecond().median())).orElseThrow();
        double bestP99 = peers.stream().mapToDouble(p -> p.summary().p99WaitMicros().median()).min().orElseThrow();
        double bestMax = peers.stream().mapToDouble(p -> p.summary().maxWaitMicros().median()).min().orElseThrow();
        return Optional.of(String.format(Locale.ROOT,
                "Tidepool vs the best peer (medians): throughput %.2fx %s's; p99 wait %s the lowest peer's;"
                        + " max wait %s the lowest peer's; CPU per transaction %s %s's.",
                ours.transactionsPerSecond().median() / fastest.summary().transactionsPerSecond().median(),
                fastest.pool(), ratio(ours.p99WaitMicros().median(), bestP99),
                ratio(ours.maxWaitMicros().median(), bestMax),
                cpuRatio(ours, fastest.summary()), fastest.pool()));
    }

    private static String cpuRatio(Summary ours, Summary theirs) {
        if (ours.cpuMicrosPerTransaction() == null || theirs.cpuMicrosPerTransaction() == null) {
            return "n/a";
        }
        return ratio(ours.cpuMicrosPerTransaction().median(), theirs.cpuMicrosPerTransaction().median());
    }

    private static String ratio(double ours, double theirs) {
        return theirs == 0 ? "n/a" : String.format(Locale.ROOT, "%.2fx", ours / theirs);
    }

    private static String spread(Spread spread, Function<Double, String> format) {
        if (spread == null) {
            return "n/a";
        }
        if (spread.min() == spread.max()) {
            return format.apply(spread.median());
        }
        return format.apply(spread.median()) + " (" + format.apply(spread.min()) + "–" + format.apply(spread.max())
                + ")";
    }

    private static String count(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    /** Microseconds as milliseconds, with the digits that matter at that size. */
    static String millis(double micros) {
        double ms = micros / 1000;
        if (ms < 1) {
            return String.format(Locale.ROOT, "%.3f", ms);
        }
        if (ms < 10) {
            return String.format(Locale.ROOT, "%.2f", ms);
        }
        if (ms < 1000) {
            return String.format(Locale.ROOT, "%.1f", ms);
        }
        return String.format(Locale.ROOT, "%,.0f", ms);
    }
}
