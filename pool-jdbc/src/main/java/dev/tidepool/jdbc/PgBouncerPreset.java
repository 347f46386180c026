package dev.tidepool.jdbc;

import java.util.Properties;

/**
 * The settings a Tidepool pool needs in front of PgBouncer in transaction pooling mode
 * ({@code pool_mode = transaction}), where each transaction may run on a different PostgreSQL
 * backend, so nothing a connection sets for its session may be relied on after a commit.
 *
 * <p>What {@link #applyTo} sets:
 * <ul>
 *   <li>{@link #TRANSACTION_POOLING} (PgBouncer before 1.21, or {@code max_prepared_statements = 0}):
 *       {@code dataSource.prepareThreshold=0}, so pgjdbc never names a server-side prepared
 *       statement (a named one lives on one backend, and the next transaction may find another:
 *       "prepared statement S_1 does not exist"). Statements are still parsed with bind
 *       parameters, through the unnamed statement.</li>
 *   <li>{@link #TRANSACTION_POOLING_PREPARED_STATEMENTS} (PgBouncer 1.21 or later with
 *       {@code max_prepared_statements} above 0): pgjdbc's own default, named statements after 5
 *       uses, which PgBouncer then tracks and prepares on whichever backend runs them.</li>
 *   <li>both: {@code isolateInternalQueries=true} (Tidepool's default, HikariCP's is false, so a
 *       migrated configuration may have turned it off), so a {@code connectionTestQuery} run on
 *       an idle connection (keepalive) with auto-commit off is rolled back at once instead of
 *       leaving a transaction open, which would pin a PgBouncer server connection to an idle
 *       pool connection.</li>
 * </ul>
 * It refuses a configuration that sets session state on every new connection, which in
 * transaction mode lands on one arbitrary backend and leaks to other clients:
 * {@code transactionIsolation} (pgjdbc runs {@code SET SESSION CHARACTERISTICS}),
 * {@code schema} ({@code SET search_path}), {@code connectionInitSql}; and a
 * {@code dataSource.prepareThreshold} other than the preset's. Set such defaults on the role or
 * database instead ({@code ALTER ROLE app SET default_transaction_isolation = 'repeatable read'}),
 * or per transaction ({@code SET LOCAL}). Everything else, sizes and timeouts included, stays as
 * the caller set it; see {@code docs/pgbouncer.md} for sizing a fleet.
 *
 * <pre>{@code
 * TidepoolConfig config = new TidepoolConfig();
 * config.setJdbcUrl("jdbc:postgresql://pgbouncer.internal:6432/orders");
 * config.setUsername("orders");
 * config.setMaximumPoolSize(20);
 * PgBouncerPreset.TRANSACTION_POOLING.applyTo(config);   // PgBouncer 1.18: prepareThreshold=0
 * TidepoolDataSource dataSource = new TidepoolDataSource(config);
 * }</pre>
 */
public enum PgBouncerPreset {
    /** PgBouncer before 1.21, or with {@code max_prepared_statements = 0}: no named prepared statements. */
    TRANSACTION_POOLING("0"),
    /** PgBouncer 1.21 or later with {@code max_prepared_statements} above 0: pgjdbc's named statements. */
    TRANSACTION_POOLING_PREPARED_STATEMENTS(null);

    /** pgjdbc's driver property for when a statement becomes a named server-side one. */
    private static final String PREPARE_THRESHOLD = "prepareThreshold";

    /** The value this preset gives {@code prepareThreshold}, or null to leave pgjdbc's default. */
    private final String prepareThreshold;

    PgBouncerPreset(String prepareThreshold) {
        this.prepareThreshold = prepareThreshold;
    }

    /**
     * The preset as properties, named as a Tidepool properties file names them (driver
     * properties with the {@code dataSource.} prefix), for {@link TidepoolConfig#TidepoolConfig(Properties)}
     * or to print.
     *
     * @return a new, modifiable set of properties
     */
    public Properties properties() {
        Properties properties = new Properties();
        if (prepareThreshold != null) {
            properties.setProperty("dataSource." + PREPARE_THRESHOLD, prepareThreshold);
        }
        properties.setProperty("isolateInternalQueries", "true");
        return properties;
    }

    /**
     * Checks {@code config} for settings transaction pooling defeats, then adds this preset's
     * settings (see the class comment).
     *
     * @param config the configuration of a pool whose {@code jdbcUrl} points at PgBouncer
     * @return {@code config}
     * @throws IllegalArgumentException naming the property (and its value, but for the SQL of
     *         {@code connectionInitSql}, which may hold anything) if {@code config} sets
     *         {@code transactionIsolation}, {@code schema}, {@code connectionInitSql}, or a
     *         {@code dataSource.prepareThreshold} that differs from this preset's; nothing is changed then
     * @throws IllegalStateException if the pool has started (its settings are sealed)
     */
    public TidepoolConfig applyTo(TidepoolConfig config) {
        refuse("transactionIsolation", config.getTransactionIsolation(),
                "pgjdbc sets it with SET SESSION CHARACTERISTICS, which stays on one PgBouncer server connection;"
                        + " use ALTER ROLE ... SET default_transaction_isolation, or set it inside each transaction");
        refuse("schema", config.getSchema(),
                "SET search_path stays on one PgBouncer server connection; use ALTER ROLE ... SET search_path");
        refuse("connectionInitSql", config.getConnectionInitSql() == null ? null : "(set)",
                "it runs once per client connection, on whichever server connection PgBouncer picks; put session"
                        + " defaults on the role or database");
        Object threshold = config.getDataSourceProperties().get(PREPARE_THRESHOLD);
        if (threshold != null && !String.valueOf(threshold).equals(prepareThreshold)) {
            throw new IllegalArgumentException("dataSource." + PREPARE_THRESHOLD + "=" + threshold + " conflicts with "
                    + name() + (prepareThreshold == null ? ", which keeps pgjdbc's default"
                    : ", which needs " + prepareThreshold));
        }
        if (prepareThreshold != null) {
            config.addDataSourceProperty(PREPARE_THRESHOLD, prepareThreshold);
        }
        config.setIsolateInternalQueries(true);
        return config;
    }

    private static void refuse(String property, String value, String why) {
        if (value != null) {
            throw new IllegalArgumentException(property + "=" + value + " does not work behind PgBouncer in transaction"
                    + " pooling mode: " + why);
        }
    }
}
