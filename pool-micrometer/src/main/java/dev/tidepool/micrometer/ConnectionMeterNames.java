package dev.tidepool.micrometer;

/**
 * The names a data source's meters are published under: Tidepool's own, and HikariCP's for
 * dashboards written against it ({@link MicrometerMetricsTrackerFactory#withHikariCpNames()}).
 * Every meter is tagged {@code pool=<poolName>}.
 *
 * <table>
 *   <caption>Data source meters</caption>
 *   <tr><th>{@link #TIDEPOOL}</th><th>{@link #HIKARICP}</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code tidepool.connections}</td><td>{@code hikaricp.connections}</td><td>gauge</td><td>connections open, busy or idle</td></tr>
 *   <tr><td>{@code tidepool.connections.active}</td><td>{@code hikaricp.connections.active}</td><td>gauge</td><td>connections borrowed</td></tr>
 *   <tr><td>{@code tidepool.connections.idle}</td><td>{@code hikaricp.connections.idle}</td><td>gauge</td><td>connections idle in the pool</td></tr>
 *   <tr><td>{@code tidepool.connections.pending}</td><td>{@code hikaricp.connections.pending}</td><td>gauge</td><td>threads waiting for a connection</td></tr>
 *   <tr><td>{@code tidepool.connections.max}</td><td>{@code hikaricp.connections.max}</td><td>gauge</td><td>maximumPoolSize</td></tr>
 *   <tr><td>{@code tidepool.connections.min}</td><td>{@code hikaricp.connections.min}</td><td>gauge</td><td>minimumIdle</td></tr>
 *   <tr><td>{@code tidepool.connections.timeout}</td><td>{@code hikaricp.connections.timeout}</td><td>counter</td><td>getConnection() calls that timed out</td></tr>
 *   <tr><td>{@code tidepool.connections.acquire}</td><td>{@code hikaricp.connections.acquire}</td><td>timer</td><td>wait to borrow</td></tr>
 *   <tr><td>{@code tidepool.connections.usage}</td><td>{@code hikaricp.connections.usage}</td><td>timer</td><td>borrow to return</td></tr>
 *   <tr><td>{@code tidepool.connections.creation}</td><td>{@code hikaricp.connections.creation}</td><td>timer</td><td>opening and setting up a connection</td></tr>
 *   <tr><td>{@code tidepool.connections.shed}</td><td>(none)</td><td>counter</td><td>getConnection() calls turned away by load shedding</td></tr>
 * </table>
 *
 * <p>Tidepool's names carry base units ({@code connections}, {@code threads}, {@code requests});
 * HikariCP's carry none, as HikariCP registers them, so a Prometheus scrape shows exactly the
 * series HikariCP's did ({@code hikaricp_connections_active}, ...).
 *
 * <pre>{@code
 * double active = registry.get(ConnectionMeterNames.TIDEPOOL.active()).tag("pool", "orders").gauge().value();
 * }</pre>
 */
public enum ConnectionMeterNames {
    /** {@code tidepool.connections*}, with base units. */
    TIDEPOOL("tidepool", true),
    /** {@code hikaricp.connections*}, without base units, as HikariCP registers them. */
    HIKARICP("hikaricp", false);

    private final String prefix;
    private final boolean baseUnits;

    ConnectionMeterNames(String prefix, boolean baseUnits) {
        this.prefix = prefix + ".connections";
        this.baseUnits = baseUnits;
    }

    /** {@return whether these meters carry base units} */
    public boolean baseUnits() {
        return baseUnits;
    }

    /** {@return the total gauge, e.g. {@code tidepool.connections}} */
    public String total() {
        return prefix;
    }

    /** {@return the active gauge, e.g. {@code tidepool.connections.active}} */
    public String active() {
        return prefix + ".active";
    }

    /** {@return the idle gauge} */
    public String idle() {
        return prefix + ".idle";
    }

    /** {@return the pending-threads gauge} */
    public String pending() {
        return prefix + ".pending";
    }

    /** {@return the maximum-size gauge} */
    public String max() {
        return prefix + ".max";
    }

    /** {@return the minimum-idle gauge} */
    public String min() {
        return prefix + ".min";
    }

    /** {@return the timeout counter} */
    public String timeout() {
        return prefix + ".timeout";
    }

    /** {@return the acquire timer} */
    public String acquire() {
        return prefix + ".acquire";
    }

    /** {@return the usage timer} */
    public String usage() {
        return prefix + ".usage";
    }

    /** {@return the creation timer} */
    public String creation() {
        return prefix + ".creation";
    }

    /**
     * {@return the counter of callers turned away by load shedding ({@code maximumThreadsAwaitingConnection}),
     * or null for HikariCP's names, which have none}
     */
    public String shed() {
        return baseUnits ? prefix + ".shed" : null;
    }
}
