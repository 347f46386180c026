package dev.tidepool.demo;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The demo's command line, parsed and checked. Every option takes {@code --name value} or
 * {@code --name=value}; a bad one throws {@link UsageException} naming the option and the value,
 * before anything starts. See {@link #USAGE}.
 *
 * @param duration      how long the workload runs in all (zero: until Ctrl-C); with
 *                      {@code compareHikari} each pool gets half
 * @param jdbcUrl       the database, or null for H2 in memory
 * @param latency       added to every transaction while it holds its connection, or null for the
 *                      default (1 ms on the embedded H2, none on a real database)
 * @param jmxPort       the JMX connector's port; {@link #DEFAULT_JMX_PORT} falls back to a free
 *                      port when taken, 0 always takes a free one
 * @param chart         where to draw the wait-time chart, or null
 */
record DemoOptions(Duration duration, int threads, int poolSize, Workload workload,
                   String jdbcUrl, String user, String password, boolean compareHikari,
                   Duration latency, int jmxPort, boolean jmxPortGiven, boolean plain, Path chart, boolean help) {

    static final int DEFAULT_JMX_PORT = 9010;
    static final Duration EMBEDDED_LATENCY = Duration.ofMillis(1);

    static final String USAGE = """
            usage: tidepool-demo [options]
              --duration S        seconds to run (default 60; 0 = until Ctrl-C);
                                  with --compare-hikari each pool runs S/2
              --threads N         client virtual threads (default 1000)
              --pool-size N       connections in the pool (default 10)
              --workload W        short | mixed | slow (default mixed: 95% short transfers,
                                  5% slow reports that hold their connection 50 ms)
              --compare-hikari    run the same workload through HikariCP after Tidepool,
                                  then print both side by side
              --jdbc-url URL      a real database instead of H2 in memory, e.g.
                                  jdbc:postgresql://localhost:5432/app
              --user U            database user
              --password P        database password (or set TIDEPOOL_DEMO_PASSWORD)
              --latency MS        extra time each transaction holds its connection, standing in
                                  for network round trips (default 1 on H2 in memory, 0 otherwise)
              --jmx-port N        JMX port on 127.0.0.1 (default 9010, or a free one if taken;
                                  0 = any free port)
              --chart FILE.png    after the run, draw the wait-time percentiles to FILE.png
              --plain             one line per second, even on a terminal
              --help              this text
            exit codes: 0 done, 1 the run failed, 2 bad option, 3 database unreachable""";

    /** Parses {@code args}; a bad option or value throws {@link UsageException} naming it. */
    static DemoOptions parse(String... args) throws UsageException {
        Duration duration = Duration.ofSeconds(60);
        int threads = 1000;
        int poolSize = 10;
        Workload workload = Workload.MIXED;
        String jdbcUrl = null;
        String user = null;
        String password = null;
        boolean compare = false;
        Duration latency = null;
        int jmxPort = DEFAULT_JMX_PORT;
        boolean jmxPortGiven = false;
        boolean plain = false;
        Path chart = null;
        boolean help = false;

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            switch (name) {
                case "--help", "-h" -> help = true;
                case "--compare-hikari" -> compare = flag(name, inline);
                case "--plain" -> plain = flag(name, inline);
                default -> {
                    String value;
                    if (inline != null) {
                        value = inline;
                    } else if (i + 1 < args.length && isValueOption(name)) {
                        value = args[++i];
                    } else if (isValueOption(name)) {
                        throw new UsageException("option " + name + " needs a value");
                    } else {
                        throw new UsageException("unknown option \"" + arg + "\"");
                    }
                    switch (name) {
                        case "--duration" -> duration = seconds(name, value);
                        case "--threads" -> threads = positive(name, value);
                        case "--pool-size" -> poolSize = positive(name, value);
                        case "--workload" -> {
                            workload = Workload.byOptionName(value.toLowerCase(Locale.ROOT));
                            if (workload == null) {
                                throw new UsageException("--workload must be short, mixed or slow, not \"" + value + "\"");
                            }
                        }
                        case "--jdbc-url" -> {
                            if (!value.startsWith("jdbc:")) {
                                throw new UsageException("--jdbc-url must start with jdbc:, not \"" + Redact.url(value) + "\"");
                            }
                            jdbcUrl = value;
                        }
                        case "--user" -> user = value;
                        case "--password" -> password = value;
                        case "--latency" -> latency = millis(name, value);
                        case "--jmx-port" -> {
                            jmxPort = whole(name, value);
                            if (jmxPort < 0 || jmxPort > 65535) {
                                throw new UsageException("--jmx-port must be 0 to 65535, was " + jmxPort);
                            }
                            jmxPortGiven = true;
                        }
                        case "--chart" -> chart = chartFile(value);
                        default -> throw new IllegalStateException("option " + name + " listed but not handled");
                    }
                }
            }
        }
        if (compare && duration.isZero()) {
            throw new UsageException("--compare-hikari needs a --duration above 0 (each pool runs for half of it)");
        }
        if (chart != null && duration.isZero()) {
            throw new UsageException("--chart needs a --duration above 0 (the chart is drawn when the run ends)");
        }
        if (compare && duration.getSeconds() < 2) {
            throw new UsageException("--compare-hikari needs a --duration of at least 2 seconds (1 per pool), was "
                    + duration.getSeconds());
        }
        return new DemoOptions(duration, threads, poolSize, workload, jdbcUrl, user, password, compare,
                latency, jmxPort, jmxPortGiven, plain, chart, help);
    }

    /** Whether the workload runs against H2 in memory, inside this JVM. */
    boolean embedded() {
        return jdbcUrl == null;
    }

    /** The latency to add: as given, or the default for the database. */
    Duration effectiveLatency() {
        if (latency != null) {
            return latency;
        }
        return embedded() ? EMBEDDED_LATENCY : Duration.ZERO;
    }

    /** How long each pool runs: all of it, or half each when comparing. */
    Duration durationPerPool() {
        return compareHikari ? duration.dividedBy(2) : duration;
    }

    @Override
    public String toString() {
        return "DemoOptions[duration=" + duration + ", threads=" + threads + ", poolSize=" + poolSize
                + ", workload=" + workload.optionName() + ", jdbcUrl=" + Redact.url(jdbcUrl) + ", user=" + user
                + ", password=" + (password == null ? "none" : "****") + ", compareHikari=" + compareHikari
                + ", latency=" + latency + ", jmxPort=" + jmxPort + ", plain=" + plain + ", chart=" + chart + "]";
    }

    private static boolean isValueOption(String name) {
        return switch (name) {
            case "--duration", "--threads", "--pool-size", "--workload", "--jdbc-url", "--user", "--password",
                 "--latency", "--jmx-port", "--chart" -> true;
            default -> false;
        };
    }

    private static boolean flag(String name, String inline) throws UsageException {
        if (inline != null) {
            throw new UsageException("option " + name + " takes no value, was given \"" + inline + "\"");
        }
        return true;
    }

    private static int whole(String name, String value) throws UsageException {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(name + " takes a whole number, not \"" + value + "\"");
        }
    }

    private static int positive(String name, String value) throws UsageException {
        int n = whole(name, value);
        if (n < 1) {
            throw new UsageException(name + " must be at least 1, was " + n);
        }
        return n;
    }

    /** Whole seconds, with an optional unit: {@code 60}, {@code 60s}, {@code 2m}. */
    private static Duration seconds(String name, String value) throws UsageException {
        String v = value.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (v.endsWith("m") && !v.endsWith("ms")) {
            unit = 60;
            v = v.substring(0, v.length() - 1);
        } else if (v.endsWith("s") && !v.endsWith("ms")) {
            v = v.substring(0, v.length() - 1);
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " takes whole seconds (60, 60s or 1m), not \"" + value + "\"");
        }
        if (n < 0) {
            throw new UsageException(name + " must be 0 (until Ctrl-C) or more seconds, was " + value);
        }
        return Duration.ofSeconds(n * unit);
    }

    /** Milliseconds, fractions allowed: {@code 1}, {@code 0.5}. */
    private static Duration millis(String name, String value) throws UsageException {
        double ms;
        try {
            ms = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(name + " takes milliseconds (1, 0.5), not \"" + value + "\"");
        }
        if (!(ms >= 0) || ms > 60_000) {
            throw new UsageException(name + " must be 0 to 60000 milliseconds, was " + value);
        }
        return Duration.ofNanos(Math.round(ms * 1_000_000));
    }

    private static Path chartFile(String value) throws UsageException {
        if (!value.toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new UsageException("--chart writes a PNG: the file name must end with .png, not \"" + value + "\"");
        }
        Path file;
        try {
            file = Path.of(value).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new UsageException("--chart: \"" + value + "\" is not a file name here (" + e.getReason() + ")");
        }
        Path folder = file.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new UsageException("--chart: there is no folder " + folder + " to write " + file.getFileName() + " into");
        }
        return file;
    }
}
