package dev.tidepool.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Code written against {@code HikariConfig} and {@code HikariDataSource} compiles against
 * Tidepool's classes, and HikariCP's property files load: checked against HikariCP 7.1 itself
 * (a test dependency), so a member HikariCP adds later fails here until Tidepool has it.
 */
class HikariConfigCompatibilityTest {
    /** HikariCP's own types and their Tidepool counterparts in dev.tidepool.jdbc. */
    private static final Map<String, Class<?>> COUNTERPARTS = Map.of(
            "com.zaxxer.hikari.HikariConfig", TidepoolConfig.class,
            "com.zaxxer.hikari.util.Credentials", Credentials.class,
            "com.zaxxer.hikari.HikariCredentialsProvider", CredentialsProvider.class,
            "com.zaxxer.hikari.SQLExceptionOverride", SQLExceptionOverride.class,
            "com.zaxxer.hikari.metrics.MetricsTrackerFactory", MetricsTrackerFactory.class,
            "com.zaxxer.hikari.HikariPoolMXBean", TidepoolPoolMXBean.class);
    /** HikariDataSource members named after HikariCP itself. */
    private static final Map<String, String> RENAMED = Map.of("getHikariPoolMXBean", "getTidepoolPoolMXBean");
    /**
     * Members left out on purpose: the config MXBean getter (TidepoolDataSource's own setters are
     * the live settings, and pool-jmx registers a richer MXBean).
     */
    private static final Set<String> LEFT_OUT = Set.of("getHikariConfigMXBean");

    @Test
    void everyPublicMemberOfHikariConfigHasItsCounterpart() {
        assertThat(missing(HikariConfig.class, TidepoolConfig.class)).isEmpty();
    }

    @Test
    void everyPublicMemberOfHikariDataSourceHasItsCounterpart() {
        assertThat(missing(HikariDataSource.class, TidepoolDataSource.class)).isEmpty();
    }

    @Test
    void theCounterpartTypesHaveHikariCPsMembers() {
        assertThat(missing(com.zaxxer.hikari.util.Credentials.class, Credentials.class)).isEmpty();
        assertThat(missing(com.zaxxer.hikari.HikariCredentialsProvider.class, CredentialsProvider.class)).isEmpty();
        assertThat(missing(com.zaxxer.hikari.SQLExceptionOverride.class, SQLExceptionOverride.class)).isEmpty();
        assertThat(missing(com.zaxxer.hikari.metrics.IMetricsTracker.class, MetricsTracker.class)).isEmpty();
        assertThat(missing(com.zaxxer.hikari.HikariPoolMXBean.class, TidepoolPoolMXBean.class)).isEmpty();
        assertThat(Arrays.stream(SQLExceptionOverride.Override.values()).map(Enum::name))
                .containsExactly(Arrays.stream(com.zaxxer.hikari.SQLExceptionOverride.Override.values())
                        .map(Enum::name).toArray(String[]::new));
    }

    /** HikariCP's public methods (its own, not Object's) that {@code ours} lacks, with the same meaning of types. */
    private static List<String> missing(Class<?> hikari, Class<?> ours) {
        List<String> missing = new ArrayList<>();
        for (Method theirs : hikari.getDeclaredMethods()) {
            if (!Modifier.isPublic(theirs.getModifiers()) || theirs.isSynthetic()
                    || LEFT_OUT.contains(theirs.getName())) {
                continue;
            }
            String name = RENAMED.getOrDefault(theirs.getName(), theirs.getName());
            Class<?>[] parameters = Arrays.stream(theirs.getParameterTypes()).map(
                    HikariConfigCompatibilityTest::counterpart).toArray(Class<?>[]::new);
            try {
                Method match = ours.getMethod(name, parameters);
                if (!Modifier.isPublic(match.getModifiers())) {
                    missing.add(theirs.toString() + " (not public)");
                }
            } catch (NoSuchMethodException e) {
                missing.add(theirs.toString());
            }
        }
        return missing;
    }

