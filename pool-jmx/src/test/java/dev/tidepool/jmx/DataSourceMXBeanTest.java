package dev.tidepool.jmx;

import static dev.tidepool.jmx.JmxTestSupport.SERVER;
import static dev.tidepool.jmx.JmxTestSupport.await;
import static dev.tidepool.jmx.JmxTestSupport.get;
import static dev.tidepool.jmx.JmxTestSupport.set;
import static dev.tidepool.jmx.JmxTestSupport.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.tidepool.jdbc.MBeanRegistrar;
import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.TidepoolDataSource;
import dev.tidepool.jmx.JmxTestSupport.Heard;
import dev.tidepool.jmx.JmxTestSupport.ManualClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import javax.management.JMX;
import javax.management.MBeanOperationInfo;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link DataSourceMXBean} over a {@link TidepoolDataSource} on H2 in memory, read and written
 * through the platform MBeanServer as a client would.
 */
@Timeout(120)
class DataSourceMXBeanTest {
    private static final List<String> WRITABLE = List.of("MaximumPoolSize", "MinimumIdle", "ConnectionTimeout",
            "IdleTimeout", "MaxLifetime", "LeakDetectionThreshold", "ValidationTimeout",
            "MaximumThreadsAwaitingConnection", "Fairness");

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    private TidepoolDataSource open(String name, int max, int minIdle, Consumer<TidepoolConfig> more) {
        TidepoolConfig config = new TidepoolConfig();
        config.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        config.setUsername("sa");
        config.setPassword("");
        config.setPoolName(name);
        config.setMaximumPoolSize(max);
        config.setMinimumIdle(minIdle);
        config.setRegisterMbeans(true);
        more.accept(config);
        TidepoolDataSource dataSource = new TidepoolDataSource(config);
        toClose.add(dataSource);
        return dataSource;
    }

    private Connection borrow(TidepoolDataSource dataSource) throws SQLException {
        Connection connection = dataSource.getConnection();
        toClose.add(connection);
        return connection;
    }

    private static Map<String, Object> writableValues(ObjectName name) throws Exception {
        Map<String, Object> values = new java.util.TreeMap<>();
        for (String attribute : WRITABLE) {
            values.put(attribute, get(SERVER, name, attribute));
        }
        return values;
    }

    @Test
    void registerMbeansFindsThisModuleThroughServiceLoaderAndCloseUnregisters() throws Exception {
        assertThat(ServiceLoader.load(MBeanRegistrar.class).stream().map(ServiceLoader.Provider::type))
                .contains(JdbcMBeanRegistrar.class);
        String poolName = uniqueName("ds-shape");
        TidepoolDataSource dataSource = open(poolName, 3, 1, c -> { });
        ObjectName name = new ObjectName("dev.tidepool:type=DataSource,name=" + poolName);

        assertThat(SERVER.isRegistered(name)).isTrue();
        assertThat(JmxTestSupport.attributeShapes(SERVER, name)).containsExactly(
                entry("ActiveConnections", "int r"),
                entry("BorrowCount", "long r"),
                entry("ConnectionTimeout", "long rw"),
                entry("Fairness", "java.lang.String rw"),
                entry("IdleConnections", "int r"),
                entry("IdleTimeout", "long rw"),
                entry("LeakDetectionThreshold", "long rw"),
                entry("MaxLifetime", "long rw"),
                entry("MaxWaitMillis", "long r"),
                entry("MaximumPoolSize", "int rw"),
                entry("MaximumThreadsAwaitingConnection", "int rw"),
                entry("MeanWaitMillis", "double r"),
                entry("MinimumIdle", "int rw"),
                entry("PoolName", "java.lang.String r"),
                entry("ShedConnectionRequests", "long r"),
                entry("ThreadsAwaitingConnection", "int r"),
                entry("TimeoutCount", "long r"),
                entry("TotalConnections", "int r"),
                entry("ValidationTimeout", "long rw"));
        JmxTestSupport.assertAllOpenSimpleTypes(SERVER, name);
        assertThat(SERVER.getMBeanInfo(name).getOperations()).extracting(MBeanOperationInfo::getName)
                .containsExactlyInAnyOrder("resize", "softEvictConnections", "suspendPool", "resumePool",
                        "setCredentials");
        assertThat(JmxTestSupport.readAll(SERVER, name).values()).noneMatch(v -> String.valueOf(v).contains("jdbc:"));

        dataSource.close();

        assertThat(SERVER.isRegistered(name)).isFalse();
    }

