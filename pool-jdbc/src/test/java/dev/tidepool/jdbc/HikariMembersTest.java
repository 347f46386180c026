package dev.tidepool.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidepool.jdbc.stub.StubDataSource;
import dev.tidepool.jdbc.stub.StubDatabase;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.spi.InitialContextFactory;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HikariConfig and HikariDataSource members that code written for HikariCP uses, each doing
 * what it does there: credentials and their provider, the exception override, JNDI, isolated
 * internal queries, the thread factory and scheduler, metrics trackers, evictConnection and the
 * pool MXBean getter.
 */
@Timeout(120)
class HikariMembersTest {

    @RegisterExtension
    final StubPools pools = new StubPools("hm", 1_000);
    private StubDatabase db;

    private static ConditionFactory await() {
        return StubPools.await();
    }

    @BeforeEach
    void database() {
        db = pools.db();
    }

    private TidepoolConfig config(int max) {
        return pools.config(max);
    }

    private TidepoolDataSource open(TidepoolConfig config) {
        return pools.open(config);
    }

    @Nested
    class CredentialsAndProvider {
        @Test
        void setCredentialsChangesUserAndPasswordTogetherForNewConnections() throws Exception {
            db.requireCredentials("app", "old-secret");
            TidepoolConfig config = config(1);
            config.setCredentials(Credentials.of("app", "old-secret"));
            TidepoolDataSource ds = open(config);

            db.requireCredentials("app2", "new-secret");
            ds.setCredentials(Credentials.of("app2", "new-secret"));
            ds.softEvictConnections();
            try (Connection c = ds.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
            assertThat(ds.getUsername()).isEqualTo("app2");
            assertThat(ds.getPassword()).isEqualTo("new-secret");
            assertThat(ds.toString()).doesNotContain("new-secret").doesNotContain("old-secret");
            assertThat(Credentials.of("u", "pw").toString()).doesNotContain("pw").contains("u");
        }

        @Test
        void aProviderIsAskedForEachNewConnectionAndWinsOverTheCredentials() throws Exception {
            AtomicInteger calls = new AtomicInteger();
            db.requireCredentials("provided", "token-1");
            TidepoolConfig config = config(2);
            config.setUsername("ignored");
            config.setPassword("ignored");
            config.setCredentialsProvider(() -> {
                calls.incrementAndGet();
                return Credentials.of("provided", "token-" + Math.min(calls.get(), 1));
            });
            TidepoolDataSource ds = open(config);
            await().until(() -> ds.getTotalConnections() == 2);

            assertThat(calls.get()).isEqualTo(db.connectionsOpened()).isEqualTo(2);
        }

        @Test
        void aProviderThatFailsIsAConnectFailureWithItsCauseAndNoSecret() {
            TidepoolConfig config = config(1);
            config.setPassword("p4ssw0rd-in-config");
            config.setCredentialsProvider(() -> {
                throw new IllegalStateException("vault sealed; last token p4ssw0rd-in-config");
            });
            assertThatThrownBy(() -> open(config))
                    .isInstanceOf(PoolInitializationException.class)
                    .satisfies(e -> assertThat(e.getCause()).isInstanceOf(SQLException.class)
                            .hasMessageContaining("vault sealed")
                            .hasMessageNotContaining("p4ssw0rd-in-config")
                            .hasCauseInstanceOf(IllegalStateException.class));
        }

        @Test
        void aProviderThatReturnsNullIsAConnectFailure() {
            TidepoolConfig config = config(1);
            config.setCredentialsProvider(() -> null);
            assertThatThrownBy(() -> open(config)).isInstanceOf(PoolInitializationException.class)
                    .cause().hasMessageContaining("returned null");
        }

        @Test
        void theProviderClassNameIsInstantiatedAtOnce() {
            TidepoolConfig config = config(1);
            config.setCredentialsProviderClassName(Plugins.FixedCredentials.class.getName());
            assertThat(config.getCredentialsProvider()).isInstanceOf(Plugins.FixedCredentials.class);
            assertThat(config.getCredentialsProviderClassName()).isEqualTo(Plugins.FixedCredentials.class.getName());

            assertThatThrownBy(() -> config.setCredentialsProviderClassName("com.example.Missing"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("com.example.Missing");
            assertThatThrownBy(() -> config.setCredentialsProviderClassName(Plugins.NotAPlugin.class.getName()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a " + CredentialsProvider.class.getName());
            assertThat(config.getCredentialsProvider()).as("a bad value changes nothing")
                    .isInstanceOf(Plugins.FixedCredentials.class);
        }
    }

    @Nested
    class ExceptionOverride {
        private Connection failingStatement(TidepoolDataSource ds, String sqlState) throws SQLException {
            Connection c = ds.getConnection();
            db.failNextExecutes(1, sqlState);
            assertThatThrownBy(() -> c.createStatement().execute("select 1")).isInstanceOf(SQLException.class);
            return c;
        }

        @Test
        void doNotEvictKeepsAConnectionAFatalStateWouldClose() throws Exception {
            TidepoolConfig config = config(1);
            config.setExceptionOverride(new Plugins.KeepEverything());
            TidepoolDataSource ds = open(config);
            failingStatement(ds, "08S01").close();
            assertThat(db.connectionsClosed()).isZero();
        }

        @Test
        void mustEvictClosesAConnectionTheStateWouldKeep() throws Exception {
            TidepoolConfig config = config(1);
            config.setExceptionOverrideClassName(Plugins.EvictEverything.class.getName());
            TidepoolDataSource ds = open(config);
            failingStatement(ds, "23505").close();
            await().until(() -> db.connectionsClosed() == 1);
        }

        @Test
        void continueEvictDecidesAsUsual() throws Exception {
            TidepoolConfig config = config(1);
            config.setExceptionOverride(new SQLExceptionOverride() { });
            TidepoolDataSource ds = open(config);
            failingStatement(ds, "23505").close();
            assertThat(db.connectionsClosed()).as("a constraint violation keeps the connection").isZero();
            failingStatement(ds, "08S01").close();
            await().until(() -> db.connectionsClosed() == 1);
        }

        @Test
        void aBadClassNameIsRefusedNamingIt() {
            TidepoolConfig config = config(1);
            assertThatThrownBy(() -> config.setExceptionOverrideClassName(Plugins.NotAPlugin.class.getName()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(Plugins.NotAPlugin.class.getName());
            assertThat(config.getExceptionOverride()).isNull();
        }
    }

    @Nested
    class Jndi {
        private String previousFactory;

        @BeforeEach
        void useTestNaming() {
            previousFactory = System.getProperty(Context.INITIAL_CONTEXT_FACTORY);
            System.setProperty(Context.INITIAL_CONTEXT_FACTORY, TestNaming.class.getName());
        }

        @AfterEach
        void restoreNaming() {
            if (previousFactory == null) {
                System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
            } else {
                System.setProperty(Context.INITIAL_CONTEXT_FACTORY, previousFactory);
            }
            TestNaming.BOUND.clear();
        }

        @Test
        void theDataSourceIsLookedUpByItsJndiName() throws Exception {
            StubDataSource target = new StubDataSource();
            target.setUrl(db.url());
            TestNaming.BOUND.put("java:comp/env/jdbc/orders", target);
            TidepoolConfig config = new TidepoolConfig();
            config.setDataSourceJNDI("java:comp/env/jdbc/orders");
            TidepoolDataSource ds = open(config);
            try (Connection c = ds.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
            assertThat(db.connectionsOpened()).isPositive();
        }

        @Test
        void aNameBoundToNothingIsAClearError() {
            TidepoolConfig config = new TidepoolConfig();
            config.setDataSourceJNDI("java:comp/env/jdbc/missing");
            assertThatThrownBy(() -> open(config)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("java:comp/env/jdbc/missing");
        }
    }

    /** A JNDI context factory over a map, for the tests above. */
    public static final class TestNaming implements InitialContextFactory {
        static final Map<String, Object> BOUND = new ConcurrentHashMap<>();

        @Override
        public Context getInitialContext(Hashtable<?, ?> environment) {
            InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
                case "lookup" -> {
                    Object found = BOUND.get(String.valueOf(args[0]));
                    if (found == null) {
                        throw new NameNotFoundException(String.valueOf(args[0]));
                    }
                    yield found;
                }
                case "close" -> null;
                default -> throw new UnsupportedOperationException(method.getName());
            };
            return (Context) Proxy.newProxyInstance(TestNaming.class.getClassLoader(), new Class<?>[] {Context.class},
                    handler);
        }
    }

    @Nested
    class InternalQueries {
        @Test
        void isolatedByDefaultTheTestQueryIsRolledBackAndTheInitSqlCommitted() throws Exception {
            TidepoolConfig config = config(1);
            config.setAutoCommit(false);
            config.setConnectionTestQuery("SELECT 1");
            config.setConnectionInitSql("SET search_path TO app");
            TidepoolDataSource ds = open(config);
            assertThat(ds.isIsolateInternalQueries()).isTrue();
            assertThat(db.commits()).as("the init SQL").isOne();
            assertThat(db.rollbacks()).as("the test query").isOne();
        }

        @Test
        void notIsolatedTheyStayInTheTransactionTheBorrowerEnds() throws Exception {
            TidepoolConfig config = config(1);
            config.setAutoCommit(false);
            config.setConnectionTestQuery("SELECT 1");
            config.setConnectionInitSql("SET search_path TO app");
            config.setIsolateInternalQueries(false);
            open(config);
            assertThat(db.commits()).isZero();
            assertThat(db.rollbacks()).isZero();
        }
    }

    @Nested
    class ThreadsAndTimers {
        @Test
        void theThreadFactoryMakesThePoolsThreads() throws Exception {
            Set<String> names = ConcurrentHashMap.newKeySet();
            AtomicInteger made = new AtomicInteger();
            ThreadFactory factory = task -> {
                made.incrementAndGet();
                return Thread.ofPlatform().name("app-pool-" + made.get()).daemon().unstarted(() -> {
                    names.add(Thread.currentThread().getName());
                    task.run();
                });
            };
            TidepoolConfig config = config(3);
            config.setThreadFactory(factory);
            config.setInitializationFailTimeout(-1);
            TidepoolDataSource ds = open(config);
            await().until(() -> ds.getIdleConnections() == 3);
            assertThat(names).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith("app-pool-"));
        }

        @Test
        void timersRunOnTheGivenSchedulerWhichTheClosedPoolLeavesRunning() throws Exception {
            List<Long> delays = new CopyOnWriteArrayList<>();
            ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1) {
                @Override
                public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
                    delays.add(unit.toMillis(delay));
                    return super.schedule(command, delay, unit);
                }
            };
            try {
                TidepoolConfig config = config(1);
                config.setScheduledExecutor(scheduler);
                config.setLeakDetectionThreshold(5_000);
                TidepoolDataSource ds = open(config);
                assertThat(delays).as("housekeeping").isNotEmpty();
                int before = delays.size();
                ds.getConnection().close();
                assertThat(delays).as("the leak watch").hasSize(before + 1).last().isEqualTo(5_000L);

                ds.close();
                assertThat(scheduler.isShutdown()).isFalse();
            } finally {
                scheduler.shutdownNow();
            }
        }
    }

    @Nested
    class Metrics {
        static final class Recorder implements MetricsTracker {
            final List<Long> created = new CopyOnWriteArrayList<>();
            final List<Long> acquired = new CopyOnWriteArrayList<>();
            final List<Long> usage = new CopyOnWriteArrayList<>();
            final AtomicInteger timeouts = new AtomicInteger();
            final AtomicInteger closed = new AtomicInteger();
            volatile PoolStats stats;
            volatile String poolName;

            @Override public void recordConnectionCreatedMillis(long millis) {
                created.add(millis);
            }

            @Override public void recordConnectionAcquiredNanos(long nanos) {
                acquired.add(nanos);
            }

            @Override public void recordConnectionUsageMillis(long millis) {
                usage.add(millis);
            }

            @Override public void recordConnectionTimeout() {
                timeouts.incrementAndGet();
            }

            @Override public void close() {
                closed.incrementAndGet();
            }
        }

        @Test
        void theTrackerRecordsCreationAcquisitionUsageTimeoutsAndIsClosed() throws Exception {
            Recorder recorder = new Recorder();
            TidepoolConfig config = config(1);
            config.setPoolName("metered");
            config.setConnectionTimeout(250);
            config.setMetricsTrackerFactory((poolName, stats) -> {
                recorder.poolName = poolName;
                recorder.stats = stats;
                return recorder;
            });
            TidepoolDataSource ds = open(config);
            assertThat(recorder.poolName).isEqualTo("metered");
            assertThat(recorder.created).hasSize(1);

            try (Connection held = ds.getConnection()) {
                assertThat(recorder.stats.getActiveConnections()).isOne();
                assertThat(recorder.stats.getTotalConnections()).isOne();
                assertThat(recorder.stats.getMaxConnections()).isOne();
                assertThat(recorder.stats.getMinConnections()).isOne();
                assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class);
            }
            assertThat(recorder.acquired).hasSize(1).allSatisfy(nanos -> assertThat(nanos).isNotNegative());
            assertThat(recorder.usage).hasSize(1);
            assertThat(recorder.timeouts.get()).isOne();
            assertThat(recorder.stats.getIdleConnections()).isOne();

            ds.close();
            assertThat(recorder.closed.get()).isOne();
        }

        @Test
        void aRunningPoolTakesATrackerOnceAsHikariDoes() throws Exception {
            TidepoolConfig config = config(1);
            config.setPoolName("late");
            TidepoolDataSource ds = open(config);
            Connection before = ds.getConnection(); // lent before the tracker: not timed on return

            Recorder recorder = new Recorder();
            ds.setMetricsTrackerFactory((poolName, stats) -> {
                recorder.poolName = poolName;
                recorder.stats = stats;
                return recorder;
            });
            assertThat(recorder.poolName).isEqualTo("late");
            assertThat(recorder.stats.getActiveConnections()).isOne();
            before.close();
            assertThat(recorder.usage).isEmpty();

            try (Connection ignored = ds.getConnection()) {
                assertThat(recorder.acquired).hasSize(1);
            }
            assertThat(recorder.usage).hasSize(1);

            assertThatThrownBy(() -> ds.setMetricsTrackerFactory((name, stats) -> new Recorder()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("can only be set once");
            assertThatThrownBy(() -> ds.setMetricRegistry(null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("can only be set once");
            ds.close();
            assertThat(recorder.closed.get()).isOne();
        }

        @Test
        void aRegistryNoBindingSupportsIsRefusedNamingWhatIs() {
            TidepoolConfig config = config(1);
            Object dropwizardLike = new Object() { };
            assertThatThrownBy(() -> config.setMetricRegistry(dropwizardLike))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not supported")
                    .hasMessageContaining("pool-micrometer")
                    .hasMessageContaining("MeterRegistry");
            assertThat(config.getMetricRegistry()).isNull();
        }

        @Test
        void aRegistryAndATrackerFactoryCannotBothBeSet() {
            TidepoolConfig config = config(1);
            config.setMetricsTrackerFactory((name, stats) -> new MetricsTracker() { });
            assertThatThrownBy(() -> config.setMetricRegistry(new Object()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("together");
        }

        @Test
        void healthCheckRegistriesAreRefusedAndTheirPropertiesKept() {
            TidepoolConfig config = config(1);
            config.setHealthCheckRegistry(null);
            assertThatThrownBy(() -> config.setHealthCheckRegistry(new Object()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not support health check registries");
            config.addHealthCheckProperty("connectivityCheckTimeoutMs", "1000");
            assertThat(config.getHealthCheckProperties()).containsEntry("connectivityCheckTimeoutMs", "1000");
        }
    }

    @Nested
    class DataSourceMembers {
        @Test
        void evictConnectionClosesABorrowedConnectionWhenItComesBack() throws Exception {
            TidepoolDataSource ds = open(config(1));
            Connection c = ds.getConnection();
            ds.evictConnection(c);
            assertThat(db.connectionsClosed()).as("never taken from its borrower").isZero();
            c.close();
            await().until(() -> db.connectionsClosed() == 1);
            try (Connection next = ds.getConnection()) {
                assertThat(next.isValid(1)).isTrue();
            }
        }

        @Test
        void evictConnectionOnAReturnedConnectionRetiresItsPhysicalConnection() throws Exception {
            TidepoolDataSource ds = open(config(1));
            Connection c = ds.getConnection();
            c.close();
            ds.evictConnection(c);
            await().until(() -> db.connectionsClosed() == 1);
        }

        @Test
        void evictConnectionRefusesAConnectionFromElsewhere() throws Exception {
            TidepoolDataSource ds = open(config(1));
            TidepoolDataSource other = open(config(1));
            try (Connection foreign = other.getConnection()) {
                assertThatThrownBy(() -> ds.evictConnection(foreign)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("not a connection this pool lent");
            }
            assertThatThrownBy(() -> ds.evictConnection(null)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void thePoolMXBeanIsNullBeforeTheStartAndLiveAfter() throws Exception {
            TidepoolDataSource lazy = new TidepoolDataSource();
            pools.track(lazy);
            lazy.setJdbcUrl(db.url());
            lazy.setMaximumPoolSize(2);
            lazy.setAllowPoolSuspension(true);
            assertThat(lazy.getTidepoolPoolMXBean()).isNull();
            try (Connection c = lazy.getConnection()) {
                TidepoolPoolMXBean pool = lazy.getTidepoolPoolMXBean();
                assertThat(pool.getActiveConnections()).isOne();
                // The second connection (minimumIdle 2) is opened in the background: total counts it while it is made.
                await().until(() -> pool.getIdleConnections() == 1);
                assertThat(pool.getTotalConnections()).isEqualTo(2);
                assertThat(pool.getThreadsAwaitingConnection()).isZero();
                pool.suspendPool();
                assertThat(lazy.isRunning()).isFalse();
                pool.resumePool();
                pool.softEvictConnections();
            }
        }

        @Test
        void toStringShowsTheLiveFiguresAndNoSecret() throws Exception {
            TidepoolConfig config = config(2);
            config.setPoolName("orders");
            config.setPassword("hunter2");
            config.setAllowPoolSuspension(true);
            TidepoolDataSource ds = open(config);
            await().until(() -> ds.getIdleConnections() == 2); // the fill up to minimumIdle runs in the background
            try (Connection c = ds.getConnection()) {
                assertThat(ds.toString()).isEqualTo("TidepoolDataSource (orders: total=2, active=1, idle=1, waiting=0)");
                ds.suspendPool();
                assertThat(ds.toString()).endsWith(", suspended)").doesNotContain("hunter2");
                ds.resumePool();
            }
            ds.close();
            assertThat(ds.toString()).endsWith(", closed)");
        }
    }
}