    private static Class<?> counterpart(Class<?> type) {
        return type.getName().startsWith("com.zaxxer.") ? COUNTERPARTS.get(type.getName()) : type;
    }

    /**
     * Every setter of HikariConfig, called as HikariCP code calls it: this method compiles only while
     * TidepoolConfig has them all with HikariCP's parameter types (its own types swapped for
     * Tidepool's counterparts).
     */
    @Test
    void hikariConfigCodeCompilesAgainstTidepoolConfig() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            TidepoolConfig config = new TidepoolConfig();
            config.setJdbcUrl("jdbc:h2:mem:compat");
            config.setUsername("sa");
            config.setPassword("");
            config.setCredentials(Credentials.of("sa", ""));
            config.setCredentialsProvider(() -> Credentials.of("sa", ""));
            config.setCredentialsProvider(null);
            config.setCredentialsProviderClassName(null);
            config.setDriverClassName("org.h2.Driver");
            config.setDataSource(null);
            config.setDataSourceClassName(null);
            config.setDataSourceJNDI(null);
            config.setDataSourceProperties(new Properties());
            config.addDataSourceProperty("cachePrepStmts", "true");
            config.setMaximumPoolSize(12);
            config.setMinimumIdle(2);
            config.setConnectionTimeout(5_000);
            config.setIdleTimeout(60_000);
            config.setMaxLifetime(600_000);
            config.setKeepaliveTime(60_000);
            config.setValidationTimeout(1_000);
            config.setLeakDetectionThreshold(10_000);
            config.setInitializationFailTimeout(1);
            config.setAutoCommit(true);
            config.setReadOnly(false);
            config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
            config.setCatalog(null);
            config.setSchema(null);
            config.setConnectionInitSql(null);
            config.setConnectionTestQuery(null);
            config.setPoolName("compat");
            config.setRegisterMbeans(false);
            config.setAllowPoolSuspension(false);
            config.setIsolateInternalQueries(false);
            config.setThreadFactory(Thread.ofVirtual().factory());
            config.setScheduledExecutor(scheduler);
            config.setExceptionOverride(new SQLExceptionOverride() { });
            config.setExceptionOverrideClassName(null);
            config.setMetricsTrackerFactory((poolName, stats) -> new MetricsTracker() { });
            config.setMetricsTrackerFactory(null);
            config.setMetricRegistry(null);
            config.setHealthCheckRegistry(null);
            config.setHealthCheckProperties(new Properties());
            config.addHealthCheckProperty("expected99thPercentileMs", "10");
            config.validate();

