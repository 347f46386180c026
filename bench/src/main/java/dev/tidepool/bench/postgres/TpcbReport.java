package dev.tidepool.bench.postgres;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Everything one run of {@link TpcbBench} measured, as written to and read from JSON (Gson, field
 * names as below): the environment, the options, and per scenario (a thread shape and a set of
 * pool settings) per pool every measured round and a {@link Summary} of the rounds, each metric as
 * a {@link Spread} (median, min, max). Warm-up rounds are not in it. {@link TpcbCharts} draws its
 * charts from this file alone.
 *
 * <p>Units: transactions per second, waits in microseconds, CPU in microseconds of process CPU
 * time per transaction; {@code cpuMicrosPerTransaction} is null for a round with no transaction.
 *
 * <pre>{@code
 * TpcbReport report = TpcbReport.read(Path.of("docs/data/tpcb-postgres.json"));
 * double tps = report.scenarios().get(0).pools().get(0).summary().transactionsPerSecond().median();
 * }</pre>
 */
public record TpcbReport(String benchmark, String date, Environment environment, Options options,
                         List<Scenario> scenarios) {

    /** The value of {@link #benchmark()} in every report. */
    public static final String BENCHMARK = "tpcb-postgres";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls()
            .disableHtmlEscaping().create();

    /** Where and on what it ran. */
    public record Environment(String jvm, String javaVersion, int cpus, String os, String postgres,
                              Map<String, String> poolVersions) {
    }

    /** How it ran (see {@link TpcbOptions}). */
    public record Options(int scale, int rounds, int warmupRounds, double secondsPerRound, long sampleMillis,
                          List<String> pools) {
    }

    /** The settings every pool of a scenario had ({@link PoolSettings}). */
    public record Settings(String name, int maximumPoolSize, int minimumIdle, long connectionTimeoutMillis,
                           boolean autoCommit) {
        static Settings of(PoolSettings settings) {
            return new Settings(settings.name(), settings.maximumPoolSize(), settings.minimumIdle(),
                    settings.connectionTimeout().toMillis(), false);
        }
    }

    /** One thread shape with one set of pool settings, every pool measured in it. */
    public record Scenario(String name, String shape, boolean virtualThreads, int threads, Settings settings,
                           List<PoolResult> pools) {
    }

    /** One pool's measured rounds and their summary. */
    public record PoolResult(String pool, List<RoundResult> rounds, Summary summary) {
        static PoolResult of(String pool, List<RoundResult> rounds) {
            return new PoolResult(pool, List.copyOf(rounds), Summary.of(rounds));
        }
    }

    /**
     * One measured round of one pool.
     *
     * @param round 1-based measured round
     * @param position where in that round's order the pool ran, 1-based (orders rotate)
     * @param transactions committed transactions whose connection was handed out before the deadline
     * @param transactionsPerSecond {@code transactions} / {@code seconds}
     * @param starved threads that got no connection before the deadline
     * @param timeouts {@code getConnection()} calls that failed (e.g. timed out)
     * @param failures transactions that failed after getting a connection
     * @param errors {@code timeouts + failures}
     * @param cpuMicrosPerTransaction process CPU time of the round (drain included) per transaction
     *        committed in it (drain included); null if none
     * @param peakBackends the most connections of the pool {@code pg_stat_activity} showed
     * @param firstError the first error's message, or null
     */
    public record RoundResult(int round, int position, long transactions, double seconds,
                              double transactionsPerSecond, double p50WaitMicros, double p99WaitMicros,
                              double maxWaitMicros, int starved, long timeouts, long failures, long errors,
                              Double cpuMicrosPerTransaction, int peakBackends, String firstError) {
    }

    /** Each metric over the measured rounds. {@code cpuMicrosPerTransaction} is null if no round had one. */
    public record Summary(Spread transactionsPerSecond, Spread p50WaitMicros, Spread p99WaitMicros,
                          Spread maxWaitMicros, Spread starved, Spread errors, Spread cpuMicrosPerTransaction,
                          Spread peakBackends) {
        static Summary of(List<RoundResult> rounds) {
            return new Summary(Spread.of(rounds, RoundResult::transactionsPerSecond),
                    Spread.of(rounds, RoundResult::p50WaitMicros), Spread.of(rounds, RoundResult::p99WaitMicros),
                    Spread.of(rounds, RoundResult::maxWaitMicros), Spread.of(rounds, RoundResult::starved),
                    Spread.of(rounds, RoundResult::errors),
                    Spread.of(rounds.stream().filter(r -> r.cpuMicrosPerTransaction() != null).toList(),
                            RoundResult::cpuMicrosPerTransaction),
                    Spread.of(rounds, RoundResult::peakBackends));
        }
    }

    /** The median of some values (the mean of the middle two for an even count), their min and max. */
    public record Spread(double median, double min, double max) {
        /** The spread of {@code metric} over {@code rounds}; null if there are none. */
        static Spread of(List<RoundResult> rounds, ToDoubleFunction<RoundResult> metric) {
            return of(rounds.stream().mapToDouble(metric).toArray());
        }

        /** The spread of {@code values}; null if there are none. */
        public static Spread of(double... values) {
            if (values.length == 0) {
                return null;
            }
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            return new Spread(median, sorted[0], sorted[n - 1]);
        }
    }

    /** Writes this report as JSON to {@code file}, making its directory if needed. */
    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            GSON.toJson(this, out);
            out.write('\n');
        }
    }

    /**
     * Reads a report {@link #write} wrote.
     *
     * @throws IOException if the file cannot be read, is not JSON, or is not a TPC-B report (the
     *         message names the file)
     */
    public static TpcbReport read(Path file) throws IOException {
        TpcbReport report;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            report = GSON.fromJson(in, TpcbReport.class);
        } catch (JsonParseException e) {
            throw new IOException(file + ": not a TPC-B report (" + e.getMessage() + ")", e);
        }
        if (report == null || !BENCHMARK.equals(report.benchmark()) || report.scenarios() == null) {
            throw new IOException(file + ": not a TPC-B report (expected \"benchmark\": \"" + BENCHMARK
                    + "\" and \"scenarios\")");
        }
        return report;
    }
}