    @Test
    void everyAttributeReadThroughTheServerMatchesTheDataSource() throws Exception {
        String poolName = uniqueName("ds-read");
        TidepoolDataSource dataSource = open(poolName, 4, 2, c -> {
            c.setConnectionTimeout(3_000);
            c.setIdleTimeout(70_000);
            c.setMaxLifetime(900_000);
            c.setLeakDetectionThreshold(4_000);
            c.setValidationTimeout(1_500);
        });
        borrow(dataSource);
        // The borrow took one of the two idle connections; the pool connects another to keep two idle.
        await().until(() -> dataSource.getTotalConnections() == 3 && dataSource.getIdleConnections() == 2);

        // Read until a housekeeping round is not holding an idle connection to look at it.
        await().untilAsserted(() -> {
            Map<String, Object> values = JmxTestSupport.readAll(SERVER, TidepoolMBeans.dataSourceName(poolName));
            assertThat(values).containsEntry("MaximumPoolSize", 4)
                    .containsEntry("MinimumIdle", 2)
                    .containsEntry("ConnectionTimeout", 3_000L)
                    .containsEntry("IdleTimeout", 70_000L)
                    .containsEntry("MaxLifetime", 900_000L)
                    .containsEntry("LeakDetectionThreshold", 4_000L)
                    .containsEntry("ValidationTimeout", 1_500L)
                    .containsEntry("ActiveConnections", 1)
                    .containsEntry("IdleConnections", 2)
                    .containsEntry("TotalConnections", 3)
                    .containsEntry("ThreadsAwaitingConnection", 0)
                    .containsEntry("PoolName", poolName)
                    .containsEntry("BorrowCount", dataSource.stats().borrowCount())
                    .containsEntry("TimeoutCount", 0L)
                    .containsEntry("MaxWaitMillis", dataSource.stats().maxWaitNanos() / 1_000_000)
                    .containsEntry("MeanWaitMillis", PoolBean.meanWaitMillis(dataSource.stats()))
                    .containsEntry("Fairness", "STRICT");
            assertThat(values).hasSize(19);
            assertThat((Long) values.get("BorrowCount")).isPositive();
        });
    }

