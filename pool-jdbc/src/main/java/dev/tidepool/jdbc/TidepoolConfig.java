package dev.tidepool.jdbc;

import dev.tidepool.core.Fairness;
import dev.tidepool.core.Order;
import dev.tidepool.jdbc.config.ConfigProperties;
import dev.tidepool.jdbc.config.Secrets;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The settings of a Tidepool JDBC pool, with HikariCP's property names, types, defaults and
 * checks: code written against {@code HikariConfig} compiles unchanged against this class. Sizes
 * are {@code int}s, every time is a {@code long} number of milliseconds.
 *
 * <p>Bean style:
 * <pre>{@code
 * TidepoolConfig config = new TidepoolConfig();
 * config.setJdbcUrl("jdbc:postgresql://db.example.com/orders");
 * config.setUsername("orders");
 * config.setPassword(System.getenv("ORDERS_DB_PASSWORD"));
 * config.setMaximumPoolSize(20);
 * config.setConnectionTimeout(5_000);
 * config.addDataSourceProperty("reWriteBatchedInserts", "true");
 * TidepoolDataSource ds = new TidepoolDataSource(config);
 * }</pre>
 *
 * <p>Properties style, each key a property name; keys starting with {@code dataSource.} go to the
 * driver, and times may carry a unit ({@code ms}, {@code s}, {@code m}, {@code h}, {@code d}):
 * <pre>{@code
 * # pool.properties, a file or a class-path resource
 * jdbcUrl=jdbc:postgresql://db.example.com/orders
 * username=orders
 * maximumPoolSize=20
 * connectionTimeout=5s
 * idleTimeout=5m
 * order=QUEUE
 * dataSource.reWriteBatchedInserts=true
 *
 * TidepoolConfig config = new TidepoolConfig("pool.properties");
 * }</pre>
 * The no-argument constructor loads the file named by the system property
 * {@code tidepool.configurationFile}, if it is set.
 *
 * <p>Setters reject impossible values at once with an {@link IllegalArgumentException} and keep
 * the old value. {@link #validate()}, which the data source calls when the pool starts, checks
 * the properties against each other and, like HikariCP, quietly repairs a few risky timeouts
 * (logging a warning for each). Once the pool has started, only the sizes, the timeouts that
 * HikariCP's MXBean can change, the username and the password may still be set; every other
 * setter throws {@link IllegalStateException}.
 *
 * <p>The password never appears in {@link #toString()}, in a log message or in an exception
 * message, and neither do credentials embedded in a JDBC URL.
 */
public class TidepoolConfig {
    /** The system property naming a file the no-argument constructor loads. */
    static final String CONFIGURATION_FILE_PROPERTY = "tidepool.configurationFile";

    static final int DEFAULT_POOL_SIZE = 10;
    static final long CONNECTION_TIMEOUT = 30_000L;
    static final long VALIDATION_TIMEOUT = 5_000L;
    static final long IDLE_TIMEOUT = 600_000L;
    static final long MAX_LIFETIME = 1_800_000L;
    static final long KEEPALIVE_TIME = 120_000L;
    static final int DEFAULT_CONCURRENT_CONNECTS = 8;

    /** Below this a timeout cannot be honoured reliably (HikariCP's "soft timeout floor"). */
    private static final long TIMEOUT_FLOOR = 250L;
    private static final long MIN_LIFETIME = 30_000L;
    private static final long MIN_KEEPALIVE = 30_000L;
    private static final long MIN_LEAK_DETECTION = 2_000L;
    private static final long MIN_IDLE_TIMEOUT = 10_000L;
    /** Eviction runs on a period of its own, so idling out within a second of the lifetime end is moot. */
    private static final long IDLE_LIFETIME_MARGIN = 1_000L;

    private static final String RUNTIME_PROPERTIES = "maximumPoolSize, minimumIdle, connectionTimeout, "
            + "idleTimeout, maxLifetime, leakDetectionThreshold, validationTimeout, maximumThreadsAwaitingConnection, "
            + "maximumConcurrentConnects, fairness, username, password and credentials; metricRegistry or "
            + "metricsTrackerFactory once";
    private static final String DATA_SOURCE_PREFIX = "dataSource.";
    private static final String HEALTH_CHECK_PREFIX = "healthCheckProperties.";

    private static final System.Logger LOGGER = System.getLogger(TidepoolConfig.class.getName());
    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

    // Changeable while the pool runs, read by its threads: volatile.
    private volatile int maximumPoolSize = DEFAULT_POOL_SIZE;
    private volatile int minimumIdle = -1;
    private volatile long connectionTimeout = CONNECTION_TIMEOUT;
    private volatile long idleTimeout = IDLE_TIMEOUT;
    private volatile long maxLifetime = MAX_LIFETIME;
    private volatile long validationTimeout = VALIDATION_TIMEOUT;
    private volatile long leakDetectionThreshold;
    private volatile int maximumThreadsAwaitingConnection = -1;
    private volatile int maximumConcurrentConnects = DEFAULT_CONCURRENT_CONNECTS;
    private volatile Fairness fairness = Fairness.STRICT;
    /** User name and password in one value, so a rotation replaces both at once. */
    private final AtomicReference<Credentials> credentials = new AtomicReference<>(Credentials.of(null, null));
    private volatile CredentialsProvider credentialsProvider;
    private volatile String credentialsProviderClassName;
    // Set at validate() and shown in the messages of any thread that hits the seal.
    private volatile String poolName;

    // Fixed once the pool starts; the start publishes them to the pool's threads.
    private long keepaliveTime = KEEPALIVE_TIME;
    private long initializationFailTimeout = 1L;
    private String jdbcUrl;
    private String driverClassName;
    private DataSource dataSource;
    private String dataSourceClassName;
    private final Properties dataSourceProperties = new Properties();
    private boolean autoCommit = true;
    private boolean readOnly;
    private String transactionIsolation;
    private String catalog;
    private String schema;
    private String connectionInitSql;
    private String connectionTestQuery;
    private boolean registerMbeans;
    private boolean allowPoolSuspension;
    private Order order = Order.STACK;
    private String dataSourceJNDI;
    private boolean isolateInternalQueries = true;
    private ThreadFactory threadFactory;
    private ScheduledExecutorService scheduledExecutor;
    private SQLExceptionOverride exceptionOverride;
    private String exceptionOverrideClassName;
    private Object metricRegistry;
    private MetricsTrackerFactory metricsTrackerFactory;
    private final Properties healthCheckProperties = new Properties();

    private volatile boolean validated;
    private volatile boolean sealed;
    private Driver driver;
    /** Makes a live size change check-then-write against the other size. */
    private final ReentrantLock sizeLock = new ReentrantLock();

    /**
     * A configuration with HikariCP's defaults, overlaid with the file named by the system
     * property {@code tidepool.configurationFile} if that is set.
     *
     * @throws IllegalArgumentException if that file cannot be found or holds a bad property
     */
    public TidepoolConfig() {
        String file = System.getProperty(CONFIGURATION_FILE_PROPERTY);
        if (file != null) {
            applyAll(ConfigProperties.load(file));
        }
    }

    /**
     * A configuration from properties, each key a property name (see the class comment); applied
     * over what the no-argument constructor sets up.
     *
     * @param properties the properties to apply
     * @throws IllegalArgumentException if a key is unknown or a value cannot be used
     */
    public TidepoolConfig(Properties properties) {
        this();
        applyAll(Objects.requireNonNull(properties, "properties"));
    }

    /**
     * A configuration from a property file: a path in the file system or, if there is no such
     * file, a class-path resource; applied over what the no-argument constructor sets up.
     *
     * @param propertyFileName the file or resource name
     * @throws IllegalArgumentException if it cannot be found, a key is unknown or a value cannot be used
     */
    public TidepoolConfig(String propertyFileName) {
        this();
        applyAll(ConfigProperties.load(propertyFileName));
    }

    // ------------------------------------------------------------------ loading from Properties

    // Loading writes fields directly instead of calling the setters: a subclass's overrides must
    // not run before the subclass is constructed. The checks are the setters' own.
    private void applyAll(Properties properties) {
        for (Map.Entry<String, Object> e : ConfigProperties.entries(properties).entrySet()) {
            apply(e.getKey(), e.getValue());
        }
    }

    private void apply(String key, Object value) {
        if (key.startsWith(HEALTH_CHECK_PREFIX)) {
            healthCheckProperties.put(key.substring(HEALTH_CHECK_PREFIX.length()), ConfigProperties.string(key, value));
            return;
        }
        if (key.startsWith(DATA_SOURCE_PREFIX)) {
            String name = key.substring(DATA_SOURCE_PREFIX.length());
            if (name.isEmpty()) {
                throw new IllegalArgumentException("property " + key + " names no driver property");
            }
            dataSourceProperties.put(name, value);
            return;
        }
        switch (key) {
            case "jdbcUrl" -> jdbcUrl = ConfigProperties.string(key, value);
            case "username" -> updateCredentials(ConfigProperties.string(key, value), null, true, false);
            case "password" -> updateCredentials(null, ConfigProperties.string(key, value), false, true);
            case "credentials" -> credentials.set(ConfigProperties.instance(key, value, Credentials.class));
            case "credentialsProvider" -> credentialsProvider = ConfigProperties.create(key, value, CredentialsProvider.class);
            case "credentialsProviderClassName" -> {
                credentialsProvider = ConfigProperties.create(key, value, CredentialsProvider.class);
                credentialsProviderClassName = credentialsProvider.getClass().getName();
            }
            case "dataSourceJNDI" -> dataSourceJNDI = ConfigProperties.string(key, value);
            case "isolateInternalQueries" -> isolateInternalQueries = ConfigProperties.bool(key, value);
            case "threadFactory" -> threadFactory = ConfigProperties.create(key, value, ThreadFactory.class);
            case "scheduledExecutor" ->
                    scheduledExecutor = ConfigProperties.create(key, value, ScheduledExecutorService.class);
            case "exceptionOverride" ->
                    exceptionOverride = ConfigProperties.create(key, value, SQLExceptionOverride.class);
            case "exceptionOverrideClassName" -> {
                exceptionOverride = ConfigProperties.create(key, value, SQLExceptionOverride.class);
                exceptionOverrideClassName = exceptionOverride.getClass().getName();
            }
            case "metricRegistry" -> metricRegistry = checkMetricRegistry(value, metricsTrackerFactory);
            case "metricsTrackerFactory" -> metricsTrackerFactory = checkMetricsTrackerFactory(
                    ConfigProperties.create(key, value, MetricsTrackerFactory.class), metricRegistry);
            case "healthCheckRegistry" -> checkHealthCheckRegistry(value);
            case "healthCheckProperties" ->
                    healthCheckProperties.putAll(ConfigProperties.instance(key, value, Properties.class));
            case "driverClassName" -> driverClassName = ConfigProperties.string(key, value);
            case "dataSource" -> dataSource = ConfigProperties.create(key, value, DataSource.class);
            case "dataSourceClassName" -> dataSourceClassName = ConfigProperties.string(key, value);
            case "dataSourceProperties" ->
                    dataSourceProperties.putAll(ConfigProperties.instance(key, value, Properties.class));
            case "maximumPoolSize" -> maximumPoolSize = checkMaximumPoolSize(ConfigProperties.integer(key, value));
            case "minimumIdle" -> minimumIdle = checkMinimumIdle(ConfigProperties.integer(key, value));
            case "connectionTimeout" ->
                    connectionTimeout = checkConnectionTimeout(ConfigProperties.millis(key, value));
            case "idleTimeout" -> idleTimeout = checkNotNegative(key, ConfigProperties.millis(key, value));
            case "maxLifetime" -> maxLifetime = checkNotNegative(key, ConfigProperties.millis(key, value));
            case "keepaliveTime" -> keepaliveTime = checkNotNegative(key, ConfigProperties.millis(key, value));
            case "validationTimeout" ->
                    validationTimeout = checkValidationTimeout(ConfigProperties.millis(key, value));
            case "maximumThreadsAwaitingConnection" -> maximumThreadsAwaitingConnection =
                    checkMaximumThreadsAwaitingConnection(ConfigProperties.integer(key, value));
            case "maximumConcurrentConnects" ->
                    maximumConcurrentConnects = checkMaximumConcurrentConnects(ConfigProperties.integer(key, value));
            case "leakDetectionThreshold" ->
                    leakDetectionThreshold = checkNotNegative(key, ConfigProperties.millis(key, value));
            case "initializationFailTimeout" -> initializationFailTimeout = ConfigProperties.millis(key, value);
            case "autoCommit" -> autoCommit = ConfigProperties.bool(key, value);
            case "readOnly" -> readOnly = ConfigProperties.bool(key, value);
            case "transactionIsolation" ->
                    transactionIsolation = checkTransactionIsolation(ConfigProperties.string(key, value));
            case "catalog" -> catalog = ConfigProperties.string(key, value);
            case "schema" -> schema = ConfigProperties.string(key, value);
            case "connectionInitSql" -> connectionInitSql = ConfigProperties.string(key, value);
            case "connectionTestQuery" -> connectionTestQuery = ConfigProperties.string(key, value);
            case "poolName" -> poolName = ConfigProperties.string(key, value);
            case "registerMbeans" -> registerMbeans = ConfigProperties.bool(key, value);
            case "allowPoolSuspension" -> allowPoolSuspension = ConfigProperties.bool(key, value);
            case "order" -> order = ConfigProperties.order(key, value);
            case "fairness" -> fairness = ConfigProperties.fairness(key, value);
            default -> throw unknownProperty(key);
        }
    }

    // The value is left out: a misspelt "password" key would otherwise print the password.
    private static IllegalArgumentException unknownProperty(String key) {
        String hint = "";
        for (String known : new String[] {"jdbcUrl", "username", "password", "driverClassName", "dataSource",
                "dataSourceClassName", "dataSourceProperties", "maximumPoolSize", "minimumIdle", "connectionTimeout",
                "idleTimeout", "maxLifetime", "keepaliveTime", "validationTimeout", "leakDetectionThreshold",
                "initializationFailTimeout", "autoCommit", "readOnly", "transactionIsolation", "catalog", "schema",
                "connectionInitSql", "connectionTestQuery", "poolName", "registerMbeans", "allowPoolSuspension",
                "order", "fairness", "credentials", "credentialsProvider", "credentialsProviderClassName", "dataSourceJNDI",
                "isolateInternalQueries", "threadFactory", "scheduledExecutor", "exceptionOverride",
                "exceptionOverrideClassName", "metricRegistry", "metricsTrackerFactory", "healthCheckRegistry",
                "healthCheckProperties", "maximumThreadsAwaitingConnection", "maximumConcurrentConnects"}) {
            if (known.equalsIgnoreCase(key)) {
                hint = " (did you mean " + known + "?)";
            }
        }
        return new IllegalArgumentException("unknown property " + key + hint
                + "; driver properties take the prefix " + DATA_SOURCE_PREFIX);
    }

    // ------------------------------------------------------------------ checks shared by setters and loading

    private static int checkMaximumPoolSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("maximumPoolSize cannot be less than 1, was " + size);
        }
        return size;
    }

    private static int checkMinimumIdle(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("minimumIdle cannot be negative, was " + size);
        }
        return size;
    }

    /** 0 means no limit, stored as Integer.MAX_VALUE as HikariCP does, so deadlines never overflow. */
    private static long checkConnectionTimeout(long millis) {
        if (millis == 0) {
            return Integer.MAX_VALUE;
        }
        if (millis < TIMEOUT_FLOOR) {
            throw new IllegalArgumentException(
                    "connectionTimeout cannot be less than " + TIMEOUT_FLOOR + " ms, was " + millis + " ms");
        }
        return millis;
    }

    private static long checkValidationTimeout(long millis) {
        if (millis < TIMEOUT_FLOOR) {
            throw new IllegalArgumentException(
                    "validationTimeout cannot be less than " + TIMEOUT_FLOOR + " ms, was " + millis + " ms");
        }
        return millis;
    }

    private static long checkNotNegative(String property, long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException(property + " cannot be negative, was " + millis + " ms");
        }
        return millis;
    }

    private static String checkTransactionIsolation(String isolation) {
        ConfigProperties.isolationLevel(isolation);
        return isolation;
    }


    private void checkNotSealed(String property) {
        if (sealed) {
            throw new IllegalStateException("The configuration of pool " + poolName + " is sealed once started; "
                    + property + " cannot change at run time (only " + RUNTIME_PROPERTIES + " can)");
        }
    }

    // ------------------------------------------------------------------ connection source

    /**
     * The JDBC URL the pool connects to through {@link DriverManager} or {@link #getDriverClassName()}.
     *
     * @return the URL, or null
     */
    public String getJdbcUrl() {
        return jdbcUrl;
    }

    /**
     * Sets the JDBC URL; may embed credentials, which are masked wherever the URL is shown.
     *
     * @param jdbcUrl the URL, or null
     * @throws IllegalStateException once the pool has started
     */
    public void setJdbcUrl(String jdbcUrl) {
        checkNotSealed("jdbcUrl");
        this.jdbcUrl = jdbcUrl;
    }

    /**
     * The user name connections are opened with.
     *
     * @return the user name, or null
     */
    public String getUsername() {
        return credentials.get().getUsername();
    }

    /**
     * Sets the user name; may change while the pool runs (new connections use it).
     *
     * @param username the user name, or null
     */
    public void setUsername(String username) {
        updateCredentials(username, null, true, false);
    }

    /**
     * The password connections are opened with.
     *
     * @return the password, or null
     */
    public String getPassword() {
        return credentials.get().getPassword();
    }

    /**
     * Sets the password; may change while the pool runs (new connections use it).
     *
     * @param password the password, or null
     */
    public void setPassword(String password) {
        updateCredentials(null, password, false, true);
    }

    private void updateCredentials(String username, String password, boolean setUsername, boolean setPassword) {
        credentials.updateAndGet(old -> Credentials.of(setUsername ? username : old.getUsername(),
                setPassword ? password : old.getPassword()));
    }

    /**
     * The user name and password, as one value (HikariCP 7's {@code getCredentials}).
     *
     * @return the credentials, never null (its members may be)
     */
    public Credentials getCredentials() {
        return credentials.get();
    }

    /**
     * Sets user name and password together, so no connection is ever opened with the new user
     * name and the old password; may change while the pool runs (new connections use them). A
     * {@link #setCredentialsProvider credentials provider}, while set, wins over them.
     *
     * @param credentials the credentials
     * @throws NullPointerException if {@code credentials} is null
     */
    public void setCredentials(Credentials credentials) {
        this.credentials.set(Objects.requireNonNull(credentials, "credentials"));
    }

    /**
     * The provider asked for the credentials of each new connection, if one is set.
     *
     * @return the provider, or null
     */
    public CredentialsProvider getCredentialsProvider() {
        return credentialsProvider;
    }

    /**
     * Sets a provider asked for the credentials of each new connection; while it is set, the
     * username, password and credentials properties are not used (see {@link CredentialsProvider}).
     *
     * @param credentialsProvider the provider, or null to use the credentials property again
     * @throws IllegalStateException once the pool has started
     */
    public void setCredentialsProvider(CredentialsProvider credentialsProvider) {
        checkNotSealed("credentialsProvider");
        this.credentialsProvider = credentialsProvider;
        this.credentialsProviderClassName = null;
    }

    /**
     * The class name given to {@link #setCredentialsProviderClassName}, if that is how the provider was set.
     *
     * @return the class name, or null
     */
    public String getCredentialsProviderClassName() {
        return credentialsProviderClassName;
    }

    /**
     * Sets the provider by class name: the class (a {@link CredentialsProvider} with a public
     * no-argument constructor) is loaded and instantiated at once.
     *
     * @param className the fully qualified class name, or null to remove the provider
     * @throws IllegalArgumentException if the class cannot be loaded, instantiated or is no provider
     * @throws IllegalStateException    once the pool has started
     */
    public void setCredentialsProviderClassName(String className) {
        checkNotSealed("credentialsProviderClassName");
        this.credentialsProvider = className == null ? null
                : ConfigProperties.create("credentialsProviderClassName", className, CredentialsProvider.class);
        this.credentialsProviderClassName = className;
    }


    /**
     * The {@link Driver} class to open {@link #getJdbcUrl()} with, instead of asking {@link DriverManager}.
     *
     * @return the class name, or null
     */
    public String getDriverClassName() {
        return driverClassName;
    }

    /**
     * Sets the driver class; {@link #validate()} loads it and checks that it accepts the URL.
     *
     * @param driverClassName the fully qualified class name, or null
     * @throws IllegalStateException once the pool has started
     */
    public void setDriverClassName(String driverClassName) {
        checkNotSealed("driverClassName");
        this.driverClassName = driverClassName;
    }

    /**
     * A data source the pool takes its connections from; wins over the other sources.
     *
     * @return the data source, or null
     */
    public DataSource getDataSource() {
        return dataSource;
    }

    /**
     * Sets the data source to take connections from.
     *
     * @param dataSource the data source, or null
     * @throws IllegalStateException once the pool has started
     */
    public void setDataSource(DataSource dataSource) {
        checkNotSealed("dataSource");
        this.dataSource = dataSource;
    }

    /**
     * The class of a {@link DataSource} the pool creates and configures with {@link #getDataSourceProperties()}.
     *
     * @return the class name, or null
     */
    public String getDataSourceClassName() {
        return dataSourceClassName;
    }

    /**
     * Sets the data source class; wins over {@link #getJdbcUrl()}.
     *
     * @param dataSourceClassName the fully qualified class name, or null
     * @throws IllegalStateException once the pool has started
     */
    public void setDataSourceClassName(String dataSourceClassName) {
        checkNotSealed("dataSourceClassName");
        this.dataSourceClassName = dataSourceClassName;
    }

    /**
     * The properties handed to the driver or the data source class: the live object, as in
     * HikariCP, so changes to it count until the pool starts.
     *
     * @return the properties, never null
     */
    public Properties getDataSourceProperties() {
        return dataSourceProperties;
    }

    /**
     * Adds every entry of {@code dataSourceProperties} to the driver properties (entries already
     * there and not in the argument stay, as in HikariCP).
     *
     * @param dataSourceProperties the properties to add
     * @throws IllegalStateException once the pool has started
     */
    public void setDataSourceProperties(Properties dataSourceProperties) {
        Objects.requireNonNull(dataSourceProperties, "dataSourceProperties");
        checkNotSealed("dataSourceProperties");
        this.dataSourceProperties.putAll(dataSourceProperties);
    }

    /**
     * Adds one driver property.
     *
     * @param propertyName the property name
     * @param value        its value
     * @throws IllegalStateException once the pool has started
     */
    public void addDataSourceProperty(String propertyName, Object value) {
        checkNotSealed("dataSourceProperties");
        dataSourceProperties.put(propertyName, value);
    }

    // ------------------------------------------------------------------ sizes

    /**
     * The most connections the pool holds, idle and in use together. Default 10.
     *
     * @return the maximum size
     */
    public int getMaximumPoolSize() {
        return maximumPoolSize;
    }

    /**
     * Sets the maximum pool size; may change while the pool runs, but not below an explicitly set
     * {@link #getMinimumIdle() minimumIdle}.
     *
     * @param maxPoolSize the maximum size, at least 1
     * @throws IllegalArgumentException if it is less than 1, or the pool runs and it is below minimumIdle
     */
    public void setMaximumPoolSize(int maxPoolSize) {
        int size = checkMaximumPoolSize(maxPoolSize);
        sizeLock.lock();
        try {
            int min = minimumIdle;
            if (sealed && min > size) {
                throw new IllegalArgumentException("maximumPoolSize " + size + " is less than minimumIdle " + min
                        + " of pool " + poolName + "; lower minimumIdle first");
            }
            maximumPoolSize = size;
        } finally {
            sizeLock.unlock();
        }
    }

    /**
     * The idle connections the pool tries to keep. Before {@link #validate()}, -1 if it was never
     * set; after, the effective value, which for an unset one is {@link #getMaximumPoolSize()}
     * (a fixed-size pool, as HikariCP recommends).
     *
     * @return the minimum idle count
     */
    public int getMinimumIdle() {
        return effectiveMinimumIdle();
    }

    /**
     * Sets the minimum idle count; may change while the pool runs, but never above the maximum.
     *
     * @param minIdle the minimum idle count, at least 0
     * @throws IllegalArgumentException if it is negative, or the pool runs and it is above maximumPoolSize
     */
    public void setMinimumIdle(int minIdle) {
        int size = checkMinimumIdle(minIdle);
        sizeLock.lock();
        try {
            int max = maximumPoolSize;
            if (sealed && size > max) {
                throw new IllegalArgumentException("minimumIdle " + size + " is greater than maximumPoolSize " + max
                        + " of pool " + poolName + "; raise maximumPoolSize first");
            }
            minimumIdle = size;
        } finally {
            sizeLock.unlock();
        }
    }

    // ------------------------------------------------------------------ times

    /**
     * How long {@code getConnection()} waits for a connection, in milliseconds. Default 30 s.
     *
     * @return the timeout; {@link Integer#MAX_VALUE} if it was set to 0 (no limit)
     */
    public long getConnectionTimeout() {
        return connectionTimeout;
    }

    /**
     * Sets the connection timeout; may change while the pool runs.
     *
     * @param connectionTimeoutMs milliseconds, 0 for no limit, otherwise at least 250
     * @throws IllegalArgumentException if it is negative or from 1 to 249
     */
    public void setConnectionTimeout(long connectionTimeoutMs) {
        connectionTimeout = checkConnectionTimeout(connectionTimeoutMs);
    }

    /**
     * How long a connection may sit idle before it is closed, in milliseconds; applies only while
     * more than {@link #getMinimumIdle()} connections are idle. Default 10 min; 0 never closes
     * idle connections.
     *
     * @return the idle timeout
     */
    public long getIdleTimeout() {
        return idleTimeout;
    }

    /**
     * Sets the idle timeout; may change while the pool runs.
     *
     * @param idleTimeoutMs milliseconds, 0 or more
     * @throws IllegalArgumentException if it is negative
     */
    public void setIdleTimeout(long idleTimeoutMs) {
        idleTimeout = checkNotNegative("idleTimeout", idleTimeoutMs);
    }

    /**
     * How long a connection lives before it is retired once back in the pool, in milliseconds.
     * Default 30 min; 0 means no limit.
     *
     * @return the maximum lifetime
     */
    public long getMaxLifetime() {
        return maxLifetime;
    }

    /**
     * Sets the maximum lifetime; may change while the pool runs.
     *
     * @param maxLifetimeMs milliseconds, 0 or more
     * @throws IllegalArgumentException if it is negative
     */
    public void setMaxLifetime(long maxLifetimeMs) {
        maxLifetime = checkNotNegative("maxLifetime", maxLifetimeMs);
    }

    /**
     * How often an idle connection is tested to keep it (and the network path) alive, in
     * milliseconds. Default 2 min; 0 turns keepalive off.
     *
     * @return the keepalive period
     */
    public long getKeepaliveTime() {
        return keepaliveTime;
    }

    /**
     * Sets the keepalive period.
     *
     * @param keepaliveTimeMs milliseconds, 0 or more
     * @throws IllegalArgumentException if it is negative
     * @throws IllegalStateException    once the pool has started
     */
    public void setKeepaliveTime(long keepaliveTimeMs) {
        checkNotSealed("keepaliveTime");
        keepaliveTime = checkNotNegative("keepaliveTime", keepaliveTimeMs);
    }

    /**
     * How long a connection test may take, in milliseconds. Default 5 s.
     *
     * @return the validation timeout
     */
    public long getValidationTimeout() {
        return validationTimeout;
    }

    /**
     * Sets the validation timeout; may change while the pool runs.
     *
     * @param validationTimeoutMs milliseconds, at least 250
     * @throws IllegalArgumentException if it is less than 250
     */
    public void setValidationTimeout(long validationTimeoutMs) {
        validationTimeout = checkValidationTimeout(validationTimeoutMs);
    }

    /**
     * How long a connection may stay out of the pool before a possible leak is logged, in
     * milliseconds. Default 0: no leak detection.
     *
     * @return the leak detection threshold
     */
    public long getLeakDetectionThreshold() {
        return leakDetectionThreshold;
    }

    /**
     * Sets the leak detection threshold; may change while the pool runs.
     *
     * @param leakDetectionThresholdMs milliseconds, 0 (off) or more
     * @throws IllegalArgumentException if it is negative
     */
    public void setLeakDetectionThreshold(long leakDetectionThresholdMs) {
        leakDetectionThreshold = checkNotNegative("leakDetectionThreshold", leakDetectionThresholdMs);
    }

    /**
     * How many callers may wait for a connection at once; -1 (the default) for no bound. A caller
     * that finds no connection free while this many already wait fails at once with an
     * {@link java.sql.SQLTransientConnectionException} that names the bound, instead of queueing
     * for a connection it would likely time out waiting for (load shedding). 0 means nobody
     * waits: a borrower gets a free connection or an exception.
     *
     * @return the bound, or -1
     */
    public int getMaximumThreadsAwaitingConnection() {
        return maximumThreadsAwaitingConnection;
    }

    /**
     * Sets how many callers may wait for a connection at once; may change while the pool runs
     * (callers already waiting keep waiting).
     *
     * @param maximumThreadsAwaitingConnection the bound, 0 or more, or -1 for none
     * @throws IllegalArgumentException if it is below -1
     */
    public void setMaximumThreadsAwaitingConnection(int maximumThreadsAwaitingConnection) {
        this.maximumThreadsAwaitingConnection = checkMaximumThreadsAwaitingConnection(maximumThreadsAwaitingConnection);
    }

    /**
     * How many new connections the pool opens at the same time when it fills up to minimumIdle
     * (after a start, an outage or an eviction). Default {@value #DEFAULT_CONCURRENT_CONNECTS}: a
     * pool of 20 refills in about three connect times once the database answers again, without
     * sending it a storm of logins.
     *
     * @return the number of parallel connects, at least 1
     */
    public int getMaximumConcurrentConnects() {
        return maximumConcurrentConnects;
    }

    /**
     * Sets how many connections the pool opens at once while filling; may change while the pool runs.
     *
     * @param maximumConcurrentConnects at least 1
     * @throws IllegalArgumentException if it is less than 1
     */
    public void setMaximumConcurrentConnects(int maximumConcurrentConnects) {
        this.maximumConcurrentConnects = checkMaximumConcurrentConnects(maximumConcurrentConnects);
    }

    private static int checkMaximumThreadsAwaitingConnection(int bound) {
        if (bound < -1) {
            throw new IllegalArgumentException("maximumThreadsAwaitingConnection cannot be less than -1 (no bound), was "
                    + bound);
        }
        return bound;
    }

    private static int checkMaximumConcurrentConnects(int parallel) {
        if (parallel < 1) {
            throw new IllegalArgumentException("maximumConcurrentConnects cannot be less than 1, was " + parallel);
        }
        return parallel;
    }

    /**
     * How long starting the pool waits for a first connection, in milliseconds, as in HikariCP.
     * Above 0, the start fails if none comes in time. At 0, it fails only if a connection is
     * obtained but fails its setup (connectionTestQuery, or isValid without one, and
     * connectionInitSql); if none can be obtained the pool starts anyway. Below 0, the start makes
     * no attempt and the pool fills in the background. A setup failure fails the start at once
     * whatever the timeout, since retrying cannot fix a configuration. With minimumIdle 0 the
     * first connection is closed again once it has proved the database answers. Default 1.
     *
     * @return the initialization fail timeout
     */
    public long getInitializationFailTimeout() {
        return initializationFailTimeout;
    }

    /**
     * Sets the initialization fail timeout; any value is allowed (see the getter).
     *
     * @param initializationFailTimeout milliseconds
     * @throws IllegalStateException once the pool has started
     */
    public void setInitializationFailTimeout(long initializationFailTimeout) {
        checkNotSealed("initializationFailTimeout");
        this.initializationFailTimeout = initializationFailTimeout;
    }

    // ------------------------------------------------------------------ connection defaults

    /**
     * The auto-commit mode every borrowed connection starts in. Default true.
     *
     * @return the auto-commit default
     */
    public boolean isAutoCommit() {
        return autoCommit;
    }

    /**
     * Sets the auto-commit default.
     *
     * @param isAutoCommit the auto-commit default
     * @throws IllegalStateException once the pool has started
     */
    public void setAutoCommit(boolean isAutoCommit) {
        checkNotSealed("autoCommit");
        autoCommit = isAutoCommit;
    }

    /**
     * The read-only mode every borrowed connection starts in. Default false.
     *
     * @return the read-only default
     */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * Sets the read-only default.
     *
     * @param readOnly the read-only default
     * @throws IllegalStateException once the pool has started
     */
    public void setReadOnly(boolean readOnly) {
        checkNotSealed("readOnly");
        this.readOnly = readOnly;
    }

    /**
     * The transaction isolation every borrowed connection starts in, as set; null leaves the
     * driver's default.
     *
     * @return the isolation name or number, or null
     */
    public String getTransactionIsolation() {
        return transactionIsolation;
    }

    /**
     * Sets the transaction isolation: a {@code Connection.TRANSACTION_*} name such as
     * {@code "TRANSACTION_READ_COMMITTED"} (any case, the prefix optional) or its number ("2").
     *
     * @param isolationLevel the isolation, or null for the driver's default
     * @throws IllegalArgumentException if it names no isolation level
     * @throws IllegalStateException    once the pool has started
     */
    public void setTransactionIsolation(String isolationLevel) {
        checkNotSealed("transactionIsolation");
        transactionIsolation = checkTransactionIsolation(isolationLevel);
    }

    /** The {@code Connection.TRANSACTION_*} constant of {@link #getTransactionIsolation()}, -1 if unset. */
    int transactionIsolationLevel() {
        return ConfigProperties.isolationLevel(transactionIsolation);
    }

    /**
     * The catalog every borrowed connection starts in; null leaves the driver's default.
     *
     * @return the catalog, or null
     */
    public String getCatalog() {
        return catalog;
    }

    /**
     * Sets the default catalog.
     *
     * @param catalog the catalog, or null
     * @throws IllegalStateException once the pool has started
     */
    public void setCatalog(String catalog) {
        checkNotSealed("catalog");
        this.catalog = catalog;
    }

    /**
     * The schema every borrowed connection starts in; null leaves the driver's default.
     *
     * @return the schema, or null
     */
    public String getSchema() {
        return schema;
    }

    /**
     * Sets the default schema.
     *
     * @param schema the schema, or null
     * @throws IllegalStateException once the pool has started
     */
    public void setSchema(String schema) {
        checkNotSealed("schema");
        this.schema = schema;
    }

    /**
     * SQL run once on every new connection before the pool hands it out.
     *
     * @return the SQL, or null
     */
    public String getConnectionInitSql() {
        return connectionInitSql;
    }

    /**
     * Sets the SQL run on every new connection; if it fails, so does the connection attempt.
     *
     * @param connectionInitSql the SQL, or null
     * @throws IllegalStateException once the pool has started
     */
    public void setConnectionInitSql(String connectionInitSql) {
        checkNotSealed("connectionInitSql");
        this.connectionInitSql = connectionInitSql;
    }

    /**
     * The query that tests a connection, for drivers without a working {@link Connection#isValid(int)};
     * null uses {@code isValid}.
     *
     * @return the query, or null
     */
    public String getConnectionTestQuery() {
        return connectionTestQuery;
    }

    /**
     * Sets the connection test query; leave it unset for JDBC 4 drivers.
     *
     * @param connectionTestQuery the query, or null
     * @throws IllegalStateException once the pool has started
     */
    public void setConnectionTestQuery(String connectionTestQuery) {
        checkNotSealed("connectionTestQuery");
        this.connectionTestQuery = connectionTestQuery;
    }

    // ------------------------------------------------------------------ pool

    /**
     * The pool's name in logs and JMX; {@link #validate()} makes up {@code TidepoolPool-N} if none was set.
     *
     * @return the name, or null before validation if none was set
     */
    public String getPoolName() {
        return poolName;
    }

    /**
     * Sets the pool's name.
     *
     * @param poolName the name, or null for a generated one
     * @throws IllegalStateException once the pool has started
     */
    public void setPoolName(String poolName) {
        checkNotSealed("poolName");
        this.poolName = poolName;
    }

    /**
     * Whether the pool registers its MXBeans on the platform MBeanServer. Default false.
     *
     * @return true to register
     */
    public boolean isRegisterMbeans() {
        return registerMbeans;
    }

    /**
     * Sets whether the pool registers its MXBeans.
     *
     * @param register true to register
     * @throws IllegalStateException once the pool has started
     */
    public void setRegisterMbeans(boolean register) {
        checkNotSealed("registerMbeans");
        registerMbeans = register;
    }

    /**
     * HikariCP's switch for {@code suspendPool()} and {@code resumePool()}, kept so existing
     * configurations load. Tidepool's pool can always be suspended, whatever this says: holding
     * borrowers costs it nothing, where HikariCP pays for a lock on every borrow when it is on.
     * Default false.
     *
     * @return the value set
     */
    public boolean isAllowPoolSuspension() {
        return allowPoolSuspension;
    }

    /**
     * Accepted for compatibility with HikariCP's configurations; a Tidepool pool may be suspended
     * either way (see {@link #isAllowPoolSuspension()}).
     *
     * @param isAllowPoolSuspension HikariCP's switch
     * @throws IllegalStateException once the pool has started
     */
    public void setAllowPoolSuspension(boolean isAllowPoolSuspension) {
        checkNotSealed("allowPoolSuspension");
        allowPoolSuspension = isAllowPoolSuspension;
    }

    /**
     * Which idle connection is handed out next. Default {@link Order#STACK}: the most recently
     * returned, so a few hot connections do the work and the rest age out.
     *
     * @return the order
     */
    public Order getOrder() {
        return order;
    }

    /**
     * Sets the order idle connections are handed out in.
     *
     * @param order STACK or QUEUE
     * @throws NullPointerException  if it is null
     * @throws IllegalStateException once the pool has started
     */
    public void setOrder(Order order) {
        Objects.requireNonNull(order, "order");
        checkNotSealed("order");
        this.order = order;
    }

    /**
     * Who gets a connection first when callers wait, as text: {@code STRICT} (the default: strict
     * first-come, first-served hand-off), or {@code BOUNDED(<n>ms)} / {@code BOUNDED} (a thread that
     * returns a connection, or arrives, may take an idle one ahead of waiters, until a waiter has
     * waited the bound; see {@link Fairness} for the exact guarantee). Not a HikariCP property:
     * HikariCP always lets returning threads barge, without a bound.
     *
     * @return {@code STRICT} or {@code BOUNDED(<n><unit>)}
     */
    public String getFairness() {
        return fairness.toString();
    }

    /**
     * Sets the fairness; may change while the pool runs, and applies to the next return and borrow
     * at once (switching to {@code STRICT} hands idle connections to waiters at once).
     *
     * <pre>{@code
     * config.setFairness("BOUNDED(5ms)");   // batch work: throughput first, no waiter waits past 5 ms for barging
     * }</pre>
     *
     * @param fairness {@code STRICT}, {@code BOUNDED} or {@code BOUNDED(<n>ns|us|ms|s)}, any case
     * @throws NullPointerException     if it is null
     * @throws IllegalArgumentException naming the value if it is none of those (the old value stays)
     */
    public void setFairness(String fairness) {
        this.fairness = ConfigProperties.fairness("fairness", Objects.requireNonNull(fairness, "fairness"));
    }

    // ------------------------------------------------------------------ HikariCP's other members

    /**
     * The JNDI name of a {@link DataSource} to take connections from, looked up with
     * {@code new InitialContext()} when the pool starts (HikariCP's {@code dataSourceJNDI}).
     *
     * @return the name, or null
     */
    public String getDataSourceJNDI() {
        return dataSourceJNDI;
    }

    /**
     * Sets the JNDI name of the data source to take connections from; used, as in HikariCP, only
     * when none of {@link #setDataSource dataSource}, {@link #setDataSourceClassName
     * dataSourceClassName} and {@link #setJdbcUrl jdbcUrl} is set.
     *
     * @param jndiDataSource the JNDI name, or null
     * @throws IllegalStateException once the pool has started
     */
    public void setDataSourceJNDI(String jndiDataSource) {
        checkNotSealed("dataSourceJNDI");
        this.dataSourceJNDI = jndiDataSource;
    }

    /**
     * Whether the pool's own queries (connectionInitSql, connectionTestQuery) run in a
     * transaction of their own when auto-commit is off: init SQL committed, the test query
     * rolled back. Default true, where HikariCP's default is false: a validation query must not
     * leave a transaction open on a connection that waits in the pool.
     *
     * @return whether internal queries are isolated
     */
    public boolean isIsolateInternalQueries() {
        return isolateInternalQueries;
    }

    /**
     * Sets whether the pool's own queries run in a transaction of their own (see
     * {@link #isIsolateInternalQueries()}); without it they stay in the transaction the borrower
     * then commits or rolls back.
     *
     * @param isolate whether to isolate them
     * @throws IllegalStateException once the pool has started
     */
    public void setIsolateInternalQueries(boolean isolate) {
        checkNotSealed("isolateInternalQueries");
        this.isolateInternalQueries = isolate;
    }

    /**
     * The factory of the threads the pool starts for its work (connecting, closing,
     * validating, filling), if one is set; by default that work runs on virtual threads.
     *
     * @return the factory, or null
     */
    public ThreadFactory getThreadFactory() {
        return threadFactory;
    }

    /**
     * Sets the factory of the threads the pool starts for its work; for containers that must
     * own every thread (managed thread factories).
     *
     * @param threadFactory the factory, or null for virtual threads
     * @throws IllegalStateException once the pool has started
     */
    public void setThreadFactory(ThreadFactory threadFactory) {
        checkNotSealed("threadFactory");
        this.threadFactory = threadFactory;
    }

    /**
     * The scheduler the pool's timers (housekeeping, leak detection) run on, if one is set.
     *
     * @return the scheduler, or null
     */
    public ScheduledExecutorService getScheduledExecutor() {
        return scheduledExecutor;
    }

    /**
     * Sets the scheduler the pool's timers run on, instead of the one timer thread all Tidepool
     * pools share; the pool never shuts it down. Timed tasks only start work on the pool's
     * threads, so a single-threaded scheduler serves many pools.
     *
     * @param executor the scheduler, or null for the shared timer
     * @throws IllegalStateException once the pool has started
     */
    public void setScheduledExecutor(ScheduledExecutorService executor) {
        checkNotSealed("scheduledExecutor");
        this.scheduledExecutor = executor;
    }

    /**
     * The override that decides which {@link java.sql.SQLException}s evict a connection, if set.
     *
     * @return the override, or null
     */
    public SQLExceptionOverride getExceptionOverride() {
        return exceptionOverride;
    }

    /**
     * Sets the override that decides which {@link java.sql.SQLException}s evict a connection.
     *
     * @param exceptionOverride the override, or null for the built-in SQLState rules
     * @throws IllegalStateException once the pool has started
     */
    public void setExceptionOverride(SQLExceptionOverride exceptionOverride) {
        checkNotSealed("exceptionOverride");
        this.exceptionOverride = exceptionOverride;
        this.exceptionOverrideClassName = null;
    }

    /**
     * The class name given to {@link #setExceptionOverrideClassName}, if that is how the override was set.
     *
     * @return the class name, or null
     */
    public String getExceptionOverrideClassName() {
        return exceptionOverrideClassName;
    }

    /**
     * Sets the exception override by class name: the class (an {@link SQLExceptionOverride} with a
     * public no-argument constructor) is loaded and instantiated at once.
     *
     * @param className the fully qualified class name, or null to remove the override
     * @throws IllegalArgumentException if the class cannot be loaded, instantiated or is no override
     * @throws IllegalStateException    once the pool has started
     */
    public void setExceptionOverrideClassName(String className) {
        checkNotSealed("exceptionOverrideClassName");
        this.exceptionOverride = className == null ? null
                : ConfigProperties.create("exceptionOverrideClassName", className, SQLExceptionOverride.class);
        this.exceptionOverrideClassName = className;
    }

    /**
     * The metrics registry the pool publishes to, if set.
     *
     * @return the registry, or null
     */
    public Object getMetricRegistry() {
        return metricRegistry;
    }

    /**
     * Sets the metrics registry the pool publishes to. Supported: Micrometer's
     * {@code io.micrometer.core.instrument.MeterRegistry}, with {@code dev.tidepool:pool-micrometer}
     * on the class path (any {@link MetricRegistryBinding} found through {@link java.util.ServiceLoader}
     * counts). A String is a JNDI name, looked up at once, as in HikariCP. As in HikariCP, it may
     * also be set once on a running data source that has neither a registry nor a tracker
     * factory: the pool publishes from then on.
     *
     * @param metricRegistry the registry, or null for none
     * @throws IllegalArgumentException if no binding supports it (Dropwizard's {@code MetricRegistry}
     *                                  included: the message names what is supported)
     * @throws IllegalStateException    if a metricsTrackerFactory is set, or once the pool has
     *                                  started with a registry or a tracker factory
     */
    public void setMetricRegistry(Object metricRegistry) {
        checkMetricsUnset("metricRegistry");
        this.metricRegistry = checkMetricRegistry(metricRegistry, metricsTrackerFactory);
    }

    /**
     * The tracker factory the pool reports its events to, if set.
     *
     * @return the factory, or null
     */
    public MetricsTrackerFactory getMetricsTrackerFactory() {
        return metricsTrackerFactory;
    }

    /**
     * Sets the tracker factory the pool reports its events to (connections created, acquired,
     * used, timed out). As in HikariCP, it may also be set once on a running data source that has
     * neither a registry nor a tracker factory: the pool reports from then on.
     *
     * @param metricsTrackerFactory the factory, or null for none
     * @throws IllegalStateException if a metricRegistry is set, or once the pool has started with
     *                               a registry or a tracker factory
     */
    public void setMetricsTrackerFactory(MetricsTrackerFactory metricsTrackerFactory) {
        checkMetricsUnset("metricsTrackerFactory");
        this.metricsTrackerFactory = checkMetricsTrackerFactory(metricsTrackerFactory, metricRegistry);
    }

    // HikariCP's rule: a running pool takes a registry or tracker factory once, never a second.
    private void checkMetricsUnset(String property) {
        if (sealed && (metricRegistry != null || metricsTrackerFactory != null)) {
            throw new IllegalStateException("pool " + poolName + " has started with its metrics set; " + property
                    + " can only be set once");
        }
    }

    /**
     * The health check registry; always null, as Tidepool supports none (see the setter).
     *
     * @return null
     */
    public Object getHealthCheckRegistry() {
        return null;
    }

    /**
     * Accepts only null: Tidepool has no Dropwizard health checks. Health is what Spring Boot's
     * {@code DataSourceHealthIndicator} or a plain {@code getConnection()} with a short
     * connectionTimeout tells.
     *
     * @param healthCheckRegistry null
     * @throws IllegalArgumentException for any registry, naming what to use instead
     * @throws IllegalStateException    once the pool has started
     */
    public void setHealthCheckRegistry(Object healthCheckRegistry) {
        checkNotSealed("healthCheckRegistry");
        checkHealthCheckRegistry(healthCheckRegistry);
    }

    /**
     * HikariCP's health check properties, kept for configurations that set them; they have no
     * effect, since no health check registry can be set (validate() logs a warning when any is
     * set).
     *
     * @return the live properties object
     */
    public Properties getHealthCheckProperties() {
        return healthCheckProperties;
    }

    /**
     * Adds every entry of {@code healthCheckProperties}; see {@link #getHealthCheckProperties()}.
     *
     * @param healthCheckProperties the properties to add
     * @throws IllegalStateException once the pool has started
     */
    public void setHealthCheckProperties(Properties healthCheckProperties) {
        Objects.requireNonNull(healthCheckProperties, "healthCheckProperties");
        checkNotSealed("healthCheckProperties");
        this.healthCheckProperties.putAll(healthCheckProperties);
    }

    /**
     * Adds one health check property; see {@link #getHealthCheckProperties()}.
     *
     * @param key   the property name
     * @param value its value
     * @throws IllegalStateException once the pool has started
     */
    public void addHealthCheckProperty(String key, String value) {
        checkNotSealed("healthCheckProperties");
        healthCheckProperties.setProperty(key, value);
    }

    private static Object checkMetricRegistry(Object registry, MetricsTrackerFactory factory) {
        if (registry == null) {
            return null;
        }
        if (factory != null) {
            throw new IllegalStateException("cannot use metricRegistry and metricsTrackerFactory together");
        }
        Object resolved = registry instanceof String jndiName ? ConfigProperties.lookupJndi("metricRegistry", jndiName)
                : registry;
        MetricRegistryBindings.find(resolved); // throws, naming what is supported, if nothing is
        return resolved;
    }

    private static MetricsTrackerFactory checkMetricsTrackerFactory(MetricsTrackerFactory factory, Object registry) {
        if (factory != null && registry != null) {
            throw new IllegalStateException("cannot use metricsTrackerFactory and metricRegistry together");
        }
        return factory;
    }

    private static void checkHealthCheckRegistry(Object registry) {
        if (registry != null) {
            throw new IllegalArgumentException("healthCheckRegistry: Tidepool does not support health check registries"
                    + " (got a " + registry.getClass().getName() + "); use Spring Boot's DataSourceHealthIndicator,"
                    + " or check getConnection() with a short connectionTimeout");
        }
    }

    /**
     * The tracker factory the pool starts with: the one set, the one the metric registry's
     * binding makes, or null.
     */
    MetricsTrackerFactory effectiveMetricsTrackerFactory() {
        MetricsTrackerFactory factory = metricsTrackerFactory;
        if (factory != null) {
            return factory;
        }
        Object registry = metricRegistry;
        return registry == null ? null : MetricRegistryBindings.find(registry).trackerFactory(registry);
    }

    // ------------------------------------------------------------------ validation and sealing

    /**
     * Checks the configuration as a whole before a pool starts with it, and quietly repairs what
     * HikariCP repairs, logging a warning for each repair:
     * <ul>
     *   <li>a maxLifetime under 30 s becomes the default 30 min;</li>
     *   <li>a keepaliveTime under 30 s, or not below maxLifetime, becomes 0 (off);</li>
     *   <li>a leakDetectionThreshold under 2 s, or above maxLifetime, becomes 0 (off);</li>
     *   <li>in a pool that may shrink (minimumIdle below maximumPoolSize), an idleTimeout within
     *       1 s of maxLifetime becomes 0, and one under 10 s becomes the default 10 min;</li>
     *   <li>a validationTimeout above connectionTimeout becomes connectionTimeout.</li>
     * </ul>
     * It also names the pool if it has no name, trims the string properties (blank ones become
     * null), and loads the driver class.
     *
     * @throws IllegalArgumentException if none of jdbcUrl, dataSource and dataSourceClassName is
     *                                  set, driverClassName cannot be loaded or rejects jdbcUrl,
     *                                  driverClassName and dataSourceClassName are both set,
     *                                  minimumIdle was set above maximumPoolSize, or poolName cannot
     *                                  be a JMX name while registerMbeans is on
     */
    public void validate() {
        sizeLock.lock();
        try {
            String name = blankToNull(poolName);
            poolName = name != null ? name : "TidepoolPool-" + POOL_NUMBER.incrementAndGet();
            jdbcUrl = blankToNull(jdbcUrl);
            driverClassName = blankToNull(driverClassName);
            dataSourceClassName = blankToNull(dataSourceClassName);
            transactionIsolation = blankToNull(transactionIsolation);
            catalog = blankToNull(catalog);
            schema = blankToNull(schema);
            connectionInitSql = blankToNull(connectionInitSql);
            connectionTestQuery = blankToNull(connectionTestQuery);
            dataSourceJNDI = blankToNull(dataSourceJNDI);
            if (!healthCheckProperties.isEmpty()) {
                warn("healthCheckProperties " + healthCheckProperties.stringPropertyNames()
                        + " have no effect: Tidepool supports no health check registry");
            }

            if (registerMbeans && poolName.matches(".*[:,=\"*?\\n].*")) {
                throw new IllegalArgumentException("poolName \"" + poolName
                        + "\" cannot contain : , = \" * ? or a line break while registerMbeans is on");
            }
            validateSource();
            validateNumerics();
            validated = true;
        } finally {
            sizeLock.unlock();
        }
    }

    private void validateSource() {
        if (dataSource != null) {
            if (dataSourceClassName != null) {
                warn("using dataSource and ignoring dataSourceClassName " + dataSourceClassName);
            }
        } else if (dataSourceClassName != null) {
            if (driverClassName != null) {
                throw new IllegalArgumentException("cannot use driverClassName " + driverClassName
                        + " and dataSourceClassName " + dataSourceClassName + " together");
            }
            if (jdbcUrl != null) {
                warn("using dataSourceClassName " + dataSourceClassName + " and ignoring jdbcUrl");
            }
        } else if (jdbcUrl == null && (dataSourceJNDI == null || driverClassName != null)) {
            throw new IllegalArgumentException(driverClassName != null
                    ? "jdbcUrl is required with driverClassName " + driverClassName
                            + " (or set dataSource, dataSourceClassName or dataSourceJNDI instead)"
                    : "one of jdbcUrl, dataSource, dataSourceClassName or dataSourceJNDI is required");
        }

        Driver resolved = driverClassName == null ? null : loadDriver(driverClassName);
        if (resolved != null && dataSource == null && dataSourceClassName == null) {
            checkAcceptsUrl(resolved);
        }
        driver = resolved;
    }

    /** The driver named by driverClassName, from the thread's context class loader or else ours. */
    private static Driver loadDriver(String className) {
        Class<?> type;
        try {
            type = ConfigProperties.loadClass(className);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("driverClassName " + className + " could not be loaded by the thread"
                    + " context class loader or by Tidepool's class loader", e);
        }
        if (!Driver.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("driverClassName " + className + " is not a java.sql.Driver");
        }
        // A driver that registered itself is the instance everyone else uses; prefer it.
        for (Enumeration<Driver> drivers = DriverManager.getDrivers(); drivers.hasMoreElements(); ) {
            Driver registered = drivers.nextElement();
            if (registered.getClass() == type) {
                return registered;
            }
        }
        try {
            return (Driver) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            throw new IllegalArgumentException("driverClassName " + className + " could not be instantiated", e);
        }
    }

    // The driver's own exception is not attached: its message may quote the URL with credentials.
    private void checkAcceptsUrl(Driver candidate) {
        String password = getPassword();
        String shownUrl = Secrets.mask(jdbcUrl, password);
        boolean accepts;
        try {
            accepts = candidate.acceptsURL(jdbcUrl);
        } catch (SQLException | RuntimeException e) {
            throw new IllegalArgumentException("driver " + driverClassName + " could not check jdbcUrl " + shownUrl
                    + ": " + e.getClass().getName() + ": " + Secrets.mask(e.getMessage(), password));
        }
        if (!accepts) {
            throw new IllegalArgumentException("driver " + driverClassName + " does not accept jdbcUrl " + shownUrl);
        }
    }

    private void validateNumerics() {
        int max = maximumPoolSize;
        int min = minimumIdle;
        // HikariCP lowers such a minimumIdle silently; a pool that cannot keep what was asked should say so.
        if (min > max) {
            throw new IllegalArgumentException("minimumIdle " + min + " is greater than maximumPoolSize " + max
                    + "; lower minimumIdle, raise maximumPoolSize, or leave minimumIdle unset for a fixed-size pool");
        }
        int effectiveMin = min < 0 ? max : min;

        long lifetime = maxLifetime;
        if (lifetime != 0 && lifetime < MIN_LIFETIME) {
            warn("maxLifetime " + lifetime + " ms is less than " + MIN_LIFETIME + " ms, using the default "
                    + MAX_LIFETIME + " ms");
            lifetime = MAX_LIFETIME;
            maxLifetime = lifetime;
        }

        long keepalive = keepaliveTime;
        if (keepalive != 0 && keepalive < MIN_KEEPALIVE) {
            warn("keepaliveTime " + keepalive + " ms is less than " + MIN_KEEPALIVE + " ms, disabling keepalive");
            keepaliveTime = 0;
        } else if (keepalive != 0 && lifetime > 0 && keepalive >= lifetime) {
            warn("keepaliveTime " + keepalive + " ms is not less than maxLifetime " + lifetime
                    + " ms, disabling keepalive");
            keepaliveTime = 0;
        }

        long leak = leakDetectionThreshold;
        if (leak > 0 && (leak < MIN_LEAK_DETECTION || (lifetime > 0 && leak > lifetime))) {
            warn("leakDetectionThreshold " + leak + " ms is less than " + MIN_LEAK_DETECTION
                    + " ms or more than maxLifetime " + lifetime + " ms, disabling leak detection");
            leakDetectionThreshold = 0;
        }

        long idle = idleTimeout;
        if (effectiveMin < max) {
            if (lifetime > 0 && idle > lifetime - IDLE_LIFETIME_MARGIN) {
                warn("idleTimeout " + idle + " ms is close to or more than maxLifetime " + lifetime
                        + " ms, disabling idle timeout");
                idleTimeout = 0;
            } else if (idle != 0 && idle < MIN_IDLE_TIMEOUT) {
                // HikariCP's rule: a too-short idle timeout falls back to the default, not the floor.
                warn("idleTimeout " + idle + " ms is less than " + MIN_IDLE_TIMEOUT + " ms, using the default "
                        + IDLE_TIMEOUT + " ms");
                idleTimeout = IDLE_TIMEOUT;
            }
        } else if (idle != IDLE_TIMEOUT && idle != 0) {
            warn("idleTimeout has no effect: the pool has a fixed size (minimumIdle equals maximumPoolSize)");
        }

        long connection = connectionTimeout;
        long validation = validationTimeout;
        if (validation > connection) {
            warn("validationTimeout " + validation + " ms is more than connectionTimeout " + connection
                    + " ms, using " + connection + " ms");
            validationTimeout = connection;
        }
    }

    private void warn(String message) {
        LOGGER.log(Level.WARNING, poolName + " - " + message);
    }

    private static String blankToNull(String s) {
        if (s == null) {
            return null;
        }
        String stripped = s.strip();
        return stripped.isEmpty() ? null : stripped;
    }

    /** The driver {@link #validate()} loaded for driverClassName, or null if that is unset. */
    Driver driver() {
        return driver;
    }

    /** Whether {@link #validate()} has passed (and {@link #getMinimumIdle()} is the effective value). */
    boolean isValidated() {
        return validated;
    }

    /**
     * Freezes everything but the run-time properties; the data source calls it when its pool
     * starts, after {@link #validate()}.
     */
    void seal() {
        sealed = true;
    }

    boolean isSealed() {
        return sealed;
    }

    // ------------------------------------------------------------------ copying and display

    /**
     * Copies every property of this configuration into {@code other}, which stays (or becomes)
     * changeable even if this one is sealed. The driver properties are copied, not shared.
     *
     * @param other the configuration to overwrite
     * @throws IllegalStateException if {@code other} is sealed
     */
    public void copyStateTo(TidepoolConfig other) {
        Objects.requireNonNull(other, "other");
        if (other == this) {
            return;
        }
        if (other.sealed) {
            throw new IllegalStateException("The configuration of pool " + other.poolName
                    + " is sealed once started; copyStateTo cannot overwrite it");
        }
        sizeLock.lock();
        try {
            other.maximumPoolSize = maximumPoolSize;
            other.minimumIdle = minimumIdle;
            other.connectionTimeout = connectionTimeout;
            other.idleTimeout = idleTimeout;
            other.maxLifetime = maxLifetime;
            other.validationTimeout = validationTimeout;
            other.leakDetectionThreshold = leakDetectionThreshold;
            other.maximumThreadsAwaitingConnection = maximumThreadsAwaitingConnection;
            other.maximumConcurrentConnects = maximumConcurrentConnects;
            other.fairness = fairness;
            other.credentials.set(credentials.get());
            other.credentialsProvider = credentialsProvider;
            other.credentialsProviderClassName = credentialsProviderClassName;
            other.dataSourceJNDI = dataSourceJNDI;
            other.isolateInternalQueries = isolateInternalQueries;
            other.threadFactory = threadFactory;
            other.scheduledExecutor = scheduledExecutor;
            other.exceptionOverride = exceptionOverride;
            other.exceptionOverrideClassName = exceptionOverrideClassName;
            other.metricRegistry = metricRegistry;
            other.metricsTrackerFactory = metricsTrackerFactory;
            other.healthCheckProperties.clear();
            other.healthCheckProperties.putAll(healthCheckProperties);
            other.poolName = poolName;
            other.keepaliveTime = keepaliveTime;
            other.initializationFailTimeout = initializationFailTimeout;
            other.jdbcUrl = jdbcUrl;
            other.driverClassName = driverClassName;
            other.dataSource = dataSource;
            other.dataSourceClassName = dataSourceClassName;
            other.dataSourceProperties.clear();
            other.dataSourceProperties.putAll(dataSourceProperties);
            other.autoCommit = autoCommit;
            other.readOnly = readOnly;
            other.transactionIsolation = transactionIsolation;
            other.catalog = catalog;
            other.schema = schema;
            other.connectionInitSql = connectionInitSql;
            other.connectionTestQuery = connectionTestQuery;
            other.registerMbeans = registerMbeans;
            other.allowPoolSuspension = allowPoolSuspension;
            other.order = order;
            other.driver = driver;
            other.validated = validated;
        } finally {
            sizeLock.unlock();
        }
    }

    /**
     * Every property, with the password shown as {@code <masked>}, credentials in the URL and the
     * driver properties replaced by {@code ****}, and the current password scrubbed from the SQL
     * strings.
     */
    @Override
    public String toString() {
        Credentials current = credentials.get();
        String pw = current.getPassword();
        DataSource ds = dataSource;
        return getClass().getSimpleName() + "{poolName=" + poolName
                + ", jdbcUrl=" + Secrets.mask(jdbcUrl, pw)
                + ", username=" + current.getUsername()
                + ", password=" + (pw == null ? null : Secrets.MASKED)
                + ", driverClassName=" + driverClassName
                // A DataSource's own toString() may print its password.
                + ", dataSource=" + (ds == null ? null : ds.getClass().getName())
                + ", dataSourceClassName=" + dataSourceClassName
                + ", dataSourceProperties=" + Secrets.mask(dataSourceProperties, pw)
                + ", maximumPoolSize=" + maximumPoolSize
                + ", minimumIdle=" + effectiveMinimumIdle()
                + ", connectionTimeout=" + connectionTimeout
                + ", idleTimeout=" + idleTimeout
                + ", maxLifetime=" + maxLifetime
                + ", keepaliveTime=" + keepaliveTime
                + ", validationTimeout=" + validationTimeout
                + ", leakDetectionThreshold=" + leakDetectionThreshold
                + ", maximumThreadsAwaitingConnection=" + maximumThreadsAwaitingConnection
                + ", maximumConcurrentConnects=" + maximumConcurrentConnects
                + ", initializationFailTimeout=" + initializationFailTimeout
                + ", autoCommit=" + autoCommit
                + ", readOnly=" + readOnly
                + ", transactionIsolation=" + transactionIsolation
                + ", catalog=" + catalog
                + ", schema=" + schema
                + ", connectionInitSql=" + Secrets.mask(connectionInitSql, pw)
                + ", connectionTestQuery=" + Secrets.mask(connectionTestQuery, pw)
                + ", registerMbeans=" + registerMbeans
                + ", allowPoolSuspension=" + allowPoolSuspension
                + ", order=" + order
                + ", fairness=" + fairness
                + ", dataSourceJNDI=" + dataSourceJNDI
                + ", isolateInternalQueries=" + isolateInternalQueries
                + ", credentialsProvider=" + className(credentialsProvider)
                + ", threadFactory=" + className(threadFactory)
                + ", scheduledExecutor=" + className(scheduledExecutor)
                + ", exceptionOverride=" + className(exceptionOverride)
                + ", metricRegistry=" + className(metricRegistry)
                + ", metricsTrackerFactory=" + className(metricsTrackerFactory) + "}";
    }

    // Class names only: an arbitrary object's toString() may print a secret.
    private static String className(Object value) {
        return value == null ? null : value.getClass().getName();
    }

    // Private, for toString(): a subclass's override of getMinimumIdle() must not change what it shows.
    private int effectiveMinimumIdle() {
        int min = minimumIdle;
        return min < 0 && validated ? maximumPoolSize : min;
    }

    /** The {@link MetricRegistryBinding}s on the class path, asked in the order ServiceLoader finds them. */
    private static final class MetricRegistryBindings {
        private MetricRegistryBindings() {
        }

        static MetricRegistryBinding find(Object registry) {
            java.util.List<String> supported = new java.util.ArrayList<>();
            for (MetricRegistryBinding binding : java.util.ServiceLoader.load(MetricRegistryBinding.class,
                    TidepoolConfig.class.getClassLoader())) {
                if (binding.supports(registry)) {
                    return binding;
                }
                supported.add(binding.registryType());
            }
            throw new IllegalArgumentException("metricRegistry: a " + registry.getClass().getName()
                    + " is not supported; " + (supported.isEmpty()
                            ? "add dev.tidepool:pool-micrometer to use a Micrometer io.micrometer.core.instrument.MeterRegistry"
                            : "supported: " + String.join(", ", supported))
                    + " (Dropwizard metrics are not supported; or set a metricsTrackerFactory)");
        }
    }
}
