package dev.tidepool.bench.postgres;

import dev.tidepool.bench.FairnessRun;
import dev.tidepool.testsupport.tpcb.TpcbSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link TpcbBench}'s command line, checked: every bad value is an {@link IllegalArgumentException}
 * whose message names the option and the value.
 *
 * <pre>{@code
 * TpcbOptions options = TpcbOptions.parse("--rounds", "3", "--duration", "5s", "--shapes", "virtual:1000");
 * }</pre>
 *
 * @param scale pgbench scale (10: 1,000,000 accounts)
 * @param rounds measured rounds per pool and scenario
 * @param warmup unmeasured rounds per pool and scenario, before the measured ones
 * @param duration how long one round runs
 * @param shapes the thread shapes, each a scenario with each of {@code settings}
 * @param settings the pool settings, each a scenario with each of {@code shapes}
 * @param pools the pools, each run in every round of every scenario
 * @param sampleInterval how often {@code pg_stat_activity} is sampled during a round
 * @param json where the report goes
 */
public record TpcbOptions(int scale, int rounds, int warmup, Duration duration, List<Shape> shapes,
                          List<PoolSettings> settings, List<String> pools, Duration sampleInterval, Path json) {

    /** What {@code --help} prints. */
    public static final String USAGE = """
            TpcbBench: pgbench's TPC-B transaction through Tidepool, HikariCP and Agroal on an embedded PostgreSQL.
            options (defaults in brackets):
              --scale N            pgbench scale, 100,000 accounts each [10]
              --rounds N           measured rounds per pool and scenario [5]
              --warmup N           unmeasured rounds per pool and scenario first [1]
              --duration D         length of a round: 10s, 500ms [10s]
              --shapes LIST        virtual:N and/or platform:N, comma-separated [virtual:1000,platform:64]
              --settings LIST      pool settings: fixed20 (20 connections, 20 idle, 30 s timeout) and/or
                                   benchbase (HikariCP-benchmark's: 32, 0 idle, 8 s) [fixed20,benchbase]
              --pools LIST         tidepool, hikari, agroal [tidepool,hikari,agroal]
              --sample D           pg_stat_activity sampling interval [50ms]
              --json FILE          where the JSON report goes, relative to the working directory
                                   (bench/ under exec:exec) [target/tpcb-postgres.json]
              --help               this text
            """;

    public TpcbOptions {
        if (scale < 1 || scale > TpcbSchema.MAX_SCALE) {
            throw new IllegalArgumentException("--scale " + scale + ": expected 1 .. " + TpcbSchema.MAX_SCALE);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds " + rounds + ": expected at least 1");
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup " + warmup + ": expected 0 or more");
        }
        if (duration.toMillis() < 1) {
            throw new IllegalArgumentException("--duration " + duration + ": expected at least 1 ms");
        }
        if (sampleInterval.toMillis() < 1) {
            throw new IllegalArgumentException("--sample " + sampleInterval + ": expected at least 1 ms");
        }
        if (shapes.isEmpty() || settings.isEmpty() || pools.isEmpty()) {
            throw new IllegalArgumentException("--shapes, --settings and --pools each need at least one entry");
        }
        for (String pool : pools) {
            if (!PostgresPools.POOLS.contains(pool)) {
                throw new IllegalArgumentException("--pools: unknown pool '" + pool + "'; known: " + PostgresPools.POOLS);
            }
        }
        shapes = List.copyOf(shapes);
        settings = List.copyOf(settings);
        pools = List.copyOf(pools);
    }

    /** The defaults, as {@link #USAGE} lists them. */
    public static TpcbOptions defaults() {
        return new TpcbOptions(10, 5, 1, Duration.ofSeconds(10),
                List.of(Shape.parse("virtual:1000"), Shape.parse("platform:64")),
                List.of(PoolSettings.FIXED_20, PoolSettings.BENCHBASE), PostgresPools.POOLS,
                Duration.ofMillis(50), Path.of("target", "tpcb-postgres.json"));
    }

    /**
     * Reads {@code args} over {@link #defaults()}.
     *
     * @return the options, or null if {@code --help} was asked for
     * @throws IllegalArgumentException naming the option and value that are wrong
     */
    public static TpcbOptions parse(String... args) {
        TpcbOptions o = defaults();
        int scale = o.scale;
        int rounds = o.rounds;
        int warmup = o.warmup;
        Duration duration = o.duration;
        List<Shape> shapes = o.shapes;
        List<PoolSettings> settings = o.settings;
        List<String> pools = o.pools;
        Duration sample = o.sampleInterval;
        Path json = o.json;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                return null;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + ": a value is missing (try --help)");
            }
            String value = args[++i];
            switch (option) {
                case "--scale" -> scale = integer(option, value);
                case "--rounds" -> rounds = integer(option, value);
                case "--warmup" -> warmup = integer(option, value);
                case "--duration" -> duration = duration(option, value);
                case "--shapes" -> shapes = list(value).stream().map(Shape::parse).toList();
                case "--settings" -> settings = list(value).stream().map(PoolSettings::named).toList();
                case "--pools" -> pools = list(value);
                case "--sample" -> sample = duration(option, value);
                case "--json" -> json = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option '" + option + "' (try --help)");
            }
        }
        return new TpcbOptions(scale, rounds, warmup, duration, shapes, settings, pools, sample, json);
    }

    private static int integer(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + value + "': expected a whole number");
        }
    }

    private static Duration duration(String option, String value) {
        try {
            return FairnessRun.parseDuration(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + value + "': expected a duration such as 10s or 500ms");
        }
    }

    private static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.strip());
            }
        }
        return items;
    }
}