    @Test
    void writingEveryWritableAttributeActsOnTheLivePool() throws Exception {
        String poolName = uniqueName("ds-write");
        TidepoolDataSource dataSource = open(poolName, 4, 4, c -> c.setAllowPoolSuspension(true));
        ObjectName name = TidepoolMBeans.dataSourceName(poolName);
        await().until(() -> get(SERVER, name, "TotalConnections").equals(4));

        // MaximumPoolSize below MinimumIdle is refused, so lower MinimumIdle first, as HikariCP's users do.
        set(SERVER, name, "MinimumIdle", 2);
        assertThat(dataSource.getMinimumIdle()).isEqualTo(2);
        set(SERVER, name, "MaximumPoolSize", 2);
        // A resize, at once: idle connections beyond the new maximum are closed right away.
        assertThat(dataSource.getMaximumPoolSize()).isEqualTo(2);
        assertThat(get(SERVER, name, "TotalConnections")).isEqualTo(2);
        // Idle, not at once: the housekeeping round that MinimumIdle started may hold one to look at it.
        await().until(() -> get(SERVER, name, "IdleConnections").equals(2));

        SERVER.invoke(name, "resize", new Object[] {3}, new String[] {"int"});
        assertThat(dataSource.getMaximumPoolSize()).isEqualTo(3);
        set(SERVER, name, "MinimumIdle", 3);
        await().until(() -> get(SERVER, name, "IdleConnections").equals(3));   // filled

        set(SERVER, name, "IdleTimeout", 60_000L);
        set(SERVER, name, "MaxLifetime", 120_000L);
        set(SERVER, name, "LeakDetectionThreshold", 5_000L);
        set(SERVER, name, "ValidationTimeout", 1_000L);
        set(SERVER, name, "ConnectionTimeout", 300L);
        set(SERVER, name, "MaximumThreadsAwaitingConnection", 50);
        assertThat(dataSource.getMaximumThreadsAwaitingConnection()).isEqualTo(50);
        set(SERVER, name, "Fairness", "BOUNDED(2ms)");
        assertThat(dataSource.getFairness()).isEqualTo("BOUNDED(2ms)");
        assertThat(dataSource.getIdleTimeout()).isEqualTo(60_000L);
        assertThat(dataSource.getMaxLifetime()).isEqualTo(120_000L);
        assertThat(dataSource.getLeakDetectionThreshold()).isEqualTo(5_000L);
        assertThat(dataSource.getValidationTimeout()).isEqualTo(1_000L);
        assertThat(dataSource.getConnectionTimeout()).isEqualTo(300L);
        assertThat(writableValues(name)).containsOnly(
                entry("MaximumPoolSize", 3), entry("MinimumIdle", 3), entry("ConnectionTimeout", 300L),
                entry("IdleTimeout", 60_000L), entry("MaxLifetime", 120_000L),
                entry("LeakDetectionThreshold", 5_000L), entry("ValidationTimeout", 1_000L),
                entry("MaximumThreadsAwaitingConnection", 50), entry("Fairness", "BOUNDED(2ms)"));

        // The new ConnectionTimeout applies to the next borrow: with all three out, it gives up.
        List<Connection> three = List.of(borrow(dataSource), borrow(dataSource), borrow(dataSource));
        long start = System.nanoTime();
        assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(get(SERVER, name, "TimeoutCount")).isEqualTo(1L);
        for (Connection connection : three) {
            connection.close();
        }

        // softEvictConnections: every idle connection is replaced by a new one.
        await().until(() -> get(SERVER, name, "IdleConnections").equals(3));
        long createdBefore = dataSource.stats().createdCount();
        SERVER.invoke(name, "softEvictConnections", null, null);
        await().until(() -> dataSource.stats().createdCount() >= createdBefore + 3
                && get(SERVER, name, "IdleConnections").equals(3));
        assertThat(dataSource.stats().disposedCount()).isGreaterThanOrEqualTo(3);

        // suspendPool holds borrowers although connections are idle; resumePool lets them in.
        SERVER.invoke(name, "suspendPool", null, null);
        assertThat(dataSource.getIdleConnections()).isPositive();
        assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        SERVER.invoke(name, "resumePool", null, null);
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.isValid(1)).isTrue();
        }
    }

    @Test
    void badWritesReachTheClientAsIllegalArgumentAndChangeNothing() throws Exception {
        String poolName = uniqueName("ds-bad");
        TidepoolDataSource dataSource = open(poolName, 4, 2, c -> { });
        ObjectName name = TidepoolMBeans.dataSourceName(poolName);
        await().until(() -> dataSource.getIdleConnections() == 2);
        Map<String, Object> before = writableValues(name);

        Object[][] refused = {
            {"MaximumPoolSize", 0, "maximumPoolSize cannot be less than 1, was 0"},
            {"MaximumPoolSize", -4, "was -4"},
            {"MaximumPoolSize", 1, "maximumPoolSize 1 is less than minimumIdle 2"},
            {"MinimumIdle", -1, "minimumIdle cannot be negative, was -1"},
            {"MinimumIdle", 5, "minimumIdle 5 is greater than maximumPoolSize 4"},
            {"ConnectionTimeout", -1L, "connectionTimeout cannot be less than 250 ms, was -1 ms"},
            {"ConnectionTimeout", 100L, "was 100 ms"},
            {"IdleTimeout", -1L, "idleTimeout cannot be negative"},
            {"MaxLifetime", -1L, "maxLifetime cannot be negative"},
            {"LeakDetectionThreshold", -1L, "leakDetectionThreshold cannot be negative"},
            {"ValidationTimeout", -1L, "validationTimeout cannot be less than 250 ms"},
            {"MaximumThreadsAwaitingConnection", -2, "maximumThreadsAwaitingConnection cannot be less than -1"},
            {"Fairness", "FAIR", "property fairness must be STRICT, BOUNDED or BOUNDED(<n>ms)"},
            {"Fairness", "BOUNDED(0ms)", "was \"BOUNDED(0ms)\""},
            {"Fairness", null, "Fairness must be STRICT, BOUNDED or BOUNDED(<n>ms), was null"},
        };
        for (Object[] bad : refused) {
            assertThatThrownBy(() -> set(SERVER, name, (String) bad[0], bad[1]))
                    .as("%s = %s", bad[0], bad[1])
                    .isInstanceOf(RuntimeMBeanException.class)
                    .cause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining((String) bad[2]);
        }
        assertThatThrownBy(() -> SERVER.invoke(name, "resize", new Object[] {0}, new String[] {"int"}))
                .isInstanceOf(RuntimeMBeanException.class)
                .cause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
        DataSourceMXBean proxy = JMX.newMXBeanProxy(SERVER, name, DataSourceMXBean.class);
        assertThatThrownBy(() -> proxy.setMinimumIdle(9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minimumIdle 9");

        assertThat(writableValues(name)).isEqualTo(before);
        assertThat(dataSource.getMaximumPoolSize()).isEqualTo(4);
        assertThat(dataSource.getMinimumIdle()).isEqualTo(2);
        assertThat(get(SERVER, name, "TotalConnections")).isEqualTo(2);

        // Suspension needs no allowPoolSuspension: the operator can always hold borrowers.
        SERVER.invoke(name, "suspendPool", null, null);
        assertThat(dataSource.isRunning()).isFalse();
        SERVER.invoke(name, "resumePool", null, null);
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.isValid(1)).isTrue();
        }
    }

    @Test
    void setCredentialsIsAnOperationWhosePasswordIsNeverReadable() throws Exception {
        String poolName = uniqueName("ds-credentials");
        TidepoolDataSource dataSource = open(poolName, 2, 2, c -> { });
        ObjectName name = TidepoolMBeans.dataSourceName(poolName);
        long createdBefore = dataSource.stats().createdCount();
        try (Connection c = dataSource.getConnection(); java.sql.Statement rotate = c.createStatement()) {
            rotate.execute("ALTER USER SA SET PASSWORD 'rotated-secret'"); // the database rotates first
        }

        SERVER.invoke(name, "setCredentials", new Object[] {"sa", "rotated-secret"},
                new String[] {String.class.getName(), String.class.getName()});

        assertThat(dataSource.getCredentials()).isEqualTo(dev.tidepool.jdbc.Credentials.of("sa", "rotated-secret"));
        assertThat(JmxTestSupport.readAll(SERVER, name).values())
                .noneMatch(v -> String.valueOf(v).contains("rotated-secret"));
        assertThat(SERVER.getMBeanInfo(name).getOperations()).filteredOn(o -> o.getName().equals("setCredentials"))
                .singleElement().satisfies(o -> assertThat(o.getSignature()).extracting(p -> p.getName())
                        .containsExactly("username", "password"));
        // The connections opened with the old credentials retire and are replaced.
        await().until(() -> dataSource.stats().createdCount() >= createdBefore + 2
                && dataSource.getIdleConnections() == 2);
    }

    @Test
    void aSecondDataSourceWithTheSameNameIsRefusedAndTheFirstKeepsItsBean() throws Exception {
        String poolName = uniqueName("ds-dup");
        open(poolName, 3, 0, c -> { });
        ObjectName name = TidepoolMBeans.dataSourceName(poolName);
        // registerMbeans=true on the second too: it starts (the refusal is logged), unmonitored.
        TidepoolDataSource second = open(poolName, 7, 0, c -> { });
        try (Connection connection = second.getConnection()) {
            assertThat(connection.isValid(1)).isTrue();
        }
        assertThat(get(SERVER, name, "MaximumPoolSize")).isEqualTo(3);

        assertThatThrownBy(() -> TidepoolMBeans.register(second))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(name.toString()).hasMessageContaining("already registered");

        second.close();
        assertThat(SERVER.isRegistered(name)).isTrue();
        assertThat(get(SERVER, name, "MaximumPoolSize")).isEqualTo(3);
    }

    @Test
    void aDataSourceRegisteredByHandBeforeItStartsShowsItsConfigurationAndFollowsWrites() throws Exception {
        String poolName = uniqueName("ds-lazy");
        TidepoolDataSource dataSource = new TidepoolDataSource();
        toClose.add(dataSource);
        dataSource.setJdbcUrl("jdbc:h2:mem:" + poolName + ";DB_CLOSE_DELAY=-1");
        dataSource.setUsername("sa");
        dataSource.setPassword("");
        dataSource.setPoolName(poolName);
        dataSource.setMaximumPoolSize(2);
        // No background fill: ActiveConnections counts connections being opened too (size - idle).
        dataSource.setMinimumIdle(0);

        Registration registration = TidepoolMBeans.register(dataSource);
        ObjectName name = registration.objectName();
        assertThat(get(SERVER, name, "TotalConnections")).isEqualTo(0);
        assertThat(get(SERVER, name, "BorrowCount")).isEqualTo(0L);
        set(SERVER, name, "MaximumPoolSize", 5);

        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.isValid(1)).isTrue();
            assertThat(get(SERVER, name, "ActiveConnections")).isEqualTo(1);
            assertThat(get(SERVER, name, "MaximumPoolSize")).isEqualTo(5);
        }
        dataSource.close();   // the pool started, so its close reaches the registration
        assertThat(registration.isRegistered()).isFalse();
        assertThat(SERVER.isRegistered(name)).isFalse();
    }

    @Test
    void aConnectionTimeoutIsNotifiedWithThePoolsPicture() throws Exception {
        ManualClock clock = new ManualClock();
        String poolName = uniqueName("ds-notify");
        TidepoolDataSource dataSource = open(poolName, 1, 0, c -> {
            c.setRegisterMbeans(false);
            c.setConnectionTimeout(250);
            c.setValidationTimeout(250);
        });
        Heard heard = new Heard();
        try (Registration registration = TidepoolMBeans.register(dataSource, clock.policy(Duration.ofSeconds(1)))) {
            SERVER.addNotificationListener(registration.objectName(), heard, null, null);
            borrow(dataSource);

            assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class);
            assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class);
            await().until(() -> heard.hasExactlySequence(2));   // one exhausted, one timeout; one of each held back
            clock.advance(Duration.ofSeconds(1));
            assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class);
            await().until(() -> heard.hasExactlySequence(4));

            assertThat(heard.ofType(TidepoolMBeans.TIMEOUT_NOTIFICATION)).extracting(Heard::suppressed)
                    .containsExactlyInAnyOrder(0L, 1L);
            CompositeData data = (CompositeData) heard.ofType(TidepoolMBeans.TIMEOUT_NOTIFICATION).get(0).getUserData();
            assertThat(data.get("pool")).isEqualTo(poolName);
            assertThat((Long) data.get("waitedMillis")).isGreaterThanOrEqualTo(200L);
            assertThat(heard.ofType(TidepoolMBeans.EXHAUSTED_NOTIFICATION).get(0).getMessage())
                    .contains(poolName).contains("total 1 of max 1, active 1");
            assertThat(get(SERVER, registration.objectName(), "TimeoutCount")).isEqualTo(3L);
        }
    }
}
