package dev.tidepool.demo;

import dev.tidepool.core.GreenPool;
import dev.tidepool.jmx.Registration;
import dev.tidepool.jmx.TidepoolMBeans;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.rmi.server.ExportException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Tidepool's demo: {@code --threads} (1,000) client virtual threads run a mixed workload of
 * transactions through a {@code TidepoolDataSource} of {@code --pool-size} (10) connections, on
 * H2 in memory or any JDBC database, for {@code --duration} (60 s). The clients run in a
 * {@link GreenPool}; the data source and the GreenPool are MXBeans, reachable over a JMX connector
 * whose address is printed at the start. A live view, redrawn once a second, shows throughput,
 * waits, connections, the GreenPool and how many clients are starved, and a line for every resize
 * a JMX client makes. With {@code --compare-hikari} the same workload then runs through HikariCP
 * and the two are printed side by side.
 *
 * <p>Run it with {@code ./mvnw -q -pl demo -am package exec:exec -DskipTests} (options:
 * {@code -Ddemo.args="--compare-hikari"}) or {@code java -jar demo/target/tidepool-demo.jar --help}.
 *
 * <pre>{@code
 * int exitCode = new Demo(System.out, System.err).run("--duration", "10", "--plain");
 * }</pre>
 *
 * <p>Exit codes: {@value #EXIT_OK} done, {@value #EXIT_FAILED} the run failed,
 * {@value #EXIT_USAGE} a bad option (one line naming it, then the usage),
 * {@value #EXIT_UNREACHABLE} the database could not be reached. Ctrl-C (or {@link #requestStop()})
 * ends the run early, and the summary is still printed.
 */
public final class Demo {
    /** The run finished (or was stopped) and printed its summary. */
    public static final int EXIT_OK = 0;
    /** Something went wrong during the run; the one line on stderr says what. */
    public static final int EXIT_FAILED = 1;
    /** A bad option or value; the line on stderr names it. */
    public static final int EXIT_USAGE = 2;
    /** The database given with {@code --jdbc-url} could not be reached. */
    public static final int EXIT_UNREACHABLE = 3;

    /** The environment variable read for the password when {@code --password} is not given. */
    static final String PASSWORD_VARIABLE = "TIDEPOOL_DEMO_PASSWORD";

    private static final Duration TICK = Duration.ofSeconds(1);
    private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicInteger EMBEDDED_DATABASES = new AtomicInteger();

    private final PrintStream out;
    private final PrintStream err;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final EventLog events = new EventLog();
    private final JmxAudit audit = new JmxAudit();
    private final ResizeWatch watch = new ResizeWatch(audit, events);
    private volatile JmxEndpoint jmx;

    /** A demo that prints its view and summary to {@code out} and its errors to {@code err}. */
    public Demo(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs the demo with the command line {@code args} and exits with its exit code. */
    public static void main(String[] args) {
        Demo demo = new Demo(System.out, System.err);
        Thread ctrlC = new Thread(demo::stopFromShutdownHook, "tidepool-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(ctrlC);
        int code = demo.run(args);
        try {
            Runtime.getRuntime().removeShutdownHook(ctrlC);
        } catch (IllegalStateException shuttingDown) {
            return; // Ctrl-C: the JVM is exiting already, and the hook was waiting for the summary
        }
        System.exit(code);
    }

    /** Runs the demo; returns its exit code. Never throws. */
    public int run(String... args) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (UsageException e) {
            return usageError(e.getMessage());
        }
        if (options.help()) {
            out.println("Tidepool demo: client virtual threads sharing a TidepoolDataSource, watched live"
                    + " and over JMX, optionally side by side with HikariCP.");
            out.println(DemoOptions.USAGE);
            finished.countDown();
            return EXIT_OK;
        }
        String password = options.password() != null ? options.password() : System.getenv(PASSWORD_VARIABLE);
        try {
            return runWith(options, password);
        } catch (UsageException e) {
            return usageError(Redact.secret(e.getMessage(), password));
        } catch (UnreachableDatabaseException e) {
            err.println("tidepool-demo: " + Redact.secret(e.getMessage(), password));
            err.println(DemoOptions.USAGE);
            return EXIT_UNREACHABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("tidepool-demo: interrupted");
            return EXIT_FAILED;
        } catch (Exception | Error e) {
            err.println("tidepool-demo: the run failed: " + Redact.secret(oneLine(e), password));
            return EXIT_FAILED;
        } finally {
            finished.countDown();
        }
    }

    /**
     * Ends the run early, as Ctrl-C does: the current pool stops, the next one (if comparing) does
     * not start, and the summary is printed. Safe from any thread, any number of times.
     */
    public void requestStop() {
        stopRequested.countDown();
    }

    /** The port of the demo's JMX connector once it listens; -1 before and after. */
    public int jmxPort() {
        JmxEndpoint endpoint = jmx;
        return endpoint == null ? -1 : endpoint.port();
    }

    private void stopFromShutdownHook() {
        requestStop();
        try {
            finished.await(20, TimeUnit.SECONDS); // let main print the summary before the JVM goes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int usageError(String message) {
        err.println("tidepool-demo: " + message);
        err.println(DemoOptions.USAGE);
        finished.countDown();
        return EXIT_USAGE;
    }

    // ---------------------------------------------------------------- the run

    private int runWith(DemoOptions options, String password) throws Exception {
        boolean embedded = options.embedded();
        String url = embedded
                ? "jdbc:h2:mem:tidepool-demo-" + EMBEDDED_DATABASES.incrementAndGet()
                  + ";DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000"
                : options.jdbcUrl();
        String user = options.user() != null ? options.user() : embedded ? "sa" : null;
        String secret = password != null ? password : embedded ? "" : null;
        PoolSettings settings = new PoolSettings(url, user, secret, options.poolSize());

        boolean createdTable;
        long openingTotal;
        try (Connection connection = connect(settings)) {
            createdTable = Bank.open(connection);
            openingTotal = Bank.total(connection);
        }

        List<RunResult> results = new ArrayList<>();
        try (JmxEndpoint endpoint = startJmx(options)) {
            jmx = endpoint;
            printHeader(options, settings, endpoint);
            LiveView view = LiveView.forOutput(out, options.plain());
            LogCapture logs = new LogCapture(events); // pool log lines go to the view, not through it
            try {
                results.add(runPool(options, view, () -> new TidepoolSubject(settings, "demo-db")));
                if (options.compareHikari() && stopRequested.getCount() > 0) {
                    String version = versions().getProperty("hikaricp.version", "?");
                    results.add(runPool(options, view, () -> new HikariSubject(settings, "demo-hikari", version)));
                }
            } finally {
                logs.close();
            }
        } finally {
            jmx = null;
        }

        Summary.print(out, heading(options, settings), results);
        long closingTotal;
        try (Connection connection = connect(settings)) {
            closingTotal = Bank.total(connection);
            if (createdTable) {
                Bank.drop(connection);
            }
        }
        out.println("  money check: the accounts held " + Format.count(openingTotal) + " before and "
                + Format.count(closingTotal) + " after" + (openingTotal == closingTotal
                ? " (every transaction whole or not at all, interrupted ones rolled back)"
                : ": TRANSFERS WERE LOST OR HALF-DONE"));
        if (options.chart() != null) {
            WaitChart.write(options.chart(), chartTitle(options), chartSubtitles(options, settings), results);
            out.println("  chart written to " + options.chart());
        }
        out.flush();
        return openingTotal == closingTotal ? EXIT_OK : EXIT_FAILED;
    }

    /**
     * One pool's run: start the clients, draw a frame a second, stop at the deadline or on request.
     * The clients are stopped whatever happens, so that closing the GreenPool never waits for them.
     */
    private RunResult runPool(DemoOptions options, LiveView view, Supplier<PoolSubject> pools) throws Exception {
        Duration duration = options.durationPerPool();
        int clients = options.threads();
        try (PoolSubject pool = pools.get();
             GreenPool workers = new GreenPool(clients, "demo-workers");
             Registration workersBean = TidepoolMBeans.register(workers)) {
            Meter meter = new Meter(clients);
            ClientRun run = new ClientRun(pool.dataSource(), workers, options.workload(),
                    options.effectiveLatency(), meter);
            watch.watch(pool.poolName(), "MaximumPoolSize", pool.sizeBean(), pool::maximumPoolSize);
            watch.watch(workers.name(), "Size", workersBean.objectName(), workers::size);
            events.add(pool.label() + " pool " + pool.poolName() + " started: " + clients + " clients, "
                    + pool.maximumPoolSize() + " connections; MBeans " + pool.sizeBean() + " and "
                    + workersBean.objectName());
            long start = System.nanoTime();
            long end;
            boolean stoppedEarly;
            try {
                run.start();
                stoppedEarly = showUntilDone(pool, workers, meter, view, start, duration);
                end = System.nanoTime();
                meter.freeze(end);
            } finally {
                watch.clear();
                view.end();
                run.stop();
            }
            return new RunResult(pool.label(), pool.poolName(), (end - start) / 1e9, meter.transactions(),
                    meter.waits(), meter.starved(), clients, meter.timeouts(), meter.errors(), meter.lastError(),
                    stoppedEarly);
        }
    }

    /** Draws a frame every second until {@code duration} is over (false) or a stop is requested (true). */
    private boolean showUntilDone(PoolSubject pool, GreenPool workers, Meter meter, LiveView view, long start,
                                  Duration duration) throws InterruptedException {
        WaitHistogram.Snapshot previous = WaitHistogram.Snapshot.EMPTY;
        long previousTransactions = 0;
        long previousAt = start;
        for (long second = 1; ; second++) {
            long due = start + second * TICK.toNanos();
            boolean stop = stopRequested.await(due - System.nanoTime(), TimeUnit.NANOSECONDS);
            long now = System.nanoTime();
            watch.check();
            WaitHistogram.Snapshot waits = meter.waits();
            WaitHistogram.Snapshot window = waits.since(previous);
            long transactions = meter.transactions();
            double rate = (transactions - previousTransactions) / Math.max(1e-3, (now - previousAt) / 1e9);
            view.frame(new Tick(pool.label(), Math.round((now - start) / 1e9), duration.getSeconds(), rate,
                    pool.maximumPoolSize(), window.percentile(0.50), window.percentile(0.99), window.max(),
                    waits.max(), meter.longestOpenWait(now),
                    pool.activeConnections(), pool.idleConnections(), pool.threadsAwaitingConnection(),
                    pool.totalConnections(), workers.running(), workers.size(), workers.waiting(),
                    meter.starved(), meter.clients(), meter.timeouts(), meter.errors()), events.drain());
            previous = waits;
            previousTransactions = transactions;
            previousAt = now;
            if (stop) {
                return true;
            }
            if (!duration.isZero() && now - start >= duration.toNanos()) {
                return false;
            }
        }
    }

    // ---------------------------------------------------------------- setting up

    /**
     * A plain driver connection (the pools are not involved yet): proves the database can be
     * reached before anything else starts, and sets up the accounts table.
     */
    private static Connection connect(PoolSettings settings) throws UsageException, UnreachableDatabaseException {
        String where = Redact.url(settings.jdbcUrl())
                + (settings.username() == null ? "" : " as user \"" + settings.username() + "\"");
        try {
            DriverManager.getDriver(settings.jdbcUrl());
        } catch (SQLException noDriver) {
            throw new UsageException("--jdbc-url: no JDBC driver here accepts \"" + Redact.url(settings.jdbcUrl())
                    + "\"; the demo has drivers for H2 (jdbc:h2:...) and PostgreSQL (jdbc:postgresql://...)");
        }
        int savedTimeout = DriverManager.getLoginTimeout();
        DriverManager.setLoginTimeout((int) LOGIN_TIMEOUT.getSeconds());
        try {
            Properties credentials = new Properties();
            if (settings.username() != null) {
                credentials.setProperty("user", settings.username());
            }
            if (settings.password() != null) {
                credentials.setProperty("password", settings.password());
            }
            return DriverManager.getConnection(settings.jdbcUrl(), credentials);
        } catch (SQLException e) {
            throw new UnreachableDatabaseException("cannot reach the database at " + where + ": "
                    + Redact.secret(oneLine(e), settings.password()));
        } finally {
            DriverManager.setLoginTimeout(savedTimeout);
        }
    }

    /**
     * The JMX connector on the port asked for. The default port falls back to a free one when
     * something else holds it; a port given with {@code --jmx-port} that is taken is a usage error.
     */
    private JmxEndpoint startJmx(DemoOptions options) throws IOException, UsageException {
        try {
            return JmxEndpoint.start(options.jmxPort(), audit, events::add);
        } catch (ExportException taken) {
            if (options.jmxPortGiven()) {
                throw new UsageException("--jmx-port " + options.jmxPort()
                        + " is in use; pick another, or 0 for any free port");
            }
            JmxEndpoint endpoint = JmxEndpoint.start(0, audit, events::add);
            events.add("JMX port " + options.jmxPort() + " was taken; listening on " + endpoint.port() + " instead");
            return endpoint;
        }
    }

    private void printHeader(DemoOptions options, PoolSettings settings, JmxEndpoint endpoint) {
        out.println("Tidepool demo: " + Format.count(options.threads()) + " client virtual threads share "
                + options.poolSize() + " connections to " + database(options, settings));
        out.println("  workload: " + options.workload().optionName() + " (" + options.workload().description()
                + "; a slow report holds its connection " + Bank.REPORT_HOLD.toMillis() + " ms)"
                + latencyNote(options));
        Duration perPool = options.durationPerPool();
        out.println("  runs " + (perPool.isZero() ? "until Ctrl-C" : "for " + Format.seconds(perPool.getSeconds()))
                + (options.compareHikari() ? " with Tidepool, then as long with HikariCP" : "")
                + (perPool.isZero() ? "" : "; Ctrl-C stops it early") + ", then prints a summary");
        out.println("  JMX: " + endpoint.serviceUrl());
        out.println("       jconsole localhost:" + endpoint.port()
                + "   (answer \"Insecure connection\"; MBeans tab, dev.tidepool > DataSource > demo-db > MaximumPoolSize)");
        out.println();
        out.flush();
    }

    private static String database(DemoOptions options, PoolSettings settings) {
        return options.embedded() ? "H2 in memory (in this JVM)" : Redact.url(settings.jdbcUrl());
    }

    private static String latencyNote(DemoOptions options) {
        Duration latency = options.effectiveLatency();
        if (latency.isZero()) {
            return "";
        }
        return ", plus " + Format.nanos(latency.toNanos()) + " per transaction standing in for network round trips";
    }

    private static String heading(DemoOptions options, PoolSettings settings) {
        return "Summary: " + Format.count(options.threads()) + " client virtual threads, " + options.poolSize()
                + " connections, workload " + options.workload().optionName() + ", " + database(options, settings)
                + latencyNote(options) + "; " + machine();
    }

    private static String chartTitle(DemoOptions options) {
        return "Wait for a connection: " + Format.count(options.threads()) + " virtual threads, "
                + options.poolSize() + " connections";
    }

    private static List<String> chartSubtitles(DemoOptions options, PoolSettings settings) {
        return List.of("workload " + options.workload().optionName() + " (" + options.workload().description()
                        + "), " + database(options, settings) + latencyNote(options),
                Format.seconds(options.durationPerPool().getSeconds()) + " per pool, measured "
                        + LocalDate.now() + " on " + machine()
                        + "; drawn by the demo's --chart option");
    }

    /** {@code 2 CPUs, JDK 25 (Eclipse Adoptium)}. */
    static String machine() {
        return Runtime.getRuntime().availableProcessors() + " CPUs, JDK " + Runtime.version().feature()
                + " (" + System.getProperty("java.vm.vendor", "?") + ")";
    }

    private static Properties versions() {
        Properties versions = new Properties();
        try (InputStream in = Demo.class.getResourceAsStream("demo.properties")) {
            if (in != null) {
                versions.load(in);
            }
        } catch (IOException e) {
            // the versions only label the table
        }
        return versions;
    }

    /** {@code SQLException: message}, and the root cause's message if it says something else. */
    static String oneLine(Throwable e) {
        StringBuilder text = new StringBuilder(e.getClass().getSimpleName());
        if (e.getMessage() != null) {
            text.append(": ").append(e.getMessage().lines().findFirst().orElse(""));
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null && !text.toString().contains(root.getMessage())) {
            text.append(" (").append(root.getMessage().lines().findFirst().orElse("")).append(')');
        }
        return text.toString();
    }
}
