package dev.tidepool.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import dev.tidepool.core.Fairness;
import dev.tidepool.core.Order;
import dev.tidepool.jdbc.config.Secrets;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TidepoolConfig}: HikariCP 7's defaults, setter checks, loading from properties and files,
 * {@code validate()} with HikariCP's repairs, sealing, copying, and that no password ever shows.
 */
class TidepoolConfigTest {
    static final String URL = "jdbc:h2:mem:tidepool-config-test";
    static final String SECRET = "s3cr3t-pw";
    static final String RESOURCE = "config/tidepool-test.properties";

    /** Held strongly: the JUL logger behind TidepoolConfig's System.Logger, so our handler stays on it. */
    static final Logger JUL = Logger.getLogger(TidepoolConfig.class.getName());

    final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    boolean parentHandlers;

    @BeforeEach
    void captureLog() {
        parentHandlers = JUL.getUseParentHandlers();
        JUL.setUseParentHandlers(false); // keep the expected warnings out of the build output
        JUL.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        JUL.removeHandler(capture);
        JUL.setUseParentHandlers(parentHandlers);
    }

    List<String> warnings() {
        SimpleFormatter formatter = new SimpleFormatter();
        return logged.stream().filter(r -> r.getLevel() == Level.WARNING).map(formatter::formatMessage).toList();
    }

    static TidepoolConfig withUrl() {
        TidepoolConfig config = new TidepoolConfig();
        config.setJdbcUrl(URL);
        return config;
    }

    static Properties props(String... keyValues) {
        Properties props = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return props;
    }

