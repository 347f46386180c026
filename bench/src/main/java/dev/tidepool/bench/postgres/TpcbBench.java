package dev.tidepool.bench.postgres;

import dev.tidepool.bench.FairnessRun;
import dev.tidepool.bench.postgres.TpcbReport.PoolResult;
import dev.tidepool.bench.postgres.TpcbReport.RoundResult;
import dev.tidepool.bench.postgres.TpcbReport.Scenario;
import dev.tidepool.testsupport.postgres.BackendSampler;
import dev.tidepool.testsupport.postgres.EmbeddedPostgresServer;
import dev.tidepool.testsupport.postgres.PostgresServer;
import dev.tidepool.testsupport.tpcb.TpcbSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The real-PostgreSQL benchmark: pgbench's TPC-B transaction ({@link TpcbTransaction}) through
 * Tidepool, HikariCP 7.1 and Agroal 3.2.1 in one JVM, on the embedded PostgreSQL of the
 * {@code test-support} module, loaded with pgbench's schema ({@link TpcbSchema}, scale 10 unless
 * {@code --scale} says otherwise).
 *
 * <p>Method. For each scenario (a thread {@link Shape} × a set of {@link PoolSettings}), every pool
 * runs {@code --warmup} unmeasured and then {@code --rounds} measured rounds of {@code --duration}.
 * Rounds are interleaved: round k runs every pool once, in an order rotated by one each round, so
 * drift on a shared machine (and the position in a round) spreads over all pools. Before each
 * round the database is reset as pgbench resets it ({@link TpcbSchema#resetForRound}), a fresh pool
 * is opened with the scenario's settings and waited for until the server shows at least its
 * {@code minimumIdle} connections; after the round it is closed and waited for until the server
 * shows none. A round is {@link FairnessRun#round}: all threads start at once, loop the
 * transaction until the deadline, and the round reports committed transactions per second, the
 * wait in {@code getConnection()} (p50, p99, max), threads that never got a connection (starved),
 * errors, process CPU per transaction, and the peak of the pool's connections in
 * {@code pg_stat_activity} ({@link BackendSampler}, every {@code --sample}). The tables and the
 * JSON give each metric's median with its min and max over the measured rounds.
 *
 * <p>The server runs with durability off (test-support's defaults: no fsync, no synchronous
 * commit, no full-page writes) and {@link #SERVER_SETTINGS}, so the disk does not decide the
 * result. Client and server share the machine's cores, as on a small application host.
 *
 * <p>Run it (several minutes at the defaults; paths are relative to {@code bench/}):
 *
 * <pre>{@code
 * ./mvnw -q -pl bench -am package exec:exec -DskipTests \
 *     -Dbench.main=dev.tidepool.bench.postgres.TpcbBench \
 *     -Dbench.args="--rounds 5 --duration 10s --json ../docs/data/tpcb-postgres.json"
 * }</pre>
 *
 * and draw its charts with {@link TpcbCharts}. {@code --help} lists the options.
 */
public final class TpcbBench {
    /**
     * On top of test-support's defaults: room for every pool and the bookkeeping connections, the
     * whole scale-10 data set in shared buffers, and no checkpoint during a run.
     */
    static final Map<String, String> SERVER_SETTINGS = Map.of(
            "max_connections", "200",
            "shared_buffers", "256MB",
            "max_wal_size", "4GB",
            "checkpoint_timeout", "30min");

    /**
     * Tidepool logs every pool start and close at INFO through java.util.logging, as Agroal does;
     * a run opens a pool per round, so only warnings show. Held in fields because
     * java.util.logging keeps loggers only weakly.
     */
    private static final Logger TIDEPOOL_LOG = Logger.getLogger("dev.tidepool.jdbc");
    private static final Logger AGROAL_LOG = Logger.getLogger("io.agroal");

    private TpcbBench() {
    }

    /** Parses the options (one line and exit code 2 if they are wrong), runs, prints, writes JSON. */
    public static void main(String[] args) throws Exception {
        TpcbOptions options;
        try {
            options = TpcbOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("TpcbBench: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.print(TpcbOptions.USAGE);
            return;
        }
        run(options, System.out);
    }

    /**
     * Starts the server, loads the schema, runs every scenario, prints the tables to {@code out},
     * writes the JSON report to {@code options.json()} and returns the report.
     */
    public static TpcbReport run(TpcbOptions options, PrintStream out) throws Exception {
        TIDEPOOL_LOG.setLevel(Level.WARNING);
        AGROAL_LOG.setLevel(Level.WARNING);
        String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        out.printf(Locale.ROOT, "# TpcbBench %s: scale %d, %d warm-up + %d measured rounds of %s per pool, shapes %s,"
                        + " settings %s, pools %s%n", date, options.scale(), options.warmup(), options.rounds(),
                options.duration(), options.shapes().stream().map(Shape::name).toList(),
                options.settings().stream().map(PoolSettings::name).toList(), options.pools());
        FairnessRun.printJvm();

        long started = System.nanoTime();
        try (PostgresServer postgres = EmbeddedPostgresServer.start(SERVER_SETTINGS)) {
            out.printf(Locale.ROOT, "# PostgreSQL: %s, started in %d ms%n", postgres.description(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            long loading = System.nanoTime();
            try (Connection connection = postgres.connect()) {
                TpcbSchema.load(connection, options.scale());
            }
            out.printf(Locale.ROOT, "# loaded pgbench's schema at scale %d (%,d accounts) in %d ms%n", options.scale(),
                    TpcbSchema.accounts(options.scale()),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loading));

            List<Scenario> scenarios = new ArrayList<>();
            for (PoolSettings settings : options.settings()) {
                for (Shape shape : options.shapes()) {
                    scenarios.add(scenario(postgres, options, shape, settings, out));
                }
            }
            TpcbReport report = new TpcbReport(TpcbReport.BENCHMARK, date, environment(postgres),
                    new TpcbReport.Options(options.scale(), options.rounds(), options.warmup(),
                            options.duration().toNanos() / 1e9, options.sampleInterval().toMillis(), options.pools()),
                    scenarios);
            TpcbTables.print(report, out);
            report.write(options.json());
            out.println("# JSON: " + options.json().toAbsolutePath().normalize());
            return report;
        }
    }

    /** Every round of every pool in one scenario, interleaved and rotated. */
    private static Scenario scenario(PostgresServer postgres, TpcbOptions options, Shape shape, PoolSettings settings,
                                     PrintStream out) throws Exception {
        String name = shape.name() + " " + settings.name();
        Map<String, List<RoundResult>> measured = new LinkedHashMap<>();
        options.pools().forEach(pool -> measured.put(pool, new ArrayList<>()));
        int total = options.warmup() + options.rounds();
        for (int k = 0; k < total; k++) {
            boolean warmup = k < options.warmup();
            int round = warmup ? k + 1 : k - options.warmup() + 1;
            List<String> order = rotated(options.pools(), k);
            for (int position = 0; position < order.size(); position++) {
                String pool = order.get(position);
                RoundResult result = round(postgres, options, shape, settings, pool, round, position + 1);
                out.printf(Locale.ROOT, "[%s] %s round %d, %d of %d: %-8s %s%n", name, warmup ? "warm-up" : "measured",
                        round, position + 1, order.size(), pool, line(result));
                if (!warmup) {
                    measured.get(pool).add(result);
                }
            }
        }
        List<PoolResult> pools = options.pools().stream().map(pool -> PoolResult.of(pool, measured.get(pool)))
                .toList();
        return new Scenario(name, shape.name(), shape.virtual(), shape.threads(), TpcbReport.Settings.of(settings),
                pools);
    }

    /** One round of one pool: reset the database, open the pool, run, sample, close. */
    private static RoundResult round(PostgresServer postgres, TpcbOptions options, Shape shape, PoolSettings settings,
                                     String pool, int round, int position) throws Exception {
        try (Connection connection = postgres.connect()) {
            TpcbSchema.resetForRound(connection);
        }
        try (PostgresPools.Subject subject = PostgresPools.open(pool, postgres, settings);
             BackendSampler sampler = BackendSampler.start(postgres, PostgresPools.applicationName(pool),
                     options.sampleInterval())) {
            TpcbTransaction.Factory transactions = new TpcbTransaction.Factory(subject.dataSource(), options.scale());
            FairnessRun.Round measured = FairnessRun.round(pool, transactions, shape.builder(), shape.threads(),
                    options.duration());
            int peak = sampler.stop();
            return result(measured, round, position, peak, transactions.firstAcquireFailure());
        }
    }

    static RoundResult result(FairnessRun.Round round, int index, int position, int peakBackends,
                              SQLException firstAcquireFailure) {
        Throwable first = round.firstFailure() != null ? round.firstFailure() : firstAcquireFailure;
        Double cpuMicros = round.cycles() == 0 ? null : round.cpuNanos() / 1e3 / round.cycles();
        return new RoundResult(index, position, round.claims(), round.seconds(), round.claimsPerSecond(),
                round.p50Nanos() / 1e3, round.p99Nanos() / 1e3, round.maxNanos() / 1e3, round.starved(),
                round.timeouts(), round.failures(), round.timeouts() + round.failures(), cpuMicros, peakBackends,
                first == null ? null : describe(first));
    }

    private static String line(RoundResult r) {
        return String.format(Locale.ROOT, "%,8.0f tx/s, wait p50 %s p99 %s max %s ms, starved %d, errors %d,"
                        + " CPU %s µs/tx, peak %d backends%s", r.transactionsPerSecond(),
                TpcbTables.millis(r.p50WaitMicros()), TpcbTables.millis(r.p99WaitMicros()),
                TpcbTables.millis(r.maxWaitMicros()), r.starved(), r.errors(),
                r.cpuMicrosPerTransaction() == null ? "n/a" : String.format(Locale.ROOT, "%.0f",
                        r.cpuMicrosPerTransaction()), r.peakBackends(),
                r.firstError() == null ? "" : "; first error: " + r.firstError());
    }

    /** {@code list} rotated left by {@code k}: round k starts with the pool at index k mod n. */
    static List<String> rotated(List<String> list, int k) {
        List<String> order = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            order.add(list.get((i + k) % list.size()));
        }
        return order;
    }

    private static String describe(Throwable e) {
        String state = e instanceof SQLException sql && sql.getSQLState() != null ? " [" + sql.getSQLState() + "]" : "";
        return e.getClass().getSimpleName() + state + ": " + e.getMessage();
    }

    private static TpcbReport.Environment environment(PostgresServer postgres) throws SQLException {
        String version;
        try (Connection admin = postgres.connectAsAdmin(); Statement sql = admin.createStatement();
             ResultSet row = sql.executeQuery("show server_version")) {
            row.next();
            version = "PostgreSQL " + row.getString(1);
        }
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("tidepool", mavenVersion("dev.tidepool", "pool-jdbc"));
        versions.put("hikari", mavenVersion("com.zaxxer", "HikariCP"));
        versions.put("agroal", mavenVersion("io.agroal", "agroal-pool"));
        versions.put("pgjdbc", org.postgresql.util.DriverInfo.DRIVER_VERSION);
        return new TpcbReport.Environment(System.getProperty("java.vm.name"), Runtime.version().toString(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), version, versions);
    }

    /** The version in a jar's Maven metadata, or "unknown" (e.g. classes straight from a target directory). */
    private static String mavenVersion(String groupId, String artifactId) {
        String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = TpcbBench.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
