package dev.tidepool.bench.postgres;

import java.time.Duration;
import java.util.List;

/**
 * What every pool of one benchmark scenario is configured with ({@link PostgresPools}): its size,
 * how many connections it keeps open when idle, and how long {@code getConnection()} may wait.
 * Auto-commit is always off. Two named sets: {@link #FIXED_20}, the (a full pool of 20),
 * and {@link #BENCHBASE}, HikariCP-benchmark's {@code BenchBase} (32, minimum idle 0, 8 s), so
 * the peers also run on their own benchmark's terms.
 *
 * <pre>{@code
 * PoolSettings settings = PoolSettings.named("benchbase");   // 32 connections, 0 idle, 8 s
 * }</pre>
 *
 * @param name what the tables and the JSON call it
 * @param maximumPoolSize at most this many connections
 * @param minimumIdle connections opened at start and kept (Agroal: {@code initialSize} and {@code minSize})
 * @param connectionTimeout how long {@code getConnection()} waits (Agroal: {@code acquisitionTimeout})
 */
public record PoolSettings(String name, int maximumPoolSize, int minimumIdle, Duration connectionTimeout) {
    /** A full, fixed pool of 20 with a 30 s connection timeout: the settings. */
    public static final PoolSettings FIXED_20 = new PoolSettings("fixed20", 20, 20, Duration.ofSeconds(30));
    /** HikariCP-benchmark's BenchBase: 32 connections, minimum idle 0, 8 s connection timeout. */
    public static final PoolSettings BENCHBASE = new PoolSettings("benchbase", 32, 0, Duration.ofSeconds(8));
    /** Every named set. */
    public static final List<PoolSettings> NAMED = List.of(FIXED_20, BENCHBASE);

    public PoolSettings {
        if (maximumPoolSize < 1) {
            throw new IllegalArgumentException(name + ": maximumPoolSize " + maximumPoolSize + " < 1");
        }
        if (minimumIdle < 0 || minimumIdle > maximumPoolSize) {
            throw new IllegalArgumentException(name + ": minimumIdle " + minimumIdle + " not in 0 .. "
                    + maximumPoolSize);
        }
        if (connectionTimeout.isNegative() || connectionTimeout.isZero()) {
            throw new IllegalArgumentException(name + ": connectionTimeout " + connectionTimeout + " is not positive");
        }
    }

    /**
     * The named set {@code name}.
     *
     * @throws IllegalArgumentException naming {@code name} and the known names
     */
    public static PoolSettings named(String name) {
        return NAMED.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown pool settings '" + name + "'; known: "
                        + NAMED.stream().map(PoolSettings::name).toList()));
    }
}
