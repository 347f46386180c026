package dev.tidepool.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidepool.jdbc.TidepoolConfig;
import dev.tidepool.jdbc.TidepoolDataSource;
import dev.tidepool.jdbc.stub.StubDatabase;
import dev.tidepool.jdbc.stub.StubDriver;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/** The data source meters: names, units, values after borrows, timeouts, HikariCP's names, close. */
@Timeout(120)
class TidepoolDataSourceMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final List<TidepoolDataSource> opened = new ArrayList<>();
    private StubDatabase database;

    @BeforeEach
    void database(TestInfo test) {
        StubDriver.register();
        database = StubDatabase.reset("metrics-" + test.getTestMethod().orElseThrow().getName());
    }

    @AfterEach
    void close() {
        opened.forEach(TidepoolDataSource::close);
    }

    private TidepoolConfig config(String poolName, int size) {
        TidepoolConfig config = new TidepoolConfig();
        config.setJdbcUrl(database.url());
        config.setPoolName(poolName);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        return config;
    }

    private TidepoolDataSource open(TidepoolConfig config) {
        TidepoolDataSource dataSource = new TidepoolDataSource(config);
        opened.add(dataSource);
        return dataSource;
    }

    private RequiredSearch meter(String name, String pool) {
        return registry.get(name).tag("pool", pool);
    }

    private double gauge(String name, String pool) {
        return meter(name, pool).gauge().value();
    }

    @Test
    void setMetricRegistryFindsTheBindingAndTheMetersFollowABorrow() throws Exception {
        TidepoolConfig config = config("orders", 4);
        config.setMetricRegistry(registry); // through ServiceLoader, as HikariCP's setMetricRegistry
        TidepoolDataSource dataSource = open(config);
        // Idle, not just counted: a connection counts in the total while it is still being opened.
        Awaitility.await().atMost(WAIT).until(() -> dataSource.getIdleConnections() == 4);

        ConnectionMeterNames names = ConnectionMeterNames.TIDEPOOL;
        try (Connection ignored = dataSource.getConnection()) {
            assertThat(gauge(names.total(), "orders")).isEqualTo(4);
            assertThat(gauge(names.active(), "orders")).isEqualTo(1);
            assertThat(gauge(names.idle(), "orders")).isEqualTo(3);
            assertThat(gauge(names.pending(), "orders")).isZero();
            assertThat(gauge(names.max(), "orders")).isEqualTo(4);
            assertThat(gauge(names.min(), "orders")).isEqualTo(4);
            assertThat(meter(names.acquire(), "orders").timer().count()).isEqualTo(1);
            assertThat(meter(names.usage(), "orders").timer().count()).isZero();
        }
        assertThat(meter(names.usage(), "orders").timer().count()).isEqualTo(1);
        assertThat(gauge(names.active(), "orders")).isZero();
        assertThat(meter(names.creation(), "orders").timer().count()).isEqualTo(4);
        assertThat(meter(names.timeout(), "orders").counter().count()).isZero();
    }

    @Test
    void everyMeterHasADescriptionAndTidepoolsNamesHaveBaseUnits() {
        TidepoolConfig config = config("described", 1);
        config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        open(config);
        List<Meter> meters = registry.getMeters();
        assertThat(meters).hasSize(11).allSatisfy(m -> {
            assertThat(m.getId().getName()).startsWith("tidepool.connections");
            assertThat(m.getId().getDescription()).isNotBlank();
            assertThat(m.getId().getTag("pool")).isEqualTo("described");
        });
        assertThat(meter("tidepool.connections.active", "described").gauge().getId().getBaseUnit())
                .isEqualTo("connections");
        assertThat(meter("tidepool.connections.pending", "described").gauge().getId().getBaseUnit())
                .isEqualTo("threads");
        assertThat(meter("tidepool.connections.timeout", "described").counter().getId().getBaseUnit())
                .isEqualTo("requests");
        assertThat(meter("tidepool.connections.acquire", "described").timer().getId().getBaseUnit())
                .isEqualTo("seconds");
    }

    @Test
    void hikariCpNamesAreAnOptInThatPublishesTheSameFigures() throws Exception {
        TidepoolConfig config = config("switched", 2);
        config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry).withHikariCpNames()
                .withTags(Tags.of("region", "eu")));
        TidepoolDataSource dataSource = open(config);
        try (Connection ignored = dataSource.getConnection()) {
            for (ConnectionMeterNames names : ConnectionMeterNames.values()) {
                assertThat(gauge(names.active(), "switched")).as(names.name()).isEqualTo(1);
                assertThat(meter(names.acquire(), "switched").tag("region", "eu").timer().count())
                        .as(names.name()).isEqualTo(1);
            }
        }
        assertThat(meter("hikaricp.connections.usage", "switched").timer().count()).isEqualTo(1);
        assertThat(meter("hikaricp.connections.active", "switched").gauge().getId().getBaseUnit()).isNull();
        assertThat(registry.getMeters()).as("Tidepool's 11 and HikariCP's 10 (it has no shed counter)").hasSize(21);
    }

    @Test
    void closingThePoolRemovesItsMeters() {
        TidepoolConfig config = config("closing", 1);
        config.setMetricRegistry(registry);
        TidepoolDataSource dataSource = open(config);
        assertThat(registry.getMeters()).isNotEmpty();
        dataSource.close();
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void theBinderWorksBeforeTheStartAndOnARunningPoolButOnlyOnce() throws Exception {
        TidepoolDataSource lazy = new TidepoolDataSource();
        opened.add(lazy);
        lazy.setJdbcUrl(database.url());
        lazy.setPoolName("lazy");
        new TidepoolDataSourceMetrics(lazy, Tags.of("app", "shop")).bindTo(registry);
        assertThat(registry.getMeters()).isEmpty(); // the meters come with the pool
        lazy.getConnection().close();
        assertThat(meter("tidepool.connections.acquire", "lazy").tag("app", "shop").timer().count()).isEqualTo(1);

        TidepoolDataSource running = open(config("running", 1));
        new TidepoolDataSourceMetrics(running).withHikariCpNames().bindTo(registry);
        running.getConnection().close();
        assertThat(meter("tidepool.connections.usage", "running").timer().count()).isEqualTo(1);
        assertThat(meter("hikaricp.connections.usage", "running").timer().count()).isEqualTo(1);
        assertThatThrownBy(() -> new TidepoolDataSourceMetrics(running).bindTo(new SimpleMeterRegistry()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("can only be set once");
    }

    @Test
    void underAThousandVirtualThreadsPendingReachesTheWaitersAndTheTimeoutCounterCountsEachTimeout()
            throws Exception {
        int size = 10;
        int threads = 1_000;
        TidepoolConfig config = config("crowded", size);
        config.setConnectionTimeout(3_000); // every waiter queues well within it, then all time out
        config.setMetricRegistry(registry);
        TidepoolDataSource dataSource = open(config);
        Awaitility.await().atMost(WAIT).until(() -> dataSource.getIdleConnections() == size);

        CountDownLatch holding = new CountDownLatch(size);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger timedOut = new AtomicInteger();
        List<Future<?>> work = new ArrayList<>();
        try (ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < size; i++) {
                work.add(virtualThreads.submit(() -> {
                    try (Connection ignored = dataSource.getConnection()) {
                        holding.countDown();
                        release.await();
                    }
                    return null;
                }));
            }
            assertThat(holding.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            for (int i = size; i < threads; i++) {
                work.add(virtualThreads.submit(() -> {
                    try (Connection ignored = dataSource.getConnection()) {
                        throw new AssertionError("every connection is held");
                    } catch (SQLTransientConnectionException e) {
                        timedOut.incrementAndGet();
                    }
                    return null;
                }));
            }
            Awaitility.await().atMost(WAIT)
                    .until(() -> gauge("tidepool.connections.pending", "crowded") == threads - size);
            assertThat(gauge("tidepool.connections.active", "crowded")).isEqualTo(size);
            assertThat(gauge("tidepool.connections.idle", "crowded")).isZero();

            Awaitility.await().atMost(WAIT).until(() -> timedOut.get() == threads - size);
            assertThat(meter("tidepool.connections.timeout", "crowded").counter().count()).isEqualTo(threads - size);
            assertThat(gauge("tidepool.connections.pending", "crowded")).isZero();
            release.countDown();
            for (Future<?> f : work) {
                f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        }
        assertThat(meter("tidepool.connections.acquire", "crowded").timer().count()).isEqualTo(size);
        assertThat(meter("tidepool.connections.usage", "crowded").timer().count()).isEqualTo(size);
    }

    @Test
    void aRegistryThatIsNotMicrometersIsRefusedNamingMicrometer() {
        TidepoolConfig config = config("refused", 1);
        assertThatThrownBy(() -> config.setMetricRegistry(new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("supported: io.micrometer.core.instrument.MeterRegistry");
        assertThat(new MicrometerRegistryBinding().supports(new Object())).isFalse();
        assertThatThrownBy(() -> new MicrometerRegistryBinding().trackerFactory("not a registry"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.String");
    }

    @Test
    void callersTurnedAwayByLoadSheddingAreCounted() throws Exception {
        TidepoolConfig config = config("shedding", 1);
        config.setMaximumThreadsAwaitingConnection(0);
        config.setMetricRegistry(registry);
        TidepoolDataSource dataSource = open(config);
        try (Connection held = dataSource.getConnection()) {
            assertThatThrownBy(dataSource::getConnection).isInstanceOf(java.sql.SQLTransientConnectionException.class);
            assertThatThrownBy(dataSource::getConnection).isInstanceOf(java.sql.SQLTransientConnectionException.class);
        }
        assertThat(meter(ConnectionMeterNames.TIDEPOOL.shed(), "shedding").counter().count()).isEqualTo(2);
        assertThat(meter(ConnectionMeterNames.TIDEPOOL.shed(), "shedding").counter().getId().getBaseUnit())
                .isEqualTo("requests");
        assertThat(ConnectionMeterNames.HIKARICP.shed()).isNull();
    }
}