    /** Runs {@code body} with the system property set to {@code value} (or cleared), then restores it. */
    static void withConfigurationFile(String value, Runnable body) {
        String key = TidepoolConfig.CONFIGURATION_FILE_PROPERTY;
        String before = System.getProperty(key);
        try {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
            body.run();
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    /** Runs {@code body} with a context class loader that finds nothing, then restores the old one. */
    static void withBlindContextLoader(Runnable body) {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(new ClassLoader(null) {
        });
        try {
            body.run();
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    // ------------------------------------------------------------------ fixtures

    /** A data source whose own toString() would leak the password. */
    static final class StubDataSource implements DataSource {
        @Override
        public Connection getConnection() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Connection getConnection(String user, String pw) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }

        @Override
        public String toString() {
            return "StubDataSource[password=" + SECRET + "]";
        }
    }

    /** A driver that fails to read any URL, quoting it (credentials and all) in its message. */
    public static final class QuotingDriver implements Driver {
        public QuotingDriver() {
        }

        @Override
        public Connection connect(String url, Properties info) {
            return null;
        }

        @Override
        public boolean acceptsURL(String url) throws SQLException {
            throw new SQLException("cannot parse " + url);
        }

        @Override
        public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
            return new DriverPropertyInfo[0];
        }

        @Override
        public int getMajorVersion() {
            return 1;
        }

        @Override
        public int getMinorVersion() {
            return 0;
        }

        @Override
        public boolean jdbcCompliant() {
            return false;
        }

        @Override
        public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }
    }

    // ------------------------------------------------------------------ defaults

    @Nested
    class Defaults {
        @Test
        void equalHikariCp7() {
            withConfigurationFile(null, () -> {
                TidepoolConfig config = new TidepoolConfig();
                // HikariCP reports -1 here until validate(); Tidepool starts at the value it validates to.
                assertThat(config.getMaximumPoolSize()).isEqualTo(10);
                assertThat(config.getMinimumIdle()).isEqualTo(-1);
                assertThat(config.getConnectionTimeout()).isEqualTo(30_000L);
                assertThat(config.getIdleTimeout()).isEqualTo(600_000L);
                assertThat(config.getMaxLifetime()).isEqualTo(1_800_000L);
                assertThat(config.getKeepaliveTime()).isEqualTo(120_000L);
                assertThat(config.getValidationTimeout()).isEqualTo(5_000L);
                assertThat(config.getLeakDetectionThreshold()).isZero();
                assertThat(config.getInitializationFailTimeout()).isEqualTo(1L);
                assertThat(config.isAutoCommit()).isTrue();
                assertThat(config.isReadOnly()).isFalse();
                assertThat(config.isRegisterMbeans()).isFalse();
                assertThat(config.isAllowPoolSuspension()).isFalse();
                assertThat(config.getOrder()).isEqualTo(Order.STACK);
                assertThat(config.getFairness()).isEqualTo("STRICT");
                assertThat(config.getDataSourceProperties()).isEmpty();
                assertThat(config.transactionIsolationLevel()).isEqualTo(-1);
                assertThat(Arrays.asList(config.getJdbcUrl(), config.getUsername(), config.getPassword(),
                        config.getDriverClassName(), config.getDataSource(), config.getDataSourceClassName(),
                        config.getTransactionIsolation(), config.getCatalog(), config.getSchema(),
                        config.getConnectionInitSql(), config.getConnectionTestQuery(), config.getPoolName()))
                        .containsOnlyNulls();
            });
        }

        @Test
        void validateKeepsTheDefaultsNamesThePoolAndWarnsAboutNothing() {
            TidepoolConfig config = withUrl();
            config.validate();

            assertThat(config.getMinimumIdle()).isEqualTo(10);
            assertThat(config.getMaximumPoolSize()).isEqualTo(10);
            assertThat(config.getConnectionTimeout()).isEqualTo(30_000L);
            assertThat(config.getIdleTimeout()).isEqualTo(600_000L);
            assertThat(config.getMaxLifetime()).isEqualTo(1_800_000L);
            assertThat(config.getKeepaliveTime()).isEqualTo(120_000L);
            assertThat(config.getValidationTimeout()).isEqualTo(5_000L);
            assertThat(config.getLeakDetectionThreshold()).isZero();
            assertThat(config.getPoolName()).matches("TidepoolPool-\\d+");
            assertThat(warnings()).isEmpty();
        }

        @Test
        void generatedPoolNamesDifferAndAGivenNameIsKept() {
            TidepoolConfig a = withUrl();
            TidepoolConfig b = withUrl();
            TidepoolConfig named = withUrl();
            named.setPoolName("orders");
            a.validate();
            b.validate();
            named.validate();
            assertThat(a.getPoolName()).isNotEqualTo(b.getPoolName());
            assertThat(named.getPoolName()).isEqualTo("orders");

            String first = a.getPoolName();
            a.validate();
            assertThat(a.getPoolName()).as("validating again keeps the name").isEqualTo(first);
        }
    }

    // ------------------------------------------------------------------ setters

    @Nested
    class Setters {
        static Stream<Arguments> rejections() {
            return Stream.of(
                    rejection("maximumPoolSize", c -> c.setMaximumPoolSize(0), c -> c.setMaximumPoolSize(12),
                            TidepoolConfig::getMaximumPoolSize, "0"),
                    rejection("maximumPoolSize", c -> c.setMaximumPoolSize(-5), c -> c.setMaximumPoolSize(12),
                            TidepoolConfig::getMaximumPoolSize, "-5"),
                    rejection("minimumIdle", c -> c.setMinimumIdle(-1), c -> c.setMinimumIdle(3),
                            TidepoolConfig::getMinimumIdle, "-1"),
                    rejection("connectionTimeout", c -> c.setConnectionTimeout(-1), c -> c.setConnectionTimeout(4_000),
                            TidepoolConfig::getConnectionTimeout, "-1"),
                    rejection("connectionTimeout", c -> c.setConnectionTimeout(1), c -> c.setConnectionTimeout(4_000),
                            TidepoolConfig::getConnectionTimeout, "cannot be less than 250 ms, was 1"),
                    rejection("connectionTimeout", c -> c.setConnectionTimeout(249),
                            c -> c.setConnectionTimeout(4_000), TidepoolConfig::getConnectionTimeout,
                            "cannot be less than 250 ms, was 249"),
                    rejection("idleTimeout", c -> c.setIdleTimeout(-1), c -> c.setIdleTimeout(60_000),
                            TidepoolConfig::getIdleTimeout, "-1"),
                    rejection("maxLifetime", c -> c.setMaxLifetime(-1), c -> c.setMaxLifetime(90_000),
                            TidepoolConfig::getMaxLifetime, "-1"),
                    rejection("keepaliveTime", c -> c.setKeepaliveTime(-1), c -> c.setKeepaliveTime(45_000),
                            TidepoolConfig::getKeepaliveTime, "-1"),
                    rejection("validationTimeout", c -> c.setValidationTimeout(249),
                            c -> c.setValidationTimeout(1_000), TidepoolConfig::getValidationTimeout,
                            "cannot be less than 250 ms, was 249"),
                    rejection("validationTimeout", c -> c.setValidationTimeout(-1), c -> c.setValidationTimeout(1_000),
                            TidepoolConfig::getValidationTimeout, "-1"),
                    rejection("leakDetectionThreshold", c -> c.setLeakDetectionThreshold(-1),
                            c -> c.setLeakDetectionThreshold(5_000), TidepoolConfig::getLeakDetectionThreshold, "-1"),
                    rejection("transactionIsolation", c -> c.setTransactionIsolation("TRANSACTION_SOMETIMES"),
                            c -> c.setTransactionIsolation("TRANSACTION_SERIALIZABLE"),
                            TidepoolConfig::getTransactionIsolation, "TRANSACTION_SOMETIMES"),
                    rejection("transactionIsolation", c -> c.setTransactionIsolation("3"),
                            c -> c.setTransactionIsolation("TRANSACTION_SERIALIZABLE"),
                            TidepoolConfig::getTransactionIsolation, "\"3\""));
        }

        static Arguments rejection(String property, Consumer<TidepoolConfig> bad, Consumer<TidepoolConfig> good,
                                   Function<TidepoolConfig, Object> getter, String valueText) {
            return Arguments.of(property + " <- " + valueText, property, bad, good, getter, valueText);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("rejections")
        void rejectBadValuesAndKeepTheOldOne(String name, String property, Consumer<TidepoolConfig> bad,
                                            Consumer<TidepoolConfig> good, Function<TidepoolConfig, Object> getter,
                                            String valueText) {
            TidepoolConfig config = new TidepoolConfig();
            good.accept(config);
            Object before = getter.apply(config);

            assertThatThrownBy(() -> bad.accept(config))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(property)
                    .hasMessageContaining(valueText);
            assertThat(getter.apply(config)).isEqualTo(before);
        }

        @Test
        void acceptTheBoundaries() {
            TidepoolConfig config = new TidepoolConfig();
            config.setMaximumPoolSize(1);
            config.setMinimumIdle(0);
            config.setConnectionTimeout(250);
            config.setValidationTimeout(250);
            config.setIdleTimeout(0);
            config.setMaxLifetime(0);
            config.setKeepaliveTime(0);
            config.setLeakDetectionThreshold(0);
            config.setInitializationFailTimeout(-1);

            assertThat(config.getMaximumPoolSize()).isEqualTo(1);
            assertThat(config.getMinimumIdle()).isZero();
            assertThat(config.getConnectionTimeout()).isEqualTo(250);
            assertThat(config.getValidationTimeout()).isEqualTo(250);
            assertThat(config.getIdleTimeout()).isZero();
            assertThat(config.getMaxLifetime()).isZero();
            assertThat(config.getKeepaliveTime()).isZero();
            assertThat(config.getInitializationFailTimeout()).isEqualTo(-1);
        }

        @Test
        void connectionTimeoutZeroMeansNoLimit() {
            TidepoolConfig config = new TidepoolConfig();
            config.setConnectionTimeout(0);
            assertThat(config.getConnectionTimeout()).isEqualTo(Integer.MAX_VALUE);
        }

        @Test
        void nullOrderAndNullDriverPropertiesAreRejected() {
            TidepoolConfig config = new TidepoolConfig();
            config.setOrder(Order.QUEUE);
            assertThatThrownBy(() -> config.setOrder(null)).isInstanceOf(NullPointerException.class);
            assertThat(config.getOrder()).isEqualTo(Order.QUEUE);
            assertThatThrownBy(() -> config.setDataSourceProperties(null)).isInstanceOf(NullPointerException.class);
        }

        @Test
        void fairnessTakesStrictOrABoundAndRejectsAnythingElseKeepingTheOldValue() {
            TidepoolConfig config = new TidepoolConfig();
            config.setFairness("bounded");
            assertThat(config.getFairness()).isEqualTo(Fairness.bounded().toString());
            config.setFairness(" BOUNDED( 2 ms ) ");
            assertThat(config.getFairness()).isEqualTo("BOUNDED(2ms)");
            for (String bad : new String[] {"FAIR", "BOUNDED(0ms)", "BOUNDED(5)", "BOUNDED(2d)", ""}) {
                assertThatThrownBy(() -> config.setFairness(bad)).as(bad)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("property fairness must be STRICT, BOUNDED or BOUNDED(<n>ms)")
                        .hasMessageContaining("\"" + bad + "\"");
            }
            assertThatThrownBy(() -> config.setFairness(null)).isInstanceOf(NullPointerException.class);
            assertThat(config.getFairness()).isEqualTo("BOUNDED(2ms)");
            config.setFairness("strict");
            assertThat(config.getFairness()).isEqualTo("STRICT");
        }

        @Test
        void setDataSourcePropertiesAddsToTheExistingOnesAsHikariDoes() {
            TidepoolConfig config = new TidepoolConfig();
            config.addDataSourceProperty("a", "1");
            config.setDataSourceProperties(props("b", "2"));
            config.addDataSourceProperty("c", 3);
            assertThat(config.getDataSourceProperties()).containsOnly(Map.entry("a", "1"), Map.entry("b", "2"),
                    Map.entry("c", 3));
        }
    }

    // ------------------------------------------------------------------ transaction isolation

    @Nested
    class TransactionIsolation {
        @ParameterizedTest
        @CsvSource({
            "TRANSACTION_NONE, 0",
            "TRANSACTION_READ_UNCOMMITTED, 1",
            "TRANSACTION_READ_COMMITTED, 2",
            "TRANSACTION_REPEATABLE_READ, 4",
            "TRANSACTION_SERIALIZABLE, 8",
            "TRANSACTION_SQL_SERVER_SNAPSHOT_ISOLATION_LEVEL, 4096",
            "transaction_read_committed, 2",
            "READ_COMMITTED, 2",
            "'  Serializable ', 8",
            "1, 1",
            "2, 2",
            "4, 4",
            "8, 8",
        })
        void namesAndNumbersMapToTheConnectionConstant(String value, int level) {
            TidepoolConfig config = new TidepoolConfig();
            config.setTransactionIsolation(value);
            assertThat(config.getTransactionIsolation()).isEqualTo(value);
            assertThat(config.transactionIsolationLevel()).isEqualTo(level);

            TidepoolConfig loaded = new TidepoolConfig(props("transactionIsolation", value));
            assertThat(loaded.transactionIsolationLevel()).isEqualTo(level);
        }

        @Test
        void theNamesAreConnectionsConstants() {
            TidepoolConfig config = new TidepoolConfig();
            config.setTransactionIsolation("TRANSACTION_REPEATABLE_READ");
            assertThat(config.transactionIsolationLevel()).isEqualTo(Connection.TRANSACTION_REPEATABLE_READ);
        }

        @ParameterizedTest
        @ValueSource(strings = {"3", "-1", "16", "TRANSACTION_", "READ_SOMETIMES", "2.0"})
        void anythingElseIsRejected(String value) {
            assertThatThrownBy(() -> new TidepoolConfig().setTransactionIsolation(value))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("transactionIsolation")
                    .hasMessageContaining(value);
            assertThatThrownBy(() -> new TidepoolConfig(props("transactionIsolation", value)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(value);
        }

        @Test
        void unsetOrBlankIsMinusOne() {
            TidepoolConfig config = withUrl();
            config.setTransactionIsolation("TRANSACTION_SERIALIZABLE");
            config.setTransactionIsolation(null);
            assertThat(config.transactionIsolationLevel()).isEqualTo(-1);
            config.setTransactionIsolation("  ");
            config.validate();
            assertThat(config.getTransactionIsolation()).isNull();
            assertThat(config.transactionIsolationLevel()).isEqualTo(-1);
        }
    }

    // ------------------------------------------------------------------ loading from Properties

    @Nested
    class LoadingProperties {
        @Test
        void everyPropertyByName() {
            Properties p = props(
                    "jdbcUrl", URL,
                    "username", "app",
                    "password", "pw",
                    "driverClassName", "org.h2.Driver",
                    "dataSourceClassName", "org.h2.jdbcx.JdbcDataSource",
                    "maximumPoolSize", "20",
                    "minimumIdle", "5",
                    "connectionTimeout", "4000",
                    "idleTimeout", "60000",
                    "maxLifetime", "900000",
                    "keepaliveTime", "45000",
                    "validationTimeout", "1500",
                    "leakDetectionThreshold", "10000",
                    "initializationFailTimeout", "-1",
                    "autoCommit", "false",
                    "readOnly", "TRUE",
                    "transactionIsolation", "TRANSACTION_READ_COMMITTED",
                    "catalog", "cat",
                    "schema", "sch",
                    "connectionInitSql", "SET TIME ZONE 'UTC'",
                    "connectionTestQuery", "SELECT 1",
                    "poolName", "loaded",
                    "registerMbeans", "true",
                    "allowPoolSuspension", " true ",
                    "order", "QUEUE",
                    "fairness", "bounded(3ms)");
            TidepoolConfig config = new TidepoolConfig(p);

            assertThat(config.getJdbcUrl()).isEqualTo(URL);
            assertThat(config.getUsername()).isEqualTo("app");
            assertThat(config.getPassword()).isEqualTo("pw");
            assertThat(config.getDriverClassName()).isEqualTo("org.h2.Driver");
            assertThat(config.getDataSourceClassName()).isEqualTo("org.h2.jdbcx.JdbcDataSource");
            assertThat(config.getMaximumPoolSize()).isEqualTo(20);
            assertThat(config.getMinimumIdle()).isEqualTo(5);
            assertThat(config.getConnectionTimeout()).isEqualTo(4_000);
            assertThat(config.getIdleTimeout()).isEqualTo(60_000);
            assertThat(config.getMaxLifetime()).isEqualTo(900_000);
            assertThat(config.getKeepaliveTime()).isEqualTo(45_000);
            assertThat(config.getValidationTimeout()).isEqualTo(1_500);
            assertThat(config.getLeakDetectionThreshold()).isEqualTo(10_000);
            assertThat(config.getInitializationFailTimeout()).isEqualTo(-1);
            assertThat(config.isAutoCommit()).isFalse();
            assertThat(config.isReadOnly()).isTrue();
            assertThat(config.getTransactionIsolation()).isEqualTo("TRANSACTION_READ_COMMITTED");
            assertThat(config.getCatalog()).isEqualTo("cat");
            assertThat(config.getSchema()).isEqualTo("sch");
            assertThat(config.getConnectionInitSql()).isEqualTo("SET TIME ZONE 'UTC'");
            assertThat(config.getConnectionTestQuery()).isEqualTo("SELECT 1");
            assertThat(config.getPoolName()).isEqualTo("loaded");
            assertThat(config.isRegisterMbeans()).isTrue();
            assertThat(config.isAllowPoolSuspension()).isTrue();
            assertThat(config.getOrder()).isEqualTo(Order.QUEUE);
            assertThat(config.getFairness()).isEqualTo("BOUNDED(3ms)");
        }

        @Test
        void dataSourcePrefixGoesToTheDriverProperties() {
            TidepoolConfig config = new TidepoolConfig(props(
                    "dataSource.cachePrepStmts", "true",
                    "dataSource.ssl.mode", "require",
                    "dataSource.password", "driver-pw",
                    "jdbcUrl", URL));
            assertThat(config.getDataSourceProperties()).containsOnly(
                    Map.entry("cachePrepStmts", "true"),
                    Map.entry("ssl.mode", "require"),
                    Map.entry("password", "driver-pw"));
            assertThat(config.getPassword()).as("the pool's own password is another property").isNull();
        }

        @Test
        void aBareDataSourcePrefixIsRejected() {
            assertThatThrownBy(() -> new TidepoolConfig(props("dataSource.", "x")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("dataSource.");
        }

        @Test
        void objectValuesOfTheRightTypeAreTaken() {
            Properties p = new Properties();
            DataSource ds = new StubDataSource();
            Properties driverProps = props("sslmode", "verify-full");
            p.put("maximumPoolSize", 12);
            p.put("connectionTimeout", 4_000L);
            p.put("autoCommit", Boolean.FALSE);
            p.put("order", Order.QUEUE);
            p.put("dataSource", ds);
            p.put("dataSourceProperties", driverProps);
            p.put("dataSource.prepStmtCacheSize", 250);

            TidepoolConfig config = new TidepoolConfig(p);
            assertThat(config.getMaximumPoolSize()).isEqualTo(12);
            assertThat(config.getConnectionTimeout()).isEqualTo(4_000L);
            assertThat(config.isAutoCommit()).isFalse();
            assertThat(config.getOrder()).isEqualTo(Order.QUEUE);
            assertThat(config.getDataSource()).isSameAs(ds);
            assertThat(config.getDataSourceProperties()).containsOnly(Map.entry("sslmode", "verify-full"),
                    Map.entry("prepStmtCacheSize", 250));
        }

        @Test
        void defaultsOfThePropertiesCount() {
            Properties defaults = props("maximumPoolSize", "3", "poolName", "from-defaults");
            Properties p = new Properties(defaults);
            p.setProperty("poolName", "own");
            TidepoolConfig config = new TidepoolConfig(p);
            assertThat(config.getMaximumPoolSize()).isEqualTo(3);
            assertThat(config.getPoolName()).isEqualTo("own");
        }

        @ParameterizedTest
        @CsvSource({
            "30000, 30000",
            "0, 0",
            "250ms, 250",
            "30s, 30000",
            "5m, 300000",
            "2h, 7200000",
            "1d, 86400000",
            "' 30S ', 30000",
            "15MS, 15",
            "'10 s', 10000",
        })
        void durationsTakeAUnit(String text, long millis) {
            TidepoolConfig config = new TidepoolConfig(props("idleTimeout", text));
            assertThat(config.getIdleTimeout()).isEqualTo(millis);
        }

        @Test
        void everyTimePropertyTakesAUnit() {
            TidepoolConfig config = new TidepoolConfig(props(
                    "connectionTimeout", "2s",
                    "maxLifetime", "1h",
                    "keepaliveTime", "1m",
                    "validationTimeout", "500ms",
                    "leakDetectionThreshold", "1d",
                    "initializationFailTimeout", "10s"));
            assertThat(config.getConnectionTimeout()).isEqualTo(2_000);
            assertThat(config.getMaxLifetime()).isEqualTo(3_600_000);
            assertThat(config.getKeepaliveTime()).isEqualTo(60_000);
            assertThat(config.getValidationTimeout()).isEqualTo(500);
            assertThat(config.getLeakDetectionThreshold()).isEqualTo(86_400_000);
            assertThat(config.getInitializationFailTimeout()).isEqualTo(10_000);
        }

        @ParameterizedTest
        @ValueSource(strings = {"30x", "s", "", "1.5s", "30 sec", "ms30", "99999999999999999999",
            "9999999999999999d"})
        void badDurationsNameTheKeyAndTheValue(String text) {
            assertThatThrownBy(() -> new TidepoolConfig(props("idleTimeout", text)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("idleTimeout")
                    .hasMessageContaining("\"" + text + "\"");
        }

        @ParameterizedTest
        @CsvSource({
            "maximumPoolSize, ten",
            "minimumIdle, 1.5",
            "maximumPoolSize, 99999999999",
            "autoCommit, yes",
            "readOnly, 1",
            "order, LIFO",
            "fairness, FAIR",
            "fairness, BOUNDED(0ms)",
        })
        void badValuesNameTheKeyAndTheValue(String key, String value) {
            assertThatThrownBy(() -> new TidepoolConfig(props(key, value)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(key)
                    .hasMessageContaining(value);
        }

        @Test
        void wrongObjectTypesAreRejected() {
            Properties p = new Properties();
            p.put("dataSource", "not a data source");
            assertThatThrownBy(() -> new TidepoolConfig(p))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("dataSource")
                    .hasMessageContaining("javax.sql.DataSource");

            Properties q = new Properties();
            q.put("jdbcUrl", 42);
            assertThatThrownBy(() -> new TidepoolConfig(q))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("jdbcUrl")
                    .hasMessageContaining("42");
        }

        @Test
        void theSettersChecksApply() {
            assertThatThrownBy(() -> new TidepoolConfig(props("maximumPoolSize", "0")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("maximumPoolSize cannot be less than 1, was 0");
            assertThatThrownBy(() -> new TidepoolConfig(props("connectionTimeout", "100ms")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("connectionTimeout cannot be less than 250 ms, was 100");
            assertThatThrownBy(() -> new TidepoolConfig(props("maxLifetime", "-5s")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maxLifetime cannot be negative, was -5000");
            assertThat(new TidepoolConfig(props("connectionTimeout", "0")).getConnectionTimeout())
                    .isEqualTo(Integer.MAX_VALUE);
        }

        @Test
        void unknownKeysAreRejected() {
            assertThatThrownBy(() -> new TidepoolConfig(props("jdbcUrl", URL, "bogus", "1")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unknown property bogus");
            assertThatThrownBy(() -> new TidepoolConfig(props("maximumPoolsize", "5")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maximumPoolsize")
                    .hasMessageContaining("did you mean maximumPoolSize?");
        }

        @Test
        void nonStringKeysAreRejected() {
            Properties p = new Properties();
            p.put(7, "x");
            assertThatThrownBy(() -> new TidepoolConfig(p))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("java.lang.Integer");
        }

        @Test
        void loadingBypassesASubclassesSetters() {
            // A data source overrides setters to act on its live pool; none exists while it is built.
            class Overriding extends TidepoolConfig {
                Overriding(Properties p) {
                    super(p);
                }

                @Override
                public void setMaximumPoolSize(int maxPoolSize) {
                    throw new AssertionError("override called during construction");
                }
            }
            assertThat(new Overriding(props("maximumPoolSize", "4")).getMaximumPoolSize()).isEqualTo(4);
        }
    }

    // ------------------------------------------------------------------ loading from files

    @Nested
    class LoadingFiles {
        @TempDir
        Path dir;

        @Test
        void fromAFilePath() throws Exception {
            Path file = dir.resolve("pool.properties");
            Files.writeString(file, "jdbcUrl=" + URL + "\nmaximumPoolSize=4\nidleTimeout=30s\n");
            TidepoolConfig config = new TidepoolConfig(file.toString());
            assertThat(config.getJdbcUrl()).isEqualTo(URL);
            assertThat(config.getMaximumPoolSize()).isEqualTo(4);
            assertThat(config.getIdleTimeout()).isEqualTo(30_000);
        }

        @Test
        void fromAClassPathResource() {
            TidepoolConfig config = new TidepoolConfig(RESOURCE);
            assertFromResource(config);
            assertFromResource(new TidepoolConfig("/" + RESOURCE));
        }

        @Test
        void fromAClassPathResourceWhenTheContextLoaderCannotSeeIt() {
            withBlindContextLoader(() -> assertFromResource(new TidepoolConfig(RESOURCE)));
        }

        void assertFromResource(TidepoolConfig config) {
            assertThat(config.getJdbcUrl()).isEqualTo("jdbc:h2:mem:config-file");
            assertThat(config.getUsername()).isEqualTo("file-user");
            assertThat(config.getMaximumPoolSize()).isEqualTo(7);
            assertThat(config.getMinimumIdle()).isEqualTo(2);
            assertThat(config.getConnectionTimeout()).isEqualTo(5_000);
            assertThat(config.getIdleTimeout()).isEqualTo(120_000);
            assertThat(config.getMaxLifetime()).isEqualTo(3_600_000);
            assertThat(config.getOrder()).isEqualTo(Order.QUEUE);
            assertThat(config.getFairness()).isEqualTo("BOUNDED(4ms)");
            assertThat(config.getDataSourceProperties()).containsOnly(Map.entry("cachePrepStmts", "true"));
        }

        @Test
        void aMissingFileIsNamed() {
            assertThatThrownBy(() -> new TidepoolConfig("no/such/pool.properties"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no/such/pool.properties")
                    .hasMessageContaining("not found");
        }

        @Test
        void aBadValueInAFileIsNamed() throws Exception {
            Path file = dir.resolve("bad.properties");
            Files.writeString(file, "maximumPoolSize=lots\n");
            assertThatThrownBy(() -> new TidepoolConfig(file.toString()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maximumPoolSize")
                    .hasMessageContaining("lots");
        }

        @Test
        void theSystemPropertyNamesAFileForTheNoArgumentConstructor() throws Exception {
            Path file = dir.resolve("system.properties");
            Files.writeString(file, "jdbcUrl=" + URL + "\nmaximumPoolSize=6\npoolName=from-system\n");
            withConfigurationFile(file.toString(), () -> {
                TidepoolConfig config = new TidepoolConfig();
                assertThat(config.getMaximumPoolSize()).isEqualTo(6);
                assertThat(config.getPoolName()).isEqualTo("from-system");

                // The other constructors start from it and apply their own properties on top.
                TidepoolConfig overlaid = new TidepoolConfig(props("maximumPoolSize", "9"));
                assertThat(overlaid.getMaximumPoolSize()).isEqualTo(9);
                assertThat(overlaid.getPoolName()).isEqualTo("from-system");
            });
            assertThat(System.getProperty(TidepoolConfig.CONFIGURATION_FILE_PROPERTY)).isNull();
            assertThat(new TidepoolConfig().getPoolName()).as("restored").isNull();
        }

        @Test
        void theSystemPropertyMayNameAResource() {
            withConfigurationFile(RESOURCE, () -> assertFromResource(new TidepoolConfig()));
        }

        @Test
        void aSystemPropertyNamingNothingFails() {
            withConfigurationFile("no/such/system.properties", () ->
                    assertThatThrownBy(TidepoolConfig::new)
                            .isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining("no/such/system.properties"));
        }
    }

    // ------------------------------------------------------------------ validate(): sources

    @Nested
    class ValidateSource {
        @Test
        void oneOfUrlDataSourceOrDataSourceClassNameIsRequired() {
            assertThatThrownBy(() -> new TidepoolConfig().validate())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("jdbcUrl")
                    .hasMessageContaining("dataSource")
                    .hasMessageContaining("dataSourceClassName");

            TidepoolConfig driverOnly = new TidepoolConfig();
            driverOnly.setDriverClassName("org.h2.Driver");
            assertThatThrownBy(driverOnly::validate)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("jdbcUrl is required with driverClassName org.h2.Driver")
                    .hasMessageContaining("dataSource")
                    .hasMessageContaining("dataSourceClassName");

            TidepoolConfig blankUrl = new TidepoolConfig();
            blankUrl.setJdbcUrl("   ");
            assertThatThrownBy(blankUrl::validate).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void eachSourceAloneIsEnough() {
            assertThatCode(() -> withUrl().validate()).doesNotThrowAnyException();

            TidepoolConfig ds = new TidepoolConfig();
            ds.setDataSource(new StubDataSource());
            assertThatCode(ds::validate).doesNotThrowAnyException();

            TidepoolConfig dsClass = new TidepoolConfig();
            dsClass.setDataSourceClassName("org.h2.jdbcx.JdbcDataSource");
            assertThatCode(dsClass::validate).doesNotThrowAnyException();
            assertThat(warnings()).isEmpty();
        }

        @Test
        void anUnloadableDriverClassIsNamedWithTheCause() {
            TidepoolConfig config = withUrl();
            config.setDriverClassName("com.example.NoSuchDriver");
            assertThatThrownBy(config::validate)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("driverClassName com.example.NoSuchDriver could not be loaded")
                    .hasCauseInstanceOf(ClassNotFoundException.class);
        }

        @Test
        void aDriverClassMustBeADriver() {
            TidepoolConfig config = withUrl();
            config.setDriverClassName("java.lang.String");
            assertThatThrownBy(config::validate)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("java.lang.String is not a java.sql.Driver");
        }

        @Test
        void aRealDriverThatAcceptsTheUrlPasses() {
            TidepoolConfig config = withUrl();
            config.setDriverClassName(" org.h2.Driver ");
            config.validate();
            assertThat(config.getDriverClassName()).isEqualTo("org.h2.Driver");
            assertThat(config.driver()).isNotNull();
            assertThat(config.driver().getClass().getName()).isEqualTo("org.h2.Driver");
        }

        @Test
        void theDriverIsFoundThroughOurLoaderWhenTheContextLoaderCannotSeeIt() {
            TidepoolConfig config = withUrl();
            config.setDriverClassName("org.h2.Driver");
            withBlindContextLoader(config::validate);
            assertThat(config.driver().getClass().getName()).isEqualTo("org.h2.Driver");
        }

        @Test
        void aDriverThatRejectsTheUrlFailsAndTheUrlIsMasked() {
            TidepoolConfig config = new TidepoolConfig();
            config.setDriverClassName("org.h2.Driver");
            config.setJdbcUrl("jdbc:postgresql://db.example.com/orders?user=app&password=" + SECRET);
            assertThatThrownBy(config::validate)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not accept jdbcUrl")
                    .hasMessageContaining("jdbc:postgresql://db.example.com/orders?user=app&password=****")
                    .hasMessageNotContaining(SECRET);
        }

        @Test
        void driverClassNameAndDataSourceClassNameCannotGoTogether() {
            TidepoolConfig config = new TidepoolConfig();
            config.setDriverClassName("org.h2.Driver");
            config.setDataSourceClassName("org.h2.jdbcx.JdbcDataSource");
            assertThatThrownBy(config::validate)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("driverClassName")
                    .hasMessageContaining("dataSourceClassName");
        }

        @Test
        void anIgnoredSourceIsWarnedAbout() {
            TidepoolConfig both = new TidepoolConfig();
            both.setDataSource(new StubDataSource());
            both.setDataSourceClassName("org.h2.jdbcx.JdbcDataSource");
            both.validate();
            assertThat(warnings()).singleElement(STRING)
                    .contains("ignoring dataSourceClassName");

            logged.clear();
            TidepoolConfig urlAndClass = withUrl();
            urlAndClass.setDataSourceClassName("org.h2.jdbcx.JdbcDataSource");
            urlAndClass.validate();
            assertThat(warnings()).singleElement(STRING)
                    .contains("ignoring jdbcUrl");
        }

        @Test
        void stringsAreTrimmedAndBlankOnesBecomeNull() {
            TidepoolConfig config = new TidepoolConfig();
            config.setJdbcUrl("  " + URL + "\t");
            config.setCatalog("  ");
            config.setSchema(" app ");
            config.setConnectionInitSql("");
            config.setConnectionTestQuery(" SELECT 1 ");
            config.setPoolName("  ");
            config.validate();
            assertThat(config.getJdbcUrl()).isEqualTo(URL);
            assertThat(config.getCatalog()).isNull();
            assertThat(config.getSchema()).isEqualTo("app");
            assertThat(config.getConnectionInitSql()).isNull();
            assertThat(config.getConnectionTestQuery()).isEqualTo("SELECT 1");
            assertThat(config.getPoolName()).matches("TidepoolPool-\\d+");
        }

        @Test
        void aPoolNameMustFitInAJmxNameWhenMbeansAreRegistered() {
            TidepoolConfig config = withUrl();
            config.setPoolName("orders:primary");
            assertThatCode(config::validate).as("no JMX, no constraint").doesNotThrowAnyException();

            TidepoolConfig jmx = withUrl();
            jmx.setPoolName("orders:primary");
            jmx.setRegisterMbeans(true);
            assertThatThrownBy(jmx::validate)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("orders:primary");
        }
    }

    // ------------------------------------------------------------------ validate(): sizes and repairs

    @Nested
    class ValidateNumerics {
        @Test
        void aMinimumIdleAboveTheMaximumIsAnErrorNamingBoth() {
            TidepoolConfig config = withUrl();
            config.setMinimumIdle(11); // allowed here: the maximum may still be raised before validate()
            assertThatThrownBy(config::validate)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("minimumIdle 11")
                    .hasMessageContaining("maximumPoolSize 10");
            assertThat(config.getMinimumIdle()).isEqualTo(11);
            assertThat(config.getMaximumPoolSize()).isEqualTo(10);

            config.setMaximumPoolSize(11);
            assertThatCode(config::validate).doesNotThrowAnyException();
        }

        @Test
        void anUnsetMinimumIdleIsTheMaximum() {
            TidepoolConfig config = withUrl();
            config.setMaximumPoolSize(25);
            config.validate();
            assertThat(config.getMinimumIdle()).isEqualTo(25);

            TidepoolConfig set = withUrl();
            set.setMinimumIdle(3);
            set.validate();
            assertThat(set.getMinimumIdle()).isEqualTo(3);
        }

        @ParameterizedTest(name = "maxLifetime {0} -> {1}")
        @CsvSource({"10000, 1800000, true", "29999, 1800000, true", "30000, 30000, false", "0, 0, false"})
        void aShortMaxLifetimeBecomesTheDefault(long set, long expected, boolean warned) {
            TidepoolConfig config = withUrl();
            config.setMaxLifetime(set);
            config.setKeepaliveTime(0);
            config.setIdleTimeout(0);
            config.validate();
            assertThat(config.getMaxLifetime()).isEqualTo(expected);
            assertWarned(warned, "maxLifetime");
        }

        @ParameterizedTest(name = "keepaliveTime {0} with maxLifetime {1} -> {2}")
        @CsvSource({
            "10000, 1800000, 0, true",
            "29999, 1800000, 0, true",
            "30000, 1800000, 30000, false",
            "60000, 60000, 0, true",
            "90000, 60000, 0, true",
            "59999, 60000, 59999, false",
            "3600000, 0, 3600000, false",
            "0, 1800000, 0, false",
        })
        void aKeepaliveTooShortOrNotBelowTheLifetimeIsTurnedOff(long keepalive, long lifetime, long expected,
                                                              boolean warned) {
            TidepoolConfig config = withUrl();
            config.setMaxLifetime(lifetime);
            config.setKeepaliveTime(keepalive);
            config.validate();
            assertThat(config.getKeepaliveTime()).isEqualTo(expected);
            assertWarned(warned, "keepaliveTime");
        }

        @ParameterizedTest(name = "leakDetectionThreshold {0} with maxLifetime {1} -> {2}")
        @CsvSource({
            "1000, 1800000, 0, true",
            "1999, 1800000, 0, true",
            "2000, 1800000, 2000, false",
            "70000, 60000, 0, true",
            "60000, 60000, 60000, false",
            "86400000, 0, 86400000, false",
            "0, 1800000, 0, false",
        })
        void aLeakThresholdTooShortOrBeyondTheLifetimeIsTurnedOff(long leak, long lifetime, long expected,
                                                                boolean warned) {
            TidepoolConfig config = withUrl();
            config.setMaxLifetime(lifetime);
            config.setKeepaliveTime(0);
            config.setLeakDetectionThreshold(leak);
            config.validate();
            assertThat(config.getLeakDetectionThreshold()).isEqualTo(expected);
            assertWarned(warned, "leakDetectionThreshold");
        }

        @ParameterizedTest(name = "idleTimeout {0} with maxLifetime {1}, minimumIdle {2} -> {3}")
        @CsvSource({
            "60000, 60000, 2, 0, true",
            "59001, 60000, 2, 0, true",
            "59000, 60000, 2, 59000, false",
            "5000, 1800000, 2, 600000, true",
            "9999, 1800000, 2, 600000, true",
            "10000, 1800000, 2, 10000, false",
            "0, 1800000, 2, 0, false",
            "3600000, 0, 2, 3600000, false",
            // a fixed-size pool never idles connections out, so nothing is repaired
            "5000, 1800000, 10, 5000, true",
            "600000, 1800000, 10, 600000, false",
        })
        void anIdleTimeoutIsRepairedOnlyWhereThePoolMayShrink(long idle, long lifetime, int minIdle, long expected,
                                                             boolean warned) {
            TidepoolConfig config = withUrl();
            config.setMaxLifetime(lifetime);
            config.setKeepaliveTime(0);
            config.setMinimumIdle(minIdle);
            config.setIdleTimeout(idle);
            config.validate();
            assertThat(config.getIdleTimeout()).isEqualTo(expected);
            assertWarned(warned, "idleTimeout");
        }

        @Test
        void aValidationTimeoutAboveTheConnectionTimeoutBecomesIt() {
            TidepoolConfig config = withUrl();
            config.setConnectionTimeout(3_000);
            config.setValidationTimeout(4_000);
            config.validate();
            assertThat(config.getValidationTimeout()).isEqualTo(3_000);
            assertWarned(true, "validationTimeout");

            logged.clear();
            TidepoolConfig unlimited = withUrl();
            unlimited.setConnectionTimeout(0);
            unlimited.setValidationTimeout(600_000);
            unlimited.validate();
            assertThat(unlimited.getValidationTimeout()).isEqualTo(600_000);
            assertWarned(false, "validationTimeout");
        }

        void assertWarned(boolean warned, String property) {
            if (warned) {
                assertThat(warnings()).singleElement(STRING)
                        .contains(property);
            } else {
                assertThat(warnings()).isEmpty();
            }
        }
    }

    // ------------------------------------------------------------------ sealing

    @Nested
    class Sealing {
        static final Map<String, Consumer<TidepoolConfig>> FIXED = Map.ofEntries(
                Map.entry("setJdbcUrl", c -> c.setJdbcUrl("jdbc:h2:mem:other")),
                Map.entry("setDriverClassName", c -> c.setDriverClassName("org.h2.Driver")),
                Map.entry("setDataSource", c -> c.setDataSource(new StubDataSource())),
                Map.entry("setDataSourceClassName", c -> c.setDataSourceClassName("org.h2.jdbcx.JdbcDataSource")),
                Map.entry("setDataSourceProperties", c -> c.setDataSourceProperties(props("a", "b"))),
                Map.entry("addDataSourceProperty", c -> c.addDataSourceProperty("a", "b")),
                Map.entry("setKeepaliveTime", c -> c.setKeepaliveTime(60_000)),
                Map.entry("setInitializationFailTimeout", c -> c.setInitializationFailTimeout(-1)),
                Map.entry("setAutoCommit", c -> c.setAutoCommit(false)),
                Map.entry("setReadOnly", c -> c.setReadOnly(true)),
                Map.entry("setTransactionIsolation", c -> c.setTransactionIsolation("TRANSACTION_SERIALIZABLE")),
                Map.entry("setCatalog", c -> c.setCatalog("cat")),
                Map.entry("setSchema", c -> c.setSchema("sch")),
                Map.entry("setConnectionInitSql", c -> c.setConnectionInitSql("SELECT 1")),
                Map.entry("setConnectionTestQuery", c -> c.setConnectionTestQuery("SELECT 1")),
                Map.entry("setPoolName", c -> c.setPoolName("renamed")),
                Map.entry("setRegisterMbeans", c -> c.setRegisterMbeans(true)),
                Map.entry("setAllowPoolSuspension", c -> c.setAllowPoolSuspension(true)),
                Map.entry("setOrder", c -> c.setOrder(Order.QUEUE)),
                Map.entry("setDataSourceJNDI", c -> c.setDataSourceJNDI("java:comp/env/jdbc/app")),
                Map.entry("setIsolateInternalQueries", c -> c.setIsolateInternalQueries(false)),
                Map.entry("setThreadFactory", c -> c.setThreadFactory(Thread.ofPlatform().factory())),
                Map.entry("setScheduledExecutor", c -> c.setScheduledExecutor(Plugins.SCHEDULER)),
                Map.entry("setExceptionOverride", c -> c.setExceptionOverride(new Plugins.KeepEverything())),
                Map.entry("setExceptionOverrideClassName",
                        c -> c.setExceptionOverrideClassName(Plugins.KeepEverything.class.getName())),
                Map.entry("setCredentialsProvider", c -> c.setCredentialsProvider(new Plugins.FixedCredentials())),
                Map.entry("setCredentialsProviderClassName",
                        c -> c.setCredentialsProviderClassName(Plugins.FixedCredentials.class.getName())),
                Map.entry("setHealthCheckRegistry", c -> c.setHealthCheckRegistry(null)),
                Map.entry("setHealthCheckProperties", c -> c.setHealthCheckProperties(props("a", "b"))),
                Map.entry("addHealthCheckProperty", c -> c.addHealthCheckProperty("a", "b")));

        static final Map<String, Consumer<TidepoolConfig>> RUNTIME = Map.ofEntries(
                Map.entry("setMaximumPoolSize", c -> c.setMaximumPoolSize(20)),
                Map.entry("setMinimumIdle", c -> c.setMinimumIdle(2)),
                Map.entry("setConnectionTimeout", c -> c.setConnectionTimeout(1_000)),
                Map.entry("setIdleTimeout", c -> c.setIdleTimeout(20_000)),
                Map.entry("setMaxLifetime", c -> c.setMaxLifetime(120_000)),
                Map.entry("setLeakDetectionThreshold", c -> c.setLeakDetectionThreshold(10_000)),
                Map.entry("setValidationTimeout", c -> c.setValidationTimeout(500)),
                Map.entry("setFairness", c -> c.setFairness("BOUNDED(5ms)")),
                Map.entry("setUsername", c -> c.setUsername("other")),
                Map.entry("setPassword", c -> c.setPassword("other")),
                Map.entry("setCredentials", c -> c.setCredentials(Credentials.of("other", "other"))),
                Map.entry("setMaximumThreadsAwaitingConnection", c -> c.setMaximumThreadsAwaitingConnection(100)),
                Map.entry("setMaximumConcurrentConnects", c -> c.setMaximumConcurrentConnects(4)));

        /** HikariCP's rule: a started pool takes a metrics registry or tracker factory once. */
        static final Set<String> ONCE = Set.of("setMetricRegistry", "setMetricsTrackerFactory");

        @Test
        void metricsCanBeSetOnceAfterSealingAndNeverAgain() {
            TidepoolConfig config = sealed();
            config.setMetricRegistry(null); // nothing set: allowed, and still nothing set
            MetricsTrackerFactory first = (name, stats) -> new MetricsTracker() {
            };
            config.setMetricsTrackerFactory(first);
            assertThat(config.getMetricsTrackerFactory()).isSameAs(first);
            assertThatThrownBy(() -> config.setMetricsTrackerFactory((name, stats) -> new MetricsTracker() {
            }))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("pool live has started with its metrics set; metricsTrackerFactory can only be set once");
            assertThatThrownBy(() -> config.setMetricRegistry(null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("metricRegistry can only be set once");
            assertThat(config.getMetricsTrackerFactory()).isSameAs(first);
        }

        static TidepoolConfig sealed() {
            TidepoolConfig config = withUrl();
            config.setPoolName("live");
            config.validate();
            config.seal();
            return config;
        }

        @Test
        void everyPublicSetterIsEitherFixedOrChangeableAtRunTime() {
            Set<String> setters = new TreeSet<>();
            for (Method m : TidepoolConfig.class.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && (m.getName().startsWith("set")
                        || m.getName().startsWith("add"))) {
                    setters.add(m.getName());
                }
            }
            Set<String> classified = new TreeSet<>(FIXED.keySet());
            classified.addAll(RUNTIME.keySet());
            classified.addAll(ONCE);
            assertThat(setters).isEqualTo(classified);
        }

        @Test
        void fixedPropertiesThrowOnceSealedAndKeepTheirValue() {
            for (Map.Entry<String, Consumer<TidepoolConfig>> e : FIXED.entrySet()) {
                TidepoolConfig config = sealed();
                String before = config.toString();
                assertThatThrownBy(() -> e.getValue().accept(config))
                        .as(e.getKey())
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageStartingWith("The configuration of pool live is sealed once started;");
                assertThat(config.toString()).as(e.getKey()).isEqualTo(before);
            }
        }

        @Test
        void fixedPropertiesCanBeSetBeforeSealing() {
            TidepoolConfig config = withUrl();
            for (Map.Entry<String, Consumer<TidepoolConfig>> e : FIXED.entrySet()) {
                assertThatCode(() -> e.getValue().accept(config)).as(e.getKey()).doesNotThrowAnyException();
            }
        }

        @Test
        void runTimePropertiesStayChangeable() {
            TidepoolConfig config = sealed();
            for (Map.Entry<String, Consumer<TidepoolConfig>> e : RUNTIME.entrySet()) {
                assertThatCode(() -> e.getValue().accept(config)).as(e.getKey()).doesNotThrowAnyException();
            }
            assertThat(config.getMaximumPoolSize()).isEqualTo(20);
            assertThat(config.getMinimumIdle()).isEqualTo(2);
            assertThat(config.getConnectionTimeout()).isEqualTo(1_000);
            assertThat(config.getIdleTimeout()).isEqualTo(20_000);
            assertThat(config.getMaxLifetime()).isEqualTo(120_000);
            assertThat(config.getLeakDetectionThreshold()).isEqualTo(10_000);
            assertThat(config.getValidationTimeout()).isEqualTo(500);
            assertThat(config.getFairness()).isEqualTo("BOUNDED(5ms)");
            assertThat(config.getUsername()).isEqualTo("other");
            assertThat(config.getPassword()).isEqualTo("other");
        }

        @Test
        void aLiveMinimumAboveTheMaximumIsRejected() {
            TidepoolConfig config = sealed();
            assertThatThrownBy(() -> config.setMinimumIdle(11))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("minimumIdle 11")
                    .hasMessageContaining("maximumPoolSize 10");
            assertThat(config.getMinimumIdle()).isEqualTo(10);

            config.setMinimumIdle(4);
            assertThatThrownBy(() -> config.setMaximumPoolSize(3))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maximumPoolSize 3")
                    .hasMessageContaining("minimumIdle 4");
            assertThat(config.getMaximumPoolSize()).isEqualTo(10);

            config.setMaximumPoolSize(4);
            config.setMaximumPoolSize(30);
            assertThat(config.getMinimumIdle()).isEqualTo(4);
            assertThat(config.getMaximumPoolSize()).isEqualTo(30);
        }

        @Test
        void anUnsetMinimumFollowsALiveMaximum() {
            TidepoolConfig config = sealed();
            config.setMaximumPoolSize(3);
            assertThat(config.getMinimumIdle()).isEqualTo(3);
        }
    }

    // ------------------------------------------------------------------ copying

    @Nested
    class Copying {
        TidepoolConfig everythingSet() {
            TidepoolConfig c = new TidepoolConfig();
            c.setJdbcUrl(URL);
            c.setUsername("app");
            c.setPassword("pw");
            c.setDriverClassName("org.h2.Driver");
            c.setDataSource(new StubDataSource());
            c.setDataSourceClassName("org.h2.jdbcx.JdbcDataSource");
            c.addDataSourceProperty("cachePrepStmts", "true");
            c.setMaximumPoolSize(20);
            c.setMinimumIdle(5);
            c.setConnectionTimeout(4_000);
            c.setIdleTimeout(60_000);
            c.setMaxLifetime(900_000);
            c.setKeepaliveTime(45_000);
            c.setValidationTimeout(1_500);
            c.setLeakDetectionThreshold(10_000);
            c.setInitializationFailTimeout(-1);
            c.setAutoCommit(false);
            c.setReadOnly(true);
            c.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
            c.setCatalog("cat");
            c.setSchema("sch");
            c.setConnectionInitSql("SET x = 1");
            c.setConnectionTestQuery("SELECT 1");
            c.setPoolName("copied");
            c.setRegisterMbeans(true);
            c.setAllowPoolSuspension(true);
            c.setOrder(Order.QUEUE);
            c.setFairness("BOUNDED(7ms)");
            return c;
        }

        @Test
        void copiesEveryProperty() {
            TidepoolConfig source = everythingSet();
            TidepoolConfig target = new TidepoolConfig();
            source.copyStateTo(target);

            assertThat(target.toString()).isEqualTo(source.toString()); // toString lists every property
            assertThat(target.getPassword()).isEqualTo("pw");
            assertThat(target.getDataSource()).isSameAs(source.getDataSource());
        }

        @Test
        void theDriverPropertiesAreCopiedNotShared() {
            TidepoolConfig source = everythingSet();
            TidepoolConfig target = new TidepoolConfig();
            target.addDataSourceProperty("stale", "x");
            source.copyStateTo(target);
            source.addDataSourceProperty("later", "y");
            assertThat(target.getDataSourceProperties()).containsOnly(Map.entry("cachePrepStmts", "true"));
        }

        @Test
        void theCopyOfASealedConfigurationIsNotSealedButKeepsTheValidatedState() {
            TidepoolConfig source = withUrl();
            source.validate();
            source.seal();
            TidepoolConfig target = new TidepoolConfig();
            source.copyStateTo(target);
            assertThat(target.getMinimumIdle()).isEqualTo(10);
            assertThat(target.getPoolName()).isEqualTo(source.getPoolName());
            assertThatCode(() -> target.setJdbcUrl("jdbc:h2:mem:other")).doesNotThrowAnyException();
        }

        @Test
        void aSealedTargetIsRefused() {
            TidepoolConfig target = withUrl();
            target.validate();
            target.seal();
            String before = target.toString();
            assertThatThrownBy(() -> everythingSet().copyStateTo(target))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("sealed");
            assertThat(target.toString()).isEqualTo(before);
        }

        @Test
        void copyingOntoItselfChangesNothing() {
            TidepoolConfig config = everythingSet();
            String before = config.toString();
            config.copyStateTo(config);
            assertThat(config.toString()).isEqualTo(before);
        }
    }

    // ------------------------------------------------------------------ secrets

    @Nested
    class NoPasswordShows {
        static final List<String> URLS = List.of(
                "jdbc:postgresql://db.example.com:5432/orders?user=app&password=" + SECRET + "&ssl=true",
                "jdbc:postgresql://app:" + SECRET + "@db.example.com/orders",
                "jdbc:mysql://app:" + SECRET + "@db.example.com:3306/orders?useSSL=true",
                "jdbc:sqlserver://db.example.com;user=app;password=" + SECRET + ";databaseName=orders",
                "jdbc:sqlserver://db.example.com;user=app;password={" + SECRET + ";x};databaseName=orders",
                "jdbc:oracle:thin:app/" + SECRET + "@db.example.com:1521:orcl",
                "jdbc:oracle:thin:app/\"" + SECRET + "@x\"@//db.example.com:1521/svc",
                "jdbc:h2:mem:orders;USER=app;PASSWORD=" + SECRET);

        /** Every string the configuration produced, with every message of every cause. */
        final List<String> produced = new ArrayList<>();

        void collect(Throwable t) {
            assertThat(t).as("an exception was expected").isNotNull();
            for (Throwable c = t; c != null; c = c.getCause()) {
                produced.add(c.toString());
                for (Throwable s : c.getSuppressed()) {
                    produced.add(s.toString());
                }
            }
        }

        TidepoolConfig secretConfig(String url) {
            TidepoolConfig config = new TidepoolConfig();
            config.setJdbcUrl(url);
            config.setUsername("app");
            config.setPassword(SECRET);
            config.addDataSourceProperty("password", SECRET);
            config.addDataSourceProperty("sslPassword", SECRET);
            config.addDataSourceProperty("url", url);
            config.setDataSource(new StubDataSource());
            config.setConnectionInitSql("ALTER USER app IDENTIFIED BY '" + SECRET + "'");
            return config;
        }

        @AfterEach
        void noneContainsThePassword() {
            produced.addAll(warnings());
            assertThat(produced).isNotEmpty().noneMatch(s -> s.contains(SECRET));
        }

        @Test
        void urlsKeepEverythingButTheCredentials() {
            List<String> masked = URLS.stream().map(url -> Secrets.mask(url, null)).toList();
            produced.addAll(masked);
            assertThat(masked).containsExactly(
                    "jdbc:postgresql://db.example.com:5432/orders?user=app&password=****&ssl=true",
                    "jdbc:postgresql://app:****@db.example.com/orders",
                    "jdbc:mysql://app:****@db.example.com:3306/orders?useSSL=true",
                    "jdbc:sqlserver://db.example.com;user=app;password=****;databaseName=orders",
                    "jdbc:sqlserver://db.example.com;user=app;password=****;databaseName=orders",
                    "jdbc:oracle:thin:app/****@db.example.com:1521:orcl",
                    "jdbc:oracle:thin:app/****@//db.example.com:1521/svc",
                    "jdbc:h2:mem:orders;USER=app;PASSWORD=****");
            assertThat(Secrets.mask("jdbc:mysql://db.example.com:3306/orders?user=app", null))
                    .isEqualTo("jdbc:mysql://db.example.com:3306/orders?user=app");
        }

        @ParameterizedTest
        @MethodSource("urls")
        void inToString(String url) {
            TidepoolConfig config = secretConfig(url);
            produced.add(config.toString());
            assertThat(config.toString()).contains("password=<masked>", "jdbcUrl=" + Secrets.mask(url, null),
                    "StubDataSource");
            config.validate();
            produced.add(config.toString());
        }

        static List<String> urls() {
            return URLS;
        }

        @Test
        void inValidationErrors() {
            for (String url : URLS) {
                TidepoolConfig rejected = secretConfig(url);
                rejected.setDataSource(null);
                rejected.setDriverClassName("org.h2.Driver");
                if (!url.startsWith("jdbc:h2:")) {
                    collect(catchThrowable(rejected::validate));
                }

                TidepoolConfig quoting = secretConfig(url);
                quoting.setDataSource(null);
                quoting.setDriverClassName(QuotingDriver.class.getName());
                Throwable t = catchThrowable(quoting::validate);
                assertThat(t).hasMessageContaining("cannot parse");
                collect(t);

                TidepoolConfig tooSmall = secretConfig(url);
                tooSmall.setMinimumIdle(50);
                collect(catchThrowable(tooSmall::validate));

                TidepoolConfig missingDriver = secretConfig(url);
                missingDriver.setDriverClassName("com.example.NoSuchDriver");
                collect(catchThrowable(missingDriver::validate));
            }
        }

        @Test
        void inRepairWarnings() {
            TidepoolConfig config = secretConfig(URLS.get(0));
            config.setPoolName("pool-" + SECRET.length());
            config.setMaxLifetime(1_000);
            config.setKeepaliveTime(1_000);
            config.setLeakDetectionThreshold(1_000);
            config.setMinimumIdle(1);
            config.setIdleTimeout(1_000);
            config.setValidationTimeout(60_000);
            config.setDataSourceClassName("org.h2.jdbcx.JdbcDataSource");
            config.validate();
            assertThat(warnings()).hasSizeGreaterThanOrEqualTo(5);
        }

        @Test
        void inSetterAndSealErrors() {
            TidepoolConfig config = secretConfig(URLS.get(1));
            // Free-form SQL can only be scrubbed of the current password, and this one is rotated below.
            config.setConnectionInitSql("SELECT 1");
            collect(catchThrowable(() -> config.setMaximumPoolSize(0)));
            collect(catchThrowable(() -> config.setConnectionTimeout(5)));
            collect(catchThrowable(() -> config.setTransactionIsolation("bogus")));
            config.validate();
            config.seal();
            collect(catchThrowable(() -> config.setJdbcUrl(URLS.get(0))));
            collect(catchThrowable(() -> config.setMinimumIdle(500)));
            config.setPassword(SECRET + "-next");
            produced.add(config.toString());
        }

        @Test
        void inPropertyLoadingErrors() {
            Properties badType = new Properties();
            badType.put("password", new StringBuilder(SECRET));
            collect(catchThrowable(() -> new TidepoolConfig(badType)));

            collect(catchThrowable(() -> new TidepoolConfig(props("passwrod", SECRET))));
            collect(catchThrowable(() -> new TidepoolConfig(props("Password", SECRET))));
            collect(catchThrowable(() -> new TidepoolConfig(props("password", SECRET, "maximumPoolSize", "x"))));

            TidepoolConfig loaded = new TidepoolConfig(props("password", SECRET, "dataSource.password", SECRET,
                    "jdbcUrl", URLS.get(2)));
            produced.add(loaded.toString());
        }
    }

    // ------------------------------------------------------------------ HikariConfig compatibility

    @Nested
    class HikariCompatibility {
        /** Written the way a HikariConfig user writes it; the point is that it compiles unchanged. */
        @Test
        void codeWrittenForHikariConfigCompiles() {
            TidepoolConfig config = new TidepoolConfig();
            config.setJdbcUrl(URL);
            config.setUsername("sa");
            config.setPassword("");
            config.setDriverClassName("org.h2.Driver");
            config.setDataSourceClassName(null);
            config.setDataSource(null);
            config.setDataSourceProperties(new Properties());
            config.addDataSourceProperty("cachePrepStmts", "true");
            config.addDataSourceProperty("prepStmtCacheSize", 250);
            config.setMaximumPoolSize(20);
            config.setMinimumIdle(5);
            config.setConnectionTimeout(250L);
            config.setIdleTimeout(30_000L);
            config.setMaxLifetime(600_000L);
            config.setKeepaliveTime(60_000L);
            config.setValidationTimeout(250L);
            config.setLeakDetectionThreshold(5_000L);
            config.setInitializationFailTimeout(0L);
            config.setAutoCommit(false);
            config.setReadOnly(false);
            config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
            config.setCatalog("PUBLIC");
            config.setSchema("PUBLIC");
            config.setConnectionInitSql("SELECT 1");
            config.setConnectionTestQuery("SELECT 1");
            config.setPoolName("hikari-style");
            config.setRegisterMbeans(false);
            config.setAllowPoolSuspension(true);
            config.validate();

            int max = config.getMaximumPoolSize();
            int min = config.getMinimumIdle();
            long timeout = config.getConnectionTimeout();
            boolean autoCommit = config.isAutoCommit();
            Properties dsProps = config.getDataSourceProperties();
            DataSource ds = config.getDataSource();
            assertThat(max).isEqualTo(20);
            assertThat(min).isEqualTo(5);
            assertThat(timeout).isEqualTo(250L);
            assertThat(autoCommit).isFalse();
            assertThat(dsProps).containsEntry("prepStmtCacheSize", 250);
            assertThat(ds).isNull();
            assertThat(config.getValidationTimeout()).isEqualTo(250L);
            assertThat(config.isAllowPoolSuspension()).isTrue();
        }

        static Stream<Arguments> properties() {
            return Stream.of(
                    Arguments.of("JdbcUrl", String.class), Arguments.of("Username", String.class),
                    Arguments.of("Password", String.class), Arguments.of("DriverClassName", String.class),
                    Arguments.of("DataSource", DataSource.class), Arguments.of("DataSourceClassName", String.class),
                    Arguments.of("DataSourceProperties", Properties.class),
                    Arguments.of("MaximumPoolSize", int.class), Arguments.of("MinimumIdle", int.class),
                    Arguments.of("ConnectionTimeout", long.class), Arguments.of("IdleTimeout", long.class),
                    Arguments.of("MaxLifetime", long.class), Arguments.of("KeepaliveTime", long.class),
                    Arguments.of("ValidationTimeout", long.class), Arguments.of("LeakDetectionThreshold", long.class),
                    Arguments.of("InitializationFailTimeout", long.class), Arguments.of("AutoCommit", boolean.class),
                    Arguments.of("ReadOnly", boolean.class), Arguments.of("TransactionIsolation", String.class),
                    Arguments.of("Catalog", String.class), Arguments.of("Schema", String.class),
                    Arguments.of("ConnectionInitSql", String.class), Arguments.of("ConnectionTestQuery", String.class),
                    Arguments.of("PoolName", String.class), Arguments.of("RegisterMbeans", boolean.class),
                    Arguments.of("AllowPoolSuspension", boolean.class), Arguments.of("Order", Order.class));
        }

        @ParameterizedTest(name = "{0}: {1}")
        @MethodSource("properties")
        void gettersAndSettersHaveHikariCpsExactTypesAndCanBeOverridden(String name, Class<?> type)
                throws Exception {
            Method getter = TidepoolConfig.class.getMethod((type == boolean.class ? "is" : "get") + name);
            Method setter = TidepoolConfig.class.getMethod("set" + name, type);
            assertThat(getter.getReturnType()).isEqualTo(type);
            assertThat(setter.getReturnType()).isEqualTo(void.class);
            assertThat(Modifier.isFinal(setter.getModifiers())).as("a data source overrides it").isFalse();
            assertThat(Modifier.isPublic(getter.getModifiers()) && Modifier.isPublic(setter.getModifiers())).isTrue();
        }

        @Test
        void theOtherPublicMembersMatchToo() throws Exception {
            assertThat(TidepoolConfig.class.getMethod("addDataSourceProperty", String.class, Object.class)
                    .getReturnType()).isEqualTo(void.class);
            assertThat(TidepoolConfig.class.getMethod("validate").getReturnType()).isEqualTo(void.class);
            assertThat(TidepoolConfig.class.getMethod("copyStateTo", TidepoolConfig.class).getReturnType())
                    .isEqualTo(void.class);
            assertThat(TidepoolConfig.class.getConstructor()).isNotNull();
            assertThat(TidepoolConfig.class.getConstructor(Properties.class)).isNotNull();
            assertThat(TidepoolConfig.class.getConstructor(String.class)).isNotNull();
            assertThat(Modifier.isFinal(TidepoolConfig.class.getModifiers())).isFalse();
        }
    }
}