            try (TidepoolDataSource dataSource = new TidepoolDataSource(config);
                 Connection connection = dataSource.getConnection()) {
                assertThat(connection.isValid(1)).isTrue();
                assertThat(dataSource.isRunning()).isTrue();
                assertThat(dataSource.getTidepoolPoolMXBean().getActiveConnections()).isOne();
                dataSource.evictConnection(connection);
            }
        } finally {
            scheduler.shutdownNow();
        }
    }

    /** A HikariCP property file names every property; each value arrives where its getter reads it. */
    @Test
    void aPropertyFileWithEveryHikariPropertyLoads() {
        TidepoolConfig config = new TidepoolConfig("hikari-all.properties");

        assertThat(config.getJdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:5432/orders");
        assertThat(config.getUsername()).isEqualTo("orders");
        assertThat(config.getPassword()).isEqualTo("file-secret");
        assertThat(config.getDriverClassName()).isEqualTo("org.h2.Driver");
        assertThat(config.getDataSourceClassName()).isEqualTo("org.h2.jdbcx.JdbcDataSource");
        assertThat(config.getDataSource()).isInstanceOf(org.h2.jdbcx.JdbcDataSource.class);
        assertThat(config.getDataSourceJNDI()).isEqualTo("java:comp/env/jdbc/orders");
        assertThat(config.getDataSourceProperties())
                .containsEntry("reWriteBatchedInserts", "true").containsEntry("prepareThreshold", "0");
        assertThat(config.getMaximumPoolSize()).isEqualTo(25);
        assertThat(config.getMinimumIdle()).isEqualTo(5);
        assertThat(config.getConnectionTimeout()).isEqualTo(4_000);
        assertThat(config.getIdleTimeout()).isEqualTo(120_000);
        assertThat(config.getMaxLifetime()).isEqualTo(900_000);
        assertThat(config.getKeepaliveTime()).isEqualTo(60_000);
        assertThat(config.getValidationTimeout()).isEqualTo(1_500);
        assertThat(config.getLeakDetectionThreshold()).isEqualTo(20_000);
        assertThat(config.getInitializationFailTimeout()).isEqualTo(-1);
        assertThat(config.isAutoCommit()).isFalse();
        assertThat(config.isReadOnly()).isTrue();
        assertThat(config.getTransactionIsolation()).isEqualTo("TRANSACTION_REPEATABLE_READ");
        assertThat(config.getCatalog()).isEqualTo("sales");
        assertThat(config.getSchema()).isEqualTo("app");
        assertThat(config.getConnectionInitSql()).isEqualTo("SET application_name = 'orders'");
        assertThat(config.getConnectionTestQuery()).isEqualTo("SELECT 1");
        assertThat(config.getPoolName()).isEqualTo("orders-pool");
        assertThat(config.isRegisterMbeans()).isTrue();
        assertThat(config.isAllowPoolSuspension()).isTrue();
        assertThat(config.isIsolateInternalQueries()).isFalse();
        assertThat(config.getThreadFactory()).isInstanceOf(Plugins.FileThreadFactory.class);
        assertThat(config.getScheduledExecutor()).isInstanceOf(Plugins.FileScheduler.class);
        assertThat(config.getExceptionOverride()).isInstanceOf(Plugins.KeepEverything.class);
        assertThat(config.getExceptionOverrideClassName()).isEqualTo(Plugins.KeepEverything.class.getName());
        assertThat(config.getCredentialsProvider()).isInstanceOf(Plugins.FixedCredentials.class);
        assertThat(config.getCredentialsProviderClassName()).isEqualTo(Plugins.FixedCredentials.class.getName());
        assertThat(config.getMetricsTrackerFactory()).isInstanceOf(Plugins.FileTrackers.class);
        assertThat(config.getHealthCheckProperties()).containsEntry("connectivityCheckTimeoutMs", "1000");
        config.getScheduledExecutor().shutdownNow();
    }

    /**
     * The file above covers every property HikariConfig has a setter for, except the ones whose
     * value is an object no file can hold (HikariCP cannot load them from a file either), and the
     * ones the file sets in another of HikariCP's forms.
     */
    @Test
    void thePropertyFileCoversEveryHikariProperty() throws Exception {
        Set<String> objectsOnly = Set.of("credentials", "metricRegistry", "healthCheckRegistry");
        Set<String> otherForm = Set.of("exceptionOverride", "credentialsProvider", // set by class name
                "dataSourceProperties", "healthCheckProperties");                 // set by key prefix
        Set<String> hikariProperties = Arrays.stream(HikariConfig.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getName().startsWith("set")
                        && m.getParameterCount() == 1)
                .map(m -> Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4))
                .collect(Collectors.toCollection(TreeSet::new));
        Properties file = new Properties();
        try (var in = getClass().getClassLoader().getResourceAsStream("hikari-all.properties")) {
            file.load(in);
        }
        Set<String> inFile = file.stringPropertyNames().stream()
                .map(key -> key.startsWith("dataSource.") || key.startsWith("healthCheckProperties.")
                        ? key.substring(0, key.indexOf('.')) : key)
                .collect(Collectors.toSet());
        Set<String> uncovered = new TreeSet<>(hikariProperties);
        uncovered.removeAll(inFile);
        uncovered.removeAll(objectsOnly);
        uncovered.removeAll(otherForm);
        assertThat(uncovered).isEmpty();
        assertThat(hikariProperties).containsAll(objectsOnly).containsAll(otherForm);
    }
}
